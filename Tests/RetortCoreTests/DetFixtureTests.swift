import Foundation
import Testing

@testable import RetortCore

/// Reads the hand-made fixture files through the real readers, as `retort investigate` does.
@Suite struct DetFixtureTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func investigatesFixtureFiles() throws {
        let inv = Investigation()
        try AccountReader().read(path: Self.dir.appendingPathComponent("det-accounts.jsonl").path) { inv.add($0) }
        let reader = EventReader()
        try reader.read(path: Self.dir.appendingPathComponent("det-events.jsonl").path) { inv.add($0) }
        #expect(reader.report.badRecords == 2)
        #expect(reader.report.duplicates == 1)
        let f = inv.run(input: InputSummary(reader.report))
        #expect(f.input.badRecords == 2 && f.input.duplicates == 1)
        #expect(f.input.events == reader.report.records)
        let truth = try TruthSet.load(path: Self.dir.appendingPathComponent("det-truth.jsonl").path)
        let r = evaluate(findings: f, truth: truth)
        #expect(r.overall.recall == 1)
        #expect(r.overall.falsePositives == 0)
        #expect(r.wholeFalseCampaigns == 0)
        let c = try #require(f.campaigns.first)
        #expect(c.signals.contains { $0.name == "shared_payment" })
        #expect(c.signals.contains { $0.name == "email_pattern" })
    }
}
