import Foundation
import RetortCore

/// Maps an OTLP/HTTP JSON trace export (`ExportTraceServiceRequest`) to events, one per generative-AI span.
///
/// A span counts when it carries a `gen_ai.*` attribute. Field mapping (OpenTelemetry GenAI semantic
/// conventions, with the older `prompt_tokens`/`completion_tokens` names accepted):
/// `gen_ai.request.model` (else `gen_ai.response.model`) → model; `gen_ai.usage.input_tokens` → input_tokens;
/// `gen_ai.usage.output_tokens` → output_tokens; `gen_ai.usage.reasoning_tokens` → reasoning_tokens;
/// `gen_ai.request.max_tokens`, `gen_ai.request.temperature`, `gen_ai.request.top_p`,
/// `gen_ai.request.choice.count` → n; `gen_ai.conversation.id`; `gen_ai.operation.name` → endpoint;
/// `gen_ai.response.id` or trace+span id → request_id; `client.address` → ip; `user_agent.original`;
/// `http.response.status_code` → status; span start → ts; span duration → latency_ms.
public struct OTLPTraceMapper: Sendable {
    public struct Result: Sendable {
        public var events: [Event] = []
        /// Spans that were not generative-AI spans.
        public var skipped = 0
        /// Generative-AI spans that could not become events, with the reason.
        public var rejected: [String] = []
    }

    let accountAttributes: [String]

    public init(accountAttributes: [String]) {
        self.accountAttributes = accountAttributes
    }

    /// Maps a body; throws a 400 error when it is not an OTLP JSON trace export.
    public func map(_ body: [UInt8], defaultAccount: String?) throws(ServerError) -> Result {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw ServerError(.badRequest, "body is not valid JSON (OTLP/HTTP JSON expected)")
        }
        guard let top = root as? [String: Any], let resourceSpans = top["resourceSpans"] as? [Any] else {
            throw ServerError(.badRequest, "body has no 'resourceSpans' array (OTLP ExportTraceServiceRequest)")
        }
        var result = Result()
        for case let rs as [String: Any] in resourceSpans {
            let resourceAttrs = Self.attributes((rs["resource"] as? [String: Any])?["attributes"])
            for case let ss as [String: Any] in (rs["scopeSpans"] as? [Any]) ?? [] {
                for case let span as [String: Any] in (ss["spans"] as? [Any]) ?? [] {
                    let attrs = Self.attributes(span["attributes"])
                    guard attrs.keys.contains(where: { $0.hasPrefix("gen_ai.") }) else {
                        result.skipped += 1
                        continue
                    }
                    switch event(span: span, attrs: attrs, resource: resourceAttrs, defaultAccount: defaultAccount) {
                    case .success(let e): result.events.append(e)
                    case .failure(let error): result.rejected.append(error.message)
                    }
                }
            }
        }
        return result
    }

    private func event(
        span: [String: Any], attrs: [String: Any], resource: [String: Any], defaultAccount: String?
    ) -> Swift.Result<Event, ServerError> {
        let spanID = span["spanId"] as? String ?? ""
        let traceID = span["traceId"] as? String ?? ""
        var account: String?
        for key in accountAttributes {
            if let v = Self.string(attrs[key] ?? resource[key]), !v.isEmpty {
                account = v
                break
            }
        }
        guard let accountID = account ?? defaultAccount else {
            return .failure(
                ServerError(
                    .badRequest,
                    "span \(spanID): no account (attributes \(accountAttributes.joined(separator: ", ")) or header)"))
        }
        guard let startNanos = Self.int64(span["startTimeUnixNano"]) else {
            return .failure(ServerError(.badRequest, "span \(spanID): missing startTimeUnixNano"))
        }
        let requestID = Self.string(attrs["gen_ai.response.id"]) ?? (traceID + ":" + spanID)
        var e = Event(ts: startNanos / 1_000_000, accountID: accountID, requestID: requestID)
        e.model = Self.string(attrs["gen_ai.request.model"]) ?? Self.string(attrs["gen_ai.response.model"])
        e.inputTokens = Self.int(attrs["gen_ai.usage.input_tokens"] ?? attrs["gen_ai.usage.prompt_tokens"])
        e.outputTokens = Self.int(attrs["gen_ai.usage.output_tokens"] ?? attrs["gen_ai.usage.completion_tokens"])
        e.reasoningTokens = Self.int(attrs["gen_ai.usage.reasoning_tokens"])
        e.maxTokens = Self.int(attrs["gen_ai.request.max_tokens"])
        e.temperature = Self.double(attrs["gen_ai.request.temperature"])
        e.topP = Self.double(attrs["gen_ai.request.top_p"])
        e.n = Self.int(attrs["gen_ai.request.choice.count"])
        e.conversationID = Self.string(attrs["gen_ai.conversation.id"])
        e.endUserID = Self.string(attrs["gen_ai.request.user"])
        e.userAgent = Self.string(attrs["user_agent.original"])
        e.ip = Self.string(attrs["client.address"]).flatMap { IPAddress($0) }
        e.status = Self.int(attrs["http.response.status_code"])
        e.stream = Self.bool(attrs["gen_ai.request.stream"])
        e.orgID = Self.string(attrs["retort.org_id"])
        e.apiKeyID = Self.string(attrs["retort.api_key_id"])
        if let op = Self.string(attrs["gen_ai.operation.name"]) {
            switch op {
            case "chat": e.endpoint = "chat.completions"
            case "text_completion": e.endpoint = "completions"
            case "embeddings": e.endpoint = "embeddings"
            default: e.endpoint = op
            }
        }
        if let end = Self.int64(span["endTimeUnixNano"]), end >= startNanos {
            e.latencyMs = Int((end - startNanos) / 1_000_000)
        }
        return .success(e)
    }

    /// Flattens OTLP `KeyValue` lists into a dictionary of plain values.
    static func attributes(_ list: Any?) -> [String: Any] {
        var out: [String: Any] = [:]
        for case let kv as [String: Any] in (list as? [Any]) ?? [] {
            guard let key = kv["key"] as? String, let value = kv["value"] as? [String: Any] else { continue }
            if let v = value["stringValue"] {
                out[key] = v
            } else if let v = value["intValue"] {
                out[key] = v
            } else if let v = value["doubleValue"] {
                out[key] = v
            } else if let v = value["boolValue"] {
                out[key] = v
            } else if let arr = (value["arrayValue"] as? [String: Any])?["values"] as? [Any],
                let first = arr.first as? [String: Any], let s = first["stringValue"]
            {
                out[key] = s
            }
        }
        return out
    }

    static func string(_ v: Any?) -> String? {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        return nil
    }

    static func int64(_ v: Any?) -> Int64? {
        if let s = v as? String { return Int64(s) }
        if let n = v as? NSNumber { return n.int64Value }
        return nil
    }

    static func int(_ v: Any?) -> Int? { int64(v).map { Int($0) } }

    static func double(_ v: Any?) -> Double? {
        if let s = v as? String { return Double(s) }
        if let n = v as? NSNumber { return n.doubleValue }
        return nil
    }

    static func bool(_ v: Any?) -> Bool? {
        if let b = v as? Bool { return b }
        if let s = v as? String { return s == "true" ? true : (s == "false" ? false : nil) }
        return nil
    }
}
