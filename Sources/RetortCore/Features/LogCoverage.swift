/// What a log records: how many of its requests carry each optional field that some behaviour signals are
/// built on. Only `ts`, `account_id` and `request_id` are required (formats, section 1); a provider that
/// does not log `turn`, the sampling parameters or the client leaves every account at zero on the signals
/// built on them, and a harvesting account then scores like a person on what is left. A field carried by
/// fewer than 1 request in 100 is taken as not recorded (``records(_:)``): the signals built on it measure
/// nothing in this log, and the behaviour score weighs those it can measure more (``evidenceScale(_:)``).
/// A field that is recorded but absent from an account's requests (a client that never sets `max_tokens`)
/// stays a measured zero for that account.
public struct LogCoverage: Sendable, Equatable {
    /// Requests counted.
    public var events = 0
    /// Requests carrying `turn`.
    public var turn = 0
    /// Requests carrying any sampling or reasoning parameter: `max_tokens`, `temperature`, `n`, `thinking`,
    /// `top_logprobs`, `logit_bias_size` or `reasoning_tokens`.
    public var parameters = 0
    /// Requests carrying `user_agent` or `tls_fingerprint`.
    public var client = 0
    /// Requests carrying `api_key_id`.
    public var apiKey = 0
    /// Requests carrying `ip`.
    public var ip = 0
    /// Requests carrying `status`.
    public var status = 0
    /// Requests whose prompt text was analysed (not `prompt_sha256` alone).
    public var text = 0
    /// Requests carrying prompt text or `prompt_sha256`.
    public var prompts = 0
    /// Whether any account record gives a sign-up time (`created_at`).
    public var signupTimes = true

    public init() {}

    /// Every field recorded (scale 1): nothing counted yet, which ``recorded(_:)`` takes as a complete log.
    public static let complete = LogCoverage()

    @inline(__always)
    mutating func note(_ e: UnsafePointer<CompactEvent>, _ a: PromptAnalysis) {
        events += 1
        if e.pointee.turn != nil { turn += 1 }
        if e.pointee.maxTokens != nil || e.pointee.temperature != nil || e.pointee.n != nil
            || e.pointee.thinking != nil || e.pointee.topLogprobs != nil || e.pointee.logitBiasSize != nil
            || e.pointee.reasoningTokens != nil
        {
            parameters += 1
        }
        if !e.pointee.present.isDisjoint(with: [.userAgent, .tlsFingerprint]) { client += 1 }
        if e.pointee.present.contains(.apiKeyID) { apiKey += 1 }
        if e.pointee.ip != nil { ip += 1 }
        if e.pointee.status != nil { status += 1 }
        if a.templateHash != 0 { text += 1 }
        if a.templateHash != 0 || a.exactHash != 0 { prompts += 1 }
    }

    /// A field carried by at least 1 request in 100 is recorded. An empty log counts as recording everything.
    func recorded(_ count: Int) -> Bool { events == 0 || count * 100 >= events }

    /// Whether this log can show the signal at all.
    public func records(_ s: BehaviourSignal) -> Bool {
        switch s {
        case .noDiurnalRest, .dutyCycle, .regularTiming, .templatedProduct: return true
        case .singleTurn: return recorded(turn)
        case .parameterFixity, .maxTokensCeiling, .multipleCompletions, .thinking, .apiExtraction:
            return recorded(parameters)
        case .clientChurn: return recorded(client)
        case .keyRotation: return recorded(apiKey)
        case .ipRotation: return recorded(ip)
        case .freshAccount: return signupTimes
        case .rateLimit: return recorded(status)
        case .reasoningElicitation: return recorded(text)
        // Distinct templates and coverage growth, over single-turn requests.
        case .datasetSweep: return recorded(prompts) && recorded(turn)
        }
    }

    /// The signals this log cannot show, in signal order.
    public var unrecordedSignals: [BehaviourSignal] { BehaviourSignal.allCases.filter { !records($0) } }

    /// The fields behind ``unrecordedSignals``, as readable names.
    public var unrecordedFields: [String] {
        var out: [String] = []
        if !recorded(turn) { out.append("turn") }
        if !recorded(parameters) { out.append("sampling parameters (max_tokens, temperature, n, thinking, logprobs)") }
        if !recorded(client) { out.append("user agent or TLS fingerprint") }
        if !recorded(apiKey) { out.append("API key") }
        if !recorded(ip) { out.append("IP address") }
        if !recorded(status) { out.append("HTTP status") }
        if !recorded(text) { out.append(recorded(prompts) ? "prompt text (hashes only)" : "prompts") }
        if !signupTimes { out.append("sign-up time") }
        return out
    }

    /// The factor on an account's behaviour sum (weight × signal): all positive signal weights over those of
    /// the signals this log records, at most `behaviour.unrecorded_scale_cap` (1 when everything is recorded).
    /// As if each signal the log cannot show were as strong, on average, as those it shows: a harvesting
    /// account still stands out by what is left, and an account that shows nothing still scores nothing.
    public func evidenceScale(_ c: DetectionConfig.Behaviour) -> Double {
        var all = 0.0
        var shown = 0.0
        for s in BehaviourSignal.allCases {
            let w = c.weights[s.name] ?? 0
            guard w > 0 else { continue }
            all += w
            if records(s) { shown += w }
        }
        guard shown > 0, all > shown else { return 1 }
        return min(max(1, c.unrecordedScaleCap), all / shown)
    }
}
