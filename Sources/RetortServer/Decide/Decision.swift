/// The answer to a decision request.
public struct Decision: Sendable, Equatable {
    /// What the caller must do (always `allow` in shadow mode).
    public var action: DecisionAction
    /// What the policies decided, before shadow mode.
    public var policyAction: DecisionAction
    /// The policy that fired (`none` when nothing did).
    public var policy: String
    /// Why, strongest first; never prompt text.
    public var reasons: [String]
    public var shadow: Bool
    public var score: Double
    public var campaign: String?
    /// Seconds to wait, for throttling.
    public var retryAfterSeconds: Int?

    public init(
        action: DecisionAction, policyAction: DecisionAction, policy: String, reasons: [String], shadow: Bool,
        score: Double, campaign: String?, retryAfterSeconds: Int?
    ) {
        self.action = action
        self.policyAction = policyAction
        self.policy = policy
        self.reasons = reasons
        self.shadow = shadow
        self.score = score
        self.campaign = campaign
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The JSON answer of `POST /v1/decide`.
    public var json: JSONText {
        var fields: [(String, JSONText)] = [
            ("action", .string(action.rawValue)), ("policy", .string(policy)),
            ("reasons", .array(reasons.map { .string($0) })), ("shadow", .bool(shadow)),
            ("would_action", .string(policyAction.rawValue)), ("score", .double(score)),
            ("campaign", .opt(campaign)),
        ]
        if let r = retryAfterSeconds { fields.append(("retry_after_s", .int(r))) }
        return .object(fields)
    }
}
