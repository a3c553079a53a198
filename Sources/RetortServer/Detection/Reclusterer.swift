import Foundation
import Logging
import NIOPosix
import Prometheus
import RetortCore
import Synchronization

/// Re-clusters the engine's state, publishes a new snapshot and raises alerts for new campaigns.
public final class Reclusterer: Sendable {
    let engine: any RiskEngine
    let store: SnapshotStore
    let directory: AccountDirectory
    let alerts: AlertChannel
    let metrics: ServerMetrics
    let alertMinScore: Double
    let logger: Logger
    /// Campaign id → member count last alerted.
    private let alerted = Mutex<[String: Int]>([:])
    private let running = Mutex(false)

    init(
        engine: any RiskEngine, store: SnapshotStore, directory: AccountDirectory, alerts: AlertChannel,
        metrics: ServerMetrics, alertMinScore: Double, logger: Logger
    ) {
        self.engine = engine
        self.store = store
        self.directory = directory
        self.alerts = alerts
        self.metrics = metrics
        self.alertMinScore = alertMinScore
        self.logger = logger
    }

    /// Runs one re-clustering on the blocking-work thread pool (so request handling keeps its threads) and
    /// publishes its snapshot.
    @discardableResult
    public func runOffloaded() async throws -> RiskSnapshot {
        try await NIOThreadPool.singleton.runIfActive { self.run() }
    }

    /// Runs one re-clustering and publishes its snapshot. Returns the snapshot.
    @discardableResult
    public func run() -> RiskSnapshot {
        let start = ContinuousClock.now
        let result = engine.recluster()
        let records = directory.all
        var orgs: [String: String] = [:]
        for (id, a) in records { if let o = a.orgID { orgs[id] = o } }
        var campaigns: [String: CampaignRisk] = [:]
        for c in result.campaigns { campaigns[c.id] = c }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let snapshot = RiskSnapshot(
            generatedAt: now, accounts: result.accounts, campaigns: campaigns, accountOrgs: orgs,
            identity: IdentityIndex(accounts: records, campaigns: result.campaigns), events: result.events)
        store.publish(snapshot)
        metrics.campaigns.set(Double(campaigns.count))
        metrics.flaggedAccounts.set(Double(result.accounts.count))
        metrics.reclusterSeconds.record(ContinuousClock.now - start)
        let fresh = alerted.withLock { seen -> [CampaignRisk] in
            var out: [CampaignRisk] = []
            for c in result.campaigns where c.score >= alertMinScore {
                if let n = seen[c.id], n >= c.accounts.count { continue }
                seen[c.id] = c.accounts.count
                out.append(c)
            }
            return out
        }
        for c in fresh {
            logger.notice(
                "campaign detected",
                metadata: [
                    "retort.campaign": "\(c.id)", "retort.accounts": "\(c.accounts.count)",
                    "retort.score": "\(c.score)",
                ])
            alerts.send(CampaignAlert(campaign: c, at: now))
        }
        logger.info(
            "re-clustered",
            metadata: [
                "retort.events": "\(result.events)", "retort.campaigns": "\(campaigns.count)",
                "retort.elapsed": "\(ContinuousClock.now - start)",
            ])
        return snapshot
    }
}
