import Foundation
import RetortCore

/// The same record as ``Event``, decoded the way most Swift code would: a `Codable` struct and Foundation's
/// `JSONDecoder`, one line at a time. Used only to compare against the purpose-built ``EventDecoder``.
public struct CodableEvent: Decodable, Sendable {
    /// `ts` is an RFC 3339 string or epoch milliseconds (formats.md section 1).
    public enum Time: Decodable, Sendable {
        case millis(Int64)
        case text(String)

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Int64.self) {
                self = .millis(v)
            } else {
                self = .text(try c.decode(String.self))
            }
        }
    }

    public var ts: Time
    public var accountID: String
    public var requestID: String
    public var apiKeyID: String?
    public var orgID: String?
    public var endUserID: String?
    public var ip: String?
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

    enum CodingKeys: String, CodingKey {
        case ts
        case accountID = "account_id"
        case requestID = "request_id"
        case apiKeyID = "api_key_id"
        case orgID = "org_id"
        case endUserID = "end_user_id"
        case ip, asn, country
        case userAgent = "user_agent"
        case tlsFingerprint = "tls_fingerprint"
        case endpoint, model
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case reasoningTokens = "reasoning_tokens"
        case maxTokens = "max_tokens"
        case temperature
        case topP = "top_p"
        case n, logprobs
        case topLogprobs = "top_logprobs"
        case logitBiasSize = "logit_bias_size"
        case tools, thinking, stream, status
        case latencyMs = "latency_ms"
        case conversationID = "conversation_id"
        case turn, system, prompt
        case promptSHA256 = "prompt_sha256"
    }

    /// Converts to the engine's ``Event`` with the same checks the purpose-built decoder makes
    /// (time and IP parsed), so both paths do the same work.
    public func event() -> Event? {
        var e = Event(ts: 0, accountID: accountID, requestID: requestID)
        switch ts {
        case .millis(let v): e.ts = v
        case .text(let s):
            guard let v = Timestamp.parseRFC3339(s) else { return nil }
            e.ts = v
        }
        if let ip {
            guard let parsed = IPAddress(ip) else { return nil }
            e.ip = parsed
        }
        e.apiKeyID = apiKeyID
        e.orgID = orgID
        e.endUserID = endUserID
        e.asn = asn
        e.country = country
        e.userAgent = userAgent
        e.tlsFingerprint = tlsFingerprint
        e.endpoint = endpoint
        e.model = model
        e.inputTokens = inputTokens
        e.outputTokens = outputTokens
        e.reasoningTokens = reasoningTokens
        e.maxTokens = maxTokens
        e.temperature = temperature
        e.topP = topP
        e.n = n
        e.logprobs = logprobs
        e.topLogprobs = topLogprobs
        e.logitBiasSize = logitBiasSize
        e.tools = tools
        e.thinking = thinking
        e.stream = stream
        e.status = status
        e.latencyMs = latencyMs
        e.conversationID = conversationID
        e.turn = turn
        e.system = system
        e.prompt = prompt
        e.promptSHA256 = promptSHA256
        return e
    }
}

/// Decodes one line with Foundation, the comparison path.
public struct FoundationEventDecoder {
    let decoder = JSONDecoder()

    public init() {}

    public func decode(_ line: UnsafeBufferPointer<UInt8>) -> Event? {
        let data = Data(buffer: line)
        guard let c = try? decoder.decode(CodableEvent.self, from: data) else { return nil }
        return c.event()
    }
}
