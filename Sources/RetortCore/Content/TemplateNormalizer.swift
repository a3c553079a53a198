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
        tokenHashes(buf, into: &hashes)
        return hashes
    }

    /// ``tokenHashes(_:)`` appended to `hashes` (an array the caller reuses: no allocation per prompt). A word's
    /// hash is `Hash64.bytes` of its lowercased bytes, taken from the input in place.
    func tokenHashes(_ buf: UnsafeBufferPointer<UInt8>, into hashes: inout [UInt64]) {
        var sink = HashSink()
        swap(&sink.hashes, &hashes)
        forEachToken(buf, into: &sink)
        swap(&sink.hashes, &hashes)
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
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(min(input.count, maxBytes), 1)) { scratch in
            withoutActuallyEscaping(body) { body in
                var sink = CopySink(scratch: scratch, body: body)
                forEachToken(input, into: &sink)
            }
        }
    }

    /// Where the tokenizer puts the skeleton's tokens.
    protocol TokenSink {
        /// A word: the bytes `input[from..<to]`, which the sink lowercases (ASCII `A`-`Z` only).
        mutating func word(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
        mutating func mask(_ m: Mask)
    }

    /// Appends each token's hash.
    struct HashSink: TokenSink {
        var hashes: [UInt64] = []

        @inline(__always)
        mutating func word(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
            hashes.append(Hash64.lowercasedASCII(input, from: from, to: to, seed: 0x746f_6b))
        }

        @inline(__always)
        mutating func mask(_ m: Mask) {
            hashes.append(Hash64.mix(0x6d61_736b_0000_0000 | UInt64(m.rawValue)))
        }
    }

    /// Lowercases each word into `scratch` and hands it to `body`.
    struct CopySink: TokenSink {
        let scratch: UnsafeMutableBufferPointer<UInt8>
        let body: (_ word: UnsafeBufferPointer<UInt8>, _ mask: Mask?) -> Void

        mutating func word(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
            for k in from..<to {
                let b = input[k]
                scratch[k - from] = b >= 65 && b <= 90 ? b + 32 : b
            }
            body(UnsafeBufferPointer(rebasing: scratch[0..<(to - from)]), nil)
        }

        mutating func mask(_ m: Mask) {
            body(UnsafeBufferPointer(start: nil, count: 0), m)
        }
    }

    /// Byte classes: a word byte (ASCII letter or digit, `'`, any byte of a multi-byte character), and of
    /// those the digits and the rest.
    static let wordClass: UInt8 = 1
    static let digitClass: UInt8 = 2
    static let alphaClass: UInt8 = 4
    static let byteClasses: [UInt8] = (0...255).map { (b: Int) -> UInt8 in
        if b >= 48 && b <= 57 { return wordClass | digitClass }
        if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 0x80 || b == 0x27 { return wordClass | alphaClass }
        return 0
    }

    /// The leading word bytes of eight input bytes (at most `limit` of them), and the classes among them
    /// (``digitClass``, ``alphaClass``): ``byteClasses`` for eight bytes at once (SWAR; no byte's sum carries
    /// into the next), with no branch per byte.
    @inline(__always)
    static func wordRun(_ w: UInt64, limit: Int) -> (length: Int, classes: UInt8) {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7 = w & 0x7f7f_7f7f_7f7f_7f7f
        let ascii = ~w & high
        let digit = (low7 &+ 0x5050_5050_5050_5050) & ~(low7 &+ 0x4646_4646_4646_4646) & ascii
        let folded = low7 | 0x2020_2020_2020_2020
        let letter = (folded &+ 0x1f1f_1f1f_1f1f_1f1f) & ~(folded &+ 0x0505_0505_0505_0505) & ascii
        let quote = ~((low7 ^ 0x2727_2727_2727_2727) &+ 0x7f7f_7f7f_7f7f_7f7f) & ascii
        let word = (w & high) | digit | letter | quote
        let nonWord = ~word & high
        let length = min(nonWord == 0 ? 8 : nonWord.trailingZeroBitCount >> 3, limit)
        let inRun = length >= 8 ? high : high & ((UInt64(1) << UInt64(8 * length)) &- 1)
        var classes: UInt8 = 0
        if digit & inRun != 0 { classes |= digitClass }
        if word & ~digit & inRun != 0 { classes |= alphaClass }
        return (length, classes)
    }

    /// The tokenizer: walks the first `maxBytes` bytes once, handing `sink` each word and mask in order.
    func forEachToken<Sink: TokenSink>(_ input: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        let n = min(input.count, maxBytes)
        guard let base = input.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        Self.byteClasses.withUnsafeBufferPointer { cls in
            var i = 0
            var sentenceStart = true
            var lastMask: Mask?
            @inline(__always) func emitMask(_ m: Mask) {
                // Runs of the same mask (e.g. "John Smith", "3 . 14") fold into one.
                if lastMask == m { return }
                sink.mask(m)
                lastMask = m
            }
            @inline(__always) func emitWord(_ from: Int, _ to: Int) {
                sink.word(input, from: from, to: to)
                lastMask = nil
            }
            @inline(__always) func isWord(_ b: UInt8) -> Bool { cls[Int(b)] & Self.wordClass != 0 }
            while i < n {
                let c = input[i]
                let k = cls[Int(c)]
                if k & Self.wordClass != 0 {
                    var j = i + 1
                    var seen = k
                    var hasAt = false
                    var hasDot = false
                    var hasSlash = false
                    var hasColon = false
                    // The first '/', ':' or '@' inside the token: a plain word ends there.
                    var cut = -1
                    while j < n {
                        // A run of word bytes, eight at a time where the input has eight bytes left.
                        if j + 8 <= input.count {
                            let run = Self.wordRun(
                                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)),
                                limit: n - j)
                            seen |= run.classes
                            j += run.length
                            if run.length == 8 { continue }
                        } else {
                            while j < n && cls[Int(input[j])] & Self.wordClass != 0 {
                                seen |= cls[Int(input[j])]
                                j += 1
                            }
                        }
                        guard j < n else { break }
                        let d = input[j]
                        if d == UInt8(ascii: "@") {
                            hasAt = true
                            if cut < 0 { cut = j }
                        } else if d == UInt8(ascii: ".") || d == UInt8(ascii: "-") || d == UInt8(ascii: "_") {
                            // Keep going only if a word byte follows (inside a token like a.b or 3.14).
                            guard j + 1 < n && isWord(input[j + 1]) else { break }
                            if d == UInt8(ascii: ".") { hasDot = true }
                        } else if d == UInt8(ascii: "/") || d == UInt8(ascii: ":") {
                            if d == UInt8(ascii: "/") { hasSlash = true } else { hasColon = true }
                            guard j + 1 < n && (isWord(input[j + 1]) || input[j + 1] == UInt8(ascii: "/")) else {
                                break
                            }
                            if cut < 0 { cut = j }
                        } else {
                            break
                        }
                        j += 1
                    }
                    let hasDigit = seen & Self.digitClass != 0
                    let hasAlpha = seen & Self.alphaClass != 0
                    if hasAt && hasDot {
                        emitMask(.email)
                    } else if (hasColon && hasSlash) || (hasDot && (startsWith(input, i, j, "www.") || hasSlash)) {
                        emitMask(.url)
                    } else if hasDigit && !hasAlpha {
                        emitMask(.number)
                    } else if hasDigit && hasAlpha && countDigits(input, i, j) * 2 >= (j - i) {
                        emitMask(.number)
                    } else if c >= 65 && c <= 90 && !sentenceStart && j - i >= 2 && input[i + 1] >= 97
                        && input[i + 1] <= 122
                    {
                        emitMask(.name)
                    } else {
                        emitWord(i, cut < 0 ? j : cut)
                    }
                    sentenceStart = false
                    i = j
                    continue
                }
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
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "?") || c == UInt8(ascii: "!") || c == 0x0A
                    || c == UInt8(ascii: ":")
                {
                    sentenceStart = true
                    if c != 0x0A { emitWord(i, i + 1) }
                } else if c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: "(")
                    || c == UInt8(ascii: ")")
                {
                    emitWord(i, i + 1)
                }
                i += 1
            }
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
