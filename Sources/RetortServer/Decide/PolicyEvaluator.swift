/// Applies the configured policies to a request against a snapshot. Pure and allocation-light: the hot path.
///
/// Order: allowlists (account, then organisation) → deny list → throttle list → campaign membership → campaign token
/// budget → per-account score thresholds. The first policy that restricts wins, except that a later one
/// may only make the answer stricter (campaign block beats budget throttle).
public struct PolicyEvaluator: Sendable {
    let policy: PolicyConfig
    let allowAccounts: Set<String>
    let allowOrgs: Set<String>
    let denyAccounts: Set<String>
    let throttleAccounts: Set<String>

    public init(policy: PolicyConfig) {
        self.policy = policy
        allowAccounts = Set(policy.allowAccounts)
        allowOrgs = Set(policy.allowOrgs)
        denyAccounts = Set(policy.denyAccounts)
        throttleAccounts = Set(policy.throttleAccounts)
    }

    public func evaluate(_ r: DecisionRequest, snapshot: RiskSnapshot) -> Decision {
        let risk = snapshot.accounts[r.accountID]
        let score = risk?.score ?? 0
        let campaignID = risk?.campaignID
        func done(_ action: DecisionAction, _ name: String, _ reasons: [String]) -> Decision {
            let effective = policy.shadowMode ? .allow : action
            return Decision(
                action: effective, policyAction: action, policy: name, reasons: reasons, shadow: policy.shadowMode,
                score: score, campaign: campaignID,
                retryAfterSeconds: effective == .throttle ? policy.throttleRetryAfterSeconds : nil)
        }
        if allowAccounts.contains(r.accountID) {
            return done(.allow, "allow_accounts", ["account is on the allowlist"])
        }
        let org = r.orgID ?? snapshot.accountOrgs[r.accountID]
        if let org, allowOrgs.contains(org) {
            return done(.allow, "allow_orgs", ["organisation \(org) is on the allowlist"])
        }
        if denyAccounts.contains(r.accountID) {
            return done(.block, "deny_accounts", ["account is on the deny list"])
        }
        var best: (DecisionAction, String, [String]) = (.allow, "none", [])
        if throttleAccounts.contains(r.accountID) {
            best = (.throttle, "throttle_accounts", ["account is on the throttle list"])
        }
        if let campaignID, let c = snapshot.campaigns[campaignID] {
            if c.score >= policy.campaignMinScore, policy.campaignAction > best.0 {
                var reasons = [
                    "member of campaign \(c.id) (score \(Self.fmt(c.score)), \(c.accounts.count) accounts)"
                ]
                reasons += c.signals.prefix(3)
                best = (policy.campaignAction, "campaign", reasons)
            }
            if let budget = policy.campaignTokenBudget, c.totalTokens > budget, policy.budgetAction > best.0 {
                best = (
                    policy.budgetAction, "campaign_token_budget",
                    ["campaign \(c.id) used \(c.totalTokens) tokens, budget \(budget)"]
                )
            }
        }
        let byScore: DecisionAction =
            score >= policy.blockScore
            ? .block : score >= policy.verifyScore ? .verify : score >= policy.throttleScore ? .throttle : .allow
        if byScore > best.0 {
            best = (byScore, "score_\(byScore.rawValue)", ["account score \(Self.fmt(score))"] + (risk?.reasons ?? []))
        }
        return done(best.0, best.1, best.2)
    }

    static func fmt(_ x: Double) -> String {
        let v = (x * 100).rounded() / 100
        return String(v)
    }
}
