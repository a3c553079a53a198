import Foundation
import RetortCore

/// A distillation campaign run through a pool of accounts: sign-up bursts, reused cards and e-mail
/// patterns, proxy networks, round-robin or random dispatch, chain-of-thought wrappers, bans and
/// replacement accounts, a switch to a newly released model.
final class PoolCampaign: TrafficActor {
    struct Member {
        var account: Account
        var key: String
        var rateMultiplier: Double
        var client: Client
        var sticky: Int
        var activeFrom: Int64
        var banAt: Int64
        var maxTokens: Int
        var temperature: Double?
        var stream: Bool
        var switchDelay: Int64
    }

    private var rng: SimRandom
    private let spec: CampaignSpec
    private let kind: String
    private let harvest: Harvest
    private let startMs: Int64
    private let stopMs: Int64
    private let proxies: [(IPAddress, Geo.Network)]
    private let fixedClient: Client
    private let systemCoT: Bool
    private let declaredCountry: String
    private var members: [Member] = []
    private var queued: [Int64] = []  // activation times of replacement accounts
    private var created = 0
    private var cardLeft = 0
    private var card: String?
    private var cardBIN: String?
    private var roundRobin = 0
    private let lifetimeMs: Double
    private let waveMs: Int64
    private(set) var nextWake: Int64

    init(spec: CampaignSpec, rng: SimRandom, ctx: SimContext) {
        self.rng = rng
        self.spec = spec
        kind = "campaign-" + spec.style
        harvest = Harvest(mix: spec.promptMix, corpus: ctx.corpus)
        startMs = ctx.startMs + Int64(spec.startDay) * 86_400_000
        stopMs = min(ctx.endMs, startMs + Int64(max(1, spec.days)) * 86_400_000)
        var r = rng
        proxies = PoolCampaign.proxyPool(spec, geo: ctx.geo, rng: &r)
        fixedClient = r.pick(Client.scripts + Array(Client.sdks.prefix(6)))
        systemCoT = r.chance(0.3)
        declaredCountry = r.pick(["US", "US", "GB", "SG", "DE", "CA", "JP"])
        let concurrent = spec.concurrent > 0 ? min(spec.concurrent, spec.accounts) : spec.accounts
        let days = Double(stopMs - startMs) / 86_400_000
        if spec.banAfterDays > 0 {
            lifetimeMs = spec.banAfterDays * 86_400_000
        } else if spec.accounts > concurrent {
            // About `accounts - concurrent` bans over the span, so replacements last to the end.
            lifetimeMs = 0.9 * Double(concurrent) * days / Double(spec.accounts - concurrent) * 86_400_000
        } else {
            lifetimeMs = .infinity
        }
        waveMs = Int64(r.uniform(2, 5) * 86_400_000)
        self.rng = r
        nextWake = startMs
        for _ in 0..<concurrent {
            let signup: Int64
            if spec.signup == "trickle" {
                signup = startMs - Int64(self.rng.uniform(0.2, 60) * 86_400_000)
            } else {
                signup = startMs - Int64(self.rng.uniform(0.1, max(0.2, spec.signupBurstHours)) * 3_600_000)
            }
            // Burst sign-ups start together; trickled ones are brought in over the first two days.
            let ramp = spec.signup == "trickle" ? 48.0 : 2.0
            let activate = startMs + Int64(self.rng.uniform(0, ramp) * 3_600_000)
            addMember(created: signup, activate: activate, ctx: ctx)
        }
    }

    static func proxyPool(
        _ spec: CampaignSpec, geo: Geo, rng: inout SimRandom
    ) -> [(IPAddress, Geo.Network)] {
        var out: [(IPAddress, Geo.Network)] = []
        let n = max(1, spec.proxyPool)
        var subnets: [(UInt32, Geo.Network)] = []
        for _ in 0..<max(1, n / 40) {
            let net = rng.pick(geo.hosting)
            subnets.append((net.subnet24(&rng), net))
        }
        let resCountries = ["US", "US", "US", "GB", "DE", "BR", "IN", "CA", "FR", "JP", "KR", "ID", "VN", "PH"]
        for i in 0..<n {
            let residential: Bool
            switch spec.network {
            case "residential": residential = true
            case "mixed": residential = i % 2 == 0
            default: residential = false
            }
            if residential {
                let useMobile = rng.chance(0.15)
                let c = rng.pick(resCountries)
                let net = useMobile ? geo.mobileNetwork(c, &rng) : geo.residentialNetwork(c, &rng)
                out.append((net.address(&rng), net))
            } else {
                let (base, net) = rng.pick(subnets)
                out.append((IPAddress(v4: base | UInt32(rng.int(2...254))), net))
            }
        }
        return out
    }

    private func addMember(created: Int64, activate: Int64, ctx: SimContext) {
        guard self.created < spec.accounts else { return }
        self.created += 1
        var a = Account(accountID: ctx.newAccountID())
        a.createdAt = created
        let domains = spec.emailDomains.isEmpty ? Identity.freeMail : spec.emailDomains
        a.emailDomain = rng.pick(domains)
        switch spec.email {
        case "random": a.emailLocal = Identity.randomLocal(&rng)
        case "realistic": a.emailLocal = Identity.realisticLocal(&rng)
        default: a.emailLocal = Identity.nameYearLocal(&rng)
        }
        switch spec.cards {
        case "unique":
            a.paymentFingerprint = Identity.card(&rng)
            a.cardBIN = rng.pick(Identity.cardBINs)
        case "none":
            break
        default:
            if cardLeft <= 0 {
                card = Identity.card(&rng)
                cardBIN = rng.pick(Identity.prepaidBINs)
                let lo = spec.cardBatch.first ?? 12
                let hi = max(lo, spec.cardBatch.last ?? lo)
                cardLeft = rng.int(lo...hi)
            }
            cardLeft -= 1
            a.paymentFingerprint = card
            a.cardBIN = cardBIN
        }
        let (signupIP, net) = rng.pick(proxies)
        a.signupIP = signupIP
        a.country = spec.network == "datacenter" ? declaredCountry : net.country
        a.tier = rng.chance(0.8) ? "tier-1" : "tier-2"
        ctx.register(a, kind: kind, campaign: spec.id)

        let client: Client
        if spec.client == "random" {
            let all = Client.sdks + Client.browsers + Client.scripts
            let c = rng.pick(all)
            client =
                rng.chance(0.3)
                ? Client(
                    userAgent: c.userAgent, tlsFingerprint: Client.fingerprint("rand-\(rng.next())"),
                    endpoint: c.endpoint)
                : c
        } else {
            client = fixedClient
        }
        let life = lifetimeMs.isFinite ? rng.exponential(mean: lifetimeMs) : .infinity
        var banAt = Int64.max
        if life.isFinite {
            let due = activate + Int64(life)
            // Bans land in waves; the next wave after the account is caught.
            let k = (due - startMs) / waveMs + 1
            banAt = startMs + k * waveMs + Int64(rng.uniform(0, 3_600_000))
        }
        members.append(
            Member(
                account: a, key: ctx.newKeyID(&rng),
                // Median below 1 so that the mean multiplier is 1 and `rate` is the mean per account.
                rateMultiplier: rng.lognormal(
                    median: exp(-spec.rateJitter * spec.rateJitter / 2), sigma: spec.rateJitter),
                client: client, sticky: rng.below(proxies.count), activeFrom: activate, banAt: banAt,
                maxTokens: spec.client == "random" ? rng.pick([4096, 8192, 8192, 16_000]) : spec.maxTokens,
                temperature: spec.temperature >= 0 ? spec.temperature : (rng.chance(0.3) ? nil : rng.uniform(0.2, 1.0)),
                stream: spec.client == "random" ? rng.chance(0.5) : false,
                switchDelay: Int64(rng.uniform(0.5, 30) * 3_600_000)))
    }

    func wake(until: Int64, ctx: SimContext) {
        let hourStart = until - 3_600_000
        guard hourStart < stopMs else {
            nextWake = Int64.max
            return
        }
        // Bans, then replacements.
        var kept: [Member] = []
        for m in members {
            if m.banAt <= hourStart {
                if created + queued.count < spec.accounts {
                    queued.append(m.banAt + Int64(rng.uniform(1, 20) * 3_600_000))
                }
            } else {
                kept.append(m)
            }
        }
        members = kept
        var waiting: [Int64] = []
        for at in queued {
            if at < until {
                let signup = at - Int64(rng.uniform(0.1, 4) * 3_600_000)
                addMember(created: signup, activate: at, ctx: ctx)
            } else {
                waiting.append(at)
            }
        }
        queued = waiting
        nextWake = until
        if members.isEmpty { return }

        var total = 0.0
        for m in members { total += m.rateMultiplier }
        var rate = total * spec.rate
        if spec.diurnal {
            rate *= Profile.diurnal.weight(hourStart, offsetMinutes: Int(spec.timezone * 60))
        }
        let turnsMean = 1 + spec.multiTurnShare * 2  // sessions of 2-4 turns add 2 on average
        let sessions = rng.poisson(rate / turnsMean)
        var times = (0..<sessions).map { _ in hourStart + Int64(rng.uniform() * 3_600_000) }
        times.sort()
        let maxMul = members.reduce(0) { max($0, $1.rateMultiplier) }
        for t in times {
            let idx: Int
            if spec.scheduling == "random" {
                var pick = rng.below(members.count)
                while rng.uniform() * maxMul > members[pick].rateMultiplier { pick = rng.below(members.count) }
                idx = pick
            } else {
                roundRobin = (roundRobin + 1) % members.count
                idx = roundRobin
            }
            let m = members[idx]
            guard t >= m.activeFrom, t < m.banAt else { continue }
            session(m, at: t, ctx: ctx)
        }
    }

    private func session(_ m: Member, at start: Int64, ctx: SimContext) {
        var turns = rng.chance(spec.multiTurnShare) ? rng.int(2...4) : 1
        // Half of the multi-turn sessions replay a real user's conversation turn by turn.
        var script: [String] = []
        if turns > 1 && rng.chance(0.5) {
            let real = rng.pick(harvest.corpus.conversations)
            if real.count >= 2 {
                script = Array(real.prefix(turns))
                turns = script.count
            }
        }
        let conv = ctx.newConversationID()
        var t = start
        var history = 0
        var sessionIP = rng.pick(proxies)
        for turn in 1...turns {
            var (prompt, cat) = script.isEmpty ? harvest.prompt(&rng) : (script[turn - 1], "replay")
            var system: String?
            let elicited = rng.chance(spec.cotShare)
            if elicited {
                if systemCoT { system = rng.pick(Harvest.cotSystems) } else { prompt = Harvest.wrap(prompt, &rng) }
            }
            var e = Event(ts: t, accountID: m.account.accountID, requestID: "")
            e.apiKeyID = m.key
            let (ip, net): (IPAddress, Geo.Network)
            switch spec.ipRotation {
            case "sticky":
                (ip, net) = proxies[m.sticky]
            case "session":
                (ip, net) = sessionIP
            default:
                sessionIP = rng.pick(proxies)
                (ip, net) = sessionIP
            }
            e.ip = ip
            if ctx.scenario.output.geoEnrichment {
                e.asn = net.asn
                e.country = net.country
            }
            e.userAgent = m.client.userAgent
            if ctx.scenario.output.tlsFingerprints { e.tlsFingerprint = m.client.tlsFingerprint }
            e.endpoint = cat == "agentic" ? (rng.chance(0.5) ? "responses" : m.client.endpoint) : m.client.endpoint
            if spec.modelSwitch && t >= ctx.releaseMs + m.switchDelay {
                e.model = ctx.scenario.models.newModel
            } else {
                e.model = ctx.scenario.models.flagship
            }
            let thinking = rng.chance(spec.thinkingShare)
            let median: Double = cat == "coding" || cat == "math" ? 700 : 550
            let output = ctx.outputTokens(
                &rng, median: elicited ? median * 1.6 : median, sigma: 0.6, maxTokens: m.maxTokens)
            let input = history + SimContext.tokens(system) + SimContext.tokens(prompt)
            e.inputTokens = input
            e.outputTokens = output
            var reasoning = 0
            if thinking {
                reasoning = Int(rng.lognormal(median: 1800, sigma: 0.6))
                e.thinking = true
                e.reasoningTokens = reasoning
            }
            e.maxTokens = m.maxTokens
            e.temperature = m.temperature
            if cat == "agentic" { e.tools = rng.int(2...12) }
            e.stream = m.stream
            e.status = rng.chance(0.02) ? 429 : 200
            e.latencyMs = ctx.latency(&rng, output: output, reasoning: reasoning)
            e.conversationID = conv
            e.turn = turn
            e.system = system
            e.prompt = prompt
            ctx.emit(e, campaign: true)
            history = input + output
            t += Int64(e.latencyMs ?? 0) + Int64(rng.lognormal(median: 40_000, sigma: 0.8))
        }
    }
}
