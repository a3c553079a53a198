/// One account's standing in a snapshot.
public struct AccountRisk: Sendable, Equatable {
    /// Suspicion in [0, 1].
    public var score: Double
    /// Campaign the account belongs to, if any.
    public var campaignID: String?
    /// Short human-readable reasons, strongest first.
    public var reasons: [String]

    public init(score: Double, campaignID: String? = nil, reasons: [String] = []) {
        self.score = score
        self.campaignID = campaignID
        self.reasons = reasons
    }
}

/// One campaign's standing in a snapshot.
public struct CampaignRisk: Sendable, Equatable {
    public var id: String
    public var score: Double
    /// Member account ids, sorted.
    public var accounts: [String]
    public var exchanges: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// Signal summaries (name: detail), strongest first; never prompt text.
    public var signals: [String]

    public init(
        id: String, score: Double, accounts: [String], exchanges: Int, inputTokens: Int, outputTokens: Int,
        signals: [String]
    ) {
        self.id = id
        self.score = score
        self.accounts = accounts
        self.exchanges = exchanges
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.signals = signals
    }

    /// Tokens the campaign took in the window (input + output).
    public var totalTokens: Int { inputTokens + outputTokens }
}

/// What a re-clustering produced: the engine's view of accounts and campaigns.
public struct EngineResult: Sendable {
    public var accounts: [String: AccountRisk]
    public var campaigns: [CampaignRisk]
    /// Events seen so far.
    public var events: Int

    public init(accounts: [String: AccountRisk], campaigns: [CampaignRisk], events: Int) {
        self.accounts = accounts
        self.campaigns = campaigns
        self.events = events
    }
}

/// An immutable view read by the decision hot path. Replaced as a whole after each re-clustering.
public final class RiskSnapshot: Sendable {
    /// When it was built, epoch ms.
    public let generatedAt: Int64
    public let accounts: [String: AccountRisk]
    public let campaigns: [String: CampaignRisk]
    /// Organisation of each known account (from account records), for allowlists.
    public let accountOrgs: [String: String]
    /// Identity values of campaign members, for sign-up scoring.
    public let identity: IdentityIndex
    public let events: Int

    public init(
        generatedAt: Int64, accounts: [String: AccountRisk], campaigns: [String: CampaignRisk],
        accountOrgs: [String: String] = [:], identity: IdentityIndex = IdentityIndex(), events: Int = 0
    ) {
        self.generatedAt = generatedAt
        self.accounts = accounts
        self.campaigns = campaigns
        self.accountOrgs = accountOrgs
        self.identity = identity
        self.events = events
    }

    /// The empty snapshot served before the first re-clustering.
    public static let empty = RiskSnapshot(generatedAt: 0, accounts: [:], campaigns: [:])
}
