import AsyncHTTPClient
import Logging
import Prometheus
import RetortCore

/// The parts of a running server, shared by its controllers and services.
public final class ServerState: Sendable {
    public let config: ServeConfig
    public let token: String
    public let engine: any RiskEngine
    public let store: SnapshotStore
    public let directory: AccountDirectory
    public let queue: IngestQueue
    public let metrics: ServerMetrics
    public let audit: AuditLog
    public let decider: Decider
    public let reclusterer: Reclusterer
    public let alerts: AlertChannel
    public let signups: SignupScorer
    public let httpClient: HTTPClient
    public let logger: Logger

    /// Assembles the parts; loads the accounts file when configured.
    public init(
        config: ServeConfig, token: String, engine: any RiskEngine, metrics: ServerMetrics = ServerMetrics(),
        httpClient: HTTPClient, logger: Logger
    ) throws(ServerError) {
        self.config = config
        self.token = token
        self.engine = engine
        self.metrics = metrics
        self.httpClient = httpClient
        self.logger = logger
        store = SnapshotStore()
        directory = AccountDirectory()
        queue = IngestQueue(capacity: config.queueCapacity)
        audit = try AuditLog(path: config.auditLog)
        alerts = AlertChannel()
        decider = Decider(
            evaluator: PolicyEvaluator(policy: config.policy), store: store, audit: audit, metrics: metrics,
            logger: logger)
        reclusterer = Reclusterer(
            engine: engine, store: store, directory: directory, alerts: alerts, metrics: metrics,
            alertMinScore: config.webhook.minScore, logger: logger)
        signups = SignupScorer(config: config.signups, allowOrgs: Set(config.policy.allowOrgs))
        if let path = config.accountsFile {
            var loaded: [Account] = []
            let reader = AccountReader()
            do {
                try reader.read(path: path) { loaded.append($0) }
            } catch {
                throw ServerError(.config, "accounts file \(path): \(error)")
            }
            addAccounts(loaded)
            logger.info("accounts loaded", metadata: ["retort.accounts": "\(loaded.count)", "retort.path": "\(path)"])
        }
    }

    /// Records an event seen in the request path (proxy, guardrail); counted when the queue is full.
    func record(_ event: Event) {
        switch queue.offer([event]) {
        case .full: metrics.eventsDropped.increment()
        case .accepted(let n, _): metrics.eventsIngested.increment(by: Int64(n))
        }
    }

    /// Adds account records to the directory and the engine.
    public func addAccounts(_ accounts: [Account]) {
        directory.add(accounts)
        engine.add(accounts)
    }
}
