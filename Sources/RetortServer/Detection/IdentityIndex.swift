import RetortCore

/// Identity values (cards, BINs, sign-up networks, e-mail shapes) of campaign members, to score new sign-ups.
public struct IdentityIndex: Sendable {
    /// Payment fingerprint → campaign.
    public var payments: [String: String] = [:]
    /// Card BIN → (campaign, members using it).
    public var cardBINs: [String: (campaign: String, count: Int)] = [:]
    /// Sign-up network key (/24 or /48) → (campaign, members).
    public var signupNetworks: [UInt64: (campaign: String, count: Int)] = [:]
    /// "domain|shape" of the e-mail local part → (campaign, members).
    public var emailShapes: [String: (campaign: String, count: Int)] = [:]

    public init() {}

    /// Builds the index from account records and campaign membership.
    public init(accounts: [String: Account], campaigns: [CampaignRisk]) {
        for c in campaigns {
            for id in c.accounts {
                guard let a = accounts[id] else { continue }
                if let p = a.paymentFingerprint { payments[p] = c.id }
                if let b = a.cardBIN { cardBINs[b, default: (c.id, 0)].count += 1 }
                if let ip = a.signupIP { signupNetworks[ip.networkKey, default: (c.id, 0)].count += 1 }
                if let local = a.emailLocal, let domain = a.emailDomain {
                    emailShapes[IdentityIndex.emailKey(domain: domain, local: local), default: (c.id, 0)].count += 1
                }
            }
        }
    }

    /// The shape of an e-mail local part: letters → `a`, digits → `9`, runs collapsed, with the domain.
    /// `john.smith1987` and `mary.jones2001` share `a.a9`.
    public static func emailKey(domain: String, local: String) -> String {
        var shape = ""
        var last: Character = " "
        for ch in local.lowercased() {
            let c: Character = ch.isLetter ? "a" : (ch.isNumber ? "9" : ch)
            if c != last || (c != "a" && c != "9") { shape.append(c) }
            last = c
        }
        return domain.lowercased() + "|" + shape
    }
}
