import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import RetortCore

/// OpenAI-compatible (`/v1/chat/completions`, `/v1/completions`, `/v1/responses`) and Anthropic-compatible
/// (`/v1/messages`) reverse proxy: decides, refuses in the provider's own shape, or forwards to the upstream and
/// streams its answer back unchanged; every request becomes an event.
struct ProxyController {
    let state: ServerState

    static let routes: [(path: String, endpoint: String, provider: Provider)] = [
        ("/v1/chat/completions", "chat.completions", .openAI),
        ("/v1/completions", "completions", .openAI),
        ("/v1/responses", "responses", .openAI),
        ("/v1/messages", "messages", .anthropic),
    ]

    /// Request headers not forwarded upstream.
    static let dropRequestHeaders: Set<String> = [
        "host", "content-length", "connection", "transfer-encoding", "keep-alive", "x-retort-token", "te",
        "upgrade", "proxy-connection",
    ]
    /// Response headers not copied back (the server frames the body itself).
    static let dropResponseHeaders: Set<String> = [
        "connection", "transfer-encoding", "content-length", "keep-alive", "date", "server",
    ]

    func addRoutes(to router: Router<RetortRequestContext>) {
        for r in Self.routes {
            let endpoint = r.endpoint, provider = r.provider
            router.post(RouterPath(r.path)) { request, context in
                try await proxy(request, context: context, endpoint: endpoint, provider: provider)
            }
        }
    }

    func proxy(
        _ request: Request, context: RetortRequestContext, endpoint: String, provider: Provider
    ) async throws -> Response {
        let start = ContinuousClock.now
        let cfg = state.config.proxy
        let body: [UInt8]
        do {
            body = try await IngestController.collect(request, limit: state.config.maxBodyBytes)
        } catch let e as ServerError {
            return provider.error(.contentTooLarge, type: "invalid_request_error", message: e.message)
        }
        let key = BearerAuthMiddleware<RetortRequestContext>.presentedToken(request.headers)
        var account = key.flatMap { cfg.keyAccounts[$0] }
        if account == nil, let name = HTTPField.Name(cfg.accountHeader), let named = request.headers[name],
            let presented = request.headers[HTTPField.Name("x-retort-token")!],
            BearerAuthMiddleware<RetortRequestContext>.equal(Array(presented.utf8), Array(state.token.utf8))
        {
            account = named
        }
        guard let account else {
            return provider.error(
                .unauthorized, type: provider == .openAI ? "invalid_api_key" : "authentication_error",
                message: "Unknown API key.")
        }
        let info: ProviderRequestInfo
        do {
            info = try ProviderRequestInfo.parse(body)
        } catch {
            return provider.error(.badRequest, type: "invalid_request_error", message: error.message)
        }
        let requestID = request.headers[HTTPField.Name("x-request-id")!] ?? Self.newRequestID()
        let apiKeyID = key.map { "key_" + String(Hash64.string($0), radix: 16) }
        let forwarded = request.headers[HTTPField.Name("x-forwarded-for")!]?.split(separator: ",").first
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let ip = forwarded ?? context.peerIP
        var decisionRequest = DecisionRequest(accountID: account)
        decisionRequest.requestID = requestID
        decisionRequest.apiKeyID = apiKeyID
        decisionRequest.ip = ip
        decisionRequest.userAgent = request.headers[.userAgent]
        decisionRequest.endpoint = endpoint
        decisionRequest.model = info.model
        decisionRequest.maxTokens = info.maxTokens
        decisionRequest.stream = info.stream
        decisionRequest.endUserID = info.endUserID
        let decision = state.decider.decide(decisionRequest, source: "proxy")

        var event = Event(ts: Int64(Date().timeIntervalSince1970 * 1000), accountID: account, requestID: requestID)
        info.apply(to: &event)
        event.apiKeyID = apiKeyID
        event.ip = ip.flatMap { IPAddress($0) }
        event.userAgent = decisionRequest.userAgent
        event.endpoint = endpoint
        if decision.action != .allow {
            let response = provider.refusal(decision, requestID: requestID)
            event.status = Int(response.status.code)
            state.record(event)
            state.metrics.countProxied(endpoint: endpoint, status: event.status, blocked: true)
            return response
        }
        guard let upstream = cfg.upstream else {
            return provider.error(.badGateway, type: "api_error", message: "No upstream configured.")
        }
        var outbound = HTTPClientRequest(url: Self.join(upstream, request.uri.path, query: request.uri.query))
        outbound.method = .POST
        for field in request.headers where !Self.dropRequestHeaders.contains(field.name.canonicalName) {
            if field.name.canonicalName == cfg.accountHeader.lowercased() { continue }
            if cfg.upstreamKey != nil, field.name == .authorization || field.name.canonicalName == "x-api-key" {
                continue
            }
            outbound.headers.add(name: field.name.rawName, value: field.value)
        }
        if let upstreamKey = cfg.upstreamKey {
            if provider == .anthropic {
                outbound.headers.add(name: "x-api-key", value: upstreamKey)
            } else {
                outbound.headers.add(name: "authorization", value: "Bearer \(upstreamKey)")
            }
        }
        outbound.body = .bytes(ByteBuffer(bytes: body))
        let upstreamResponse: HTTPClientResponse
        do {
            upstreamResponse = try await state.httpClient.execute(
                outbound, timeout: .seconds(Int64(cfg.timeoutSeconds)))
        } catch {
            state.logger.warning("upstream failed", metadata: ["retort.error": "\(error)"])
            event.status = 502
            state.record(event)
            state.metrics.countProxied(endpoint: endpoint, status: 502, blocked: false)
            return provider.error(.badGateway, type: "api_error", message: "Upstream unavailable.")
        }
        state.metrics.upstreamSeconds.record(ContinuousClock.now - start)
        var headers = HTTPFields()
        for h in upstreamResponse.headers where !Self.dropResponseHeaders.contains(h.name.lowercased()) {
            if let name = HTTPField.Name(h.name) { headers.append(HTTPField(name: name, value: h.value)) }
        }
        let status = Int(upstreamResponse.status.code)
        let contentLength = upstreamResponse.headers.first(name: "content-length").flatMap { Int($0) }
        let streamed =
            info.stream || (upstreamResponse.headers.first(name: "content-type") ?? "").contains("event-stream")
        let upstreamBody = upstreamResponse.body
        let state = self.state
        let finalEvent = event
        let responseBody = ResponseBody(contentLength: contentLength) { writer in
            var tap: [UInt8] = []
            let tapLimit = 4 << 20
            for try await buffer in upstreamBody {
                if tap.count < tapLimit { tap.append(contentsOf: buffer.readableBytesView) }
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
            var e = finalEvent
            let usage = UsageExtractor.extract(tap, streamed: streamed)
            e.inputTokens = usage.input
            e.outputTokens = usage.output
            e.reasoningTokens = usage.reasoning
            e.status = status
            e.latencyMs =
                Int((ContinuousClock.now - start).components.seconds * 1000)
                + Int((ContinuousClock.now - start).components.attoseconds / 1_000_000_000_000_000)
            state.record(e)
            state.metrics.countProxied(endpoint: endpoint, status: status, blocked: false)
        }
        return Response(status: .init(code: status), headers: headers, body: responseBody)
    }

    static func join(_ base: String, _ path: String, query: String?) -> String {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        var p = path
        if b.hasSuffix("/v1"), p.hasPrefix("/v1/") { p.removeFirst(3) }
        return b + p + (query.map { $0.isEmpty ? "" : "?" + $0 } ?? "")
    }

    static func newRequestID() -> String {
        "req_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }
}
