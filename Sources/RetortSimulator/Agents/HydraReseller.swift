import RetortCore

/// A reseller ("hydra") account: it relays its own real customers' chats (many end users, diurnal,
/// multi-turn) and mixes harvesting requests into the same stream. Truth records the harvesting count.
final class HydraReseller: TrafficActor {
    private var rng: SimRandom
    private let spec: CampaignSpec
    private let account: Account
    private let key: String
    private let harvest: Harvest
    private let corpus: PromptCorpus
    private let client: Client
    private let ips: [IPAddress]
    private let network: Geo.Network
    private let customerEndUsers: [String]
    private let harvestEndUsers: [String]
    private let customersPerHour: Double
    private let harvestPerHour: Double
    private let offsetMinutes: Int
    private let startMs: Int64
    private let stopMs: Int64
    private(set) var nextWake: Int64

    init(spec: CampaignSpec, index: Int, rng: SimRandom, ctx: SimContext) {
        var r = rng
        self.spec = spec
        startMs = ctx.startMs + Int64(spec.startDay) * 86_400_000
        stopMs = min(ctx.endMs, startMs + Int64(max(1, spec.days)) * 86_400_000)
        var a = Account(accountID: ctx.newAccountID())
        a.createdAt = startMs - Int64(r.uniform(20, 400) * 86_400_000)
        a.emailDomain = r.pick(["gmail.com", "outlook.com", "proton.me"])
        a.emailLocal = Identity.realisticLocal(&r)
        a.paymentFingerprint = Identity.card(&r)
        a.cardBIN = r.pick(Identity.cardBINs)
        network = r.pick(ctx.geo.cloud + ctx.geo.hosting)
        let base = network.subnet24(&r)
        ips = (0..<r.int(2...6)).map { _ in IPAddress(v4: base | UInt32(r.int(4...250))) }
        a.signupIP = ips[0]
        a.country = r.pick(["US", "SG", "HK", "GB"])
        a.orgID = r.chance(0.5) ? "org_" + r.token(10) : nil
        a.tier = "tier-4"
        account = a
        ctx.register(a, kind: "campaign-" + spec.style, campaign: spec.id)
        key = ctx.newKeyID(&r)
        harvest = Harvest(mix: spec.promptMix, corpus: ctx.corpus)
        corpus = ctx.corpus
        client = r.pick(Client.sdks)
        customerEndUsers = (0..<max(1, spec.endUsers)).map { _ in "eu_" + r.hex(10) }
        harvestEndUsers =
            r.chance(0.5)
            ? (0..<r.int(3...30)).map { _ in "eu_" + r.hex(10) } : []
        let total = spec.rate
        let share = min(max(spec.harvestShare, 0), 0.99)
        customersPerHour = total * (1 - share)
        harvestPerHour = total * share
        offsetMinutes = r.pick([-300, -480, 0, 60, 480, 540])
        self.rng = r
        nextWake = startMs
        _ = index
    }

    func wake(until: Int64, ctx: SimContext) {
        let hourStart = until - 3_600_000
        guard hourStart < stopMs else {
            nextWake = Int64.max
            return
        }
        nextWake = until
        let weight = Profile.diurnal.weight(hourStart, offsetMinutes: offsetMinutes)
        // Customers' conversations (2.5 turns on average).
        let conversations = rng.poisson(customersPerHour * weight / 2.5)
        for _ in 0..<conversations {
            var conv = rng.pick(corpus.conversations)
            if conv.count < 2 { conv = rng.pick(corpus.conversations) }
            let k = min(conv.count, rng.geometric(mean: 2.5))
            let user = customerEndUsers[rng.zipf(customerEndUsers.count, exponent: 1.05)]
            var t = hourStart + Int64(rng.uniform() * 3_600_000)
            let id = ctx.newConversationID()
            var history = 0
            for i in 0..<k {
                let out = ctx.outputTokens(&rng, median: 320, sigma: 0.8, maxTokens: 4096)
                let e = request(
                    t, prompt: conv[i], system: nil, user: user, conv: id, turn: i + 1, history: history,
                    output: out, thinking: false, ctx: ctx)
                history = (e.inputTokens ?? 0) + out
                t += Int64(e.latencyMs ?? 0) + Int64(rng.lognormal(median: 70_000, sigma: 0.9))
            }
        }
        // Harvesting, flat around the clock.
        let n = rng.poisson(harvestPerHour)
        var counted = 0
        for _ in 0..<n {
            let t = hourStart + Int64(rng.uniform() * 3_600_000)
            var (prompt, _) = harvest.prompt(&rng)
            if rng.chance(spec.cotShare) { prompt = Harvest.wrap(prompt, &rng) }
            let user = harvestEndUsers.isEmpty ? "eu_" + rng.hex(10) : rng.pick(harvestEndUsers)
            let out = ctx.outputTokens(&rng, median: 900, sigma: 0.5, maxTokens: 4096)
            _ = request(
                t, prompt: prompt, system: nil, user: user, conv: ctx.newConversationID(), turn: 1, history: 0,
                output: out, thinking: rng.chance(spec.thinkingShare), ctx: ctx)
            if t < ctx.endMs { counted += 1 }
        }
        if counted > 0 { ctx.addHarvest(account.accountID, counted) }
    }

    private func request(
        _ t: Int64, prompt: String, system: String?, user: String, conv: String, turn: Int, history: Int,
        output: Int, thinking: Bool, ctx: SimContext
    ) -> Event {
        var e = Event(ts: t, accountID: account.accountID, requestID: "")
        e.apiKeyID = key
        e.orgID = account.orgID
        e.endUserID = user
        e.ip = rng.pick(ips)
        if ctx.scenario.output.geoEnrichment {
            e.asn = network.asn
            e.country = network.country
        }
        e.userAgent = client.userAgent
        if ctx.scenario.output.tlsFingerprints { e.tlsFingerprint = client.tlsFingerprint }
        e.endpoint = client.endpoint
        e.model = spec.modelSwitch && t >= ctx.releaseMs ? ctx.scenario.models.newModel : ctx.scenario.models.flagship
        e.inputTokens = history + SimContext.tokens(prompt)
        e.outputTokens = output
        var reasoning = 0
        if thinking {
            reasoning = Int(rng.lognormal(median: 1500, sigma: 0.6))
            e.thinking = true
            e.reasoningTokens = reasoning
        }
        e.maxTokens = 4096
        e.stream = true
        e.status = rng.chance(0.005) ? 429 : 200
        e.latencyMs = ctx.latency(&rng, output: output, reasoning: reasoning)
        e.conversationID = conv
        e.turn = turn
        e.system = system
        e.prompt = prompt
        ctx.emit(e, campaign: true)
        return e
    }
}
