/// One API request ("exchange") as formats.md section 1 defines it.
///
/// Only `ts`, `accountID` and `requestID` are required; every other field is optional and `nil`
/// when the input line did not carry it. Times are epoch milliseconds (UTC).
public struct Event: Sendable, Equatable {
    /// When the request arrived, in milliseconds since 1970-01-01T00:00:00Z.
    public var ts: Int64
    public var accountID: String
    public var requestID: String
    public var apiKeyID: String?
    public var orgID: String?
    public var endUserID: String?
    public var ip: IPAddress?
    public var asn: Int?
    public var country: String?
    public var userAgent: String?
    public var tlsFingerprint: String?
    public var endpoint: String?
    public var model: String?
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var reasoningTokens: Int?
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var n: Int?
    public var logprobs: Bool?
    public var topLogprobs: Int?
    public var logitBiasSize: Int?
    public var tools: Int?
    public var thinking: Bool?
    public var stream: Bool?
    public var status: Int?
    public var latencyMs: Int?
    public var conversationID: String?
    public var turn: Int?
    public var system: String?
    public var prompt: String?
    public var promptSHA256: String?

    public init(ts: Int64, accountID: String, requestID: String) {
        self.ts = ts
        self.accountID = accountID
        self.requestID = requestID
    }
}

extension Event {
    /// The JSON field names of formats.md section 1, in the order the table lists them.
    public static let fieldNames: [String] = [
        "ts", "account_id", "request_id", "api_key_id", "org_id", "end_user_id", "ip", "asn", "country",
        "user_agent", "tls_fingerprint", "endpoint", "model", "input_tokens", "output_tokens", "reasoning_tokens",
        "max_tokens", "temperature", "top_p", "n", "logprobs", "top_logprobs", "logit_bias_size", "tools",
        "thinking", "stream", "status", "latency_ms", "conversation_id", "turn", "system", "prompt",
        "prompt_sha256",
    ]
}
