/// One line of a ground-truth file (formats.md section 3).
public struct TruthRecord: Sendable, Equatable, Codable {
    public var accountID: String
    /// Campaign label; `nil` for an account listed only to give its benign `kind`.
    public var campaign: String?
    /// Population, for example `benign-enterprise` or `campaign-hydra`.
    public var kind: String?

    public init(accountID: String, campaign: String?, kind: String? = nil) {
        self.accountID = accountID
        self.campaign = campaign
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case campaign
        case kind
    }
}
