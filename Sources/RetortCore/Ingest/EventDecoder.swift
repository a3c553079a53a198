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
        var ts: Int64?
        var account: String?
        var request: String?
        var e = Event(ts: 0, accountID: "", requestID: "")
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
                        let v = EventDecoder.interned[idx] ? try s.readString(&interner) : try s.readString()
                        switch idx {
                        case 1: account = v
                        case 2: request = v
                        case 3: e.apiKeyID = v
                        case 4: e.orgID = v
                        case 5: e.endUserID = v
                        case 8: e.country = v
                        case 9: e.userAgent = v
                        case 10: e.tlsFingerprint = v
                        case 11: e.endpoint = v
                        case 12: e.model = v
                        case 28: e.conversationID = v
                        case 30: e.system = v
                        case 31: e.prompt = v
                        default: e.promptSHA256 = v
                        }
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
                        let v = Int(w)
                        switch idx {
                        case 7: e.asn = v
                        case 13: e.inputTokens = v
                        case 14: e.outputTokens = v
                        case 15: e.reasoningTokens = v
                        case 16: e.maxTokens = v
                        case 19: e.n = v
                        case 21: e.topLogprobs = v
                        case 22: e.logitBiasSize = v
                        case 23: e.tools = v
                        case 26: e.status = v
                        case 27: e.latencyMs = v
                        default: e.turn = v
                        }
                    case .number:
                        guard kind == .number else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "a number")
                            try s.skipValue()
                            continue
                        }
                        let v = try s.readNumber().doubleValue
                        if idx == 17 { e.temperature = v } else { e.topP = v }
                    case .bool:
                        guard kind == .bool else {
                            failed = true
                            fieldError = EventDecoder.wrong(idx, "true or false")
                            try s.skipValue()
                            continue
                        }
                        let v = try s.readBool()
                        switch idx {
                        case 20: e.logprobs = v
                        case 24: e.thinking = v
                        default: e.stream = v
                        }
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
                            e.ip = ip
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
        guard let account, !account.isEmpty else {
            throw RecordError(code: .missingField, message: "missing field \"account_id\"", field: "account_id")
        }
        guard let request, !request.isEmpty else {
            throw RecordError(code: .missingField, message: "missing field \"request_id\"", field: "request_id")
        }
        e.ts = ts
        e.accountID = account
        e.requestID = request
        return e
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
