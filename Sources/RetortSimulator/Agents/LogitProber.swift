import RetortCore

/// A logit-bias / top_logprobs extraction attack: one account repeats the same target prompt in bursts
/// with `max_tokens` 1-2, `logprobs` and `top_logprobs`, rotating the size of its logit-bias map.
final class LogitProber: TrafficActor {
    private var rng: SimRandom
    private let account: Account
    private let key: String
    private let targets: [String]
    private let client: Client
    private let proxies: [(IPAddress, Geo.Network)]
    private let sessionsPerHour: Double
    private let burstMean: Double
    private let topLogprobs: Int
    private let biasSizes: [Int]
    private let startMs: Int64
    private let stopMs: Int64
    private let model: String
    private(set) var nextWake: Int64

    init(
        spec: CampaignSpec, targets: [String], proxies: [(IPAddress, Geo.Network)], rng: SimRandom,
        ctx: SimContext
    ) {
        var r = rng
        startMs = ctx.startMs + Int64(spec.startDay) * 86_400_000
        stopMs = min(ctx.endMs, startMs + Int64(max(1, spec.days)) * 86_400_000)
        var a = Account(accountID: ctx.newAccountID())
        a.createdAt = startMs - Int64(r.uniform(0.1, 10) * 86_400_000)
        a.emailDomain = r.pick(spec.emailDomains.isEmpty ? Identity.freeMail : spec.emailDomains)
        a.emailLocal = spec.email == "random" ? Identity.randomLocal(&r) : Identity.nameYearLocal(&r)
        if spec.cards != "none" {
            a.paymentFingerprint = Identity.card(&r)
            a.cardBIN = r.pick(Identity.prepaidBINs)
        }
        let p = r.pick(proxies)
        a.signupIP = p.0
        a.country = p.1.country
        a.tier = "tier-1"
        account = a
        ctx.register(a, kind: "campaign-" + spec.style, campaign: spec.id)
        key = ctx.newKeyID(&r)
        self.targets = targets
        client = spec.client == "random" ? r.pick(Client.sdks + Client.scripts) : Client.scripts[0]
        self.proxies = proxies
        burstMean = r.uniform(60, 260)
        sessionsPerHour = max(spec.rate, 0.01) / burstMean
        topLogprobs = r.pick([5, 5, 10, 20])
        let step = r.pick([1, 3, 5, 10])
        biasSizes = Array(stride(from: step, through: 300, by: step))
        model = r.chance(0.5) ? ctx.scenario.models.flagship : ctx.scenario.models.mini
        self.rng = r
        nextWake = startMs
        nextWake = startMs + gap()
    }

    private func gap() -> Int64 {
        Int64(rng.exponential(mean: 3_600_000 / sessionsPerHour)) + 1
    }

    func wake(until: Int64, ctx: SimContext) {
        while nextWake < until {
            burst(at: nextWake, ctx: ctx)
            nextWake += gap()
        }
        if nextWake >= stopMs { nextWake = Int64.max }
    }

    private func burst(at start: Int64, ctx: SimContext) {
        let target = rng.pick(targets)
        let count = Int(rng.exponential(mean: burstMean)) + 10
        var t = start
        var rotation = rng.below(biasSizes.count)
        let (ip, net) = rng.pick(proxies)
        for _ in 0..<count {
            var e = Event(ts: t, accountID: account.accountID, requestID: "")
            e.apiKeyID = key
            e.ip = ip
            if ctx.scenario.output.geoEnrichment {
                e.asn = net.asn
                e.country = net.country
            }
            e.userAgent = client.userAgent
            if ctx.scenario.output.tlsFingerprints { e.tlsFingerprint = client.tlsFingerprint }
            e.endpoint = "chat.completions"
            e.model = model
            let maxTokens = rng.int(1...2)
            e.inputTokens = SimContext.tokens(target)
            e.outputTokens = maxTokens
            e.maxTokens = maxTokens
            e.temperature = 0
            e.logprobs = true
            e.topLogprobs = topLogprobs
            e.logitBiasSize = biasSizes[rotation % biasSizes.count]
            rotation += 1
            e.stream = false
            e.status = rng.chance(0.03) ? 429 : 200
            e.latencyMs = Int(rng.lognormal(median: 180, sigma: 0.3))
            e.conversationID = ctx.newConversationID()
            e.turn = 1
            e.prompt = target
            ctx.emit(e, campaign: true)
            t += Int64(rng.exponential(mean: 900)) + 50
        }
    }
}
