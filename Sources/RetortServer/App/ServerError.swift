import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error of the server area: a code, a message safe to show (never secrets or prompt text) and an HTTP status.
public struct ServerError: Error, Sendable, CustomStringConvertible, HTTPResponseError {
    /// What went wrong, by area.
    public enum Code: String, Sendable {
        case config, badRequest = "bad_request", unauthorized, notFound = "not_found", overloaded
        case upstream, unsupportedMediaType = "unsupported_media_type", tooLarge = "too_large", io
    }

    public var code: Code
    public var message: String
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public var status: HTTPResponse.Status {
        switch code {
        case .config, .io: .internalServerError
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .overloaded: .tooManyRequests
        case .upstream: .badGateway
        case .unsupportedMediaType: .unsupportedMediaType
        case .tooLarge: .contentTooLarge
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let r = retryAfterSeconds { headers[.retryAfter] = String(r) }
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        let body = JSONText.object([
            ("error", .object([("code", .string(code.rawValue)), ("message", .string(message))]))
        ])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.rendered)))
    }

    /// A readable one-line description of a `DecodingError` (path and problem).
    static func describe(_ error: DecodingError) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.isEmpty ? "top level" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c): return "invalid JSON at \(path(c.codingPath)): \(c.debugDescription)"
        case .keyNotFound(let k, let c): return "missing field '\(k.stringValue)' at \(path(c.codingPath))"
        case .typeMismatch(let t, let c): return "wrong type at \(path(c.codingPath)), expected \(t)"
        case .valueNotFound(let t, let c): return "null at \(path(c.codingPath)), expected \(t)"
        @unknown default: return "\(error)"
        }
    }
}
