/// What the reader saw, copied into findings.json `input`.
public struct InputSummary: Sendable, Equatable {
    public var events: Int
    public var badRecords: Int
    public var duplicates: Int
    /// Accounts in the input; `nil` to use the number of accounts the investigation saw.
    public var accounts: Int?

    public init(events: Int, badRecords: Int = 0, duplicates: Int = 0, accounts: Int? = nil) {
        self.events = events
        self.badRecords = badRecords
        self.duplicates = duplicates
        self.accounts = accounts
    }

    /// From an ingest report.
    public init(_ report: IngestReport) {
        self.init(events: report.records, badRecords: report.badRecords, duplicates: report.duplicates)
    }
}
