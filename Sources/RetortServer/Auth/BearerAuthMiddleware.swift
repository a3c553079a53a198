import HTTPTypes
import Hummingbird

/// Refuses (401) any request without `Authorization: Bearer <token>` (or `x-api-key: <token>`, which LiteLLM's
/// guardrail client sends). Comparison takes constant time.
public struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    public init(token: String) {
        self.token = Array(token.utf8)
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let presented = Self.presentedToken(request.headers), Self.equal(Array(presented.utf8), token) else {
            throw ServerError(.unauthorized, "missing or wrong bearer token")
        }
        return try await next(request, context)
    }

    static func presentedToken(_ headers: HTTPFields) -> String? {
        if let auth = headers[.authorization] {
            let parts = auth.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
        }
        if let key = headers[HTTPField.Name("x-api-key")!] { return key }
        return nil
    }

    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
