/// Options shared by the event and account readers.
public struct IngestOptions: Sendable {
    /// Stop at the first bad record (throwing ``IngestError``) instead of counting it and going on.
    public var strict = false
    /// How many bad records to keep with their details (all are counted).
    public var maxReportedErrors = 20

    public init(strict: Bool = false, maxReportedErrors: Int = 20) {
        self.strict = strict
        self.maxReportedErrors = maxReportedErrors
    }
}

/// Streams events from JSON Lines files (plain or gzip), rejecting bad records with their place and
/// dropping repeated `request_id`s, in memory bounded by the longest line plus 8 bytes per request.
public final class EventReader {
    public let options: IngestOptions
    public private(set) var report: IngestReport
    private var seen = ShardedUInt64Set(capacity: 1 << 16)
    private let decoder = EventDecoder()

    public init(options: IngestOptions = IngestOptions()) {
        self.options = options
        self.report = IngestReport(maxReported: options.maxReportedErrors)
    }

    /// Reads one file, calling `body` for each good, first-seen event. `progress` gets (bytes read, file size).
    /// A file that cannot be read to the end is recorded in ``IngestReport/fileErrors`` and the events
    /// before the failure are kept; in strict mode it throws instead.
    public func read(
        path: String,
        progress: ((Int64, Int64) -> Void)? = nil,
        _ body: (Event) throws -> Void
    ) throws {
        guard let reader = try report.open(path, strict: options.strict) else { return }
        var sinceProgress = 0
        do {
            try reader.forEachLine { line, number in
                try self.handle(line: line, number: number, path: path, body)
                sinceProgress += 1
                if sinceProgress >= 65_536, let progress {
                    sinceProgress = 0
                    progress(reader.bytesRead, reader.fileSize)
                }
            }
        } catch let error as IngestError {
            if options.strict || error.code == .badRecord { throw error }
            report.fileErrors.append(error.description)
        }
        if let digest = reader.sha256 { report.digests[path] = digest }
        progress?(reader.bytesRead, reader.fileSize)
    }

    /// Handles one line of input (exposed for the HTTP ingest API, which has no file).
    public func handle(
        line: UnsafeBufferPointer<UInt8>, number: Int, path: String, _ body: (Event) throws -> Void
    ) throws {
        report.lines += 1
        if isBlank(line) {
            report.blankLines += 1
            return
        }
        let event: Event
        do {
            event = try decoder.decode(line)
        } catch var error {
            error.file = path
            error.line = number
            if options.strict {
                throw IngestError(code: .badRecord, message: error.message, file: path, line: number, cause: error)
            }
            report.recordBad(error)
            return
        }
        guard seen.insert(requestKey(event.requestID)) else {
            report.duplicates += 1
            return
        }
        report.records += 1
        try body(event)
    }
}

@inline(__always)
func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in line where b != 0x20 && b != 0x09 && b != 0x0D { return false }
    return true
}
