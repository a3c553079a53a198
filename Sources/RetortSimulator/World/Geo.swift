import RetortCore

/// Countries, time zones and address space of the simulated Internet.
///
/// Address blocks are per network operator (a residential ISP, a mobile carrier, a cloud or hosting
/// provider, a university); an address is drawn inside its operator's block so that /24 and ASN features
/// behave as on real traffic.
struct Geo: Sendable {
    struct Country: Sendable {
        let code: String
        /// Offset from UTC in minutes (standard time).
        let utcOffsetMinutes: Int
        /// Relative share of genuine users.
        let weight: Double
    }

    /// An operator's address block.
    struct Network: Sendable {
        let asn: Int
        let country: String
        /// First address of an IPv4 block of `size` /16s.
        let v4Base: UInt32
        let v4Size16: Int
        /// IPv6 /32 prefix (high 32 bits), or 0 for none.
        let v6Prefix32: UInt32

        /// A random address in the block.
        func address(_ rng: inout SimRandom, ipv6: Bool = false) -> IPAddress {
            if ipv6 && v6Prefix32 != 0 {
                let high = UInt64(v6Prefix32) << 32 | (rng.next() & 0xffff_ffff)
                return IPAddress(high: high, low: rng.next())
            }
            let offset = UInt32(rng.below(v4Size16 * 65_536 - 2) + 1)
            var v = v4Base &+ offset
            if v & 0xff == 0 || v & 0xff == 255 { v ^= 1 }
            return IPAddress(v4: v)
        }

        /// A /24 network inside the block (its first address), for NATs sharing one network.
        func subnet24(_ rng: inout SimRandom) -> UInt32 {
            v4Base &+ UInt32(rng.below(v4Size16 * 256)) << 8
        }
    }

    static let countries: [Country] = [
        Country(code: "US", utcOffsetMinutes: -300, weight: 30),
        Country(code: "US", utcOffsetMinutes: -480, weight: 12),
        Country(code: "IN", utcOffsetMinutes: 330, weight: 12),
        Country(code: "GB", utcOffsetMinutes: 0, weight: 6),
        Country(code: "DE", utcOffsetMinutes: 60, weight: 6),
        Country(code: "FR", utcOffsetMinutes: 60, weight: 4),
        Country(code: "BR", utcOffsetMinutes: -180, weight: 5),
        Country(code: "CA", utcOffsetMinutes: -300, weight: 3),
        Country(code: "JP", utcOffsetMinutes: 540, weight: 3),
        Country(code: "KR", utcOffsetMinutes: 540, weight: 2),
        Country(code: "AU", utcOffsetMinutes: 600, weight: 2),
        Country(code: "ID", utcOffsetMinutes: 420, weight: 2),
        Country(code: "NG", utcOffsetMinutes: 60, weight: 1.5),
        Country(code: "MX", utcOffsetMinutes: -360, weight: 2),
        Country(code: "ES", utcOffsetMinutes: 60, weight: 2),
        Country(code: "IT", utcOffsetMinutes: 60, weight: 2),
        Country(code: "NL", utcOffsetMinutes: 60, weight: 1.5),
        Country(code: "PL", utcOffsetMinutes: 60, weight: 1.5),
        Country(code: "TR", utcOffsetMinutes: 180, weight: 1.5),
        Country(code: "VN", utcOffsetMinutes: 420, weight: 1.5),
        Country(code: "SG", utcOffsetMinutes: 480, weight: 1),
        Country(code: "PH", utcOffsetMinutes: 480, weight: 1.5),
        Country(code: "EG", utcOffsetMinutes: 120, weight: 1),
        Country(code: "ZA", utcOffsetMinutes: 120, weight: 1),
    ]

    let residential: [String: [Network]]
    let mobile: [String: [Network]]
    let cloud: [Network]
    let hosting: [Network]
    let university: [String: [Network]]
    let countryCodes: [String]

    init() {
        var res: [String: [Network]] = [:]
        var mob: [String: [Network]] = [:]
        var uni: [String: [Network]] = [:]
        var codes: [String] = []
        var seen = Set<String>()
        var asn = 7000
        var block: UInt32 = 24  // first octet, advancing through plausible unicast space
        var second: UInt32 = 0
        func nextBlock(_ size16: Int) -> UInt32 {
            let base = block << 24 | second << 16
            second += UInt32(size16)
            if second >= 256 {
                second = 0
                block += 1
                if block == 127 || block == 10 || block == 100 || block == 169 || block == 172 || block == 192 {
                    block += 1
                }
            }
            return base
        }
        for c in Geo.countries where !seen.contains(c.code) {
            seen.insert(c.code)
            codes.append(c.code)
            var r: [Network] = []
            for k in 0..<3 {
                asn += 17
                r.append(
                    Network(
                        asn: asn, country: c.code, v4Base: nextBlock(8), v4Size16: 8,
                        v6Prefix32: 0x2a00_0000 | UInt32(asn & 0xffff) << 4 | UInt32(k)))
            }
            res[c.code] = r
            var m: [Network] = []
            for k in 0..<2 {
                asn += 13
                m.append(
                    Network(
                        asn: asn, country: c.code, v4Base: nextBlock(1), v4Size16: 1,
                        v6Prefix32: 0x2600_0000 | UInt32(asn & 0xffff) << 4 | UInt32(k)))
            }
            mob[c.code] = m
            asn += 11
            uni[c.code] = [Network(asn: asn, country: c.code, v4Base: nextBlock(1), v4Size16: 1, v6Prefix32: 0)]
        }
        residential = res
        mobile = mob
        university = uni
        countryCodes = codes
        // Cloud providers and hosting companies with their real AS numbers, synthetic blocks.
        cloud = [
            Network(asn: 16509, country: "US", v4Base: 52 << 24, v4Size16: 64, v6Prefix32: 0x2600_1f00),
            Network(asn: 14618, country: "US", v4Base: 54 << 24, v4Size16: 32, v6Prefix32: 0x2600_1f10),
            Network(asn: 15169, country: "US", v4Base: 34 << 24 | 64 << 16, v4Size16: 32, v6Prefix32: 0x2600_1900),
            Network(asn: 396982, country: "US", v4Base: 35 << 24 | 184 << 16, v4Size16: 16, v6Prefix32: 0x2600_1901),
            Network(asn: 8075, country: "US", v4Base: 20 << 24 | 40 << 16, v4Size16: 32, v6Prefix32: 0x2603_1000),
            Network(asn: 16509, country: "DE", v4Base: 3 << 24 | 120 << 16, v4Size16: 8, v6Prefix32: 0x2a05_d014),
            Network(asn: 16509, country: "SG", v4Base: 13 << 24 | 212 << 16, v4Size16: 8, v6Prefix32: 0x2406_da18),
        ]
        hosting = [
            Network(asn: 24940, country: "DE", v4Base: 65 << 24 | 108 << 16, v4Size16: 4, v6Prefix32: 0x2a01_04f8),
            Network(asn: 16276, country: "FR", v4Base: 51 << 24 | 68 << 16, v4Size16: 4, v6Prefix32: 0x2001_41d0),
            Network(asn: 14061, country: "US", v4Base: 164 << 24 | 90 << 16, v4Size16: 4, v6Prefix32: 0x2604_a880),
            Network(asn: 63949, country: "US", v4Base: 45 << 24 | 79 << 16, v4Size16: 2, v6Prefix32: 0x2600_3c00),
            Network(asn: 20473, country: "US", v4Base: 45 << 24 | 32 << 16, v4Size16: 2, v6Prefix32: 0x2001_19f0),
            Network(asn: 9009, country: "GB", v4Base: 185 << 24 | 206 << 16, v4Size16: 1, v6Prefix32: 0x2a0d_5600),
            Network(asn: 62240, country: "NL", v4Base: 185 << 24 | 107 << 16, v4Size16: 1, v6Prefix32: 0x2a0c_5a80),
            Network(asn: 212238, country: "SG", v4Base: 156 << 24 | 146 << 16, v4Size16: 1, v6Prefix32: 0x2a02_6ea0),
        ]
    }

    /// A country (with its time zone) drawn by user share, or from `allowed` when given.
    func country(_ rng: inout SimRandom, allowed: [String] = []) -> Country {
        if !allowed.isEmpty {
            let code = rng.pick(allowed)
            let matches = Geo.countries.filter { $0.code == code }
            if let m = matches.first { return matches.count > 1 ? rng.pick(matches) : m }
            return Country(code: code, utcOffsetMinutes: 0, weight: 1)
        }
        return Geo.countries[rng.weighted(Geo.countries.map(\.weight))]
    }

    func residentialNetwork(_ code: String, _ rng: inout SimRandom) -> Network {
        rng.pick(residential[code] ?? residential["US"] ?? [])
    }

    func mobileNetwork(_ code: String, _ rng: inout SimRandom) -> Network {
        rng.pick(mobile[code] ?? mobile["US"] ?? [])
    }

    func universityNetwork(_ code: String) -> Network {
        (university[code] ?? university["US"] ?? [])[0]
    }
}
