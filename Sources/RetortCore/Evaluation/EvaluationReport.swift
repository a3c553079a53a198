/// How findings compare with ground truth.
public struct EvaluationReport: Sendable, Codable, Equatable {
    public struct Scores: Sendable, Codable, Equatable {
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int
        public var precision: Double {
            truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : 1
        }
        public var recall: Double {
            truePositives + falseNegatives > 0 ? Double(truePositives) / Double(truePositives + falseNegatives) : 1
        }
        public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }
    }

    /// One true campaign: how many of its accounts were found, and by how many found campaigns.
    public struct TrueCampaign: Sendable, Codable, Equatable {
        public var campaign: String
        public var kind: String?
        public var accounts: Int
        public var found: Int
        /// Found campaigns holding its accounts.
        public var foundIn: Int
        public var recall: Double { accounts > 0 ? Double(found) / Double(accounts) : 1 }
    }

    /// One benign population.
    public struct BenignKind: Sendable, Codable, Equatable {
        public var kind: String
        public var accounts: Int
        public var falsePositives: Int
        public var rate: Double { accounts > 0 ? Double(falsePositives) / Double(accounts) : 0 }
    }

    /// One found campaign.
    public struct FoundCampaign: Sendable, Codable, Equatable {
        public var id: String
        public var accounts: Int
        /// Share of its accounts from its dominant true campaign.
        public var purity: Double
        public var dominant: String?
        /// No member belongs to any true campaign.
        public var wholeFalse: Bool
        /// The most common benign kind among its members, when it is wholly false.
        public var benignKind: String?
        public var exchanges: Int
        public var estimate: Int
        /// True harvesting exchanges of its members, where the truth gives them for every member.
        public var trueHarvest: Int?
        public var estimateLow: Int
        public var estimateHigh: Int
    }

    public var overall: Scores
    public var campaigns: [TrueCampaign]
    public var benign: [BenignKind]
    public var found: [FoundCampaign]
    /// Benign accounts placed in campaigns over all benign accounts.
    public var benignFalsePositiveRate: Double
    public var wholeFalseCampaigns: Int
    /// Mean account-weighted purity of found campaigns.
    public var meanPurity: Double
    /// Relative error of harvesting-exchange estimates where the truth gives harvest counts.
    public var harvestRelativeError: Double?
}
