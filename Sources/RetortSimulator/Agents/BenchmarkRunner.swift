import RetortCore

/// A customer running benchmark suites (MMLU, GSM8K, HumanEval) through the API: bursts of
/// consecutive items with fixed parameters and temperature 0, sometimes from several accounts of one org.
final class BenchmarkRunner: TrafficActor {
    private var rng: SimRandom
    private let accounts: [Account]
    private let keys: [String]
    private let orgID: String?
    private let corpus: PromptCorpus
    private let client: Client
    private let ip: IPAddress
    private let network: Geo.Network
    private let runsPerHour: Double
    private let offsetMinutes: Int
    private let models: [String]
    private let useLogprobs: Bool
    /// Share of GSM8K runs that ask for step-by-step reasoning (chain-of-thought evaluation), one phrasing per run.
    private let cotShare: Double
    private(set) var nextWake: Int64
    private let endMs: Int64

    init(
        accounts: [Account], orgID: String?, runs: Double, offsetMinutes: Int, cotShare: Double = 0,
        rng: SimRandom, ctx: SimContext
    ) {
        self.cotShare = cotShare
        var r = rng
        keys = accounts.map { _ in ctx.newKeyID(&r) }
        self.rng = r
        self.accounts = accounts
        self.orgID = orgID
        corpus = ctx.corpus
        client = self.rng.pick(Array(Client.sdks.prefix(8)))
        network = self.rng.chance(0.7) ? self.rng.pick(ctx.geo.cloud) : self.rng.pick(ctx.geo.hosting)
        ip = network.address(&self.rng)
        let hours = Double(ctx.endMs - ctx.startMs) / 3_600_000
        runsPerHour = max(runs, 0.5) / hours
        self.offsetMinutes = offsetMinutes
        let m = ctx.scenario.models
        models = [m.flagship, m.mini]
        useLogprobs = self.rng.chance(0.35)
        endMs = ctx.endMs
        nextWake = ctx.startMs
        nextWake = ctx.startMs + gap()
    }

    private func gap() -> Int64 {
        Int64(rng.exponential(mean: 3_600_000 / (runsPerHour * Profile.business.maxWeight))) + 1
    }

    func wake(until: Int64, ctx: SimContext) {
        while nextWake < until {
            let t = nextWake
            if rng.uniform() * Profile.business.maxWeight < Profile.business.weight(t, offsetMinutes: offsetMinutes) {
                run(at: t, ctx: ctx)
            }
            nextWake = t + gap()
        }
        if nextWake >= endMs { nextWake = Int64.max }
    }

    private func run(at start: Int64, ctx: SimContext) {
        let which = rng.below(3)
        let items: [String]
        let maxTokens: Int
        var logprobs = false
        var cot: (String, String)?
        switch which {
        case 0:
            items = corpus.prompts(.mmlu)
            logprobs = useLogprobs
            maxTokens = logprobs ? 1 : rng.pick([5, 16, 32])
        case 1:
            items = corpus.prompts(.gsm8k)
            maxTokens = rng.pick([512, 1024])
            // Drawn only when set, so that worlds without it keep their random streams.
            if cotShare > 0, rng.chance(cotShare) { cot = Harvest.cotParts[rng.below(Harvest.cotParts.count)] }
        default:
            items = corpus.prompts(.humaneval)
            maxTokens = rng.pick([512, 768])
        }
        let count = min(items.count, which == 2 ? items.count : rng.int(150...1400))
        let offset = items.count > count ? rng.below(items.count - count) : 0
        let a = rng.below(accounts.count)
        let model =
            rng.chance(0.5) && ctx.benignModel(start, adopter: 0.2) != models[0]
            ? ctx.scenario.models.newModel : rng.pick(models)
        let spacing = rng.uniform(300, 2500)
        var t = start
        for k in 0..<count {
            let prompt = cot.map { $0.0 + items[offset + k] + $0.1 } ?? items[offset + k]
            var e = Event(ts: t, accountID: accounts[a].accountID, requestID: "")
            e.apiKeyID = keys[a]
            e.orgID = orgID
            e.ip = ip
            if ctx.scenario.output.geoEnrichment {
                e.asn = network.asn
                e.country = network.country
            }
            e.userAgent = client.userAgent
            if ctx.scenario.output.tlsFingerprints { e.tlsFingerprint = client.tlsFingerprint }
            e.endpoint = client.endpoint
            e.model = model
            let output =
                which == 0
                ? min(maxTokens, rng.int(1...4))
                : ctx.outputTokens(
                    &rng, median: 220, sigma: 0.5, maxTokens: maxTokens)
            e.inputTokens = SimContext.tokens(prompt)
            e.outputTokens = output
            e.maxTokens = maxTokens
            e.temperature = 0
            if logprobs {
                e.logprobs = true
                e.topLogprobs = 5
            }
            e.stream = false
            e.status = rng.chance(0.01) ? 429 : 200
            e.latencyMs = ctx.latency(&rng, output: output)
            e.conversationID = ctx.newConversationID()
            e.turn = 1
            e.prompt = prompt
            ctx.emit(e)
            t += Int64(rng.exponential(mean: spacing))
        }
    }
}
