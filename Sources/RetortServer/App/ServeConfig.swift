import Foundation

/// Configuration of `retort serve`, read from a JSON file (see `config/serve.json` and docs/serve.md).
///
/// Every field has a default, so an empty object `{}` is a valid configuration.
public struct ServeConfig: Codable, Sendable, Equatable {
    /// Address to bind; keep `127.0.0.1` unless a front proxy terminates TLS.
    public var host: String = "127.0.0.1"
    /// TCP port to listen on.
    public var port: Int = 8700
    /// Bearer token every API call must present. Overridden by the environment variable `RETORT_TOKEN`.
    public var token: String?
    /// Where decisions are appended, one JSON object per line.
    public var auditLog: String = "retort-audit.jsonl"
    /// Directory where the final snapshot is written on shutdown (optional).
    public var stateDir: String?
    /// Accounts file (formats.md section 2) loaded at start (optional).
    public var accountsFile: String?
    /// Detection engine: `investigation` (the full detector, default) or `basic` (shared templates and cards).
    public var engine: String = "investigation"
    /// Detection thresholds and weights file (see docs/detection.md); defaults when absent.
    public var detectionConfig: String?
    /// Ingest queue capacity in events; beyond it `POST /v1/events` answers 429.
    public var queueCapacity: Int = 200_000
    /// Seconds a client is told to wait when the ingest queue is full.
    public var queueRetryAfterSeconds: Int = 1
    /// Seconds between re-clusterings.
    public var reclusterIntervalSeconds: Double = 30
    /// Largest accepted request body, bytes.
    public var maxBodyBytes: Int = 64 * 1024 * 1024
    /// Decision policies.
    public var policy: PolicyConfig = PolicyConfig()
    /// Reverse-proxy settings.
    public var proxy: ProxyConfig = ProxyConfig()
    /// OTLP receiver settings.
    public var otlp: OTLPConfig = OTLPConfig()
    /// LiteLLM guardrail settings.
    public var guardrail: GuardrailConfig = GuardrailConfig()
    /// Campaign alert webhooks.
    public var webhook: WebhookConfig = WebhookConfig()
    /// Sign-up scoring thresholds.
    public var signups: SignupConfig = SignupConfig()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case host, port, token, policy, proxy, otlp, guardrail, webhook, signups, engine
        case detectionConfig = "detection_config"
        case auditLog = "audit_log"
        case stateDir = "state_dir"
        case accountsFile = "accounts_file"
        case queueCapacity = "queue_capacity"
        case queueRetryAfterSeconds = "queue_retry_after_seconds"
        case reclusterIntervalSeconds = "recluster_interval_seconds"
        case maxBodyBytes = "max_body_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ServeConfig.defaults
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? d.host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? d.port
        token = try c.decodeIfPresent(String.self, forKey: .token)
        auditLog = try c.decodeIfPresent(String.self, forKey: .auditLog) ?? d.auditLog
        stateDir = try c.decodeIfPresent(String.self, forKey: .stateDir)
        accountsFile = try c.decodeIfPresent(String.self, forKey: .accountsFile)
        queueCapacity = try c.decodeIfPresent(Int.self, forKey: .queueCapacity) ?? d.queueCapacity
        engine = try c.decodeIfPresent(String.self, forKey: .engine) ?? d.engine
        guard engine == "investigation" || engine == "basic" else {
            throw DecodingError.dataCorruptedError(
                forKey: .engine, in: c, debugDescription: "engine must be 'investigation' or 'basic'")
        }
        detectionConfig = try c.decodeIfPresent(String.self, forKey: .detectionConfig)
        queueRetryAfterSeconds =
            try c.decodeIfPresent(Int.self, forKey: .queueRetryAfterSeconds) ?? d.queueRetryAfterSeconds
        reclusterIntervalSeconds =
            try c.decodeIfPresent(Double.self, forKey: .reclusterIntervalSeconds) ?? d.reclusterIntervalSeconds
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? d.maxBodyBytes
        policy = try c.decodeIfPresent(PolicyConfig.self, forKey: .policy) ?? d.policy
        proxy = try c.decodeIfPresent(ProxyConfig.self, forKey: .proxy) ?? d.proxy
        otlp = try c.decodeIfPresent(OTLPConfig.self, forKey: .otlp) ?? d.otlp
        guardrail = try c.decodeIfPresent(GuardrailConfig.self, forKey: .guardrail) ?? d.guardrail
        webhook = try c.decodeIfPresent(WebhookConfig.self, forKey: .webhook) ?? d.webhook
        signups = try c.decodeIfPresent(SignupConfig.self, forKey: .signups) ?? d.signups
    }

    static let defaults = ServeConfig()
}

/// Reverse-proxy settings (`proxy` in the config file).
public struct ProxyConfig: Codable, Sendable, Equatable {
    /// Base URL of the upstream provider, e.g. `https://api.openai.com` (paths are appended unchanged).
    public var upstream: String?
    /// Map from a client's API key (bearer or `x-api-key`) to its account id.
    public var keyAccounts: [String: String] = [:]
    /// Header carrying the account id when the key is not in `key_accounts` (set by a trusted gateway).
    public var accountHeader: String = "x-retort-account"
    /// Key sent upstream instead of the client's key (optional; otherwise the client's auth is forwarded).
    public var upstreamKey: String?
    /// Upstream timeout, seconds.
    public var timeoutSeconds: Int = 600

    public init() {}

    enum CodingKeys: String, CodingKey {
        case upstream
        case keyAccounts = "key_accounts"
        case accountHeader = "account_header"
        case upstreamKey = "upstream_key"
        case timeoutSeconds = "timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        upstream = try c.decodeIfPresent(String.self, forKey: .upstream)
        keyAccounts = try c.decodeIfPresent([String: String].self, forKey: .keyAccounts) ?? [:]
        accountHeader = try c.decodeIfPresent(String.self, forKey: .accountHeader) ?? "x-retort-account"
        upstreamKey = try c.decodeIfPresent(String.self, forKey: .upstreamKey)
        timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 600
    }
}

/// OTLP receiver settings (`otlp` in the config file).
public struct OTLPConfig: Codable, Sendable, Equatable {
    /// Span (then resource) attributes tried in order for the account id.
    public var accountAttributes: [String] = ["retort.account_id", "enduser.id", "user.id", "gen_ai.user.id"]
    /// Header naming the account for every span of a request, when no attribute carries it.
    public var accountHeader: String = "x-retort-account"

    public init() {}

    enum CodingKeys: String, CodingKey {
        case accountAttributes = "account_attributes"
        case accountHeader = "account_header"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = OTLPConfig()
        accountAttributes = try c.decodeIfPresent([String].self, forKey: .accountAttributes) ?? d.accountAttributes
        accountHeader = try c.decodeIfPresent(String.self, forKey: .accountHeader) ?? d.accountHeader
    }
}

/// LiteLLM generic guardrail settings (`guardrail` in the config file).
public struct GuardrailConfig: Codable, Sendable, Equatable {
    /// `request_data` fields of LiteLLM's guardrail call tried in order for the account id.
    public var accountFields: [String] = [
        "user_api_key_user_id", "user_api_key_team_id", "user_api_key_end_user_id", "user_api_key_org_id",
    ]
    /// Values that identify nobody (LiteLLM's master-key user) and are skipped.
    public var ignoreValues: [String] = ["default_user_id", "litellm-proxy-master-key"]
    /// Decisions that make the guardrail answer `BLOCKED` (the others pass).
    public var blockOn: [String] = ["block", "verify", "throttle"]
    /// Whether guardrail calls are also recorded as events.
    public var recordEvents: Bool = true

    public init() {}

    enum CodingKeys: String, CodingKey {
        case accountFields = "account_fields"
        case ignoreValues = "ignore_values"
        case blockOn = "block_on"
        case recordEvents = "record_events"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GuardrailConfig()
        accountFields = try c.decodeIfPresent([String].self, forKey: .accountFields) ?? d.accountFields
        ignoreValues = try c.decodeIfPresent([String].self, forKey: .ignoreValues) ?? d.ignoreValues
        blockOn = try c.decodeIfPresent([String].self, forKey: .blockOn) ?? d.blockOn
        recordEvents = try c.decodeIfPresent(Bool.self, forKey: .recordEvents) ?? d.recordEvents
    }
}

/// Campaign alert delivery (`webhook` in the config file), following Standard Webhooks.
public struct WebhookConfig: Codable, Sendable, Equatable {
    /// Where alerts are POSTed; no alerts are sent when absent.
    public var url: String?
    /// Signing secret, `whsec_<base64>` (or env `RETORT_WEBHOOK_SECRET`).
    public var secret: String?
    /// Only campaigns at or above this score are alerted.
    public var minScore: Double = 0.5

    public init() {}

    enum CodingKeys: String, CodingKey {
        case url, secret
        case minScore = "min_score"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        secret = try c.decodeIfPresent(String.self, forKey: .secret)
        minScore = try c.decodeIfPresent(Double.self, forKey: .minScore) ?? 0.5
    }
}

/// Sign-up scoring thresholds (`signups` in the config file).
public struct SignupConfig: Codable, Sendable, Equatable {
    /// Score at or above which a sign-up should go through stricter identity checks.
    public var verifyAt: Double = 0.4
    /// Score at or above which a sign-up should be refused.
    public var blockAt: Double = 0.85
    /// Window for sign-up bursts, seconds.
    public var burstWindowSeconds: Int = 3600
    /// Sign-ups from one network (/24 or /48) within the window that count as a burst.
    public var burstCount: Int = 5

    public init() {}

    enum CodingKeys: String, CodingKey {
        case verifyAt = "verify_at"
        case blockAt = "block_at"
        case burstWindowSeconds = "burst_window_seconds"
        case burstCount = "burst_count"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SignupConfig()
        verifyAt = try c.decodeIfPresent(Double.self, forKey: .verifyAt) ?? d.verifyAt
        blockAt = try c.decodeIfPresent(Double.self, forKey: .blockAt) ?? d.blockAt
        burstWindowSeconds = try c.decodeIfPresent(Int.self, forKey: .burstWindowSeconds) ?? d.burstWindowSeconds
        burstCount = try c.decodeIfPresent(Int.self, forKey: .burstCount) ?? d.burstCount
    }
}
