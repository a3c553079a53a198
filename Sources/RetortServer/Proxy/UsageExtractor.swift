import Foundation

/// Reads token usage from a provider response: a JSON body, or the `usage` objects in SSE `data:` lines.
enum UsageExtractor {
    struct Usage: Equatable {
        var input: Int?
        var output: Int?
        var reasoning: Int?
    }

    static func extract(_ body: [UInt8], streamed: Bool) -> Usage {
        var u = Usage()
        if !streamed {
            if let o = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] { merge(o, into: &u) }
            return u
        }
        let text = String(decoding: body, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("data:") {
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard payload.first == "{", payload.contains("usage"),
                let o = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
            else { continue }
            merge(o, into: &u)
        }
        return u
    }

    static func merge(_ o: [String: Any], into u: inout Usage) {
        var usage = o["usage"] as? [String: Any]
        if usage == nil, let m = o["message"] as? [String: Any] { usage = m["usage"] as? [String: Any] }
        if usage == nil, let r = o["response"] as? [String: Any] { usage = r["usage"] as? [String: Any] }
        guard let usage else { return }
        if let v = (usage["prompt_tokens"] ?? usage["input_tokens"]) as? Int { u.input = v }
        if let v = (usage["completion_tokens"] ?? usage["output_tokens"]) as? Int { u.output = v }
        let details = (usage["completion_tokens_details"] ?? usage["output_tokens_details"]) as? [String: Any]
        if let v = details?["reasoning_tokens"] as? Int { u.reasoning = v }
    }
}
