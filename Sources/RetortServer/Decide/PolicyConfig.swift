/// Decision policies (`policy` in the config file). Evaluated in a fixed order, documented in docs/serve.md:
/// allowlist, deny list, throttle list, campaign, token budget, score thresholds.
public struct PolicyConfig: Codable, Sendable, Equatable {
    /// Log what would have been decided, but always answer `allow`.
    public var shadowMode: Bool = false
    /// Organisations whose accounts are never restricted (verified customers).
    public var allowOrgs: [String] = []
    /// Accounts never restricted.
    public var allowAccounts: [String] = []
    /// Accounts always blocked (manual action).
    public var denyAccounts: [String] = []
    /// Accounts always throttled (manual action while an investigation runs).
    public var throttleAccounts: [String] = []
    /// Per-account score thresholds; the strictest reached applies.
    public var throttleScore: Double = 0.5
    public var verifyScore: Double = 0.7
    public var blockScore: Double = 0.9
    /// Campaign membership: members of a campaign scoring at least `campaign_min_score` get `campaign_action`.
    public var campaignMinScore: Double = 0.6
    public var campaignAction: DecisionAction = .block
    /// Cluster-wide output+input token budget per campaign over the snapshot window; exceeding it gives
    /// `budget_action`. `nil` disables the budget.
    public var campaignTokenBudget: Int? = 5_000_000
    public var budgetAction: DecisionAction = .throttle
    /// Seconds a throttled client is told to wait.
    public var throttleRetryAfterSeconds: Int = 30

    public init() {}

    enum CodingKeys: String, CodingKey {
        case shadowMode = "shadow_mode"
        case allowOrgs = "allow_orgs"
        case allowAccounts = "allow_accounts"
        case denyAccounts = "deny_accounts"
        case throttleAccounts = "throttle_accounts"
        case throttleScore = "throttle_score"
        case verifyScore = "verify_score"
        case blockScore = "block_score"
        case campaignMinScore = "campaign_min_score"
        case campaignAction = "campaign_action"
        case campaignTokenBudget = "campaign_token_budget"
        case budgetAction = "budget_action"
        case throttleRetryAfterSeconds = "throttle_retry_after_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PolicyConfig()
        shadowMode = try c.decodeIfPresent(Bool.self, forKey: .shadowMode) ?? d.shadowMode
        allowOrgs = try c.decodeIfPresent([String].self, forKey: .allowOrgs) ?? d.allowOrgs
        allowAccounts = try c.decodeIfPresent([String].self, forKey: .allowAccounts) ?? d.allowAccounts
        denyAccounts = try c.decodeIfPresent([String].self, forKey: .denyAccounts) ?? d.denyAccounts
        throttleAccounts = try c.decodeIfPresent([String].self, forKey: .throttleAccounts) ?? d.throttleAccounts
        throttleScore = try c.decodeIfPresent(Double.self, forKey: .throttleScore) ?? d.throttleScore
        verifyScore = try c.decodeIfPresent(Double.self, forKey: .verifyScore) ?? d.verifyScore
        blockScore = try c.decodeIfPresent(Double.self, forKey: .blockScore) ?? d.blockScore
        campaignMinScore = try c.decodeIfPresent(Double.self, forKey: .campaignMinScore) ?? d.campaignMinScore
        campaignAction = try c.decodeIfPresent(DecisionAction.self, forKey: .campaignAction) ?? d.campaignAction
        if c.contains(.campaignTokenBudget) {
            campaignTokenBudget = try c.decodeIfPresent(Int.self, forKey: .campaignTokenBudget)
        }
        budgetAction = try c.decodeIfPresent(DecisionAction.self, forKey: .budgetAction) ?? d.budgetAction
        throttleRetryAfterSeconds =
            try c.decodeIfPresent(Int.self, forKey: .throttleRetryAfterSeconds) ?? d.throttleRetryAfterSeconds
    }
}
