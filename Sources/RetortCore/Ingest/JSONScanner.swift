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

    /// Scans a string whose opening quote is at `index`. Returns the raw span between the quotes and
    /// whether it contains escapes; validates escapes and rejects control characters.
    @inline(__always)
    mutating func scanStringSpan() throws(Failure) -> (start: Int, end: Int, escaped: Bool) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                let end = index
                index += 1
                return (start, end, escaped)
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
                    for k in 1...4 where IPAddress.hexValue(bytes[index + k]) == nil {
                        throw fail("bad \\u escape")
                    }
                    index += 5
                default:
                    throw fail("bad escape in string")
                }
                continue
            }
            if c < 0x20 { throw fail("control character in string") }
            index += 1
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

    static func unescape(_ span: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(span.count)
        var i = 0
        func appendScalar(_ v: UInt32) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 { v = v << 4 | UInt32(IPAddress.hexValue(span[at + k]) ?? 0) }
            return v
        }
        while i < span.count {
            let c = span[i]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            let e = span[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let u = hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(u), i + 5 < span.count + 0, span[i] == UInt8(ascii: "\\"),
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
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

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
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isReal = true
            index += 1
            var fracDigits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
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

/// Maps JSON keys to small integer field indexes without allocating.
struct FieldTable {
    private var byLength: [[(key: [UInt8], index: Int)]]

    init(_ names: [String]) {
        let maxLen = names.map(\.utf8.count).max() ?? 0
        byLength = Array(repeating: [], count: maxLen + 1)
        for (i, name) in names.enumerated() { byLength[name.utf8.count].append((Array(name.utf8), i)) }
    }

    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard key.count < byLength.count else { return nil }
        for entry in byLength[key.count] {
            var equal = true
            for k in 0..<key.count where entry.key[k] != key[k] {
                equal = false
                break
            }
            if equal { return entry.index }
        }
        return nil
    }
}
