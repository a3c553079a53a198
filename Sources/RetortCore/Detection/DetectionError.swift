/// A failure of the detection layer (bad config, unreadable truth file, signing key problems).
public struct DetectionError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case badConfig = "bad_config"
        case badTruth = "bad_truth"
        case badFindings = "bad_findings"
        case badSigningKey = "bad_signing_key"
        case writeFailed = "write_failed"
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int?

    public init(code: Code, message: String, file: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(code.rawValue): \(message)"
    }
}
