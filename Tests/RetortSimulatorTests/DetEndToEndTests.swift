import Foundation
import RetortCore
import RetortSimulator
import Testing

/// Simulates a small held-out world (a seed the detector was not tuned on) and checks the detector's
/// account-level recall and false positives on it, end to end through the real files and readers.
@Suite struct DetEndToEndTests {
    static let hasCorpus = FileManager.default.fileExists(atPath: PromptCorpus.defaultFolder())

    @Test(.enabled(if: DetEndToEndTests.hasCorpus, "prompt corpora folder not found (set RETORT_PROMPTS)"))
    func heldOutSmallScenario() throws {
        var scenario = try #require(Scenario.preset("small", seed: 104))
        scenario.scale(by: 0.25)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-det-e2e-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Simulator(scenario: scenario, corpus: try PromptCorpus.shared()).run(directory: dir)

        let inv = Investigation()
        try AccountReader().read(path: dir + "/accounts.jsonl") { inv.add($0) }
        let reader = EventReader()
        try reader.read(path: dir + "/events.jsonl.gz") { inv.add($0) }
        let findings = inv.run(input: InputSummary(reader.report))
        let report = evaluate(findings: findings, truth: try TruthSet.load(path: dir + "/truth.jsonl"))

        #expect(report.overall.recall >= 0.9, "recall \(report.overall.recall)\n\(report.table())")
        #expect(report.overall.falsePositives <= 1, "\(report.table())")
        #expect(report.wholeFalseCampaigns == 0)
        #expect(reader.report.badRecords == 0)
    }
}
