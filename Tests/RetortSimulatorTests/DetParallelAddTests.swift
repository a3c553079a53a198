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

        func investigation(cacheSlots: Int = DetectionConfig.default.content.analysisCacheSlots) throws
            -> Investigation
        {
            var config = DetectionConfig.default
            config.content.analysisCacheSlots = cacheSlots
            let inv = Investigation(config: config)
            try AccountReader().read(path: dir + "/accounts.jsonl") { inv.add($0) }
            return inv
        }
        // The reference: one thread, every prompt analysed (no cache).
        let sequential = try investigation(cacheSlots: 0)
        let sequentialReader = EventReader()
        try sequentialReader.read(path: dir + "/events.jsonl.gz") { sequential.add($0) }

        let parallel = try investigation()
        let analyzer = parallel.contentAnalyzer
        // Small chunks, so that many chunks are in flight and the workers finish out of order.
        let parallelReader = ParallelEventReader(workers: 3, chunkSize: 1 << 14)
        try parallelReader.read(path: dir + "/events.jsonl.gz", prepare: { analyzer.analyze($0) }) { e, a in
            parallel.add(e, analysis: a)
        }

        // What `retort investigate` runs: shared analysis cache (small, so that prompts evict each other),
        // prefetching, worker threads.
        let cached = try investigation(cacheSlots: 256)
        let cachedReader = ParallelEventReader(workers: 3, chunkSize: 1 << 14)
        try cached.read(path: dir + "/events.jsonl.gz", with: cachedReader)
        #expect(cached.analysisCache.counts.hits > 0)

        #expect(sequential.eventsAdded > 10_000)
        #expect(parallel.eventsAdded == sequential.eventsAdded)
        #expect(cached.eventsAdded == sequential.eventsAdded)
        #expect(parallel.accountCount == sequential.accountCount)
        var one = sequential.run(input: InputSummary(sequentialReader.report))
        var other = parallel.run(input: InputSummary(parallelReader.report))
        var third = cached.run(input: InputSummary(cachedReader.report))
        #expect(!one.campaigns.isEmpty)
        one.generatedAt = ""
        other.generatedAt = ""
        third.generatedAt = ""
        #expect(try one.jsonData() == other.jsonData())
        #expect(try one.jsonData() == third.jsonData())
        #expect(parallel.featureTable() == sequential.featureTable())
        #expect(cached.featureTable() == sequential.featureTable())
    }
}
