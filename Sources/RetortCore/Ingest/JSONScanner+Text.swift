extension JSONScanner {
    /// Hands `body` the UTF-8 of the string that a validated JSON string span (see ``scanStringSpan()``)
    /// decodes to: the same bytes as the `String` that ``readString()`` makes, without making one when it
    /// can. A span without escapes that is valid UTF-8 is those bytes already; a span with escapes is
    /// unescaped into `scratch` (grown as needed, reused across calls). Only text that is not valid UTF-8
    /// (which `String` repairs) goes through a `String`. `ascii`: the span is known to be all ASCII (see
    /// ``scanTextSpan()``), so its text is valid UTF-8 without a check (unescaping ASCII makes valid UTF-8).
    @inline(__always)
    static func withText<R>(
        _ span: UnsafeBufferPointer<UInt8>, escaped: Bool, ascii: Bool = false, scratch: inout [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        if !escaped {
            if ascii || isValidUTF8(span) { return body(span) }
            var s = String(decoding: span, as: UTF8.self)
            return s.withUTF8 { body($0) }
        }
        if scratch.count < span.count { scratch = Array(repeating: 0, count: max(span.count, 2 * scratch.count)) }
        let valid: R? = scratch.withUnsafeMutableBufferPointer { buffer in
            let n = unescape(span, into: buffer)
            let text = UnsafeBufferPointer(rebasing: buffer[0..<n])
            return ascii || isValidUTF8(text) ? body(text) : nil
        }
        if let valid { return valid }
        var s = unescape(span)
        return s.withUTF8 { body($0) }
    }

    /// Whether `b` is well-formed UTF-8 (Unicode 3.9, table 3-7: no overlong forms, no surrogates, nothing
    /// above U+10FFFF), i.e. whether `String(decoding: b, as: UTF8.self)` keeps exactly these bytes.
    /// ASCII is checked 8 bytes at a time.
    static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = b.count
        var i = 0
        @inline(__always) func continuation(_ k: Int) -> Bool { base[k] & 0xC0 == 0x80 }
        while i < n {
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let c = base[i]
            if c < 0x80 {
                i += 1
            } else if c < 0xC2 {
                return false
            } else if c < 0xE0 {
                guard i + 1 < n, continuation(i + 1) else { return false }
                i += 2
            } else if c < 0xF0 {
                guard i + 2 < n, continuation(i + 2) else { return false }
                let c1 = base[i + 1]
                switch c {
                case 0xE0: guard c1 >= 0xA0 && c1 <= 0xBF else { return false }
                case 0xED: guard c1 >= 0x80 && c1 <= 0x9F else { return false }
                default: guard continuation(i + 1) else { return false }
                }
                i += 3
            } else if c < 0xF5 {
                guard i + 3 < n, continuation(i + 2), continuation(i + 3) else { return false }
                let c1 = base[i + 1]
                switch c {
                case 0xF0: guard c1 >= 0x90 && c1 <= 0xBF else { return false }
                case 0xF4: guard c1 >= 0x80 && c1 <= 0x8F else { return false }
                default: guard continuation(i + 1) else { return false }
                }
                i += 4
            } else {
                return false
            }
        }
        return true
    }
}
