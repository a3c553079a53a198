import RetortCore

/// Splits an HTTP body holding JSON Lines or a JSON array of events (formats.md section 1) and decodes each.
public struct EventBatchDecoder: Sendable {
    /// The outcome for one body: good events in order and the bad records with their position.
    public struct Result: Sendable {
        public var events: [Event] = []
        public var errors: [RecordError] = []
        /// Bad records (all of them, `errors` may be capped).
        public var badRecords = 0
        /// Whether the body was a JSON array (positions are then element numbers).
        public var isArray = false
    }

    let decoder = EventDecoder()
    let maxErrors: Int

    public init(maxErrors: Int = 20) {
        self.maxErrors = maxErrors
    }

    /// Decodes a body; throws only when the body as a whole is unusable (an unterminated array).
    public func decode(_ body: [UInt8]) throws(ServerError) -> Result {
        var result = Result()
        var firstIndex = 0
        while firstIndex < body.count, Self.isSpace(body[firstIndex]) { firstIndex += 1 }
        if firstIndex < body.count, body[firstIndex] == UInt8(ascii: "[") {
            result.isArray = true
            let ranges = try Self.arrayElements(body, from: firstIndex)
            body.withUnsafeBufferPointer { all in
                for (n, r) in ranges.enumerated() {
                    record(UnsafeBufferPointer(rebasing: all[r]), position: n + 1, into: &result)
                }
            }
        } else {
            body.withUnsafeBufferPointer { all in
                var line = 0
                var start = 0
                while start <= all.count {
                    var end = start
                    while end < all.count, all[end] != UInt8(ascii: "\n") { end += 1 }
                    line += 1
                    var s = start, e = end
                    while s < e, Self.isSpace(all[s]) { s += 1 }
                    while e > s, Self.isSpace(all[e - 1]) { e -= 1 }
                    if s < e { record(UnsafeBufferPointer(rebasing: all[s..<e]), position: line, into: &result) }
                    start = end + 1
                }
            }
        }
        return result
    }

    private func record(_ bytes: UnsafeBufferPointer<UInt8>, position: Int, into result: inout Result) {
        do {
            result.events.append(try decoder.decode(bytes))
        } catch {
            var e = error
            e.line = position
            e.file = result.isArray ? "element" : ""
            result.badRecords += 1
            if result.errors.count < maxErrors { result.errors.append(e) }
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d }

    /// Byte ranges of the top-level elements of a JSON array starting at `from`.
    static func arrayElements(_ b: [UInt8], from: Int) throws(ServerError) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start = from + 1
        var i = from
        var closed = false
        while i < b.count {
            let c = b[i]
            if inString {
                if escaped {
                    escaped = false
                } else if c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch c {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 {
                        appendTrimmed(b, start..<i, to: &ranges)
                        closed = true
                    }
                case UInt8(ascii: ","):
                    if depth == 1 {
                        appendTrimmed(b, start..<i, to: &ranges)
                        start = i + 1
                    }
                default: break
                }
            }
            i += 1
            if closed { break }
        }
        guard closed else {
            throw ServerError(.badRequest, "body starts a JSON array that is never closed (expected ']')")
        }
        while i < b.count, isSpace(b[i]) { i += 1 }
        guard i == b.count else {
            throw ServerError(.badRequest, "unexpected data after the JSON array at byte \(i)")
        }
        return ranges
    }

    private static func appendTrimmed(_ b: [UInt8], _ r: Range<Int>, to ranges: inout [Range<Int>]) {
        var s = r.lowerBound, e = r.upperBound
        while s < e, isSpace(b[s]) { s += 1 }
        while e > s, isSpace(b[e - 1]) { e -= 1 }
        if s < e { ranges.append(s..<e) }
    }
}
