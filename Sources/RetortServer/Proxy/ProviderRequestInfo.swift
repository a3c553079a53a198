import Foundation
import RetortCore

/// What the proxy reads from an OpenAI- or Anthropic-shaped request body to log an event.
struct ProviderRequestInfo: Sendable {
    var model: String?
    var maxTokens: Int?
    var temperature: Double?
    var topP: Double?
    var n: Int?
    var logprobs: Bool?
    var topLogprobs: Int?
    var logitBiasSize: Int?
    var tools: Int?
    var thinking: Bool?
    var stream = false
    var endUserID: String?
    var system: String?
    var prompt: String?
    var turn: Int?

    /// Parses a body; throws when it is not a JSON object.
    static func parse(_ body: [UInt8]) throws(ServerError) -> ProviderRequestInfo {
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw ServerError(.badRequest, "request body is not valid JSON")
        }
        guard let o = any as? [String: Any] else {
            throw ServerError(.badRequest, "request body must be a JSON object")
        }
        var i = ProviderRequestInfo()
        i.model = o["model"] as? String
        i.maxTokens = (o["max_tokens"] ?? o["max_completion_tokens"] ?? o["max_output_tokens"]) as? Int
        i.temperature = (o["temperature"] as? NSNumber)?.doubleValue
        i.topP = (o["top_p"] as? NSNumber)?.doubleValue
        i.n = o["n"] as? Int
        i.logprobs = o["logprobs"] as? Bool
        i.topLogprobs = o["top_logprobs"] as? Int
        i.logitBiasSize = (o["logit_bias"] as? [String: Any])?.count
        i.tools = (o["tools"] as? [Any])?.count
        if let t = o["thinking"] as? [String: Any] {
            i.thinking = (t["type"] as? String) != "disabled"
        } else if o["reasoning_effort"] != nil || o["reasoning"] != nil {
            i.thinking = true
        }
        i.stream = o["stream"] as? Bool ?? false
        i.endUserID =
            (o["safety_identifier"] ?? o["user"]) as? String
            ?? (o["metadata"] as? [String: Any])?["user_id"] as? String
        if let s = o["system"] as? String { i.system = s }
        var userTurns = 0
        var lastUser: String?
        for case let m as [String: Any] in (o["messages"] as? [Any]) ?? [] {
            let role = m["role"] as? String
            let text = Self.text(m["content"])
            if role == "user" {
                userTurns += 1
                lastUser = text
            } else if role == "system" || role == "developer", i.system == nil {
                i.system = text
            }
        }
        if let p = o["prompt"] as? String { lastUser = p }
        if let input = o["input"] {
            if let s = input as? String {
                lastUser = s
                userTurns = max(userTurns, 1)
            } else if let items = input as? [Any] {
                for case let m as [String: Any] in items where (m["role"] as? String) == "user" {
                    userTurns += 1
                    lastUser = Self.text(m["content"])
                }
            }
        }
        if let s = o["instructions"] as? String, i.system == nil { i.system = s }
        i.prompt = lastUser
        i.turn = userTurns > 0 ? userTurns : nil
        return i
    }

    /// Text of a message content: a string or the text parts of a list.
    static func text(_ content: Any?) -> String? {
        if let s = content as? String { return s }
        guard let parts = content as? [Any] else { return nil }
        let texts = parts.compactMap { ($0 as? [String: Any])?["text"] as? String }
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    /// Fills an event with the request's fields.
    func apply(to e: inout Event) {
        e.model = model
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
        e.endUserID = endUserID
        e.system = system
        e.prompt = prompt
        e.turn = turn
    }
}
