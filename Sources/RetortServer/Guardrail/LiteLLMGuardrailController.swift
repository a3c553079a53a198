import Foundation
import Hummingbird
import RetortCore

/// LiteLLM's generic guardrail HTTP API (`guardrail: generic_guardrail_api`): LiteLLM POSTs each request to
/// `{api_base}/beta/litellm_basic_guardrail_api` with `input_type`, `request_data` (the caller's
/// `user_api_key_*` identity), `request_headers`, `model`, `texts`, `litellm_call_id`; the answer is
/// `{"action": "BLOCKED", "blocked_reason": ...}` or `{"action": "NONE"}`.
struct LiteLLMGuardrailController {
    let state: ServerState

    func addRoutes(to group: RouterGroup<RetortRequestContext>) {
        group.post("litellm_basic_guardrail_api", use: guardrail)
    }

    @Sendable func guardrail(_ request: Request, context: RetortRequestContext) async throws -> Response {
        let body = try await IngestController.collect(request, limit: state.config.maxBodyBytes)
        guard let o = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw ServerError(.badRequest, "guardrail request: body is not a JSON object")
        }
        guard let inputType = o["input_type"] as? String else {
            throw ServerError(.badRequest, "guardrail request: missing field 'input_type'")
        }
        guard inputType == "request" else {
            return IngestController.json(.ok, .object([("action", .string("NONE"))]))
        }
        let data = o["request_data"] as? [String: Any] ?? [:]
        let headers = o["request_headers"] as? [String: Any] ?? [:]
        var account: String?
        for field in state.config.guardrail.accountFields {
            if let v = data[field] as? String, !v.isEmpty, !state.config.guardrail.ignoreValues.contains(v) {
                account = v
                break
            }
        }
        guard let account else {
            return IngestController.json(.ok, .object([("action", .string("NONE"))]))
        }
        let callID = o["litellm_call_id"] as? String ?? ProxyController.newRequestID()
        var r = DecisionRequest(accountID: account)
        r.requestID = callID
        r.model = o["model"] as? String
        r.apiKeyID = data["user_api_key_hash"] as? String
        r.orgID = data["user_api_key_org_id"] as? String
        r.userAgent = headers["user-agent"] as? String
        r.endUserID = data["user_api_key_end_user_id"] as? String
        let decision = state.decider.decide(r, source: "guardrail")
        if state.config.guardrail.recordEvents {
            var e = Event(ts: Int64(Date().timeIntervalSince1970 * 1000), accountID: account, requestID: callID)
            e.model = r.model
            e.apiKeyID = r.apiKeyID
            e.orgID = r.orgID
            e.userAgent = r.userAgent
            e.endUserID = r.endUserID
            e.conversationID = o["litellm_trace_id"] as? String
            e.prompt = (o["texts"] as? [String])?.last
            e.status = decision.action == .allow ? nil : 403
            state.record(e)
        }
        if state.config.guardrail.blockOn.contains(decision.action.rawValue) {
            let reason =
                "Retort \(decision.action.rawValue) (\(decision.policy)): "
                + decision.reasons.prefix(2).joined(separator: "; ")
            return IngestController.json(
                .ok, .object([("action", .string("BLOCKED")), ("blocked_reason", .string(reason))]))
        }
        return IngestController.json(.ok, .object([("action", .string("NONE"))]))
    }
}
