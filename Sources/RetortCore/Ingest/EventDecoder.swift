/// Decodes one JSON Lines record into an ``Event`` (formats.md section 1) without Foundation.
///
/// A hand-written decoder of the known fields; unknown fields are validated and skipped. A value of the
/// wrong type, a malformed time or IP, or a missing required field makes the record bad.
/// JSON `null` in an optional field means the field is absent.
public struct EventDecoder: Sendable {
    static let table = FieldTable(Event.fieldNames)

    public init() {}

    /// Decodes a record from a string (convenience for tests and the HTTP API).
    public func decode(_ line: String) throws(RecordError) -> Event {
        var s = line
        let result = s.withUTF8 { b in Result { () throws(RecordError) in try decode(b) } }
        return try result.get()
    }

    /// Decodes a record from UTF-8 bytes. Errors carry no file or line; callers add them.
    ///
    /// One pass over the line, no closures: the key is looked up in a perfect-hash table and the value is
    /// read straight into the event (the hot path of every reader; see docs/performance.md).
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecordError) -> Event {
        var none = StringInterner(slots: 0)
        return try decode(bytes, interner: &none)
    }

    /// Decodes a record like ``decode(_:)-(UnsafeBufferPointer<UInt8>)``, taking the strings of fields that
    /// repeat across records (client, endpoint, model, system prompt, prompt) from `interner` when their
    /// bytes were seen before. Same event.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, interner: inout StringInterner) throws(RecordError) -> Event {
        var fields = EventFields()
        var scratch: [UInt8] = []
        try decode(bytes, into: &fields, interner: &interner, scratch: &scratch)
        return fields.event
    }

    /// The one JSON walk of every event decoder: validates the record and hands each known field's value to
    /// `sink` (strings as their raw span, see ``EventFieldSink``), then checks the required fields. A record
    /// is bad (and which error it reports) independently of the sink.
    @inline(__always)
    func decode<Sink: EventFieldSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink, interner: inout StringInterner,
        scratch: inout [UInt8]
    ) throws(RecordError) {
        var ts: Int64?
        var s = JSONScanner(bytes)
        var fieldError: RecordError?
        var failed = false  // a field was bad: the rest is only validated
        let table = EventDecoder.table
        do throws(JSONScanner.Failure) {
            s.skipWhitespace()
            guard s.index < bytes.count, bytes[s.index] == UInt8(ascii: "{") else { throw s.fail("not a JSON object") }
            s.index += 1
            if !s.consume(UInt8(ascii: "}")) {
                repeat {
                    s.skipWhitespace()
                    let (ks, ke, keyEscaped) = try s.scanStringSpan()
                    try s.expect(UInt8(ascii: ":"))
                    let idx: Int
                    if keyEscaped {
                        var key = JSONScanner.unescape(UnsafeBufferPointer(rebasing: bytes[ks..<ke]))
                        idx = key.withUTF8 { table.lookup($0) }
                    } else {
                        idx = table.lookup(UnsafeBufferPointer(rebasing: bytes[ks..<ke]))
                    }
                    guard idx >= 0, !failed else {
                        try s.skipValue()
                        continue
                    }
                    let kind = s.peekKind()
                    if kind == .null {
                        try s.readNull()
                        continue
                    }
                    switch EventDecoder.kinds[idx] {
                    case .string:
                        guard kind == .string else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "a string")
                            try s.skipValue()
                            continue
                        }
                        s.skipWhitespace()
                        let (start, end, escaped, ascii) = try s.scanTextSpan()
                        sink.string(
                            idx, UnsafeBufferPointer(rebasing: bytes[start..<end]), escaped: escaped, ascii: ascii,
                            interner: &interner, scratch: &scratch)
                    case .integer:
                        guard kind == .number else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "an integer")
                            try s.skipValue()
                            continue
                        }
                        guard let w = try s.readNumber().integerValue else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "an integer")
                            continue
                        }
                        sink.integer(idx, Int(w))
                    case .number:
                        guard kind == .number else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "a number")
                            try s.skipValue()
                            continue
                        }
                        sink.number(idx, try s.readNumber().doubleValue)
                    case .bool:
                        guard kind == .bool else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "true or false")
                            try s.skipValue()
                            continue
                        }
                        sink.bool(idx, try s.readBool())
                    case .time:
                        if kind == .string {
                            let parsed = try s.withStringBytes { Timestamp.parseRFC3339(utf8: $0) }
                            if let parsed {
                                ts = parsed
                            } else {
                                failed = true
                                fieldError = RecordError(
                                    code: .invalidValue, message: "field \"ts\" is not an RFC 3339 date-time",
                                    field: "ts")
                            }
                        } else if kind == .number {
                            if let v = try s.readNumber().integerValue {
                                ts = v
                            } else {
                                failed = true
                                fieldError = RecordError(
                                    code: .invalidValue, message: "field \"ts\" is not whole epoch milliseconds",
                                    field: "ts")
                            }
                        } else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "an RFC 3339 string or epoch milliseconds")
                            try s.skipValue()
                        }
                    case .ip:
                        guard kind == .string else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "a string")
                            try s.skipValue()
                            continue
                        }
                        let ip = try s.withStringBytes { IPAddress(utf8: $0) }
                        if let ip {
                            sink.ip(ip)
                        } else {
                            failed = true
                            fieldError = RecordError(
                                code: .invalidValue, message: "field \"ip\" is not an IPv4 or IPv6 address",
                                field: "ip")
                        }
                    }
                } while s.consume(UInt8(ascii: ","))
                try s.expect(UInt8(ascii: "}"))
            }
            s.skipWhitespace()
            guard s.index == bytes.count else { throw s.fail("trailing characters after the object") }
        } catch {
            if s.peekFirstNonSpace() != UInt8(ascii: "{") {
                throw RecordError(code: .notAnObject, message: "line is not a JSON object")
            }
            throw RecordError(code: .invalidJSON, message: "invalid JSON at byte \(error.offset + 1): \(error.message)")
        }
        if let fieldError { throw fieldError }
        guard let ts else { throw RecordError(code: .missingField, message: "missing field \"ts\"", field: "ts") }
        guard sink.hasAccount else {
            throw RecordError(code: .missingField, message: "missing field \"account_id\"", field: "account_id")
        }
        guard sink.hasRequest else {
            throw RecordError(code: .missingField, message: "missing field \"request_id\"", field: "request_id")
        }
        sink.ts = ts
    }

    /// How each field of ``Event/fieldNames`` is read.
    enum FieldKind {
        case time, string, integer, number, bool, ip
    }

    static let kinds: [FieldKind] = Event.fieldNames.indices.map { i in
        switch i {
        case 0: .time
        case 6: .ip
        case 7, 13, 14, 15, 16, 19, 21, 22, 23, 26, 27, 29: .integer
        case 17, 18: .number
        case 20, 24, 25: .bool
        default: .string
        }
    }

    /// String fields whose values repeat across records: organisation, country, user agent, TLS
    /// fingerprint, endpoint, model, system prompt, prompt (not the ids that are new on every record).
    static let interned: [Bool] = Event.fieldNames.indices.map { [4, 8, 9, 10, 11, 12, 30, 31].contains($0) }

    static func wrong(_ idx: Int, _ expected: String) -> RecordError {
        let name = Event.fieldNames[idx]
        return RecordError(code: .wrongType, message: "field \"\(name)\" must be \(expected)", field: name)
    }
}

extension JSONScanner {
    func peekFirstNonSpace() -> UInt8? {
        for b in bytes where b != 0x20 && b != 0x09 && b != 0x0D && b != 0x0A { return b }
        return nil
    }
}
