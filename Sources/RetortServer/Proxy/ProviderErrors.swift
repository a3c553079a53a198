import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RetortCore

/// The API family a proxied route belongs to; errors use that family's shapes and headers.
enum Provider: Sendable {
    case openAI, anthropic

    /// A refusal in the provider's own error shape, with its rate-limit headers, so its SDKs raise their usual
    /// errors: throttle → 429 rate limit; token budget → 429 quota (not retried); verify/block → 403.
    func refusal(_ d: Decision, requestID: String) -> Response {
        let retryAfter = d.retryAfterSeconds ?? 0
        let reason = d.reasons.first ?? d.policy
        let status: HTTPResponse.Status
        let message: String
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("x-request-id")!] = requestID
        headers[HTTPField.Name("request-id")!] = requestID
        headers[HTTPField.Name("x-retort-policy")!] = d.policy
        var retryable = false
        switch d.action {
        case .throttle where d.policy == "campaign_token_budget":
            status = .tooManyRequests
            message = "You exceeded your current quota (\(reason))."
        case .throttle:
            status = .tooManyRequests
            message = "Rate limit reached; retry after \(retryAfter) s (\(reason))."
            retryable = true
        case .verify:
            status = .forbidden
            message = "Identity verification is required before this account can continue (\(reason))."
        case .block, .allow:
            status = .forbidden
            message = "This account is not permitted to make this request (\(reason))."
        }
        if status == .tooManyRequests {
            headers[.retryAfter] = String(max(retryAfter, 1))
        }
        headers[HTTPField.Name("x-should-retry")!] = retryable ? "true" : "false"
        let body: JSONText
        switch self {
        case .openAI:
            let (type, code): (String, String) =
                status == .forbidden
                ? ("permission_error", d.action == .verify ? "verification_required" : "account_blocked")
                : (retryable
                    ? ("rate_limit_exceeded", "rate_limit_exceeded") : ("insufficient_quota", "insufficient_quota"))
            if status == .tooManyRequests {
                headers[HTTPField.Name("x-ratelimit-limit-requests")!] = "0"
                headers[HTTPField.Name("x-ratelimit-remaining-requests")!] = "0"
                headers[HTTPField.Name("x-ratelimit-reset-requests")!] = "\(max(retryAfter, 1))s"
                headers[HTTPField.Name("x-ratelimit-limit-tokens")!] = "0"
                headers[HTTPField.Name("x-ratelimit-remaining-tokens")!] = "0"
                headers[HTTPField.Name("x-ratelimit-reset-tokens")!] = "\(max(retryAfter, 1))s"
            }
            body = .object([
                (
                    "error",
                    .object([
                        ("message", .string(message)), ("type", .string(type)), ("param", .null),
                        ("code", .string(code)),
                    ])
                )
            ])
        case .anthropic:
            if status == .tooManyRequests {
                let reset = Timestamp.format(
                    Int64(Date().timeIntervalSince1970 * 1000) + Int64(max(retryAfter, 1)) * 1000, fractional: false)
                headers[HTTPField.Name("anthropic-ratelimit-requests-limit")!] = "0"
                headers[HTTPField.Name("anthropic-ratelimit-requests-remaining")!] = "0"
                headers[HTTPField.Name("anthropic-ratelimit-requests-reset")!] = reset
                headers[HTTPField.Name("anthropic-ratelimit-tokens-remaining")!] = "0"
                headers[HTTPField.Name("anthropic-ratelimit-tokens-reset")!] = reset
            }
            let type = status == .forbidden ? "permission_error" : "rate_limit_error"
            body = .object([
                ("type", .string("error")),
                ("error", .object([("type", .string(type)), ("message", .string(message))])),
            ])
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.rendered)))
    }

    /// An error of the proxy itself (bad body, no credentials, upstream down) in the provider's shape.
    func error(_ status: HTTPResponse.Status, type: String, message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("x-should-retry")!] = "false"
        let body: JSONText
        switch self {
        case .openAI:
            body = .object([
                (
                    "error",
                    .object([
                        ("message", .string(message)), ("type", .string(type)), ("param", .null),
                        ("code", .string(type)),
                    ])
                )
            ])
        case .anthropic:
            body = .object([
                ("type", .string("error")),
                ("error", .object([("type", .string(type)), ("message", .string(message))])),
            ])
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.rendered)))
    }
}
