import Foundation
import Logging
import Prometheus
import RetortCore

/// Takes decisions for the decide API, the proxy and the guardrail: evaluates policies against the current
/// snapshot, counts them, logs restrictive ones and appends every one to the audit log.
public final class Decider: Sendable {
    let evaluator: PolicyEvaluator
    let store: SnapshotStore
    let audit: AuditLog
    let metrics: ServerMetrics
    let logger: Logger

    init(evaluator: PolicyEvaluator, store: SnapshotStore, audit: AuditLog, metrics: ServerMetrics, logger: Logger) {
        self.evaluator = evaluator
        self.store = store
        self.audit = audit
        self.metrics = metrics
        self.logger = logger
    }

    /// Decides for one request; `source` is `decide`, `proxy` or `guardrail`.
    public func decide(_ request: DecisionRequest, source: String) -> Decision {
        let start = ContinuousClock.now
        let decision = evaluator.evaluate(request, snapshot: store.snapshot)
        metrics.decideSeconds.record(ContinuousClock.now - start)
        metrics.countDecision(source: source, action: decision.action)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        audit.append(
            .object([
                ("ts", .string(Timestamp.format(now))), ("source", .string(source)),
                ("account_id", .string(request.accountID)), ("request_id", .opt(request.requestID)),
                ("api_key_id", .opt(request.apiKeyID)), ("model", .opt(request.model)),
                ("action", .string(decision.action.rawValue)),
                ("policy_action", .string(decision.policyAction.rawValue)), ("policy", .string(decision.policy)),
                ("shadow", .bool(decision.shadow)), ("score", .double(decision.score)),
                ("campaign", .opt(decision.campaign)), ("reasons", .array(decision.reasons.map { .string($0) })),
            ]))
        if decision.policyAction != .allow {
            logger.info(
                decision.shadow ? "shadow decision (not enforced)" : "decision",
                metadata: [
                    "retort.account": "\(request.accountID)", "retort.action": "\(decision.policyAction.rawValue)",
                    "retort.policy": "\(decision.policy)", "retort.source": "\(source)",
                ])
        }
        return decision
    }
}
