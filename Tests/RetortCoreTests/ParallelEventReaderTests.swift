import Foundation
import Testing

@testable import RetortCore

/// The parallel reader must give exactly what the sequential reader gives: same events in the same order,
/// same report (counts, errors with file:line), whatever the chunking and the number of workers.
@Suite struct ParallelEventReaderTests {
    struct Outcome: Equatable {
        var ids: [String]
        var report: IngestReport
    }

    static func sequential(_ path: String, options: IngestOptions = IngestOptions()) throws -> Outcome {
        let reader = EventReader(options: options)
        var ids: [String] = []
        try reader.read(path: path) { ids.append($0.requestID + "|" + ($0.prompt ?? "")) }
        return Outcome(ids: ids, report: reader.report)
    }

    static func parallel(
        _ path: String, workers: Int, chunkSize: Int, options: IngestOptions = IngestOptions()
    ) throws -> Outcome {
        let reader = ParallelEventReader(options: options, workers: workers, chunkSize: chunkSize)
        var ids: [String] = []
        try reader.read(path: path) { ids.append($0.requestID + "|" + ($0.prompt ?? "")) }
        return Outcome(ids: ids, report: reader.report)
    }

    /// A file mixing good lines, bad lines of several kinds, blank lines, duplicates, long lines and CRLF.
    static func mixedFile(in dir: URL, lines: Int, seed: UInt64) throws -> URL {
        var rng = seed
        func next() -> UInt64 {
            rng = rng &+ 0x9E37_79B9_7F4A_7C15
            return Hash64.mix(rng)
        }
        var text = ""
        for i in 0..<lines {
            let r = next() % 100
            let id = next() % 10 == 0 ? "dup-\(next() % 50)" : "r-\(i)"
            let long = next() % 50 == 0 ? String(repeating: "long text ü ", count: Int(next() % 3000)) : "p\(i)"
            switch r {
            case 0..<3: text += "\n"
            case 3..<6: text += #"{"ts":1,"account_id":"a","request_id":"\#(id)""# + "\n"  // truncated JSON
            case 6..<8: text += #"{"ts":"yesterday","account_id":"a","request_id":"\#(id)"}"# + "\n"
            case 8..<10: text += #"{"ts":1,"account_id":"a"}"# + "\n"
            case 10..<12: text += #"[1,2]"# + "\n"
            case 12..<15:
                text += #"{"ts":\#(i),"account_id":"a\#(i % 9)","request_id":"\#(id)","prompt":"\#(long)"}"# + "\r\n"
            default:
                text +=
                    #"{"ts":\#(i),"account_id":"a\#(i % 9)","request_id":"\#(id)","prompt":"\#(long)\n\u00e9"}"#
                    + "\n"
            }
        }
        text += #"{"ts":5,"account_id":"last","request_id":"no-final-newline"}"#
        let url = dir.appendingPathComponent("mixed-\(seed).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(arguments: [(1, 4096), (2, 4096), (3, 10_000), (2, 1 << 21)])
    func sameResultsAsTheSequentialReader(workers: Int, chunkSize: Int) throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try Self.mixedFile(in: dir, lines: 20_000, seed: UInt64(workers * 31 + chunkSize))
        let gz = try gzip(plain)
        for path in [plain.path, gz.path] {
            let expected = try Self.sequential(path)
            let got = try Self.parallel(path, workers: workers, chunkSize: chunkSize)
            #expect(expected.report.badRecords > 100 && expected.report.duplicates > 100)
            #expect(got.ids == expected.ids)
            #expect(got.report == expected.report)
        }
    }

    @Test func fixturesGiveTheSameResults() throws {
        for name in ["events-bad.jsonl", "events-all-fields.jsonl", "events-gz.data", "empty.jsonl"] {
            let path = Fixture.path(name)
            #expect(try Self.parallel(path, workers: 2, chunkSize: 4096) == Self.sequential(path), "\(name)")
        }
    }

    @Test func strictModeStopsAtTheSameRecord() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.mixedFile(in: dir, lines: 5000, seed: 7).path
        let options = IngestOptions(strict: true)
        var sequentialLine: Int?
        var sequentialSeen = 0
        do {
            try EventReader(options: options).read(path: path) { _ in sequentialSeen += 1 }
        } catch let error as IngestError {
            sequentialLine = error.line
        }
        var parallelLine: Int?
        var parallelSeen = 0
        do {
            try ParallelEventReader(options: options, workers: 2, chunkSize: 4096).read(path: path) { _ in
                parallelSeen += 1
            }
        } catch let error as IngestError {
            parallelLine = error.line
        }
        #expect(sequentialLine != nil)
        #expect(parallelLine == sequentialLine)
        #expect(parallelSeen == sequentialSeen)
    }

    @Test func truncatedGzipKeepsTheSameLinesAndReportsTheFile() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try Self.mixedFile(in: dir, lines: 30_000, seed: 11)
        let gz = try gzip(plain)
        let data = try Data(contentsOf: gz)
        try data.prefix(data.count / 2).write(to: gz)
        let expected = try Self.sequential(gz.path)
        let got = try Self.parallel(gz.path, workers: 2, chunkSize: 4096)
        #expect(expected.report.fileErrors.count == 1)
        #expect(got == expected)
    }

    @Test func anErrorFromTheConsumerStopsTheReaderCleanly() throws {
        struct Stop: Error {}
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.mixedFile(in: dir, lines: 50_000, seed: 3).path
        let reader = ParallelEventReader(workers: 2, chunkSize: 4096)
        var seen = 0
        #expect(throws: Stop.self) {
            try reader.read(path: path) { _ in
                seen += 1
                if seen == 100 { throw Stop() }
            }
        }
        #expect(seen == 100)
        // The reader can be used again afterwards (dedup state kept, as with the sequential reader).
        try reader.read(path: path) { _ in }
    }

    @Test func duplicatesAcrossFilesCountOnce() throws {
        let reader = ParallelEventReader(workers: 2)
        var count = 0
        try reader.read(path: Fixture.path("events-all-fields.jsonl")) { _ in count += 1 }
        try reader.read(path: Fixture.path("events-all-fields.jsonl")) { _ in count += 1 }
        #expect(count == 3)
        #expect(reader.report.duplicates == 3)
    }
}
