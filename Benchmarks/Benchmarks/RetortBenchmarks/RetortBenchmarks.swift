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
    static let keys: [UInt64] = (0..<100_000).map { Hash64.mix(UInt64($0)) }
}

let allocationMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident]

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
    Benchmark("Decode/EventDecoder") { benchmark in
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

    Benchmark("Decode/FoundationJSONDecoder") { benchmark in
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
    Benchmark("LineReader/gzip-10k-lines", configuration: .init(scalingFactor: .one)) { benchmark in
        let path = Inputs.gzipPath
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var n = 0
            try LineReader(path: path).forEachLine { line, _ in n &+= line.count }
            blackHole(n)
        }
    }

    // Whole sequential and parallel readers over the same file: split, decode, dedup, report.
    Benchmark("EventReader/gzip-10k-events", configuration: .init(scalingFactor: .one)) { benchmark in
        let path = Inputs.gzipPath
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let reader = EventReader()
            try reader.read(path: path) { blackHole($0.ts) }
        }
    }

    Benchmark("ParallelEventReader/gzip-10k-events", configuration: .init(scalingFactor: .one)) { benchmark in
        let path = Inputs.gzipPath
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let reader = ParallelEventReader(workers: 2, chunkSize: 1 << 20)
            try reader.read(path: path) { blackHole($0.ts) }
        }
    }

    // Duplicate-request set: 1,000 inserts per iteration into a growing set.
    Benchmark("UInt64Set/insert") { benchmark in
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
