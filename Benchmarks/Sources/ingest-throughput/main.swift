import BenchmarkSupport
// Measures ingest throughput on a real file, one path at a time:
//
//   ingest-throughput MODE FILE [--workers N] [--limit LINES]
//
// MODE: lines (split only), decode (split + EventDecoder), foundation (split + JSONDecoder/Codable),
// reader (EventReader: split, decode, dedup, report), parallel (ParallelEventReader),
// ingest / ingest-parallel (parse + prompt fingerprint + per-account features, sequential or parallel),
// decode-mem / foundation-mem (lines preloaded into memory: decode cost alone, one core),
// analyze-mem (the distinct prompts of the first LINES lines in memory, each analysed once per round, one
// core; the printed checksum covers every field of every analysis, to compare two builds).
import Foundation
import RetortCore

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec)
        + Double(u.ru_stime.tv_usec) / 1e6
}

var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> Int? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    defer { args.removeSubrange(i...(i + 1)) }
    return Int(args[i + 1])
}
let workers = option("--workers") ?? 2
let limit = option("--limit") ?? Int.max
/// Passes over the prompts in `analyze-mem`.
let rounds = option("--rounds") ?? 3
/// Read size of the line reader in KiB (inflate output is four times this).
let chunkKiB = option("--chunk-kib") ?? 1024
guard args.count == 2 else {
    let usage = "usage: ingest-throughput MODE FILE [--workers N] [--limit LINES] [--chunk-kib K] [--rounds R]\n"
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let mode = args[0]
let path = args[1]

var count = 0
var bytes = 0
var checksum: UInt64 = 0
let t0 = now()
let c0 = cpuSeconds()
var timedStart = t0
var timedCPU = c0

switch mode {
case "lines":
    try LineReader(path: path, chunkSize: chunkKiB << 10).forEachLine { line, _ in
        count += 1
        bytes += line.count + 1
    }
case "decode":
    let decoder = EventDecoder()
    try LineReader(path: path, chunkSize: chunkKiB << 10).forEachLine { line, _ in
        bytes += line.count + 1
        if let e = try? decoder.decode(line) {
            count += 1
            checksum &+= UInt64(truncatingIfNeeded: e.ts)
        }
    }
case "foundation":
    let decoder = FoundationEventDecoder()
    try LineReader(path: path).forEachLine { line, _ in
        bytes += line.count + 1
        if let e = decoder.decode(line) {
            count += 1
            checksum &+= UInt64(truncatingIfNeeded: e.ts)
        }
    }
case "reader":
    let reader = EventReader()
    try reader.read(path: path) { e in
        count += 1
        checksum &+= UInt64(truncatingIfNeeded: e.ts)
    }
    bytes = Int(try LineReader(path: path).fileSize)
    FileHandle.standardError.write(
        Data("report: \(reader.report.records) records, \(reader.report.badRecords) bad\n".utf8))
case "parallel":
    let reader = ParallelEventReader(workers: workers)
    try reader.read(path: path) { e in
        count += 1
        checksum &+= UInt64(truncatingIfNeeded: e.ts)
    }
    bytes = Int(try LineReader(path: path).fileSize)
    FileHandle.standardError.write(
        Data("report: \(reader.report.records) records, \(reader.report.badRecords) bad\n".utf8))
case "ingest", "ingest-parallel":
    // The ingest path as the engine runs it: parse, prompt fingerprint (template, MinHash bands,
    // capabilities) and per-account features. In the parallel form the fingerprint runs on the workers.
    let config = DetectionConfig.default
    let analyzer = ContentAnalyzer(
        minHashBins: config.content.minHashBins, bandRows: config.content.bandRows,
        frameTokens: config.content.frameTokens, maxBytes: config.content.maxPromptBytes)
    var index: [String: Int] = [:]
    var states: [AccountState] = []
    func update(_ e: Event, _ a: PromptAnalysis) {
        let i: Int
        if let known = index[e.accountID] {
            i = known
        } else {
            i = states.count
            index[e.accountID] = i
            states.append(AccountState())
        }
        states[i].update(e, analysis: a, config: config)
        count += 1
    }
    let analyze: @Sendable (Event) -> PromptAnalysis = { e in
        analyzer.analyze(prompt: e.prompt, system: e.system, promptSHA256: e.promptSHA256, tools: e.tools)
    }
    if mode == "ingest" {
        try EventReader().read(path: path) { e in update(e, analyze(e)) }
    } else {
        try ParallelEventReader(workers: workers).read(path: path, prepare: analyze) { e, a in update(e, a) }
    }
    bytes = Int(try LineReader(path: path).fileSize)
    checksum = UInt64(states.count)
case "decode-mem", "foundation-mem":
    var lines: [[UInt8]] = []
    try LineReader(path: path).forEachLine { line, _ in
        if lines.count < limit { lines.append(Array(line)) }
    }
    timedStart = now()
    timedCPU = cpuSeconds()
    if mode == "decode-mem" {
        let decoder = EventDecoder()
        for line in lines {
            bytes += line.count + 1
            if let e = line.withUnsafeBufferPointer({ try? decoder.decode($0) }) {
                count += 1
                checksum &+= UInt64(truncatingIfNeeded: e.ts)
            }
        }
    } else {
        let decoder = FoundationEventDecoder()
        for line in lines {
            bytes += line.count + 1
            if let e = line.withUnsafeBufferPointer({ decoder.decode($0) }) {
                count += 1
                checksum &+= UInt64(truncatingIfNeeded: e.ts)
            }
        }
    }
case "analyze-mem":
    let config = DetectionConfig.default
    let analyzer = ContentAnalyzer(
        minHashBins: config.content.minHashBins, bandRows: config.content.bandRows,
        frameTokens: config.content.frameTokens, maxBytes: config.content.maxPromptBytes)
    var seen = Set<String>()
    var requests: [(prompt: String, system: String?)] = []
    let decoder = EventDecoder()
    var lines = 0
    try LineReader(path: path).forEachLine { line, _ in
        lines += 1
        guard lines <= limit, let e = try? decoder.decode(line), let p = e.prompt, !p.isEmpty else { return }
        if seen.insert(p + "\u{0}" + (e.system ?? "")).inserted { requests.append((p, e.system)) }
    }
    timedStart = now()
    timedCPU = cpuSeconds()
    for _ in 0..<rounds {
        for r in requests {
            let a = analyzer.analyze(prompt: r.prompt, system: r.system, promptSHA256: nil, tools: nil)
            bytes += r.prompt.utf8.count
            count += 1
            var h = Hash64.mix(a.templateHash ^ Hash64.mix(a.prefixHash ^ Hash64.mix(a.suffixHash ^ a.exactHash)))
            h = Hash64.mix(h ^ UInt64(a.capabilities) ^ (a.elicitsReasoning ? 256 : 0) ^ UInt64(a.tokenCount) << 16)
            for k in a.bandKeys { h = Hash64.mix(h ^ k) }
            checksum = checksum &+ h
        }
    }
default:
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(2)
}
let wall = now() - timedStart
let cpu = cpuSeconds() - timedCPU
let rate = Double(count) / wall
print(
    String(
        format: "%@\t%d events\t%.2f s wall\t%.2f s cpu\t%.0f events/s\t%.0f events/cpu-s\t%.0f MB/s (input)\t[%llu]",
        mode, count, wall, cpu, rate, Double(count) / cpu, Double(bytes) / wall / 1e6, checksum))
