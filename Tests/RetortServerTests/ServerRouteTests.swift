import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import RetortServer

@Suite struct ServerRouteTests {
    static let token = "route-test-token"

    func withApp(
        policy: PolicyConfig = PolicyConfig(),
        _ body: @Sendable (any TestClientProtocol, ServerState) async throws -> Void
    ) async throws {
        var config = ServeConfig()
        config.auditLog =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("retort-audit-\(UUID().uuidString).jsonl").path
        config.policy = policy
        config.reclusterIntervalSeconds = 3600
        let client = RetortServe.makeHTTPClient()
        let state = try ServerState(
            config: config, token: Self.token, engine: BasicRiskEngine(), httpClient: client,
            logger: Logger(label: "test"))
        let app = buildApplication(state)
        try await app.test(.router) { c in try await body(c, state) }
        try? FileManager.default.removeItem(atPath: config.auditLog)
    }

    var auth: HTTPFields { [.authorization: "Bearer \(Self.token)", .contentType: "application/json"] }

    @Test func everyAPIRefusesMissingOrWrongTokens() async throws {
        try await withApp { client, _ in
            for (uri, method) in [
                ("/v1/decide", HTTPRequest.Method.post), ("/v1/events", .post), ("/metrics", .get),
                ("/v1/campaigns", .get), ("/beta/litellm_basic_guardrail_api", .post), ("/v1/signups/score", .post),
            ] {
                try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "{}")) { r in
                    #expect(r.status == .unauthorized, "\(uri)")
                }
                try await client.execute(
                    uri: uri, method: method, headers: [.authorization: "Bearer nope"], body: ByteBuffer(string: "{}")
                ) { r in
                    #expect(r.status == .unauthorized, "\(uri)")
                }
            }
            try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test func malformedDecideBodyIsA400NamingTheField() async throws {
        try await withApp { client, _ in
            try await client.execute(
                uri: "/v1/decide", method: .post, headers: auth, body: ByteBuffer(string: #"{"model": "m"}"#)
            ) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("account_id"))
            }
        }
    }

    @Test func ingestedCampaignIsBlockedAfterReclustering() async throws {
        try await withApp { client, state in
            var lines = ""
            for a in 0..<4 {
                for i in 0..<6 {
                    lines +=
                        #"{"ts": \#(1_700_000_000_000 + i), "account_id": "m\#(a)", "request_id": "m\#(a)-\#(i)", "#
                    let prompt = i % 2 == 0 ? "Explain theorem \(i + a) step by step" : "Prove lemma \(i * a) carefully"
                    lines += #""max_tokens": 4096, "prompt": "\#(prompt)"}"#
                    lines += "\n"
                }
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: auth, body: ByteBuffer(string: lines)) {
                r in
                #expect(r.status == .accepted)
                #expect(String(buffer: r.body).contains(#""accepted":24"#))
            }
            try await client.execute(uri: "/v1/recluster", method: .post, headers: auth) { r in
                #expect(String(buffer: r.body).contains(#""campaigns":1"#))
            }
            try await client.execute(
                uri: "/v1/decide", method: .post, headers: auth, body: ByteBuffer(string: #"{"account_id": "m2"}"#)
            ) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains(#""action":"block""#))
                #expect(String(buffer: r.body).contains(#""policy":"campaign""#))
            }
            try await client.execute(
                uri: "/beta/litellm_basic_guardrail_api", method: .post, headers: auth,
                body: ByteBuffer(
                    string:
                        #"{"input_type": "request", "request_data": {"user_api_key_end_user_id": "m1"}, "texts": []}"#)
            ) { r in
                #expect(String(buffer: r.body).contains(#""action":"BLOCKED""#))
            }
            try await client.execute(
                uri: "/beta/litellm_basic_guardrail_api", method: .post, headers: auth,
                body: ByteBuffer(
                    string: #"{"input_type": "request", "request_data": {"user_api_key_end_user_id": "fine"}}"#)
            ) { r in
                #expect(String(buffer: r.body) == #"{"action":"NONE"}"#)
            }
            let audit = try String(contentsOfFile: state.audit.path, encoding: .utf8)
            #expect(audit.split(separator: "\n").count == 3)
        }
    }
}
