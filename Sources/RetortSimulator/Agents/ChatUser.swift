import RetortCore

/// A person chatting with the model: casual users, campus users, employees of an enterprise or a team,
/// users on mobile carriers' CGNAT, and power users.
///
/// Conversations start as a non-homogeneous Poisson process following the user's activity profile in
/// their own time zone; each has a few turns minutes apart.
final class ChatUser: TrafficActor {
    /// Where the user's requests come from.
    enum Network {
        /// A home connection whose address changes now and then; `ipv6` for IPv6 households.
        case home(Geo.Network, ipv6: Bool)
        /// A shared NAT (campus, office) for most sessions, else home.
        case shared(nat: [IPAddress], natNetwork: Geo.Network, share: Double, home: Geo.Network)
        /// A mobile carrier's CGNAT pool shared by many subscribers.
        case cgnat(pool: [IPAddress], network: Geo.Network)
    }

    /// Which prompts the user writes.
    enum Topics {
        case personal
        case work
    }

    struct Setup {
        var account: Account
        var kind: String
        var eventOrgID: String?
        var profile: Profile
        var offsetMinutes: Int
        /// Mean conversations per hour over the active span (before the profile's shape).
        var conversationsPerHour: Double
        var activeFrom: Int64
        var activeUntil: Int64
        var turnsMean: Double
        var network: Network
        var clients: [Client]
        var topics: Topics
        var system: String?
        /// Share of conversations whose first message asks for step-by-step reasoning.
        var cotShare: Double = 0
    }

    private var rng: SimRandom
    private let s: Setup
    private let corpus: PromptCorpus
    private let apiKey: String
    private let adopter: Double
    private let maxTokens: Int?
    private let temperature: Double?
    private var currentIP: IPAddress
    private var ipChangeAt: Int64
    private let ipChangeDays: Double
    private let lambdaMax: Double
    private(set) var nextWake: Int64

    init(setup: Setup, rng: SimRandom, ctx: SimContext) {
        self.rng = rng
        self.s = setup
        corpus = ctx.corpus
        apiKey = ctx.newKeyID(&self.rng)
        adopter = self.rng.uniform()
        maxTokens = self.rng.chance(0.7) ? self.rng.pick([1024, 2048, 4096, 4096, 8192]) : nil
        temperature = self.rng.chance(0.25) ? self.rng.pick([0.3, 0.5, 0.7, 0.7, 1.0]) : nil
        ipChangeDays = self.rng.uniform(3, 40)
        currentIP = IPAddress(v4: 0)
        ipChangeAt = setup.activeFrom
        lambdaMax = max(1e-9, setup.conversationsPerHour * setup.profile.maxWeight)
        nextWake = setup.activeFrom
        nextWake = setup.activeFrom + gap()
        if nextWake >= setup.activeUntil { nextWake = Int64.max }
    }

    private func gap() -> Int64 {
        Int64(rng.exponential(mean: 3_600_000 / lambdaMax)) + 1
    }

    func wake(until: Int64, ctx: SimContext) {
        while nextWake < until {
            let t = nextWake
            if rng.uniform() * s.profile.maxWeight < s.profile.weight(t, offsetMinutes: s.offsetMinutes) {
                conversation(at: t, ctx: ctx)
            }
            nextWake = t + gap()
            if nextWake >= s.activeUntil {
                nextWake = Int64.max
                return
            }
        }
    }

    private func ip(at t: Int64, ctx: SimContext) -> IPAddress {
        switch s.network {
        case .home(let net, let v6):
            if t >= ipChangeAt || currentIP.low == 0 {
                currentIP = net.address(&rng, ipv6: v6)
                ipChangeAt = t + Int64(rng.exponential(mean: ipChangeDays * 86_400_000))
            }
            return currentIP
        case .shared(let nat, _, let share, let home):
            if rng.chance(share) { return rng.pick(nat) }
            if t >= ipChangeAt || currentIP.low == 0 {
                currentIP = home.address(&rng)
                ipChangeAt = t + Int64(rng.exponential(mean: ipChangeDays * 86_400_000))
            }
            return currentIP
        case .cgnat(let pool, _):
            return rng.pick(pool)
        }
    }

    private func network(for ip: IPAddress) -> Geo.Network {
        switch s.network {
        case .home(let n, _): return n
        case .shared(let nat, let natNet, _, let home): return nat.contains(ip) ? natNet : home
        case .cgnat(_, let n): return n
        }
    }

    private func prompts() -> [String] {
        let c = corpus
        let k = rng.geometric(mean: s.turnsMean)
        switch s.topics {
        case .personal:
            if k == 1 {
                return [rng.chance(0.6) ? rng.pick(c.prompts(.benign)) : rng.pick(c.conversations)[0]]
            }
        case .work:
            if k == 1 {
                let r = rng.uniform()
                if r < 0.55 { return [rng.pick(c.prompts(.benign))] }
                if r < 0.8 { return [rng.pick(c.prompts(.coding))] }
                return [rng.pick(c.prompts(.general))]
            }
        }
        var conv = rng.pick(c.conversations)
        for _ in 0..<3 where conv.count < 2 { conv = rng.pick(c.conversations) }
        return Array(conv.prefix(k))
    }

    private func conversation(at start: Int64, ctx: SimContext) {
        var turns = prompts()
        // Drawn only when set, so that worlds without it keep their random streams.
        if s.cotShare > 0, !turns.isEmpty, rng.chance(s.cotShare) { turns[0] = Harvest.wrap(turns[0], &rng) }
        let client = s.clients.count == 1 ? s.clients[0] : rng.pick(s.clients)
        let conv = ctx.newConversationID()
        let address = ip(at: start, ctx: ctx)
        let net = network(for: address)
        var t = start
        var history = SimContext.tokens(s.system)
        for (i, prompt) in turns.enumerated() {
            var e = Event(ts: t, accountID: s.account.accountID, requestID: "")
            e.apiKeyID = apiKey
            e.orgID = s.eventOrgID
            e.ip = address
            if ctx.scenario.output.geoEnrichment {
                e.asn = net.asn
                e.country = net.country
            }
            e.userAgent = client.userAgent
            if ctx.scenario.output.tlsFingerprints { e.tlsFingerprint = client.tlsFingerprint }
            e.endpoint = client.endpoint
            e.model = ctx.benignModel(t, adopter: adopter)
            let input = history + SimContext.tokens(prompt)
            let output = ctx.outputTokens(&rng, median: 320, sigma: 0.8, maxTokens: maxTokens)
            e.inputTokens = input
            e.outputTokens = output
            e.maxTokens = maxTokens
            e.temperature = temperature
            e.stream = client.endpoint != "embeddings" && rng.chance(0.85)
            e.status = rng.chance(0.004) ? rng.pick([429, 500, 529]) : 200
            e.latencyMs = ctx.latency(&rng, output: output)
            e.conversationID = conv
            e.turn = i + 1
            e.system = s.system
            e.prompt = prompt
            ctx.emit(e)
            history = input + output
            // Reading the answer and typing the next message: seconds to minutes.
            t += Int64(e.latencyMs ?? 0) + Int64(rng.lognormal(median: 75_000, sigma: 0.9))
        }
    }
}
