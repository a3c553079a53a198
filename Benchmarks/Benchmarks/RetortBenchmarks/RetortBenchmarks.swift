import Benchmark
import BenchmarkSupport
import Foundation
import RetortCore

/// Inputs shared by the benchmarks, built once (outside the measured region).
enum Inputs {
    static let prompts = SampleEvents.prompts()
    /// 10,000 realistic event lines with prompt text.
    static let lines = SampleEvents.lines(count: 10_000, prompts: prompts)
    /// The same lines as one gzip file on disk.
    static let gzipPath: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("retort-bench-events.jsonl").path
        var text: [UInt8] = []
        for line in lines {
            text += line
            text.append(0x0A)
        }
        _ = FileManager.default.createFile(atPath: path, contents: Data(text))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-f", "-6", path]
        try? gzip.run()
        gzip.waitUntilExit()
        return path + ".gz"
    }()
    /// The same lines as sized gzip members of ~1 MB of lines each (as the simulator writes them), which
    /// the parallel reader inflates on its workers.
    static let sizedGzipPath: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("retort-bench-sized.jsonl.gz").path
        var file: [UInt8] = []
        var piece: [UInt8] = []
        for line in lines {
            piece += line
            piece.append(0x0A)
            if piece.count >= 1 << 20 {
                file += (try? GzipMember.compress(piece, level: 1)) ?? []
                piece.removeAll(keepingCapacity: true)
            }
        }
        if !piece.isEmpty { file += (try? GzipMember.compress(piece, level: 1)) ?? [] }
        _ = FileManager.default.createFile(atPath: path, contents: Data(file))
        return path
    }()
    static let keys: [UInt64] = (0..<100_000).map { Hash64.mix(UInt64($0)) }
    /// Prompt texts as UTF-8 bytes, for the content kernels.
    static let promptBytes: [[UInt8]] = prompts.prefix(5_000).map { Array($0.utf8) }
    /// Decoded events, for the per-account feature update.
    static let events: [Event] = lines.prefix(5_000).compactMap { line in
        line.withUnsafeBufferPointer { try? EventDecoder().decode($0) }
    }
}

let allocationMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident]

// Names use no "/" or spaces: 1.38.1 writes thresholds under a cleaned name but reads them under the raw one.
let benchmarks: @Sendable () -> Void = {
    let quick = ProcessInfo.processInfo.environment["RETORT_BENCH_SMOKE"] != nil
    Benchmark.defaultConfiguration = .init(
        metrics: allocationMetrics,
        scalingFactor: .kilo,
        maxDuration: quick ? .milliseconds(300) : .seconds(2),
        maxIterations: quick ? 3 : 1000,
        thresholds: [
            .mallocCountTotal: .init(relative: [.p90: 5.0], absolute: [.p90: 50])
        ]
    )

    // JSON event decode: the purpose-built decoder against Foundation's JSONDecoder with a Codable struct.
    // One iteration decodes 1,000 lines (the `*1000` in the report).
    Benchmark("Decode.EventDecoder") { benchmark in
        let lines = Inputs.lines
        let decoder = EventDecoder()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let line = lines[i % lines.count]
            i += 1
            line.withUnsafeBufferPointer { blackHole(try? decoder.decode($0)) }
        }
    }

    Benchmark("Decode.FoundationJSONDecoder") { benchmark in
        let lines = Inputs.lines
        let decoder = FoundationEventDecoder()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let line = lines[i % lines.count]
            i += 1
            line.withUnsafeBufferPointer { blackHole(decoder.decode($0)) }
        }
    }

    // Line reader over a gzip file of 10,000 event lines (one iteration = the whole file).
    // Whole-file readers: the request-id set and buffers grow at points that shift a little from run to run
    // (per-process hash seeds, read sizes), so up to 5% of slack on ~50,000.
    let readerConfiguration = Benchmark.Configuration(
        scalingFactor: .one,
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 5.0], absolute: [.p90: 2500])]
    )
    Benchmark("LineReader.gzip-10k-lines", configuration: readerConfiguration) { benchmark in
        let path = Inputs.gzipPath
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var n = 0
            try LineReader(path: path).forEachLine { line, _ in n &+= line.count }
            blackHole(n)
        }
    }

    // Whole sequential and parallel readers over the same file: split, decode, dedup, report.
    Benchmark("EventReader.gzip-10k-events", configuration: readerConfiguration) { benchmark in
        let path = Inputs.gzipPath
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let reader = EventReader()
            try reader.read(path: path) { blackHole($0.ts) }
        }
    }

    // Thread hand-offs allocate a little differently from run to run: a wider allocation tolerance.
    let parallelConfiguration = Benchmark.Configuration(
        scalingFactor: .one,
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 15.0], absolute: [.p90: 500])]
    )
    // The parallel reader over the gzip file, and over the same lines as sized gzip members, which are inflated
    // on the worker threads (with libdeflate when the system has it). The input is made on first use.
    let parallelInputs: [(name: String, path: @Sendable () -> String)] = [
        ("ParallelEventReader.gzip-10k-events", { Inputs.gzipPath }),
        ("ParallelEventReader.sized-gzip-10k-events", { Inputs.sizedGzipPath }),
    ]
    for input in parallelInputs {
        Benchmark(input.name, configuration: parallelConfiguration) { benchmark in
            let path = input.path()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let reader = ParallelEventReader(workers: 2, chunkSize: 1 << 20)
                try reader.read(path: path) { blackHole($0.ts) }
            }
        }
    }

    // Template normalisation: a prompt's token hashes after masking numbers, ids, quoted values (one prompt
    // per iteration, 1,000 per unit).
    Benchmark("Content.TemplateNormalizer.tokenHashes") { benchmark in
        let prompts = Inputs.promptBytes
        let normalizer = TemplateNormalizer()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            prompts[i % prompts.count].withUnsafeBufferPointer { blackHole(normalizer.tokenHashes($0)) }
            i += 1
        }
    }

    // The whole prompt fingerprint of one event: template, exact and MinHash band keys, capabilities.
    Benchmark("Content.ContentAnalyzer.analyze") { benchmark in
        let prompts = Inputs.prompts.prefix(5_000).map { $0 }
        let analyzer = ContentAnalyzer()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(analyzer.analyze(prompt: prompts[i % prompts.count], system: nil, promptSHA256: nil, tools: nil))
            i += 1
        }
    }

    // One-permutation MinHash: 64 token hashes into a 16-bin sketch, densified, band keys taken.
    Benchmark("Sketches.OnePermutationMinHash") { benchmark in
        let keys = Inputs.keys
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var sketch = OnePermutationMinHash(binCount: 16)
            for k in 0..<64 { sketch.add(hash: keys[(i &+ k) % keys.count]) }
            sketch.densify()
            blackHole(sketch.bandKeys(rows: 4))
            i += 1
        }
    }

    // Sketch updates: HyperLogLog and SpaceSaving, one key each per iteration.
    Benchmark("Sketches.HyperLogLog.add") { benchmark in
        let keys = Inputs.keys
        var hll = HyperLogLog()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            hll.add(hash: keys[i % keys.count])
            i += 1
        }
        blackHole(hll.estimate)
    }

    Benchmark("Sketches.SpaceSaving.add") { benchmark in
        let keys = Inputs.keys
        var top = SpaceSaving(capacity: 16)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            // Skewed keys: a few heavy hitters among many rare ones.
            top.add(keys[i % 7 == 0 ? i % keys.count : i % 5])
            i += 1
        }
        blackHole(top.topCount)
    }

    // Per-account features: one event folded into an account's state (fingerprint precomputed).
    Benchmark("Features.AccountState.update") { benchmark in
        let events = Inputs.events
        let config = DetectionConfig.default
        let analyzer = ContentAnalyzer()
        let analyses = events.map {
            analyzer.analyze(prompt: $0.prompt, system: $0.system, promptSHA256: nil, tools: $0.tools)
        }
        var states = [AccountState](repeating: AccountState(), count: 64)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let k = i % events.count
            states[i & 63].update(events[k], analysis: analyses[k], config: config)
            i += 1
        }
        blackHole(states.count)
    }

    // Union-find: 1,000 random unions and finds per unit over 100,000 elements.
    Benchmark("Graph.UnionFind") { benchmark in
        let keys = Inputs.keys
        var sets = UnionFind(count: keys.count)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let a = Int(keys[i % keys.count] % UInt64(keys.count))
            let b = Int(keys[(i &+ 1) % keys.count] % UInt64(keys.count))
            blackHole(sets.union(a, b))
            i += 1
        }
    }

    // Duplicate-request set: 1,000 inserts per iteration into a growing set.
    Benchmark("UInt64Set.insert") { benchmark in
        let keys = Inputs.keys
        var set = UInt64Set(capacity: 1 << 10)
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(set.insert(keys[i % keys.count] &+ UInt64(i / keys.count)))
            i += 1
        }
    }
}
