/// Why one input record was rejected, and where it stands in its file.
///
/// Descriptions name the file, the line and the field, never the record's content (which may hold
/// prompt text or other customer data).
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case invalidJSON = "invalid_json"
        case notAnObject = "not_an_object"
        case missingField = "missing_field"
        case wrongType = "wrong_type"
        case invalidValue = "invalid_value"
        case invalidCSV = "invalid_csv"
    }

    public var code: Code
    /// What was wrong, e.g. `field "ts" is not an RFC 3339 time or epoch milliseconds`.
    public var message: String
    /// The field concerned, when there is one.
    public var field: String?
    /// Input file path (empty for in-memory input).
    public var file: String
    /// 1-based line number in the (decompressed) file.
    public var line: Int

    public init(code: Code, message: String, field: String? = nil, file: String = "", line: Int = 0) {
        self.code = code
        self.message = message
        self.field = field
        self.file = file
        self.line = line
    }

    public var description: String {
        let place = file.isEmpty ? "line \(line)" : "\(file):\(line)"
        return "\(place): \(code.rawValue): \(message)"
    }
}

/// A failure that stops a whole input file (cannot open, corrupt compression, strict mode).
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotOpen = "cannot_open"
        case readFailed = "read_failed"
        case corruptCompression = "corrupt_compression"
        case badRecord = "bad_record"
        case badHeader = "bad_header"
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int?
    /// The record-level cause, in strict mode.
    public var cause: RecordError?

    public init(code: Code, message: String, file: String, line: Int? = nil, cause: RecordError? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.cause = cause
    }

    public var description: String {
        if let cause { return "strict mode stopped at \(cause)" }
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(code.rawValue): \(message)"
    }
}
