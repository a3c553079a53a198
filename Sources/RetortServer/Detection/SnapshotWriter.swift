import Foundation
import RetortCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes a snapshot as JSON (campaigns and scored accounts, formats.md section 4 field names).
enum SnapshotWriter {
    static func json(_ s: RiskSnapshot) -> JSONText {
        let campaigns = s.campaigns.values.sorted { $0.id < $1.id }.map { c -> JSONText in
            .object([
                ("id", .string(c.id)), ("accounts", .array(c.accounts.map { .string($0) })),
                ("exchanges", .int(c.exchanges)), ("input_tokens", .int(c.inputTokens)),
                ("output_tokens", .int(c.outputTokens)), ("score", .double(c.score)),
                ("signals", .array(c.signals.map { .string($0) })),
            ])
        }
        let accounts = s.accounts.keys.sorted().map { id -> JSONText in
            let a = s.accounts[id]!
            return .object([
                ("account_id", .string(id)), ("score", .double(a.score)), ("campaign", .opt(a.campaignID)),
                ("reasons", .array(a.reasons.map { .string($0) })),
            ])
        }
        return .object([
            ("schema_version", .int(1)), ("generated_at", .string(Timestamp.format(s.generatedAt))),
            ("input", .object([("events", .int(s.events))])),
            ("campaigns", .array(campaigns)), ("accounts", .array(accounts)),
        ])
    }

    static func write(_ s: RiskSnapshot, directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let tmp = directory + "/snapshot.json.tmp"
        try Data(json(s).rendered.utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, directory + "/snapshot.json") == 0 else {
            throw ServerError(.io, "cannot rename \(tmp) to snapshot.json: errno \(errno)")
        }
    }
}
