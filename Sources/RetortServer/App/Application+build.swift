import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the `retort serve` application from a configuration: router, engine, and the services that run
/// beside the HTTP server (ingest drain, periodic re-clustering, alert webhooks, HTTP client shutdown).
///
/// - Parameters:
///   - state: the assembled server parts (see ``ServerState``).
public func buildApplication(_ state: ServerState) -> some ApplicationProtocol {
    let ready = ReadyFlag()
    state.reclusterer.run()
    ready.set()
    let router = buildRouter(state, ready: ready)
    let webhook = WebhookService(
        alerts: state.alerts, url: state.config.webhook.url,
        signer: (ProcessInfoSecret.webhookSecret ?? state.config.webhook.secret).map { WebhookSigner(secret: $0) },
        client: state.httpClient, metrics: state.metrics, logger: state.logger)
    let recluster = ReclusterService(
        reclusterer: state.reclusterer, interval: .milliseconds(Int64(state.config.reclusterIntervalSeconds * 1000)),
        stateDir: state.config.stateDir, logger: state.logger)
    let ingest = IngestService(queue: state.queue, engine: state.engine, metrics: state.metrics, logger: state.logger)
    let finisher = FinisherService(state: state)
    // Graceful shutdown runs in reverse order: HTTP server, ingest drain, last re-clustering, alerts, close-out.
    return Application(
        router: router,
        configuration: .init(address: .hostname(state.config.host, port: state.config.port), serverName: "retort"),
        services: [finisher, webhook, recluster, ingest],
        logger: state.logger
    )
}

/// Routes: public health/readiness, the authenticated API under `/v1`, the guardrail under `/beta`, and the
/// provider-compatible proxy routes (authenticated by the client's API key instead).
func buildRouter(_ state: ServerState, ready: ReadyFlag) -> Router<RetortRequestContext> {
    let router = Router(context: RetortRequestContext.self)
    let auth = BearerAuthMiddleware<RetortRequestContext>(token: state.token)
    let ops = OpsController(state: state, ready: ready)
    ops.addPublicRoutes(to: router)
    let api = router.group("v1").add(middleware: auth)
    IngestController(state: state).addRoutes(to: api)
    DecideController(state: state).addRoutes(to: api)
    SignupController(state: state).addRoutes(to: api)
    ops.addRoutes(to: api, metricsGroup: router.group().add(middleware: auth))
    LiteLLMGuardrailController(state: state).addRoutes(to: router.group("beta").add(middleware: auth))
    ProxyController(state: state).addRoutes(to: router)
    return router
}

/// Last to stop: syncs the audit log and shuts the HTTP client down.
struct FinisherService: Service {
    let state: ServerState

    func run() async throws {
        try? await gracefulShutdown()
        state.audit.close()
        try? await state.httpClient.shutdown()
        state.logger.info("audit log closed", metadata: ["retort.path": "\(state.audit.path)"])
    }
}

enum ProcessInfoSecret {
    static var webhookSecret: String? {
        ProcessInfo.processInfo.environment["RETORT_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
