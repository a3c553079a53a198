import Foundation
import Testing

@testable import RetortCore

/// Sized gzip members (`GzipMember`) are standard gzip, and the parallel reader, which inflates them on its
/// worker threads, gives what the sequential reader gives on the same file.
@Suite struct GzipMemberTests {
    static let engines: [MemberInflater.Engine] = [.libdeflate, .zlib]

    /// `bytes` as one member without the size field (a plain gzip member): the same deflate data under a
    /// header without FEXTRA.
    static func unsized(_ bytes: [UInt8]) throws -> [UInt8] {
        let sized = try GzipMember.compress(bytes, level: 6)
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + sized[GzipMember.headerSize...]
    }

    /// Splits `data` into pieces of about `piece` bytes (after a newline when `atLines`), compresses each as
    /// a member (every `unsizedEvery`-th one without the size field), and returns the members.
    static func members(
        of data: [UInt8], piece: Int, atLines: Bool, unsizedEvery: Int = 0
    ) throws -> (pieces: [[UInt8]], members: [[UInt8]]) {
        var pieces: [[UInt8]] = []
        var start = 0
        while start < data.count {
            var end = min(data.count, start + piece)
            if atLines {
                while end < data.count, data[end - 1] != 0x0A { end += 1 }
            }
            pieces.append(Array(data[start..<end]))
            start = end
        }
        var members: [[UInt8]] = []
        for (k, p) in pieces.enumerated() {
            if unsizedEvery > 0, k % unsizedEvery == unsizedEvery - 1 {
                members.append(try unsized(p))
            } else {
                members.append(try GzipMember.compress(p, level: 1))
            }
        }
        return (pieces, members)
    }

    /// `count` minimal event lines (`r0`, `r1`, ...), spread over `accounts` accounts.
    static func records(_ count: Int, accounts: Int = 1) -> [UInt8] {
        var text = ""
        for i in 0..<count {
            text += #"{"ts":\#(i),"account_id":"a\#(i % accounts)","request_id":"r\#(i)"}"# + "\n"
        }
        return Array(text.utf8)
    }

    static func parallel(_ path: String, engine: MemberInflater.Engine) throws -> ParallelEventReaderTests.Outcome {
        let reader = ParallelEventReader(workers: 2, chunkSize: 4096)
        reader.inflater = MemberInflater(engine: engine)
        var ids: [String] = []
        try reader.read(path: path) { ids.append($0.requestID + "|" + ($0.prompt ?? "")) }
        return ParallelEventReaderTests.Outcome(ids: ids, report: reader.report)
    }

    @Test func aMemberIsStandardGzipAndKnowsItsSize() throws {
        var text: [UInt8] = []
        for i in 0..<20_000 { text += Array("line \(i) \(i * i % 977)\n".utf8) }
        let member = try GzipMember.compress(text, level: 6)
        let header = member.withUnsafeBytes { GzipMember.header($0) }
        #expect(header == .sized(member.count))
        #expect(member.withUnsafeBytes { GzipMember.recordedSize($0) } == text.count)
        for engine in Self.engines {
            let out = try member.withUnsafeBytes { try MemberInflater(engine: engine).inflate($0, size: text.count) }
            #expect(out == text, "\(engine)")
        }
        // The system's gzip reads two of them concatenated as one stream.
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("two.gz")
        try Data(member + member).write(to: url)
        let p = Process()
        let pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-dc", url.path]
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect([UInt8](out) == text + text)
        // Without the flag, or with another subfield, a header is unsized; a short one asks for more.
        #expect(try Self.unsized(text).withUnsafeBytes { GzipMember.header($0) } == .unsized)
        #expect(
            member.withUnsafeBytes { GzipMember.header(UnsafeRawBufferPointer(rebasing: $0[0..<11])) } == .needMore(12))
        var other = member
        other[12] = UInt8(ascii: "X")
        #expect(other.withUnsafeBytes { GzipMember.header($0) } == .unsized)
        #expect([UInt8]("{}".utf8).withUnsafeBytes { GzipMember.header($0) } == .notGzip)
    }

    @Test func aDamagedMemberDoesNotInflate() throws {
        var text: [UInt8] = []
        for i in 0..<5_000 { text += Array("record \(i)\n".utf8) }
        var member = try GzipMember.compress(text, level: 6)
        member[member.count / 2] ^= 0x5A
        for engine in Self.engines {
            #expect(throws: MemberInflater.Failure.self, "\(engine)") {
                try member.withUnsafeBytes { try MemberInflater(engine: engine).inflate($0, size: text.count) }
            }
        }
    }

    @Test(arguments: [(true, 0), (false, 0), (true, 4), (false, 3)])
    func sameResultsAsTheSequentialReader(atLines: Bool, unsizedEvery: Int) throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try ParallelEventReaderTests.mixedFile(in: dir, lines: 20_000, seed: 77)
        let data = try [UInt8](Data(contentsOf: plain))
        let split = try Self.members(of: data, piece: 9_000, atLines: atLines, unsizedEvery: unsizedEvery)
        #expect(split.members.count > 50)
        let gz = dir.appendingPathComponent("sized.jsonl.gz")
        try Data(split.members.joined()).write(to: gz)
        // The sequential reader (zlib as a stream) reads the sized file as any gzip file: the same records
        // as from the plain file (whose errors name another file).
        let expected = try ParallelEventReaderTests.sequential(gz.path)
        let fromPlain = try ParallelEventReaderTests.sequential(plain.path)
        #expect(expected.report.badRecords > 100)
        #expect(expected.ids == fromPlain.ids)
        #expect(expected.report.badRecords == fromPlain.report.badRecords)
        #expect(expected.report.duplicates == fromPlain.report.duplicates)
        for engine in Self.engines {
            #expect(try Self.parallel(gz.path, engine: engine) == expected, "\(engine)")
        }
    }

    @Test func aCorruptMemberKeepsTheMembersBeforeItAndNamesTheFile() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let split = try Self.members(of: Self.records(3_000, accounts: 7), piece: 8_000, atLines: true)
        let bad = split.members.count / 2
        var members = split.members
        members[bad][members[bad].count / 2] ^= 0x5A
        let gz = dir.appendingPathComponent("corrupt.jsonl.gz")
        try Data(members.joined()).write(to: gz)
        let offset = members[..<bad].reduce(0) { $0 + $1.count }
        // Exactly the lines of the members before the damaged one, none of its own.
        let before = split.pieces[..<bad].reduce(0) { $0 + $1.filter { $0 == 0x0A }.count }
        for engine in Self.engines {
            let got = try Self.parallel(gz.path, engine: engine)
            #expect(got.ids.count == before, "\(engine)")
            #expect(got.ids.first == "r0|" && got.ids.last == "r\(before - 1)|")
            #expect(got.report.fileErrors.count == 1)
            let message = got.report.fileErrors.first ?? ""
            #expect(message.contains(gz.path) && message.contains("member at byte \(offset)"), "\(message)")
        }
    }

    @Test func aTruncatedFileKeepsWhatTheSequentialReaderKeeps() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try ParallelEventReaderTests.mixedFile(in: dir, lines: 20_000, seed: 5)
        let split = try Self.members(of: [UInt8](Data(contentsOf: plain)), piece: 9_000, atLines: true)
        let whole = Array(split.members.joined())
        let gz = dir.appendingPathComponent("cut.jsonl.gz")
        // Cut inside a member, and inside a member's header.
        let headerCut = split.members[..<(split.members.count / 3)].reduce(0) { $0 + $1.count } + 7
        for cut in [whole.count * 2 / 3, headerCut] {
            try Data(whole[..<cut]).write(to: gz)
            let expected = try ParallelEventReaderTests.sequential(gz.path)
            #expect(expected.report.fileErrors.count == 1)
            #expect(expected.ids.count > 1_000)
            for engine in Self.engines {
                #expect(try Self.parallel(gz.path, engine: engine) == expected, "\(engine) cut at \(cut)")
            }
        }
    }

    @Test func aTrailerWithAnImpossibleLengthIsNotTrusted() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var members = try Self.members(of: Self.records(2_000), piece: 8_000, atLines: true).members
        // The last member's trailer claims 4 GB of content: the reader must neither allocate that nor lose the
        // members before it; zlib then finds the length wrong.
        let last = members.count - 1
        let n = members[last].count
        for k in 0..<4 { members[last][n - 4 + k] = 0xFF }
        let gz = dir.appendingPathComponent("isize.jsonl.gz")
        try Data(members.joined()).write(to: gz)
        let expected = try ParallelEventReaderTests.sequential(gz.path)
        #expect(expected.report.fileErrors.count == 1)
        for engine in Self.engines {
            let got = try Self.parallel(gz.path, engine: engine)
            // (Counts first: a failing equality would print every id.)
            #expect(got.ids.count == expected.ids.count, "\(engine)")
            #expect(got.ids.count >= 1_000)
            #expect(got.ids == expected.ids)
            // The same place; the parallel reader's message also names the member's byte offset.
            let message = got.report.fileErrors.first ?? ""
            let place = "\(gz.path):\(expected.report.lines + 1): "
            #expect(got.report.fileErrors.count == 1 && expected.report.fileErrors.first?.hasPrefix(place) == true)
            #expect(message.hasPrefix(place) && message.hasSuffix("incorrect length check"), "\(message)")
            #expect(got.report.lines == expected.report.lines)
        }
    }

    @Test func bytesAfterTheLastMemberThatAreNotGzipAreReported() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let members = try Self.members(of: Self.records(3_000), piece: 8_000, atLines: true).members
        let gz = dir.appendingPathComponent("trailing.jsonl.gz")
        try Data(Array(members.joined()) + Array("not gzip at all\n".utf8)).write(to: gz)
        let expected = try ParallelEventReaderTests.sequential(gz.path)
        #expect(expected.ids.count == 3_000 && expected.report.fileErrors.count == 1)
        let offset = members.reduce(0) { $0 + $1.count }
        for engine in Self.engines {
            let got = try Self.parallel(gz.path, engine: engine)
            #expect(got.ids == expected.ids, "\(engine)")
            #expect(got.report.lines == expected.report.lines)
            let message = got.report.fileErrors.first ?? ""
            #expect(
                got.report.fileErrors.count == 1 && message.contains("no gzip member at byte \(offset)"), "\(message)")
        }
    }

    @Test func readersRecordTheDigestOfTheFileAsRead() throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try ParallelEventReaderTests.mixedFile(in: dir, lines: 5_000, seed: 9)
        let split = try Self.members(of: [UInt8](Data(contentsOf: plain)), piece: 9_000, atLines: true)
        let sized = dir.appendingPathComponent("sized.jsonl.gz")
        try Data(split.members.joined()).write(to: sized)
        for url in [plain, try gzip(plain), sized] {
            let expected = try EvidenceBundle.digest(path: url.path)
            #expect(try ParallelEventReaderTests.sequential(url.path).report.digests == [url.path: expected])
            for engine in Self.engines {
                #expect(try Self.parallel(url.path, engine: engine).report.digests == [url.path: expected])
            }
            // A read the consumer stops records no digest (the file was not read to its end).
            struct Stop: Error {}
            let reader = ParallelEventReader(workers: 2, chunkSize: 4096)
            var seen = 0
            #expect(throws: Stop.self) {
                try reader.read(path: url.path) { _ in
                    seen += 1
                    if seen == 10 { throw Stop() }
                }
            }
            #expect(reader.report.digests.isEmpty)
        }
    }

    /// Direct reads (`O_DIRECT`) fill the reader's aligned buffer straight from the disk: the members' content
    /// and the file's digest are the same as with ordinary reads, for a file whose length is no multiple of the
    /// block size, members straddling blocks and read chunks, members larger than a read chunk (4096 bytes
    /// here) and a few unsized members streamed through zlib from the same buffer.
    @Test(arguments: [4096, 1 << 20])
    func directReadsGiveTheSameContentAndDigest(chunkSize: Int) throws {
        let dir = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try ParallelEventReaderTests.mixedFile(in: dir, lines: 20_000, seed: 31)
        let data = try [UInt8](Data(contentsOf: plain))
        let split = try Self.members(of: data, piece: 99_999, atLines: false, unsizedEvery: 5)
        #expect(split.members.contains { $0.count > 4096 })
        let gz = dir.appendingPathComponent("direct.jsonl.gz")
        let file = Array(split.members.joined())
        #expect(file.count % 4096 != 0)
        try Data(file).write(to: gz)
        let digest = try EvidenceBundle.digest(path: gz.path)
        for direct in [true, false] {
            let reader = try LineReader(path: gz.path, chunkSize: chunkSize)
            var content: [UInt8] = []
            try reader.forEachMember(
                inflater: .preferred, queue: DispatchQueue.global(), window: 3, directReads: direct
            ) { content += $0 }
            #expect(content.count == data.count && content == data, "direct \(direct)")
            #expect(reader.sha256 == digest)
            #expect(reader.bytesRead == Int64(file.count))
            #if os(Linux)
            // ext4, xfs, btrfs and (since Linux 6.6) tmpfs all have direct reads: the whole file comes in
            // that way (its partial last block too, after which the reader turns them off).
            #expect(reader.bytesReadDirectly == (direct ? Int64(file.count) : 0))
            #expect(!reader.readsDirectly)
            #endif
        }
    }

    @Test func libdeflateIsUsedWhenTheSystemHasIt() {
        let present = ["/usr/lib/x86_64-linux-gnu/libdeflate.so.0", "/usr/lib/aarch64-linux-gnu/libdeflate.so.0"]
            .contains { FileManager.default.fileExists(atPath: $0) }
        if present { #expect(Libdeflate.shared != nil) }
        #expect(MemberInflater(engine: .libdeflate).engine == (Libdeflate.shared == nil ? .zlib : .libdeflate))
        #expect(MemberInflater(engine: .zlib).engine == .zlib)
    }
}
