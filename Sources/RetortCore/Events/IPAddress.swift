/// A compact IPv4 or IPv6 address: 16 bytes and a family flag, no heap storage.
///
/// IPv4 addresses are held as IPv4-mapped IPv6 (`::ffff:a.b.c.d`) so both families share one layout.
/// ``network`` gives the /24 (IPv4) or /48 (IPv6) prefix that links accounts behind one network.
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// High 64 bits of the 128-bit address.
    public let high: UInt64
    /// Low 64 bits of the 128-bit address (for IPv4, `0x0000_ffff_aabb_ccdd`).
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address from its 32-bit value.
    public init(v4: UInt32) {
        self.high = 0
        self.low = 0x0000_ffff_0000_0000 | UInt64(v4)
    }

    public var isIPv4: Bool { high == 0 && (low >> 32) == 0x0000_ffff }

    /// The IPv4 value, when this is an IPv4 address.
    public var v4: UInt32? { isIPv4 ? UInt32(truncatingIfNeeded: low) : nil }

    /// The /24 network for IPv4 or the /48 network for IPv6, as an address with the host bits zeroed.
    public var network: IPAddress {
        if isIPv4 { return IPAddress(high: 0, low: low & 0xffff_ffff_ffff_ff00) }
        return IPAddress(high: high & 0xffff_ffff_ffff_0000, low: 0)
    }

    /// The prefix length ``network`` uses: 24 for IPv4, 48 for IPv6.
    public var networkPrefixLength: Int { isIPv4 ? 24 : 48 }

    /// A 64-bit key identifying the ``network`` (distinct across families).
    public var networkKey: UInt64 {
        if isIPv4 { return 0x4000_0000_0000_0000 | ((low & 0xffff_ffff) >> 8) }
        return (high >> 16) & 0x0000_ffff_ffff_ffff
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    public var description: String {
        if let v = v4 {
            return "\(v >> 24).\((v >> 16) & 0xff).\((v >> 8) & 0xff).\(v & 0xff)"
        }
        var groups: [UInt16] = []
        for i in 0..<4 { groups.append(UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64(i)))) }
        for i in 0..<4 { groups.append(UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64(i)))) }
        // Longest run of zero groups (length >= 2) is written as "::" (RFC 5952).
        var bestStart = -1
        var bestLen = 0
        var i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 {
                    bestStart = i
                    bestLen = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ g: UInt16) -> String { String(g, radix: 16) }
        if bestStart < 0 { return groups.map(hex).joined(separator: ":") }
        let head = groups[0..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLen)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }
}

extension IPAddress {
    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an optional trailing dotted quad).
    public init?(_ text: some StringProtocol) {
        var s = String(text)
        guard let parsed = s.withUTF8({ IPAddress(utf8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses an address from UTF-8 bytes.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.isEmpty || bytes.count > 45 { return nil }
        var hasColon = false
        for b in bytes where b == UInt8(ascii: ":") {
            hasColon = true
            break
        }
        if !hasColon {
            guard let v = IPAddress.parseV4(bytes, from: 0, to: bytes.count) else { return nil }
            self.init(v4: v)
            return
        }
        guard let (h, l) = IPAddress.parseV6(bytes) else { return nil }
        self.init(high: h, low: l)
    }

    static func parseV4(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        var i = from
        while i <= to {
            let c: UInt8 = i < to ? b[i] : UInt8(ascii: ".")
            if c == UInt8(ascii: ".") {
                if digits == 0 || current > 255 { return nil }
                value = (value << 8) | current
                octets += 1
                current = 0
                digits = 0
            } else if c >= 48 && c <= 57 {
                // Leading zeros are rejected (ambiguous octal forms), except a lone "0".
                if digits == 1 && current == 0 { return nil }
                current = current * 10 + UInt32(c - 48)
                digits += 1
                if digits > 3 { return nil }
            } else {
                return nil
            }
            i += 1
        }
        return octets == 4 ? value : nil
    }

    static func parseV6(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDouble = false
        var i = 0
        let n = b.count
        if n >= 2 && b[0] == UInt8(ascii: ":") {
            guard b[1] == UInt8(ascii: ":") else { return nil }
            sawDouble = true
            i = 2
        }
        while i < n {
            // Read one group (or a trailing dotted quad).
            var j = i
            var hasDot = false
            while j < n && b[j] != UInt8(ascii: ":") {
                if b[j] == UInt8(ascii: ".") { hasDot = true }
                j += 1
            }
            if hasDot {
                guard j == n, let v4 = parseV4(b, from: i, to: j) else { return nil }
                let groups = [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                if sawDouble { tail += groups } else { head += groups }
                i = j
                break
            }
            let len = j - i
            guard len >= 1 && len <= 4 else { return nil }
            var g: UInt16 = 0
            for k in i..<j {
                guard let d = hexValue(b[k]) else { return nil }
                g = g << 4 | UInt16(d)
            }
            if sawDouble { tail.append(g) } else { head.append(g) }
            i = j
            if i < n {
                // At a colon.
                if i + 1 < n && b[i + 1] == UInt8(ascii: ":") {
                    if sawDouble { return nil }
                    sawDouble = true
                    i += 2
                } else {
                    i += 1
                    if i == n { return nil }  // trailing single colon
                }
            }
        }
        let count = head.count + tail.count
        if sawDouble {
            if count > 7 { return nil }
        } else if count != 8 {
            return nil
        }
        var groups = head
        groups += [UInt16](repeating: 0, count: 8 - count)
        groups += tail
        var h: UInt64 = 0
        var l: UInt64 = 0
        for k in 0..<4 { h = h << 16 | UInt64(groups[k]) }
        for k in 4..<8 { l = l << 16 | UInt64(groups[k]) }
        return (h, l)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
