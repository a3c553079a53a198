import Foundation
import RetortCore
import RetortSimulator
import Testing

/// `retort investigate` analyses prompts on the reader's worker threads and adds the events on one thread
/// in file order. That path must give exactly the findings of the one-thread path.
@Suite struct DetParallelAddTests {
    static let hasCorpus = FileManager.default.fileExists(atPath: PromptCorpus.defaultFolder())

    @Test(
        .enabled(if: DetParallelAddTests.hasCorpus, "prompt corpora folder not found (set RETORT_PROMPTS)"),
        arguments: [("small", UInt64(211)), ("hydra", UInt64(212))])
    func parallelAnalysisGivesTheSameFindings(preset: String, seed: UInt64) throws {
        var scenario = try #require(Scenario.preset(preset, seed: seed))
        scenario.scale(by: 0.2)
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("retort-det-parallel-\(preset)-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Simulator(scenario: scenario, corpus: try PromptCorpus.shared()).run(directory: dir)

        func investigation() throws -> Investigation {
            let inv = Investigation()
            try AccountReader().read(path: dir + "/accounts.jsonl") { inv.add($0) }
            return inv
        }
        let sequential = try investigation()
        let sequentialReader = EventReader()
        try sequentialReader.read(path: dir + "/events.jsonl.gz") { sequential.add($0) }

        let parallel = try investigation()
        let analyzer = parallel.contentAnalyzer
        // Small chunks, so that many chunks are in flight and the workers finish out of order.
        let parallelReader = ParallelEventReader(workers: 3, chunkSize: 1 << 14)
        try parallelReader.read(path: dir + "/events.jsonl.gz", prepare: { analyzer.analyze($0) }) { e, a in
            parallel.add(e, analysis: a)
        }

        #expect(sequential.eventsAdded > 10_000)
        #expect(parallel.eventsAdded == sequential.eventsAdded)
        #expect(parallel.accountCount == sequential.accountCount)
        var one = sequential.run(input: InputSummary(sequentialReader.report))
        var other = parallel.run(input: InputSummary(parallelReader.report))
        #expect(!one.campaigns.isEmpty)
        one.generatedAt = ""
        other.generatedAt = ""
        #expect(try one.jsonData() == other.jsonData())
        #expect(parallel.featureTable() == sequential.featureTable())
    }
}
