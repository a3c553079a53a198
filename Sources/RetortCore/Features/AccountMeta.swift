/// The identity facts of an account record (formats.md section 2) that detection links on, hashed.
public struct AccountMeta: Sendable, Equatable {
    public var createdAt: Int64?
    public var payment: UInt64 = 0
    public var cardBIN: UInt64 = 0
    public var signupIP: UInt64 = 0
    /// The sign-up IP's /24 (IPv4) or /48 (IPv6) network, hashed.
    public var signupNetwork: UInt64 = 0
    public var emailPattern: UInt64 = 0
    public var emailDomain: UInt64 = 0
    public var orgID: String?
    public var verified = false
    public var tier: String?

    public init(_ a: Account) {
        createdAt = a.createdAt
        if let p = a.paymentFingerprint, !p.isEmpty { payment = Hash64.string(p, seed: 0x706179) | 1 }
        if let b = a.cardBIN, !b.isEmpty { cardBIN = Hash64.string(b, seed: 0x62696e) | 1 }
        if let ip = a.signupIP {
            signupIP = Hash64.mix(ip.high ^ Hash64.mix(ip.low ^ 0x7369)) | 1
            signupNetwork = Hash64.mix(ip.networkKey ^ 0x736e_6574) | 1
        }
        if let local = a.emailLocal, !local.isEmpty {
            let shape = Self.emailShape(local)
            emailPattern = Hash64.string(shape + "@" + (a.emailDomain ?? "").lowercased(), seed: 0x656d) | 1
        }
        if let d = a.emailDomain { emailDomain = Hash64.string(d.lowercased()) }
        orgID = a.orgID.flatMap { $0.isEmpty ? nil : $0 }
        verified = a.verified ?? false
        tier = a.tier
    }

    /// The shape of an e-mail local part: `L` upper, `l` lower, `0` digit, other bytes kept; runs of one
    /// class longer than 4 are cut to 4 plus `+` (so `John.Smith1984` → `Llll+.Llll+0000`).
    public static func emailShape(_ local: String) -> String {
        var text = local
        // ASCII without CR (so one byte is one character): the same classes by byte, without the Unicode
        // property lookups of `Character` (half a second over the 494,745 seed-scale account records).
        let ascii = text.withUTF8 { b -> String? in
            guard !b.contains(where: { $0 >= 0x80 || $0 == 0x0D }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(min(b.count + 1, 33))
            let classes = b.lazy.map { c -> UInt8 in
                c >= 0x41 && c <= 0x5A ? 0x4C : c >= 0x61 && c <= 0x7A ? 0x6C : c >= 0x30 && c <= 0x39 ? 0x30 : c
            }
            cutRuns(classes, upper: 0x4C, lower: 0x6C, plus: 0x2B, start: 0x20, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        return ascii ?? emailShapeByCharacter(local)
    }

    /// ``emailShape(_:)`` character by character (any text).
    static func emailShapeByCharacter(_ local: String) -> String {
        var out = ""
        let classes = local.lazy.map { ch -> Character in
            ch.isUppercase ? "L" : ch.isLowercase ? "l" : ch.isNumber ? "0" : ch
        }
        cutRuns(classes, upper: "L", lower: "l", plus: "+", start: " ", into: &out)
        return out
    }

    /// The run rule of ``emailShape(_:)``, for characters or ASCII bytes: each class is appended to `out`, a run
    /// of one class longer than 4 is cut to 4 plus `plus`, and `upper` followed by `lower` continues one run
    /// ("Llll" is one word); stops once `out` holds 32 elements. `start` is the class before the first.
    @inline(__always)
    static func cutRuns<Out: RangeReplaceableCollection>(
        _ classes: some Sequence<Out.Element>, upper: Out.Element, lower: Out.Element, plus: Out.Element,
        start: Out.Element, into out: inout Out
    ) where Out.Element: Equatable {
        var last = start
        var run = 0
        for cls in classes {
            let runClass = cls == upper ? lower : cls
            if runClass == last {
                run += 1
            } else {
                run = 1
                last = runClass
            }
            if run <= 4 {
                out.append(cls)
            } else if run == 5 {
                out.append(plus)
            }
            if out.count >= 32 { break }
        }
    }
}
