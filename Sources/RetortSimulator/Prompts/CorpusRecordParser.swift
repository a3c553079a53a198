/// A small JSON parser for one corpus record: a flat object whose values of interest are strings or
/// arrays of strings (`text`, `turns`, `question`, `choices`, `source`, `skill`, `category`).
/// Other values are skipped. Returns `nil` for malformed input.
struct CorpusRecordParser {
    struct Record {
        var strings: [String: String] = [:]
        var arrays: [String: [String]] = [:]
    }

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Record? {
        var p = CorpusRecordParser(b: bytes)
        return p.object()
    }

    private init(b: UnsafeBufferPointer<UInt8>) {
        self.b = b
    }

    private mutating func ws() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    private mutating func object() -> Record? {
        ws()
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var r = Record()
        ws()
        if i < b.count, b[i] == UInt8(ascii: "}") { return r }
        while true {
            ws()
            guard let key = string() else { return nil }
            ws()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            ws()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "\"") {
                guard let v = string() else { return nil }
                r.strings[key] = v
            } else if b[i] == UInt8(ascii: "[") {
                let save = i
                if let arr = stringArray() {
                    r.arrays[key] = arr
                } else {
                    i = save
                    guard skip() else { return nil }
                }
            } else {
                guard skip() else { return nil }
            }
            ws()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "}") { return r }
            return nil
        }
    }

    private mutating func stringArray() -> [String]? {
        i += 1
        var out: [String] = []
        ws()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            return out
        }
        while true {
            ws()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
            guard let s = string() else { return nil }
            out.append(s)
            ws()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "]") {
                i += 1
                return out
            }
            return nil
        }
    }

    /// Skips any JSON value.
    private mutating func skip() -> Bool {
        ws()
        guard i < b.count else { return false }
        switch b[i] {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            var depth = 0
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    guard string() != nil else { return false }
                    continue
                }
                if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
                if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        return true
                    }
                }
                i += 1
            }
            return false
        default:
            while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] != UInt8(ascii: "]") {
                i += 1
            }
            return true
        }
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: return nil
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }

    private mutating func string() -> String? {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        var start = i
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
            i += 1
            guard i < b.count else { return nil }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var cp = hex4() else { return nil }
                if cp >= 0xD800 && cp < 0xDC00, i + 1 < b.count, b[i] == UInt8(ascii: "\\"),
                    b[i + 1] == UInt8(ascii: "u")
                {
                    i += 2
                    guard let lo = hex4() else { return nil }
                    if lo >= 0xDC00 && lo < 0xE000 {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                    } else {
                        cp = 0xFFFD
                    }
                } else if cp >= 0xD800 && cp < 0xE000 {
                    cp = 0xFFFD
                }
                let scalar = Unicode.Scalar(cp) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
            start = i
        }
        return nil
    }
}
