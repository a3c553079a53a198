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
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecordError) -> Event {
        var ts: Int64?
        var account: String?
        var request: String?
        var e = Event(ts: 0, accountID: "", requestID: "")
        var scanner = JSONScanner(bytes)
        var fieldError: RecordError?
        do {
            try scanner.forEachMember { (s, key) throws(JSONScanner.Failure) in
                guard fieldError == nil, let idx = EventDecoder.table.index(of: key) else {
                    try s.skipValue()
                    return
                }
                let name = Event.fieldNames[idx]
                let kind = s.peekKind()
                if kind == .null {
                    try s.readNull()
                    return
                }
                func wrong(_ expected: String) -> RecordError {
                    RecordError(code: .wrongType, message: "field \"\(name)\" must be \(expected)", field: name)
                }
                func str() throws(JSONScanner.Failure) -> String? {
                    guard kind == .string else {
                        fieldError = wrong("a string")
                        try s.skipValue()
                        return nil
                    }
                    return try s.readString()
                }
                func int() throws(JSONScanner.Failure) -> Int? {
                    guard kind == .number else {
                        fieldError = wrong("an integer")
                        try s.skipValue()
                        return nil
                    }
                    guard let v = try s.readNumber().integerValue else {
                        fieldError = wrong("an integer")
                        return nil
                    }
                    return Int(v)
                }
                func dbl() throws(JSONScanner.Failure) -> Double? {
                    guard kind == .number else {
                        fieldError = wrong("a number")
                        try s.skipValue()
                        return nil
                    }
                    return try s.readNumber().doubleValue
                }
                func bool() throws(JSONScanner.Failure) -> Bool? {
                    guard kind == .bool else {
                        fieldError = wrong("true or false")
                        try s.skipValue()
                        return nil
                    }
                    return try s.readBool()
                }
                switch idx {
                case 0:
                    if kind == .string {
                        let parsed = try s.withStringBytes { Timestamp.parseRFC3339(utf8: $0) }
                        if let parsed { ts = parsed } else {
                            fieldError = RecordError(
                                code: .invalidValue, message: "field \"ts\" is not an RFC 3339 date-time",
                                field: name)
                        }
                    } else if kind == .number {
                        if let v = try s.readNumber().integerValue { ts = v } else {
                            fieldError = RecordError(
                                code: .invalidValue, message: "field \"ts\" is not whole epoch milliseconds",
                                field: name)
                        }
                    } else {
                        fieldError = wrong("an RFC 3339 string or epoch milliseconds")
                        try s.skipValue()
                    }
                case 1: account = try str()
                case 2: request = try str()
                case 3: e.apiKeyID = try str()
                case 4: e.orgID = try str()
                case 5: e.endUserID = try str()
                case 6:
                    guard kind == .string else {
                        fieldError = wrong("a string")
                        try s.skipValue()
                        return
                    }
                    let ip = try s.withStringBytes { IPAddress(utf8: $0) }
                    if let ip { e.ip = ip } else {
                        fieldError = RecordError(
                            code: .invalidValue, message: "field \"ip\" is not an IPv4 or IPv6 address", field: name)
                    }
                case 7: e.asn = try int()
                case 8: e.country = try str()
                case 9: e.userAgent = try str()
                case 10: e.tlsFingerprint = try str()
                case 11: e.endpoint = try str()
                case 12: e.model = try str()
                case 13: e.inputTokens = try int()
                case 14: e.outputTokens = try int()
                case 15: e.reasoningTokens = try int()
                case 16: e.maxTokens = try int()
                case 17: e.temperature = try dbl()
                case 18: e.topP = try dbl()
                case 19: e.n = try int()
                case 20: e.logprobs = try bool()
                case 21: e.topLogprobs = try int()
                case 22: e.logitBiasSize = try int()
                case 23: e.tools = try int()
                case 24: e.thinking = try bool()
                case 25: e.stream = try bool()
                case 26: e.status = try int()
                case 27: e.latencyMs = try int()
                case 28: e.conversationID = try str()
                case 29: e.turn = try int()
                case 30: e.system = try str()
                case 31: e.prompt = try str()
                case 32: e.promptSHA256 = try str()
                default: try s.skipValue()
                }
            }
        } catch {
            if scanner.index == 0 || scanner.peekFirstNonSpace() != UInt8(ascii: "{") {
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
}

extension JSONScanner {
    func peekFirstNonSpace() -> UInt8? {
        for b in bytes where b != 0x20 && b != 0x09 && b != 0x0D && b != 0x0A { return b }
        return nil
    }
}
