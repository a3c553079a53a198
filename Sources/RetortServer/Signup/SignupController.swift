import Foundation
import Hummingbird
import Prometheus
import RetortCore

/// `POST /v1/signups/score`: risk of a new sign-up (reused cards, e-mail patterns, sign-up IPs, bursts).
struct SignupController {
    let state: ServerState

    func addRoutes(to group: RouterGroup<RetortRequestContext>) {
        group.post("signups/score", use: score)
    }

    @Sendable func score(_ request: Request, context: RetortRequestContext) async throws -> Response {
        let body = try await IngestController.collect(request, limit: 1 << 20)
        let r: SignupScorer.Request
        do {
            r = try JSONDecoder().decode(SignupScorer.Request.self, from: Data(body))
        } catch let error as DecodingError {
            throw ServerError(.badRequest, "sign-up request: \(ServerError.describe(error))")
        }
        if let ip = r.signupIP, IPAddress(ip) == nil {
            throw ServerError(.badRequest, "sign-up request: signup_ip is not an IPv4 or IPv6 address")
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let result = state.signups.score(r, snapshot: state.store.snapshot, now: now)
        state.metrics.signupsScored.increment()
        if let id = r.accountID {
            var a = Account(accountID: id)
            a.createdAt = r.createdAt.flatMap { Timestamp.parseRFC3339($0) } ?? now
            a.emailDomain = r.emailDomain
            a.emailLocal = r.emailLocal
            a.paymentFingerprint = r.paymentFingerprint
            a.cardBIN = r.cardBIN
            a.signupIP = r.signupIP.flatMap { IPAddress($0) }
            a.country = r.country
            a.orgID = r.orgID
            state.addAccounts([a])
        }
        return IngestController.json(.ok, result.json)
    }
}
