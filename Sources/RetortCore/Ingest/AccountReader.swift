/// Reads account records (formats.md section 2) from JSON Lines or CSV with a header row, plain or gzip.
/// The format is detected from the content: a first record starting with `{` is JSON Lines.
/// A repeated `account_id` keeps the first record and counts a duplicate.
public final class AccountReader {
    public let options: IngestOptions
    public private(set) var report: IngestReport
    private var seen = Set<String>()
    static let table = FieldTable(Account.fieldNames)

    public init(options: IngestOptions = IngestOptions()) {
        self.options = options
        self.report = IngestReport(maxReported: options.maxReportedErrors)
    }

    public func read(path: String, _ body: (Account) throws -> Void) throws {
        let reader = try LineReader(path: path)
        var format: Bool?  // true = JSONL, false = CSV
        var header: [Int?] = []
        var headerSeen = false
        var pending: [UInt8] = []  // a CSV record spanning lines (quoted newline)
        var pendingStart = 0
        do {
            try reader.forEachLine { line, number in
                if format == nil {
                    if isBlank(line) {
                        report.lines += 1
                        report.blankLines += 1
                        return
                    }
                    format = firstNonSpace(line) == UInt8(ascii: "{")
                }
                if format == true {
                    report.lines += 1
                    if isBlank(line) {
                        report.blankLines += 1
                        return
                    }
                    do {
                        try accept(try decodeJSON(line), body)
                    } catch let error as RecordError {
                        try bad(error, path: path, line: number)
                    }
                    return
                }
                // CSV: join physical lines while a quoted field is open.
                if pending.isEmpty { pendingStart = number } else { pending.append(0x0A) }
                pending.append(contentsOf: line)
                guard CSV.quotesBalanced(pending) else { return }
                defer { pending.removeAll(keepingCapacity: true) }
                report.lines += 1
                if isBlank(line) && pending.count == line.count {
                    report.blankLines += 1
                    return
                }
                let fields: [String]
                do {
                    fields = try CSV.split(pending)
                } catch let error as RecordError {
                    if !headerSeen {
                        throw IngestError(code: .badHeader, message: error.message, file: path, line: pendingStart)
                    }
                    try bad(error, path: path, line: pendingStart)
                    return
                }
                if !headerSeen {
                    headerSeen = true
                    header = fields.map { name in
                        let t = name.trimmingSpaces
                        return Account.fieldNames.firstIndex(of: t)
                    }
                    guard header.contains(0) else {
                        throw IngestError(
                            code: .badHeader, message: "CSV header has no account_id column", file: path,
                            line: pendingStart)
                    }
                    return
                }
                do {
                    try accept(try decodeCSV(fields, header: header), body)
                } catch let error as RecordError {
                    try bad(error, path: path, line: pendingStart)
                }
            }
            if !pending.isEmpty {
                report.lines += 1
                try bad(
                    RecordError(code: .invalidCSV, message: "unterminated quoted field at end of file"), path: path,
                    line: pendingStart)
            }
        } catch let error as IngestError {
            if options.strict || error.code == .badRecord || error.code == .badHeader { throw error }
            report.fileErrors.append(error.description)
        }
    }

    private func bad(_ error: RecordError, path: String, line: Int) throws {
        var e = error
        e.file = path
        e.line = line
        if options.strict {
            throw IngestError(code: .badRecord, message: e.message, file: path, line: line, cause: e)
        }
        report.recordBad(e)
    }

    private func accept(_ account: Account, _ body: (Account) throws -> Void) throws {
        guard seen.insert(account.accountID).inserted else {
            report.duplicates += 1
            return
        }
        report.records += 1
        try body(account)
    }

    /// Decodes one JSON account record.
    public func decodeJSON(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecordError) -> Account {
        var a = Account(accountID: "")
        var fieldError: RecordError?
        var scanner = JSONScanner(bytes)
        do {
            try scanner.forEachMember { (s, key) throws(JSONScanner.Failure) in
                guard fieldError == nil, let idx = AccountReader.table.index(of: key) else {
                    try s.skipValue()
                    return
                }
                let kind = s.peekKind()
                if kind == .null {
                    try s.readNull()
                    return
                }
                let name = Account.fieldNames[idx]
                if idx == 9 {
                    guard kind == .bool else {
                        fieldError = RecordError(
                            code: .wrongType, message: "field \"verified\" must be true or false", field: name)
                        try s.skipValue()
                        return
                    }
                    a.verified = try s.readBool()
                    return
                }
                if idx == 1, kind == .number {
                    guard let v = try s.readNumber().integerValue else {
                        fieldError = RecordError(
                            code: .invalidValue, message: "field \"created_at\" is not whole epoch milliseconds",
                            field: name)
                        return
                    }
                    a.createdAt = v
                    return
                }
                guard kind == .string else {
                    fieldError = RecordError(
                        code: .wrongType, message: "field \"\(name)\" must be a string", field: name)
                    try s.skipValue()
                    return
                }
                let value = try s.readString()
                do throws(RecordError) {
                    try AccountReader.assign(idx, value, to: &a)
                } catch {
                    fieldError = error
                }
            }
        } catch {
            if scanner.peekFirstNonSpace() != UInt8(ascii: "{") {
                throw RecordError(code: .notAnObject, message: "line is not a JSON object")
            }
            throw RecordError(code: .invalidJSON, message: "invalid JSON at byte \(error.offset + 1): \(error.message)")
        }
        if let fieldError { throw fieldError }
        guard !a.accountID.isEmpty else {
            throw RecordError(code: .missingField, message: "missing field \"account_id\"", field: "account_id")
        }
        return a
    }

    func decodeCSV(_ fields: [String], header: [Int?]) throws(RecordError) -> Account {
        guard fields.count == header.count else {
            throw RecordError(
                code: .invalidCSV, message: "row has \(fields.count) fields, header has \(header.count)")
        }
        var a = Account(accountID: "")
        for (value, idx) in zip(fields, header) {
            guard let idx, !value.isEmpty else { continue }
            if idx == 9 {
                switch value.lowercased() {
                case "true", "1", "yes", "t", "y": a.verified = true
                case "false", "0", "no", "f", "n": a.verified = false
                default:
                    throw RecordError(
                        code: .wrongType, message: "field \"verified\" must be true or false", field: "verified")
                }
                continue
            }
            if idx == 1, let ms = Int64(value) {
                a.createdAt = ms
                continue
            }
            try AccountReader.assign(idx, value, to: &a)
        }
        guard !a.accountID.isEmpty else {
            throw RecordError(code: .missingField, message: "missing field \"account_id\"", field: "account_id")
        }
        return a
    }

    static func assign(_ idx: Int, _ value: String, to a: inout Account) throws(RecordError) {
        switch idx {
        case 0: a.accountID = value
        case 1:
            guard let t = Timestamp.parseRFC3339(value) else {
                throw RecordError(
                    code: .invalidValue, message: "field \"created_at\" is not an RFC 3339 date-time",
                    field: "created_at")
            }
            a.createdAt = t
        case 2: a.emailDomain = value.lowercased()
        case 3: a.emailLocal = value
        case 4: a.paymentFingerprint = value
        case 5: a.cardBIN = value
        case 6:
            guard let ip = IPAddress(value) else {
                throw RecordError(
                    code: .invalidValue, message: "field \"signup_ip\" is not an IPv4 or IPv6 address",
                    field: "signup_ip")
            }
            a.signupIP = ip
        case 7: a.country = value
        case 8: a.orgID = value
        case 10: a.tier = value
        default: break
        }
    }
}

func firstNonSpace(_ line: UnsafeBufferPointer<UInt8>) -> UInt8? {
    for b in line where b != 0x20 && b != 0x09 && b != 0xEF && b != 0xBB && b != 0xBF { return b }
    return nil
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        // Strip a UTF-8 byte-order mark and surrounding blanks.
        if s.hasPrefix("\u{FEFF}") { s = s.dropFirst() }
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// RFC 4180 CSV field splitting.
enum CSV {
    static func quotesBalanced(_ bytes: [UInt8]) -> Bool {
        var n = 0
        for b in bytes where b == UInt8(ascii: "\"") { n += 1 }
        return n % 2 == 0
    }

    /// Splits one record. Quoted fields may contain commas, doubled quotes and newlines.
    static func split(_ bytes: [UInt8]) throws(RecordError) -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        var i = 0
        var inQuotes = false
        var wasQuoted = false
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        current.append(c)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    // Only a separator may follow a closing quote.
                    if i < bytes.count && bytes[i] != UInt8(ascii: ",") {
                        throw RecordError(code: .invalidCSV, message: "text after a closing quote at byte \(i + 1)")
                    }
                    continue
                }
                current.append(c)
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: ","):
                fields.append(finish(current, quoted: wasQuoted))
                current.removeAll(keepingCapacity: true)
                wasQuoted = false
            case UInt8(ascii: "\""):
                guard current.allSatisfy({ $0 == 0x20 }) else {
                    throw RecordError(code: .invalidCSV, message: "quote inside an unquoted field at byte \(i + 1)")
                }
                current.removeAll()
                inQuotes = true
                wasQuoted = true
            default:
                current.append(c)
            }
            i += 1
        }
        if inQuotes { throw RecordError(code: .invalidCSV, message: "unterminated quoted field") }
        fields.append(finish(current, quoted: wasQuoted))
        return fields
    }

    private static func finish(_ bytes: [UInt8], quoted: Bool) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        return quoted ? s : s.trimmingSpaces
    }
}
