/// An account record as formats.md section 2 defines it. Every field but `accountID` is optional.
public struct Account: Sendable, Equatable {
    public var accountID: String
    /// Sign-up time in epoch milliseconds.
    public var createdAt: Int64?
    public var emailDomain: String?
    public var emailLocal: String?
    public var paymentFingerprint: String?
    public var cardBIN: String?
    public var signupIP: IPAddress?
    public var country: String?
    public var orgID: String?
    public var verified: Bool?
    public var tier: String?

    public init(accountID: String) {
        self.accountID = accountID
    }

    /// The field names of formats.md section 2.
    public static let fieldNames: [String] = [
        "account_id", "created_at", "email_domain", "email_local", "payment_fingerprint", "card_bin", "signup_ip",
        "country", "org_id", "verified", "tier",
    ]
}
