import Foundation
import Testing

@testable import RetortCore

@Suite struct EventReaderTests {
    @Test func badLinesAreCountedWithTheirLineNumbersAndGoodDataKept() throws {
        let reader = EventReader()
        var ids: [String] = []
        let path = Fixture.path("events-bad.jsonl")
        try reader.read(path: path) { ids.append($0.requestID) }
        #expect(ids == ["ok1", "ok3"])
        let r = reader.report
        #expect(r.lines == 14)
        #expect(r.blankLines == 1)
        #expect(r.duplicates == 1)
        #expect(r.records == 2)
        #expect(r.badRecords == 10)
        #expect(r.errors.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9, 12, 13])
        #expect(r.errors.allSatisfy { $0.file == path })
        #expect(r.errors[0].code == .invalidJSON || r.errors[0].code == .notAnObject)
        #expect(r.errors[1].field == "ts" && r.errors[1].code == .missingField)
        #expect(r.errors[5].field == "input_tokens" && r.errors[5].code == .wrongType)
        #expect(r.errors[6].field == "ip")
        #expect(r.errors[7].code == .notAnObject)
        #expect(r.errors[8].code == .invalidJSON)
        #expect(r.errors[9].field == "stream")
        #expect(r.errors[2].description.hasPrefix("\(path):4: missing_field"))
    }

    @Test func onlyTheFirstErrorsAreKeptButAllCounted() throws {
        let reader = EventReader(options: IngestOptions(maxReportedErrors: 3))
        try reader.read(path: Fixture.path("events-bad.jsonl")) { _ in }
        #expect(reader.report.errors.count == 3)
        #expect(reader.report.badRecords == 10)
    }

    @Test func strictModeStopsAtTheFirstBadRecord() throws {
        let reader = EventReader(options: IngestOptions(strict: true))
        var seen = 0
        #expect {
            try reader.read(path: Fixture.path("events-bad.jsonl")) { _ in seen += 1 }
        } throws: { error in
            guard let e = error as? IngestError else { return false }
            return e.line == 2 && e.cause?.line == 2 && e.description.contains("events-bad.jsonl:2")
        }
        #expect(seen == 1)
    }

    @Test func readsConcatenatedGzipDetectedByContent() throws {
        let reader = EventReader()
        var ids: [String] = []
        // The fixture's name does not end in .gz: detection is by the magic bytes.
        try reader.read(path: Fixture.path("events-gz.data")) { ids.append($0.requestID) }
        #expect(ids == ["g-1", "g-2", "g-3"])
        #expect(reader.report.badRecords == 0)
    }

    @Test func truncatedGzipKeepsGoodLinesAndReportsTheFile() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 0..<5000 {
            text += #"{"ts":\#(i),"account_id":"a\#(i % 7)","request_id":"t\#(i)","prompt":"p \#(i * 7919)"}"# + "\n"
        }
        let plain = dir.appendingPathComponent("t.jsonl")
        try text.write(to: plain, atomically: true, encoding: .utf8)
        let gz = try gzip(plain)
        let data = try Data(contentsOf: gz)
        try data.prefix(data.count * 2 / 3).write(to: gz)
        let reader = EventReader()
        var count = 0
        try reader.read(path: gz.path) { _ in count += 1 }
        #expect(count > 1000 && count < 5000)
        #expect(reader.report.fileErrors.count == 1)
        #expect(reader.report.fileErrors[0].contains("corrupt_compression"))
        #expect(reader.report.records == count)
    }

    @Test func emptyFileGivesNothing() throws {
        let reader = EventReader()
        var count = 0
        try reader.read(path: Fixture.path("empty.jsonl")) { _ in count += 1 }
        #expect(count == 0)
        #expect(reader.report.lines == 0 && reader.report.badRecords == 0)
    }

    @Test func missingFileIsAFileError() throws {
        let reader = EventReader()
        try reader.read(path: "/nonexistent/retort/events.jsonl") { _ in }
        #expect(reader.report.fileErrors.first?.contains("cannot_open") == true)
        let strict = EventReader(options: IngestOptions(strict: true))
        #expect(throws: IngestError.self) { try strict.read(path: "/nonexistent/retort/events.jsonl") { _ in } }
    }

    @Test func duplicatesAcrossFilesCountOnce() throws {
        let reader = EventReader()
        var count = 0
        try reader.read(path: Fixture.path("events-all-fields.jsonl")) { _ in count += 1 }
        try reader.read(path: Fixture.path("events-all-fields.jsonl")) { _ in count += 1 }
        #expect(count == 3)
        #expect(reader.report.duplicates == 3)
    }

    @Test func crlfAndMissingFinalNewline() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = dir.appendingPathComponent("crlf.jsonl")
        try
            "{\"ts\":1,\"account_id\":\"a\",\"request_id\":\"1\"}\r\n{\"ts\":2,\"account_id\":\"a\",\"request_id\":\"2\"}"
            .write(to: p, atomically: true, encoding: .utf8)
        let reader = EventReader()
        var ts: [Int64] = []
        try reader.read(path: p.path) { ts.append($0.ts) }
        #expect(ts == [1, 2])
        #expect(reader.report.badRecords == 0)
    }

    /// A million lines stream through in bounded memory: resident memory grows by far less than the file.
    /// Resident memory is the process's, so other tests running beside this one would show in it: it runs
    /// in a process of its own (`scripts/test.sh` sets `RETORT_MEMORY_TEST` and runs it alone).
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["RETORT_MEMORY_TEST"] != nil,
            "measures the process's resident memory; run alone with RETORT_MEMORY_TEST=1"))
    func millionLinesInBoundedMemory() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.jsonl").path
        let padding = String(repeating: "lorem ipsum dolor sit amet ", count: 8)
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let out = FileHandle(forWritingAtPath: path)
        else {
            Issue.record("cannot create \(path)")
            return
        }
        var chunk = ""
        for i in 0..<1_000_000 {
            chunk +=
                #"{"ts":\#(1_775_001_600_000 + i),"account_id":"acct_\#(i % 5000)","request_id":"req-\#(i)","model":"m","prompt":"\#(padding)\#(i)"}"#
                + "\n"
            if i % 20_000 == 19_999 {
                out.write(chunk.data(using: .utf8)!)
                chunk = ""
            }
        }
        try out.close()
        let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(fileSize > 250_000_000)

        let baseline = currentRSS()
        var peak = baseline
        var count = 0
        let reader = EventReader()
        try reader.read(path: path) { _ in
            count += 1
            if count % 50_000 == 0 { peak = max(peak, currentRSS()) }
        }
        #expect(count == 1_000_000)
        #expect(reader.report.duplicates == 0)
        // The reader keeps one chunk, the longest line and 8-16 bytes per request id; the file is > 250 MB.
        #expect(peak - baseline < 80_000_000, "resident memory grew by \(peak - baseline) bytes")
    }
}

/// Compresses a file with the system gzip and returns the .gz path.
func gzip(_ url: URL) throws -> URL {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["gzip", "-kf", url.path]
    try p.run()
    p.waitUntilExit()
    return URL(fileURLWithPath: url.path + ".gz")
}
