import Foundation

/// A ground-truth file (formats.md section 3) with the optional `harvest_exchanges` of reseller lines.
public struct TruthSet: Sendable {
    public var records: [TruthRecord]
    /// True harvesting exchanges per account, where the truth gives them (reseller accounts).
    public var harvestExchanges: [String: Int]

    public init(records: [TruthRecord], harvestExchanges: [String: Int] = [:]) {
        self.records = records
        self.harvestExchanges = harvestExchanges
    }

    struct Line: Decodable {
        var accountID: String
        var campaign: String?
        var kind: String?
        var harvestExchanges: Int?

        enum CodingKeys: String, CodingKey {
            case accountID = "account_id"
            case campaign
            case kind
            case harvestExchanges = "harvest_exchanges"
        }
    }

    /// Reads a truth JSON Lines file (plain or gzip). A bad line is an error naming file and line.
    public static func load(path: String) throws -> TruthSet {
        var set = TruthSet(records: [])
        let reader: LineReader
        do {
            reader = try LineReader(path: path)
        } catch {
            throw DetectionError(code: .badTruth, message: "cannot open truth file", file: path)
        }
        let decoder = JSONDecoder()
        try reader.forEachLine { line, number in
            if isBlank(line) { return }
            do {
                let l = try decoder.decode(Line.self, from: Data(buffer: line))
                set.records.append(TruthRecord(accountID: l.accountID, campaign: l.campaign, kind: l.kind))
                if let h = l.harvestExchanges { set.harvestExchanges[l.accountID] = h }
            } catch {
                throw DetectionError(
                    code: .badTruth, message: "not a truth record (needs account_id)", file: path, line: number)
            }
        }
        return set
    }
}
