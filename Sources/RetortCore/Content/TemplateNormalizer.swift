/// Reduces a prompt to its template skeleton: the words a template keeps, with the parts a template fills
/// in masked.
///
/// Masked spans: numbers (`#`), capitalised words after the first word of a sentence (`N`, names),
/// quoted spans (`Q`), fenced or indented code blocks (`C`), URLs (`U`) and e-mail addresses (`E`).
/// Everything else is lowercased and whitespace is folded. The normaliser works on UTF-8 bytes and
/// produces token hashes (for fingerprints) and, on request, the skeleton text (for tests and
/// `--show-prompts`).
public struct TemplateNormalizer: Sendable {
    /// Mask tokens, as they appear in the skeleton text.
    public enum Mask: UInt8, Sendable {
        case number = 35  // "#"
        case name = 78  // "N"
        case quote = 81  // "Q"
        case code = 67  // "C"
        case url = 85  // "U"
        case email = 69  // "E"
    }

    /// Longest input examined, in bytes (the rest of a very long prompt adds nothing to its template).
    public var maxBytes: Int

    public init(maxBytes: Int = 4096) {
        self.maxBytes = maxBytes
    }

    /// The skeleton as text, tokens separated by single spaces.
    public func skeleton(_ text: String) -> String {
        var out: [UInt8] = []
        var t = text
        t.withUTF8 { buf in
            forEachToken(buf) { bytes, mask in
                if !out.isEmpty { out.append(0x20) }
                if let mask { out.append(mask.rawValue) } else { out.append(contentsOf: bytes) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Token hashes of the skeleton, in order.
    public func tokenHashes(_ buf: UnsafeBufferPointer<UInt8>) -> [UInt64] {
        var hashes: [UInt64] = []
        hashes.reserveCapacity(64)
        forEachToken(buf) { bytes, mask in
            if let mask {
                hashes.append(Hash64.mix(0x6d61_736b_0000_0000 | UInt64(mask.rawValue)))
            } else {
                hashes.append(Hash64.bytes(bytes, seed: 0x746f_6b))
            }
        }
        return hashes
    }

    /// Calls `body` for each skeleton token: either lowercased word bytes (mask nil) or a mask.
    public func tokens(_ input: UnsafeBufferPointer<UInt8>, _ body: (_ word: [UInt8], _ mask: Mask?) -> Void) {
        forEachToken(input) { bytes, mask in body(mask == nil ? Array(bytes) : [], mask) }
    }

    /// ``tokens(_:_:)`` without an array per token: the word bytes are only valid during the call to `body`
    /// (empty for a mask).
    func forEachToken(
        _ input: UnsafeBufferPointer<UInt8>, _ body: (_ word: UnsafeBufferPointer<UInt8>, _ mask: Mask?) -> Void
    ) {
        let n = min(input.count, maxBytes)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(n, 1)) { scratch in
            forEachToken(input, count: n, scratch: scratch, body)
        }
    }

    private func forEachToken(
        _ input: UnsafeBufferPointer<UInt8>, count n: Int, scratch: UnsafeMutableBufferPointer<UInt8>,
        _ body: (_ word: UnsafeBufferPointer<UInt8>, _ mask: Mask?) -> Void
    ) {
        var i = 0
        var sentenceStart = true
        var lastMask: Mask?
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        @inline(__always) func emitMask(_ m: Mask) {
            // Runs of the same mask (e.g. "John Smith", "3 . 14") fold into one.
            if lastMask == m { return }
            body(none, m)
            lastMask = m
        }
        @inline(__always) func emitWord(length: Int) {
            body(UnsafeBufferPointer(rebasing: scratch[0..<length]), nil)
            lastMask = nil
        }
        while i < n {
            let c = input[i]
            // Fenced code block.
            if c == UInt8(ascii: "`") && i + 2 < n && input[i + 1] == c && input[i + 2] == c {
                var j = i + 3
                while j + 2 < n && !(input[j] == c && input[j + 1] == c && input[j + 2] == c) { j += 1 }
                i = j + 2 < n ? j + 3 : n
                emitMask(.code)
                sentenceStart = false
                continue
            }
            // Quoted span (straight double quotes or backticks), at most 200 bytes.
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") {
                var j = i + 1
                while j < n && j - i < 200 && input[j] != c && input[j] != 0x0A { j += 1 }
                if j < n && input[j] == c && j > i + 1 {
                    emitMask(.quote)
                    i = j + 1
                    sentenceStart = false
                    continue
                }
                i += 1
                continue
            }
            if isWordByte(c) {
                var j = i
                var hasDigit = false
                var hasAlpha = false
                var hasAt = false
                var hasDot = false
                var hasSlash = false
                var hasColon = false
                while j < n {
                    let d = input[j]
                    if isWordByte(d) {
                        if d >= 48 && d <= 57 { hasDigit = true } else { hasAlpha = true }
                    } else if d == UInt8(ascii: "@") {
                        hasAt = true
                    } else if d == UInt8(ascii: ".") || d == UInt8(ascii: "-") || d == UInt8(ascii: "_") {
                        // Keep going only if a word byte follows (inside a token like a.b or 3.14).
                        if j + 1 < n && isWordByte(input[j + 1]) {
                            if d == UInt8(ascii: ".") { hasDot = true }
                        } else {
                            break
                        }
                    } else if d == UInt8(ascii: "/") || d == UInt8(ascii: ":") {
                        if d == UInt8(ascii: "/") { hasSlash = true } else { hasColon = true }
                        if !(j + 1 < n && (isWordByte(input[j + 1]) || input[j + 1] == UInt8(ascii: "/"))) { break }
                    } else {
                        break
                    }
                    j += 1
                }
                let first = input[i]
                if hasAt && hasDot {
                    emitMask(.email)
                } else if (hasColon && hasSlash) || (hasDot && (startsWith(input, i, j, "www.") || hasSlash)) {
                    emitMask(.url)
                } else if hasDigit && !hasAlpha {
                    emitMask(.number)
                } else if hasDigit && hasAlpha && countDigits(input, i, j) * 2 >= (j - i) {
                    emitMask(.number)
                } else if first >= 65 && first <= 90 && !sentenceStart && j - i >= 2 && input[i + 1] >= 97
                    && input[i + 1] <= 122
                {
                    emitMask(.name)
                } else {
                    var length = 0
                    for k in i..<j {
                        let b = input[k]
                        if b == UInt8(ascii: "/") || b == UInt8(ascii: ":") || b == UInt8(ascii: "@") { break }
                        scratch[length] = b >= 65 && b <= 90 ? b + 32 : b
                        length += 1
                    }
                    emitWord(length: length)
                }
                sentenceStart = false
                i = j
                continue
            }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "?") || c == UInt8(ascii: "!") || c == 0x0A
                || c == UInt8(ascii: ":")
            {
                sentenceStart = true
                if c != 0x0A {
                    scratch[0] = c
                    emitWord(length: 1)
                }
            } else if c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: "(")
                || c == UInt8(ascii: ")")
            {
                scratch[0] = c
                emitWord(length: 1)
            }
            i += 1
        }
    }

    @inline(__always)
    func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 0x80 || b == UInt8(ascii: "'")
    }

    func countDigits(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var c = 0
        for k in from..<to where b[k] >= 48 && b[k] <= 57 { c += 1 }
        return c
    }

    func startsWith(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ prefix: StaticString) -> Bool {
        let p = prefix.utf8Start
        let len = prefix.utf8CodeUnitCount
        guard to - from >= len else { return false }
        for k in 0..<len {
            let x = b[from + k]
            if (x >= 65 && x <= 90 ? x + 32 : x) != p[k] { return false }
        }
        return true
    }
}
