import Foundation
import RetortCore
import Synchronization

/// Scores a new sign-up against the identity values of known campaigns and recent sign-up bursts.
public final class SignupScorer: Sendable {
    /// A sign-up's fields (formats.md section 2 names).
    public struct Request: Sendable, Codable {
        public var accountID: String?
        public var createdAt: String?
        public var emailDomain: String?
        public var emailLocal: String?
        public var paymentFingerprint: String?
        public var cardBIN: String?
        public var signupIP: String?
        public var country: String?
        public var orgID: String?

        enum CodingKeys: String, CodingKey {
            case country
            case accountID = "account_id"
            case createdAt = "created_at"
            case emailDomain = "email_domain"
            case emailLocal = "email_local"
            case paymentFingerprint = "payment_fingerprint"
            case cardBIN = "card_bin"
            case signupIP = "signup_ip"
            case orgID = "org_id"
        }
    }

    /// The score with its reasons.
    public struct Result: Sendable {
        public var score: Double
        public var action: DecisionAction
        public var campaign: String?
        public var reasons: [String]

        var json: JSONText {
            .object([
                ("score", .double((score * 1000).rounded() / 1000)), ("action", .string(action.rawValue)),
                ("campaign", .opt(campaign)), ("reasons", .array(reasons.map { .string($0) })),
            ])
        }
    }

    let config: SignupConfig
    let allowOrgs: Set<String>
    /// Network key → recent sign-up times (ms).
    private let recent = Mutex<[UInt64: [Int64]]>([:])

    init(config: SignupConfig, allowOrgs: Set<String>) {
        self.config = config
        self.allowOrgs = allowOrgs
    }

    /// Scores one sign-up and remembers it for burst detection. `now` is epoch ms.
    public func score(_ r: Request, snapshot: RiskSnapshot, now: Int64) -> Result {
        if let org = r.orgID, allowOrgs.contains(org) {
            return Result(score: 0, action: .allow, campaign: nil, reasons: ["organisation \(org) is on the allowlist"])
        }
        let idx = snapshot.identity
        var parts: [(Double, String, String?)] = []
        if let p = r.paymentFingerprint, let c = idx.payments[p] {
            parts.append((0.9, "payment instrument already used by campaign \(c)", c))
        }
        if let b = r.cardBIN, let hit = idx.cardBINs[b], hit.count >= 2 {
            parts.append(
                (0.35, "card BIN \(b) used by \(hit.count) accounts of campaign \(hit.campaign)", hit.campaign))
        }
        let ip = r.signupIP.flatMap { IPAddress($0) }
        if let ip, let hit = idx.signupNetworks[ip.networkKey], hit.count >= 2 {
            parts.append(
                (
                    0.5,
                    "sign-up network \(ip.network)/\(ip.networkPrefixLength) used by \(hit.count) accounts of "
                        + "campaign \(hit.campaign)", hit.campaign
                ))
        }
        if let d = r.emailDomain, let l = r.emailLocal,
            let hit = idx.emailShapes[IdentityIndex.emailKey(domain: d, local: l)], hit.count >= 3
        {
            parts.append(
                (0.4, "e-mail pattern matches \(hit.count) accounts of campaign \(hit.campaign)", hit.campaign))
        }
        let at = r.createdAt.flatMap { Timestamp.parseRFC3339($0) } ?? now
        if let ip {
            let window = Int64(config.burstWindowSeconds) * 1000
            let n = recent.withLock { m -> Int in
                var list = m[ip.networkKey, default: []].filter { at - $0 < window && $0 <= at }
                list.append(at)
                m[ip.networkKey] = list
                return list.count
            }
            if n >= config.burstCount {
                parts.append(
                    (
                        0.4,
                        "\(n) sign-ups from \(ip.network)/\(ip.networkPrefixLength) within "
                            + "\(config.burstWindowSeconds / 60) min", nil
                    ))
            }
        }
        var keep = 1.0
        for p in parts { keep *= 1 - p.0 }
        let score = 1 - keep
        let action: DecisionAction = score >= config.blockAt ? .block : score >= config.verifyAt ? .verify : .allow
        let sorted = parts.sorted { $0.0 > $1.0 }
        return Result(
            score: score, action: action, campaign: sorted.first(where: { $0.2 != nil })?.2,
            reasons: sorted.map(\.1))
    }
}
