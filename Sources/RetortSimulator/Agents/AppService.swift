import RetortCore

/// A developer's production app: one system prompt and a fixed template filled with varying user data,
/// steady volume around the clock from a few cloud addresses, one SDK, fixed parameters, its own end users.
final class AppService: TrafficActor {
    struct Template {
        let system: String?
        let prefix: String
        let suffix: String
        let maxTokens: Int
        let outputMedian: Double
    }

    static let templates: [Template] = [
        Template(
            system: "You are a friendly support assistant for {brand}. Answer only questions about {brand} products. "
                + "Be concise and polite. If you do not know, offer to connect the customer with a human agent.",
            prefix: "Customer message:\n", suffix: "\n\nWrite the reply.", maxTokens: 512, outputMedian: 140),
        Template(
            system: "You classify customer feedback for {brand}.",
            prefix: "Classify the sentiment (positive, neutral, negative) and the topic of this review. "
                + "Answer as JSON with keys sentiment and topic.\n\nReview: ",
            suffix: "", maxTokens: 64, outputMedian: 22),
        Template(
            system: "You are {brand}'s writing assistant. Keep the user's voice.",
            prefix: "Rewrite the following text so it is clearer and more professional:\n\n\"\"\"\n",
            suffix: "\n\"\"\"", maxTokens: 1024, outputMedian: 260),
        Template(
            system: nil,
            prefix: "Summarize the following in three sentences for a busy reader.\n\nText:\n", suffix: "",
            maxTokens: 300, outputMedian: 90),
        Template(
            system: "You are a translation engine for {brand}. Output only the translation.",
            prefix: "Translate into {lang}:\n\n", suffix: "", maxTokens: 1024, outputMedian: 180),
        Template(
            system: "You are {brand} Tutor, a patient homework helper for high-school students. Never give the final "
                + "answer directly; guide the student.",
            prefix: "Student question: ", suffix: "", maxTokens: 800, outputMedian: 230),
        Template(
            system: "Extract structured data for {brand}'s CRM.",
            prefix: "Extract the person names, organisations and dates mentioned in this note as JSON.\n\nNote:\n",
            suffix: "", maxTokens: 256, outputMedian: 70),
    ]

    static let brands = [
        "Acme Cloud", "Brightdesk", "Nimbus Travel", "Kettle & Co", "Orbital Bank", "Pixelcart", "Helios Health",
        "Tandem HR", "Quillbox", "Fernway", "Lumapay", "Greenleaf Grocers", "Mapleworks", "Zentrix", "Odyssey Learn",
    ]

    private var rng: SimRandom
    private let account: Account
    private let orgID: String?
    private let corpus: PromptCorpus
    private let system: String?
    private let prefix: String
    private let suffix: String
    private let maxTokens: Int
    private let outputMedian: Double
    private let temperature: Double
    private let model: String
    private let client: Client
    private let ips: [IPAddress]
    private let network: Geo.Network
    private let keys: [String]
    private let endUsers: [String]
    private let perHour: Double
    private let offsetMinutes: Int
    private let activeUntil: Int64
    private(set) var nextWake: Int64

    init(
        account: Account, orgID: String?, perHour: Double, offsetMinutes: Int, activeFrom: Int64,
        activeUntil: Int64, rng: SimRandom, ctx: SimContext
    ) {
        self.rng = rng
        self.account = account
        self.orgID = orgID
        corpus = ctx.corpus
        let template = self.rng.pick(AppService.templates)
        let brand = self.rng.pick(AppService.brands)
        let lang = self.rng.pick(["French", "German", "Spanish", "Japanese", "Portuguese"])
        system = template.system?.replacingAll("{brand}", with: brand)
        prefix = template.prefix.replacingAll("{lang}", with: lang)
        suffix = template.suffix
        maxTokens = template.maxTokens
        outputMedian = template.outputMedian
        temperature = self.rng.pick([0, 0.2, 0.3, 0.5, 0.7])
        model = self.rng.chance(0.6) ? ctx.scenario.models.mini : ctx.scenario.models.flagship
        client = self.rng.pick(Client.sdks)
        network = self.rng.pick(ctx.geo.cloud)
        var r = self.rng
        let base = network.subnet24(&r)
        ips = (0..<r.int(1...4)).map { _ in IPAddress(v4: base | UInt32(r.int(4...250))) }
        keys = (0..<r.int(1...2)).map { _ in ctx.newKeyID(&r) }
        let users = Int(r.lognormal(median: 400, sigma: 1.2)) + 5
        endUsers = (0..<users).map { _ in "u_" + r.hex(12) }
        self.rng = r
        self.perHour = perHour
        self.offsetMinutes = offsetMinutes
        self.activeUntil = activeUntil
        nextWake = activeFrom
    }

    func wake(until: Int64, ctx: SimContext) {
        let hourStart = until - 3_600_000
        let from = max(hourStart, nextWake)
        let span = Double(until - from) / 3_600_000
        let n = rng.poisson(perHour * span * Profile.service.weight(from, offsetMinutes: offsetMinutes))
        for _ in 0..<n {
            let t = from + Int64(rng.uniform() * Double(until - from))
            var e = Event(ts: t, accountID: account.accountID, requestID: "")
            e.apiKeyID = keys.count == 1 ? keys[0] : rng.pick(keys)
            e.orgID = orgID
            e.endUserID = endUsers[rng.zipf(endUsers.count, exponent: 1.2)]
            e.ip = rng.pick(ips)
            if ctx.scenario.output.geoEnrichment {
                e.asn = network.asn
                e.country = network.country
            }
            e.userAgent = client.userAgent
            if ctx.scenario.output.tlsFingerprints { e.tlsFingerprint = client.tlsFingerprint }
            e.endpoint = client.endpoint
            e.model = model
            var data = rng.pick(corpus.prompts(.benign))
            if data.utf8.count > 1500,
                let cut = data.unicodeScalars.index(
                    data.unicodeScalars.startIndex, offsetBy: 1200, limitedBy: data.unicodeScalars.endIndex)
            {
                data = String(data.unicodeScalars[..<cut])
            }
            let prompt = prefix + data + suffix
            let output = ctx.outputTokens(&rng, median: outputMedian, sigma: 0.5, maxTokens: maxTokens)
            e.inputTokens = SimContext.tokens(system) + SimContext.tokens(prompt)
            e.outputTokens = output
            e.maxTokens = maxTokens
            e.temperature = temperature
            e.stream = false
            e.status = rng.chance(0.003) ? rng.pick([429, 500]) : 200
            e.latencyMs = ctx.latency(&rng, output: output)
            e.conversationID = ctx.newConversationID()
            e.turn = 1
            e.system = system
            e.prompt = prompt
            ctx.emit(e)
        }
        nextWake = until >= activeUntil ? Int64.max : until
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
