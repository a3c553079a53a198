import Foundation
import RetortCore

/// A complete description of one simulated world: time window, output options, genuine populations and
/// distillation campaigns. Every key is documented in docs/scenario.md; missing keys take their defaults.
public struct Scenario: Sendable, Equatable {
    /// Seed of every random draw. The same scenario and seed give byte-identical output.
    public var seed: UInt64 = 1
    /// Start of the window (RFC 3339).
    public var start: String = "2026-04-01T00:00:00Z"
    /// Length of the window in weeks.
    public var weeks: Int = 13
    public var output = OutputSpec()
    public var models = ModelSpec()
    public var populations: [PopulationSpec] = []
    public var campaigns: [CampaignSpec] = []

    public init() {}

    /// Start of the window in epoch milliseconds.
    public var startMs: Int64 { Timestamp.parseRFC3339(start) ?? 1_775_001_600_000 }
    /// End of the window (exclusive) in epoch milliseconds.
    public var endMs: Int64 { startMs + Int64(weeks) * 7 * 86_400_000 }
}

/// Output options.
public struct OutputSpec: Sendable, Equatable {
    /// `rfc3339` or `epoch_ms` for `ts`.
    public var timeFormat: JSONLineEncoder.TimeFormat = .rfc3339
    /// `raw` writes `prompt` text; `sha256` writes only `prompt_sha256` of the normalised prompt.
    public var promptText: String = "raw"
    /// Whether the edge enriches events with `asn` and `country`.
    public var geoEnrichment: Bool = true
    /// Whether `tls_fingerprint` is recorded.
    public var tlsFingerprints: Bool = true
    /// deflate level of events.jsonl.gz: 1 fastest, 9 smallest, 0 stored without compression.
    public var compressionLevel: Int = 1

    public init() {}
}

/// Model names and the release of a new model inside the window.
public struct ModelSpec: Sendable, Equatable {
    public var flagship: String = "lumen-3"
    public var mini: String = "lumen-3-mini"
    public var embedding: String = "lumen-embed-2"
    /// A model released during the window; campaigns with `model_switch` move to it at once.
    public var newModel: String = "lumen-4"
    /// Day of the window (0-based) on which `new_model` is released; negative for no release.
    public var newModelDay: Int = 45
    /// Share of genuine flagship traffic that has moved to the new model 30 days after release.
    public var benignAdoption: Double = 0.5

    public init() {}
}

/// A population of genuine customers.
public struct PopulationSpec: Sendable, Equatable {
    /// `benign-casual`, `benign-app`, `benign-enterprise`, `benign-campus`, `benign-benchmark`,
    /// `benign-power`, `benign-team` or `benign-cgnat`.
    public var kind: String = "benign-casual"
    /// Number of users (casual, power, cgnat), apps, organisations (enterprise, team), campuses or
    /// benchmark customers.
    public var count: Int = 100
    /// Accounts per organisation, campus, team or benchmark customer, drawn from this closed range.
    public var members: [Int] = [1, 1]
    /// Median activity: conversations over the window per user (casual, campus, cgnat), requests per hour
    /// (app, power), requests per business day per employee (enterprise, team), suite runs over the window
    /// (benchmark).
    public var volume: Double = 5
    /// Log-normal shape of the activity across accounts (heavy tail).
    public var volumeSigma: Double = 1.0
    /// Mean user turns per conversation.
    public var turns: Double = 2.5
    /// Share of accounts reaching the API over IPv6.
    public var ipv6Share: Double = 0.15
    /// Chat users (casual, power, campus, cgnat, enterprise, team): share of conversations whose first message
    /// asks for step-by-step reasoning, in the common phrasings that harvesting wrappers use too (students,
    /// people checking homework or proofs). 0 leaves the prompts as the corpora have them.
    public var cotShare: Double = 0
    /// Countries the accounts come from; empty for the built-in mix.
    public var countries: [String] = []

    public init() {}

    public init(kind: String, count: Int, members: [Int] = [1, 1], volume: Double, volumeSigma: Double = 1.0) {
        self.kind = kind
        self.count = count
        self.members = members
        self.volume = volume
        self.volumeSigma = volumeSigma
    }
}

/// A distillation campaign and its tactics.
public struct CampaignSpec: Sendable, Equatable {
    /// Campaign label written to truth.jsonl (`C-1`, `C-2`, ...).
    public var id: String = "C-1"
    /// Style name; accounts get kind `campaign-<style>`.
    public var style: String = "distill"
    /// Mechanism: `pool` (many harvesting accounts), `hydra` (reseller accounts mixing real customers'
    /// traffic with harvesting) or `logit` (logit-bias / top_logprobs extraction).
    public var mechanism: String = "pool"
    /// Accounts used over the campaign, replacements included.
    public var accounts: Int = 100
    /// Accounts active at once (the rest replace banned ones). 0 means all at once.
    public var concurrent: Int = 0
    /// Requests per account per hour.
    public var rate: Double = 1.0
    /// Log-normal shape of per-account rate differences.
    public var rateJitter: Double = 0.2
    /// `round_robin` (a dispatcher cycles through accounts) or `random` (independent Poisson per account).
    public var scheduling: String = "round_robin"
    /// First active day of the window (0-based) and number of active days.
    public var startDay: Int = 0
    public var days: Int = 91
    /// Follow a diurnal profile in `timezone` instead of running flat 24 hours.
    public var diurnal: Bool = false
    /// UTC offset in hours of the operators (for sign-ups and diurnal mimicry).
    public var timezone: Double = 8
    /// `burst` (initial accounts created within `signup_burst_hours`) or `trickle` (over the prior 60 days).
    public var signup: String = "burst"
    public var signupBurstHours: Double = 6
    /// `batch` (one card per `card_batch` accounts), `unique` (one card each) or `none`.
    public var cards: String = "batch"
    public var cardBatch: [Int] = [12, 14]
    /// E-mail local parts: `name_year` (`firstname.lastname1987`), `random` (random strings) or `realistic`
    /// (varied human styles).
    public var email: String = "name_year"
    /// E-mail domains; empty for common free-mail domains.
    public var emailDomains: [String] = []
    /// Proxy network: `residential`, `datacenter` or `mixed`.
    public var network: String = "datacenter"
    /// Distinct proxy exit IPs.
    public var proxyPool: Int = 200
    /// IP rotation: `request` (new exit per request), `session` (per conversation) or `sticky` (per account).
    public var ipRotation: String = "request"
    /// Client: `fixed` (one SDK user agent and TLS fingerprint) or `random` (varied clients per account).
    public var client: String = "fixed"
    /// Prompt mix weights: coding, math, reasoning, agentic, general, benchmark, replay (real user prompts).
    public var promptMix: [String: Double] = [
        "coding": 1, "math": 1, "reasoning": 1, "general": 1, "replay": 0.5,
    ]
    /// Share of prompts wrapped in a chain-of-thought elicitation ("Think step by step ...").
    public var cotShare: Double = 0.5
    /// Share of conversations with more than one turn (multi-turn mimicry).
    public var multiTurnShare: Double = 0.0
    /// Share of requests asking for extended thinking.
    public var thinkingShare: Double = 0.3
    /// Requested `max_tokens`.
    public var maxTokens: Int = 8192
    /// Fixed temperature, or negative for varied values.
    public var temperature: Double = 0.7
    /// Switch to `models.new_model` as soon as it is released.
    public var modelSwitch: Bool = true
    /// Mean days before an account is banned and replaced (used when `accounts` > `concurrent`).
    public var banAfterDays: Double = 0
    /// Hydra: distinct end users of the reseller's real customers, and share of harvesting requests.
    public var endUsers: Int = 400
    public var harvestShare: Double = 0.4
    /// Logit: distinct target prompts probed repeatedly.
    public var targetPrompts: Int = 20

    public init() {}
}

extension Scenario {
    /// Multiplies population sizes and campaign account counts by `factor`.
    public mutating func scale(by factor: Double) {
        for i in populations.indices {
            populations[i].count = max(1, Int((Double(populations[i].count) * factor).rounded()))
        }
        for i in campaigns.indices where campaigns[i].mechanism == "pool" {
            campaigns[i].accounts = max(1, Int((Double(campaigns[i].accounts) * factor).rounded()))
            campaigns[i].concurrent = Int((Double(campaigns[i].concurrent) * factor).rounded())
            campaigns[i].proxyPool = max(1, Int((Double(campaigns[i].proxyPool) * factor).rounded()))
        }
    }
}

// Scenario files use snake_case keys (`start_day`); a missing key keeps its default.

extension KeyedDecodingContainer {
    fileprivate func value<T: Decodable>(_ key: Key, _ fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}

extension Scenario: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Scenario()
        seed = try c.value(.seed, d.seed)
        start = try c.value(.start, d.start)
        weeks = try c.value(.weeks, d.weeks)
        output = try c.value(.output, d.output)
        models = try c.value(.models, d.models)
        populations = try c.value(.populations, d.populations)
        campaigns = try c.value(.campaigns, d.campaigns)
    }
}

extension OutputSpec: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = OutputSpec()
        timeFormat = try c.value(.timeFormat, d.timeFormat)
        promptText = try c.value(.promptText, d.promptText)
        geoEnrichment = try c.value(.geoEnrichment, d.geoEnrichment)
        tlsFingerprints = try c.value(.tlsFingerprints, d.tlsFingerprints)
        compressionLevel = try c.value(.compressionLevel, d.compressionLevel)
    }
}

extension ModelSpec: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ModelSpec()
        flagship = try c.value(.flagship, d.flagship)
        mini = try c.value(.mini, d.mini)
        embedding = try c.value(.embedding, d.embedding)
        newModel = try c.value(.newModel, d.newModel)
        newModelDay = try c.value(.newModelDay, d.newModelDay)
        benignAdoption = try c.value(.benignAdoption, d.benignAdoption)
    }
}

extension PopulationSpec: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PopulationSpec()
        kind = try c.value(.kind, d.kind)
        count = try c.value(.count, d.count)
        members = try c.value(.members, d.members)
        volume = try c.value(.volume, d.volume)
        volumeSigma = try c.value(.volumeSigma, d.volumeSigma)
        turns = try c.value(.turns, d.turns)
        ipv6Share = try c.value(.ipv6Share, d.ipv6Share)
        cotShare = try c.value(.cotShare, d.cotShare)
        countries = try c.value(.countries, d.countries)
    }
}

extension CampaignSpec: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CampaignSpec()
        id = try c.value(.id, d.id)
        style = try c.value(.style, d.style)
        mechanism = try c.value(.mechanism, d.mechanism)
        accounts = try c.value(.accounts, d.accounts)
        concurrent = try c.value(.concurrent, d.concurrent)
        rate = try c.value(.rate, d.rate)
        rateJitter = try c.value(.rateJitter, d.rateJitter)
        scheduling = try c.value(.scheduling, d.scheduling)
        startDay = try c.value(.startDay, d.startDay)
        days = try c.value(.days, d.days)
        diurnal = try c.value(.diurnal, d.diurnal)
        timezone = try c.value(.timezone, d.timezone)
        signup = try c.value(.signup, d.signup)
        signupBurstHours = try c.value(.signupBurstHours, d.signupBurstHours)
        cards = try c.value(.cards, d.cards)
        cardBatch = try c.value(.cardBatch, d.cardBatch)
        email = try c.value(.email, d.email)
        emailDomains = try c.value(.emailDomains, d.emailDomains)
        network = try c.value(.network, d.network)
        proxyPool = try c.value(.proxyPool, d.proxyPool)
        ipRotation = try c.value(.ipRotation, d.ipRotation)
        client = try c.value(.client, d.client)
        promptMix = try c.value(.promptMix, d.promptMix)
        cotShare = try c.value(.cotShare, d.cotShare)
        multiTurnShare = try c.value(.multiTurnShare, d.multiTurnShare)
        thinkingShare = try c.value(.thinkingShare, d.thinkingShare)
        maxTokens = try c.value(.maxTokens, d.maxTokens)
        temperature = try c.value(.temperature, d.temperature)
        modelSwitch = try c.value(.modelSwitch, d.modelSwitch)
        banAfterDays = try c.value(.banAfterDays, d.banAfterDays)
        endUsers = try c.value(.endUsers, d.endUsers)
        harvestShare = try c.value(.harvestShare, d.harvestShare)
        targetPrompts = try c.value(.targetPrompts, d.targetPrompts)
    }
}

extension Scenario {
    /// Reads a scenario from JSON (snake_case keys).
    public static func load(json data: Data) throws -> Scenario {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Scenario.self, from: data)
    }

    /// The scenario as pretty-printed JSON with snake_case keys (every key, defaults included).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
