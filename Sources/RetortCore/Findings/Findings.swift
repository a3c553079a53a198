/// The investigation's output, exactly formats.md section 4 (`findings.json`).
public struct Findings: Codable, Sendable, Equatable {
    public struct Window: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
    }

    public struct Input: Codable, Sendable, Equatable {
        public var events: Int
        public var badRecords: Int
        public var duplicates: Int
        public var accounts: Int

        enum CodingKeys: String, CodingKey {
            case events
            case badRecords = "bad_records"
            case duplicates
            case accounts
        }
    }

    public struct Estimate: Codable, Sendable, Equatable {
        public var value: Int
        public var low: Int
        public var high: Int
    }

    public struct Signal: Codable, Sendable, Equatable {
        public var name: String
        public var strength: Double
        public var detail: String
    }

    public struct Campaign: Codable, Sendable, Equatable {
        public var id: String
        public var accounts: [String]
        public var exchanges: Int
        public var exchangesEstimate: Estimate
        public var inputTokens: Int
        public var outputTokens: Int
        public var firstSeen: String
        public var lastSeen: String
        public var score: Double
        public var capabilities: [String: Double]
        public var signals: [Signal]

        enum CodingKeys: String, CodingKey {
            case id
            case accounts
            case exchanges
            case exchangesEstimate = "exchanges_estimate"
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
            case score
            case capabilities
            case signals
        }
    }

    public struct AccountFinding: Codable, Sendable, Equatable {
        public var accountID: String
        public var score: Double
        public var campaign: String?
        public var reasons: [String]

        enum CodingKeys: String, CodingKey {
            case accountID = "account_id"
            case score
            case campaign
            case reasons
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(accountID, forKey: .accountID)
            try c.encode(score, forKey: .score)
            try c.encode(campaign, forKey: .campaign)  // explicit null for non-members
            try c.encode(reasons, forKey: .reasons)
        }
    }

    public var schemaVersion: Int = 1
    public var generatedAt: String
    public var window: Window
    public var input: Input
    public var campaigns: [Campaign]
    public var accounts: [AccountFinding]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case generatedAt = "generated_at"
        case window
        case input
        case campaigns
        case accounts
    }
}
