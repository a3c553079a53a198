#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, strict JSON tokenizer over UTF-8 bytes, used by the purpose-built event and account decoders.
///
/// It reads exactly one JSON value per call and reports the byte offset of anything malformed.
/// It allocates only when it materialises a string.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    struct Failure: Error {
        var message: String
        var offset: Int
    }

    enum Number {
        case integer(Int64)
        case real(Double)

        var doubleValue: Double {
            switch self {
            case .integer(let v): return Double(v)
            case .real(let v): return v
            }
        }

        /// The value as an integer when it has no fractional part.
        var integerValue: Int64? {
            switch self {
            case .integer(let v): return v
            case .real(let v):
                guard v.rounded() == v, abs(v) < 9.0e18 else { return nil }
                return Int64(v)
            }
        }
    }

    /// The kind of value at the current position.
    enum Kind {
        case string, number, object, array, bool, null, invalid, end
    }

    func fail(_ message: String) -> Failure { Failure(message: message, offset: index) }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    @inline(__always)
    mutating func peekKind() -> Kind {
        skipWhitespace()
        guard index < bytes.count else { return .end }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), 48...57: return .number
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .invalid
        }
    }

    @inline(__always)
    mutating func expect(_ c: UInt8) throws(Failure) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == c else {
            throw fail("expected '\(Character(Unicode.Scalar(c)))'")
        }
        index += 1
    }

    /// Consumes `c` if it is next (after whitespace).
    @inline(__always)
    mutating func consume(_ c: UInt8) -> Bool {
        skipWhitespace()
        if index < bytes.count, bytes[index] == c {
            index += 1
            return true
        }
        return false
    }

    /// The first position at or after `from` holding `"`, `\\` or a control character, or `bytes.count`.
    /// Looks at 8 bytes at a time (SWAR): most string bytes (prompt text) need no individual test. The high
    /// bits of every byte looked at (from `from` up to the one found, and possibly a few after it) are or-ed
    /// into `high`: 0 means those bytes are ASCII.
    @inline(__always)
    func findStringSpecial(from: Int, high highBits: inout UInt64) -> Int {
        var i = from
        let n = bytes.count
        guard let base = bytes.baseAddress else { return n }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let q = w ^ 0x2222_2222_2222_2222  // '"'
            let b = w ^ 0x5C5C_5C5C_5C5C_5C5C  // '\\'
            // The lowest flagged byte of each mask is exact (borrows only run upwards).
            let m = ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- 0x2020_2020_2020_2020) & ~w)
            let hits = m & high
            highBits |= w & high
            if hits != 0 { return i + (hits.trailingZeroBitCount >> 3) }
            i += 8
        }
        while i < n {
            let c = base[i]
            if c == 0x22 || c == 0x5C || c < 0x20 { return i }
            highBits |= UInt64(c & 0x80)
            i += 1
        }
        return n
    }

    /// Scans a string whose opening quote is at `index`. Returns the raw span between the quotes and
    /// whether it contains escapes; validates escapes and rejects control characters.
    @inline(__always)
    mutating func scanStringSpan() throws(Failure) -> (start: Int, end: Int, escaped: Bool) {
        let (start, end, escaped, _) = try scanTextSpan()
        return (start, end, escaped)
    }

    /// ``scanStringSpan()``, which also tells whether the raw span is all ASCII (then the text it decodes to is
    /// valid UTF-8 and needs no check: ``withText(_:escaped:ascii:scratch:_:)``).
    @inline(__always)
    mutating func scanTextSpan() throws(Failure) -> (start: Int, end: Int, escaped: Bool, ascii: Bool) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        index += 1
        let start = index
        var escaped = false
        var high: UInt64 = 0
        while true {
            index = findStringSpecial(from: index, high: &high)
            guard index < bytes.count else { break }
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                let end = index
                index += 1
                return (start, end, escaped, high == 0)
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count else { throw fail("truncated \\u escape") }
                    guard JSONScanner.isHex(bytes[index + 1]), JSONScanner.isHex(bytes[index + 2]),
                        JSONScanner.isHex(bytes[index + 3]), JSONScanner.isHex(bytes[index + 4])
                    else { throw fail("bad \\u escape") }
                    index += 5
                default:
                    throw fail("bad escape in string")
                }
                continue
            }
            throw fail("control character in string")
        }
        throw fail("unterminated string")
    }

    /// Reads a string value into a Swift `String` (unescaping as needed).
    mutating func readString() throws(Failure) -> String {
        skipWhitespace()
        let (start, end, escaped) = try scanStringSpan()
        let span = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !escaped { return String(decoding: span, as: UTF8.self) }
        return JSONScanner.unescape(span)
    }

    /// Reads a string value like ``readString()``, an unescaped one through `interner`.
    mutating func readString(_ interner: inout StringInterner) throws(Failure) -> String {
        skipWhitespace()
        let (start, end, escaped) = try scanStringSpan()
        let span = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !escaped { return interner.string(span) }
        return JSONScanner.unescape(span)
    }

    /// Reads a string value and hands its raw (still escaped) bytes to `body` when it has no escapes,
    /// or the unescaped bytes otherwise.
    mutating func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) throws(Failure) -> R {
        skipWhitespace()
        let (start, end, escaped) = try scanStringSpan()
        let span = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !escaped { return body(span) }
        var s = JSONScanner.unescape(span)
        return s.withUTF8 { body($0) }
    }

    /// Unescapes a validated string span (see ``scanStringSpan()``) straight into a new `String`.
    /// The result is never longer than the escaped form, so one allocation of the span's size suffices.
    static func unescape(_ span: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: max(span.count, 1)) { out in unescape(span, into: out) }
    }

    /// Unescapes a validated string span into `out` (at least `span.count` bytes) and returns the number of
    /// bytes written: the bytes ``unescape(_:)`` makes its `String` of (before that checks them as UTF-8).
    static func unescape(_ span: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        do {
            var o = 0
            var i = 0
            let n = span.count
            @inline(__always) func put(_ b: UInt8) {
                out[o] = b
                o += 1
            }
            func appendScalar(_ v: UInt32) {
                let v = (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF ? 0xFFFD : v
                if v < 0x80 {
                    put(UInt8(v))
                } else if v < 0x800 {
                    put(UInt8(0xC0 | (v >> 6)))
                    put(UInt8(0x80 | (v & 0x3F)))
                } else if v < 0x10000 {
                    put(UInt8(0xE0 | (v >> 12)))
                    put(UInt8(0x80 | ((v >> 6) & 0x3F)))
                    put(UInt8(0x80 | (v & 0x3F)))
                } else {
                    put(UInt8(0xF0 | (v >> 18)))
                    put(UInt8(0x80 | ((v >> 12) & 0x3F)))
                    put(UInt8(0x80 | ((v >> 6) & 0x3F)))
                    put(UInt8(0x80 | (v & 0x3F)))
                }
            }
            @inline(__always) func hex(_ c: UInt8) -> UInt32 {
                UInt32(c <= 57 ? c &- 48 : (c | 0x20) &- 87) & 0xF
            }
            func hex4(_ at: Int) -> UInt32 {
                hex(span[at]) << 12 | hex(span[at + 1]) << 8 | hex(span[at + 2]) << 4 | hex(span[at + 3])
            }
            guard let src = span.baseAddress, let dst = out.baseAddress else { return 0 }
            while i < n {
                // Copy the run up to the next backslash in one go.
                var run = n
                if let hit = memchr(src + i, 0x5C, n - i) {
                    run = src.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                }
                if run > i {
                    (dst + o).update(from: src + i, count: run - i)
                    o += run - i
                    i = run
                    if i >= n { break }
                }
                let e = span[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "b"): put(0x08)
                case UInt8(ascii: "f"): put(0x0C)
                case UInt8(ascii: "n"): put(0x0A)
                case UInt8(ascii: "r"): put(0x0D)
                case UInt8(ascii: "t"): put(0x09)
                case UInt8(ascii: "u"):
                    let u = hex4(i)
                    i += 4
                    if (0xD800...0xDBFF).contains(u), i + 5 < n, span[i] == UInt8(ascii: "\\"),
                        span[i + 1] == UInt8(ascii: "u")
                    {
                        let lo = hex4(i + 2)
                        if (0xDC00...0xDFFF).contains(lo) {
                            i += 6
                            appendScalar(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                            continue
                        }
                    }
                    appendScalar(u)
                default: put(e)
                }
            }
            return o
        }
    }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 102)
    }

    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { acc, _ in acc * 10 } }

    /// Reads a JSON number.
    mutating func readNumber() throws(Failure) -> Number {
        skipWhitespace()
        let start = index
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var intDigits = 0
        var overflow = false
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            let d = UInt64(bytes[index] - 48)
            if mantissa > (UInt64.max - d) / 10 { overflow = true } else { mantissa = mantissa * 10 + d }
            intDigits += 1
            index += 1
        }
        guard intDigits > 0 else { throw fail("bad number") }
        if intDigits > 1, bytes[start + (negative ? 1 : 0)] == 48 { throw fail("leading zero in number") }
        var isReal = false
        var fracDigits = 0
        var digitsMantissa = mantissa  // integer and fraction digits together, while exact
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isReal = true
            index += 1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digitsMantissa < (1 << 50) { digitsMantissa = digitsMantissa * 10 + UInt64(bytes[index] - 48) }
                fracDigits += 1
                index += 1
            }
            guard fracDigits > 0 else { throw fail("bad number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isReal = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            var expDigits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                expDigits += 1
                index += 1
            }
            guard expDigits > 0 else { throw fail("bad number") }
        }
        if !isReal && !overflow && mantissa <= UInt64(Int64.max) {
            let v = Int64(mantissa)
            return .integer(negative ? -v : v)
        }
        // A plain decimal with at most 15 significant digits: both operands are exact doubles, so one
        // correctly rounded division gives the same value as a full parse.
        let plainDecimal = index - start == intDigits + fracDigits + 1 + (negative ? 1 : 0)
        if !overflow, plainDecimal, intDigits + fracDigits <= 15 {
            let v = Double(digitsMantissa) / JSONScanner.powersOfTen[fracDigits]
            return .real(negative ? -v : v)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let d = Double(text) else { throw fail("bad number") }
        return .real(d)
    }

    mutating func readBool() throws(Failure) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw fail("expected true or false")
    }

    mutating func readNull() throws(Failure) {
        skipWhitespace()
        guard matchLiteral("null") else { throw fail("expected null") }
    }

    @inline(__always)
    mutating func matchLiteral(_ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard index + n <= bytes.count else { return false }
        let p = lit.utf8Start
        for k in 0..<n where bytes[index + k] != p[k] { return false }
        index += n
        return true
    }

    /// Skips any JSON value, validating it.
    mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < 64 else { throw fail("nesting too deep") }
        switch peekKind() {
        case .string: _ = try scanStringSpan()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        case .object:
            index += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                skipWhitespace()
                _ = try scanStringSpan()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        case .array:
            index += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        case .invalid: throw fail("unexpected character")
        case .end: throw fail("unexpected end of line")
        }
    }

    /// Iterates the members of an object at the current position, calling `body` with the key's raw bytes;
    /// `body` must consume the value. Fails unless the whole input is exactly one object.
    mutating func forEachMember(
        _ body: (inout JSONScanner, UnsafeBufferPointer<UInt8>) throws(Failure) -> Void
    ) throws(Failure) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw fail("not a JSON object") }
        index += 1
        if !consume(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                let (ks, ke, escaped) = try scanStringSpan()
                try expect(UInt8(ascii: ":"))
                if escaped {
                    var key = JSONScanner.unescape(UnsafeBufferPointer(rebasing: bytes[ks..<ke]))
                    let result = key.withUTF8 { k in Result { () throws(Failure) in try body(&self, k) } }
                    try result.get()
                } else {
                    try body(&self, UnsafeBufferPointer(rebasing: bytes[ks..<ke]))
                }
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        }
        skipWhitespace()
        guard index == bytes.count else { throw fail("trailing characters after the object") }
    }
}

/// Maps JSON keys to small integer field indexes without allocating: a collision-free hash of the key's
/// length and three of its bytes picks one candidate, confirmed by one comparison.
final class FieldTable: @unchecked Sendable {
    private let keys: UnsafeMutablePointer<UInt8>
    private let offsets: [Int]
    private let slots: UnsafeMutablePointer<Int16>
    private let mask = 255
    private let multiplier: UInt

    init(_ names: [String]) {
        var flat: [UInt8] = []
        var offsets: [Int] = [0]
        for name in names {
            flat += Array(name.utf8)
            offsets.append(flat.count)
        }
        keys = .allocate(capacity: max(flat.count, 1))
        keys.initialize(from: flat, count: flat.count)
        self.offsets = offsets
        slots = .allocate(capacity: 256)
        var chosen: UInt = 0
        search: for m in stride(from: UInt(31), to: 100_000, by: 2) {
            slots.initialize(repeating: -1, count: 256)
            for (i, name) in names.enumerated() {
                let h = Array(name.utf8).withUnsafeBufferPointer { FieldTable.hash($0, m) } & 255
                if slots[h] != -1 { continue search }
                slots[h] = Int16(i)
            }
            chosen = m
            break
        }
        precondition(chosen != 0, "no collision-free field hash")
        multiplier = chosen
    }

    deinit {
        keys.deallocate()
        slots.deallocate()
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>, _ m: UInt) -> Int {
        let n = key.count
        guard n > 0 else { return 0 }
        let h = UInt(n) &* m &+ UInt(key[0]) &* 7 &+ UInt(key[n - 1]) &* (m >> 3 | 1) &+ UInt(key[n >> 1]) &* 3
        return Int(truncatingIfNeeded: h ^ (h >> 8))
    }

    /// The field index of `key`, or -1.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let slot = Int(slots[FieldTable.hash(key, multiplier) & mask])
        guard slot >= 0 else { return -1 }
        let start = offsets[slot]
        guard offsets[slot + 1] - start == key.count, let base = key.baseAddress else { return -1 }
        return memcmp(keys + start, base, key.count) == 0 ? slot : -1
    }

    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let i = lookup(key)
        return i >= 0 ? i : nil
    }
}
