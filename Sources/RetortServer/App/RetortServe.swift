import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import RetortCore

/// Entry point used by `retort serve`: sets up logging and metrics, assembles the server and runs it until
/// SIGINT/SIGTERM, then shuts down gracefully (drains the ingest queue, re-clusters, writes state, closes logs).
public enum RetortServe {
    /// Runs the server. Throws a `ServerError` when the configuration is unusable.
    public static func run(config: ServeConfig, logLevel: Logger.Level) async throws {
        guard let token = config.effectiveToken() else {
            throw ServerError(.config, "no API token: set 'token' in the config file or the RETORT_TOKEN variable")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        var logger = Logger(label: "retort.serve")
        logger.logLevel = logLevel
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let client = makeHTTPClient()
        let state: ServerState
        do {
            state = try ServerState(
                config: config, token: token, engine: try makeEngine(config),
                metrics: ServerMetrics(registry: registry),
                httpClient: client, logger: logger)
        } catch {
            try? await client.shutdown()
            throw error
        }
        logger.info(
            "retort serve starting",
            metadata: [
                "retort.address": "\(config.host):\(config.port)", "retort.upstream": "\(config.proxy.upstream ?? "-")",
                "retort.shadow": "\(config.policy.shadowMode)",
            ])
        let app = buildApplication(state)
        try await app.runService()
    }

    /// The HTTP client for the upstream and webhooks: no redirects followed, no decompression (bytes pass
    /// through unchanged).
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)))
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The detection engine the configuration names.
    public static func makeEngine(_ config: ServeConfig) throws(ServerError) -> any RiskEngine {
        if config.engine == "basic" { return BasicRiskEngine() }
        guard let path = config.detectionConfig else { return InvestigationEngine() }
        do {
            return InvestigationEngine(config: try DetectionConfig.load(path: path))
        } catch {
            throw ServerError(.config, "detection config \(path): \(error)")
        }
    }
}
