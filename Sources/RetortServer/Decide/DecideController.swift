import Foundation
import HTTPTypes
import Hummingbird

/// `POST /v1/decide`: a request's metadata in, `allow | throttle | verify | block` out.
struct DecideController {
    let state: ServerState

    func addRoutes(to group: RouterGroup<RetortRequestContext>) {
        group.post("decide", use: decide)
    }

    @Sendable func decide(_ request: Request, context: RetortRequestContext) async throws -> Response {
        let body = try await IngestController.collect(request, limit: 1 << 20)
        let r: DecisionRequest
        do {
            r = try JSONDecoder().decode(DecisionRequest.self, from: Data(body))
        } catch let error as DecodingError {
            throw ServerError(.badRequest, "decide request: \(ServerError.describe(error))")
        }
        guard !r.accountID.isEmpty else { throw ServerError(.badRequest, "decide request: account_id is empty") }
        let decision = state.decider.decide(r, source: "decide")
        return IngestController.json(.ok, decision.json)
    }
}
