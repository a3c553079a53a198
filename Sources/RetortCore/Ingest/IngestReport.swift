/// What reading a set of input files found: counts, and the first bad records with their places.
public struct IngestReport: Sendable, Equatable {
    /// Lines read (including blank, bad and duplicate lines).
    public var lines = 0
    /// Good, unique records handed on.
    public var records = 0
    /// Records rejected as bad (all of them counted; only the first ``maxReported`` kept in ``errors``).
    public var badRecords = 0
    /// Records whose `request_id` (or, for accounts, `account_id`) had been seen before.
    public var duplicates = 0
    /// Blank lines (skipped, not counted as bad).
    public var blankLines = 0
    /// The first bad records, in input order.
    public var errors: [RecordError] = []
    /// Files that could not be read to the end (the good records before the failure are kept).
    public var fileErrors: [String] = []
    /// SHA-256 (hex) of each input file read to its end, taken as it was read, by path.
    public var digests: [String: String] = [:]
    /// Bad records by code.
    public var badByCode: [RecordError.Code: Int] = [:]
    public var maxReported: Int

    public init(maxReported: Int = 20) {
        self.maxReported = maxReported
    }

    /// Opens `path` for reading lines, or records why it cannot be opened and returns nil; in strict mode the
    /// error is thrown instead.
    mutating func open(_ path: String, strict: Bool) throws(IngestError) -> LineReader? {
        do {
            return try LineReader(path: path)
        } catch {
            if strict { throw error }
            fileErrors.append(error.description)
            return nil
        }
    }

    mutating func recordBad(_ error: RecordError) {
        badRecords += 1
        badByCode[error.code, default: 0] += 1
        if errors.count < maxReported { errors.append(error) }
    }

    /// Adds another report's counts to this one (for parallel readers).
    public mutating func merge(_ other: IngestReport) {
        lines += other.lines
        records += other.records
        badRecords += other.badRecords
        duplicates += other.duplicates
        blankLines += other.blankLines
        for e in other.errors where errors.count < maxReported { errors.append(e) }
        fileErrors += other.fileErrors
        digests.merge(other.digests) { a, _ in a }
        for (k, v) in other.badByCode { badByCode[k, default: 0] += v }
    }
}
