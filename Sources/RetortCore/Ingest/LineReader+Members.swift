import CZlib
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a file of sized gzip members (``GzipMember``) with the members inflated on several threads.
extension LineReader {
    /// Whether the file starts with a sized gzip member. Looks with `pread`, so nothing is consumed; standard
    /// input and pipes answer no.
    func startsWithSizedMember() -> Bool {
        guard fd > 0 else { return false }
        var head = [UInt8](repeating: 0, count: 64)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 64, 0) }
        guard n > 0 else { return false }
        let h = head.withUnsafeBytes { GzipMember.header(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        if case .sized = h { return true }
        return false
    }

    /// One member being inflated on the queue.
    private final class Job: @unchecked Sendable {
        let member: [UInt8]
        var content: [UInt8]
        var error: String?
        /// Offset of the member in the file.
        let offset: Int64
        let ready = DispatchSemaphore(value: 0)

        init(member: [UInt8], offset: Int64, content: [UInt8]) {
            self.member = member
            self.offset = offset
            self.content = content
        }
    }

    /// Calls `body` with the content of each gzip member of the file, in file order. Sized members are
    /// inflated on `queue` by `inflater`, up to `window` at a time; a member without a size field (a file
    /// may mix them) is inflated here with zlib, as a stream, in blocks. A corrupt member or a truncated
    /// file is thrown (through `failure`) after the content before it has been handed to `body`; of a
    /// truncated member, what inflates is handed on first, as ``forEachBlock(_:failure:)`` does. `spare`
    /// gives a buffer whose storage a member's content may reuse (one that `body` is done with). `directReads`:
    /// read the file with ``startDirectReads()`` where it can.
    func forEachMember(
        inflater: MemberInflater, queue: DispatchQueue, window: Int, directReads: Bool = true,
        spare: () -> [UInt8] = { [] },
        _ body: ([UInt8]) throws -> Void,
        failure: (IngestError) -> IngestError = { $0 }
    ) throws {
        if directReads { startDirectReads() }
        var input = MemberInput(reader: self)
        var jobs: [Job] = []
        func deliverFront() throws {
            let job = jobs.removeFirst()
            job.ready.wait()
            if let e = job.error {
                throw failure(
                    IngestError(
                        code: .corruptCompression,
                        message: "corrupt gzip data in the member at byte \(job.offset): \(e)", file: path, line: 0))
            }
            try body(job.content)
        }
        func drain() throws { while !jobs.isEmpty { try deliverFront() } }

        while try input.fill(1) {
            var header = GzipMember.Header.needMore(2)
            while case .needMore(let k) = header {
                let complete = try input.fill(k)
                header = input.withAvailable { GzipMember.header($0) }
                if !complete, case .needMore = header { break }
            }
            switch header {
            case .notGzip:
                try drain()
                throw failure(
                    IngestError(
                        code: .corruptCompression,
                        message: "corrupt gzip data: no gzip member at byte \(input.offset)", file: path, line: 0))
            case .sized(let size) where size <= GzipMember.maxWholeSize:
                guard try input.fill(size) else {
                    try drain()
                    try input.streamMember({ try body(Array($0)) }, failure: failure)  // salvages, then throws
                    continue
                }
                // The content's length, from the trailer, sizes the output buffer: a length deflate cannot
                // reach from this many bytes (at most ~1032:1), or past the whole-member bound, is not
                // trusted; such a member streams through zlib, which checks it without allocating by it.
                let content = input.withAvailable {
                    GzipMember.recordedSize(UnsafeRawBufferPointer(rebasing: $0[0..<size]))
                }
                guard content <= GzipMember.maxWholeSize, content <= size * 1032 + 1024 else {
                    try drain()
                    try input.streamMember({ try body(Array($0)) }, failure: failure)
                    continue
                }
                let member = input.take(size)
                let job = Job(member: member, offset: input.offset - Int64(size), content: spare())
                jobs.append(job)
                queue.async {
                    job.member.withUnsafeBytes { m in
                        do throws(MemberInflater.Failure) {
                            try inflater.inflate(m, size: content, into: &job.content)
                        } catch {
                            job.error = error.message
                        }
                    }
                    job.ready.signal()
                }
                while jobs.count >= window { try deliverFront() }
            default:
                // A member without a size (or too large to inflate whole), or a header cut off by the end
                // of the file.
                try drain()
                try input.streamMember({ try body(Array($0)) }, failure: failure)
            }
        }
        try drain()
    }
}

/// Bytes at an address that is a multiple of ``alignment`` (a direct read's buffer must be), growing on demand.
final class AlignedBytes {
    static let alignment = 4096
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(AlignedBytes.alignment, capacity)
        base = .allocate(byteCount: self.capacity, alignment: AlignedBytes.alignment)
    }

    deinit { base.deallocate() }

    /// Moves `count` bytes from offset `from` to offset `to` (the ranges may overlap), with room for `room` bytes in
    /// all: the buffer grows first when it is smaller.
    func move(from: Int, count: Int, to: Int, room: Int) {
        if room > capacity {
            let grown = max(room, 2 * capacity)
            let fresh = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: AlignedBytes.alignment)
            (fresh + to).copyMemory(from: base + from, byteCount: count)
            base.deallocate()
            base = fresh
            capacity = grown
        } else if from != to && count > 0 {
            memmove(base + to, base + from, count)
        }
    }
}

/// The compressed bytes of a ``LineReader``'s file not yet consumed, refilled from the file as needed.
///
/// The bytes are read into one aligned buffer, always to an aligned place in it (the unconsumed bytes are
/// moved so that they end on a block boundary), so that the reader's direct reads (``LineReader/startDirectReads()``)
/// can fill it; with ordinary reads the layout is the same.
struct MemberInput {
    let reader: LineReader
    private let storage: AlignedBytes
    /// The unconsumed bytes are `storage.base[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// File offset of the first unconsumed byte.
    private(set) var offset: Int64 = 0
    /// The output block of ``streamMember(_:failure:)``, made on first use.
    private var out: [UInt8] = []

    /// `initial`: the file's first bytes, already read (and counted) by `reader`.
    init(reader: LineReader, initial: [UInt8] = []) {
        self.reader = reader
        storage = AlignedBytes(capacity: 2 * reader.chunkSize + initial.count)
        if !initial.isEmpty {
            initial.withUnsafeBytes { storage.base.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        end = initial.count
    }

    var available: Int { end - start }

    /// Reads until `count` unconsumed bytes are held; false if the file ends first.
    mutating func fill(_ count: Int) throws(IngestError) -> Bool {
        let block = AlignedBytes.alignment
        while available < count && !atEnd {
            // Move what is left so that it ends on a block boundary, where the next read starts.
            let held = available
            let front = (block - held % block) % block
            let want = (max(reader.chunkSize, count - held) + block - 1) / block * block
            storage.move(from: start, count: held, to: front, room: front + held + want)
            start = front
            end = front + held
            let n = try reader.readFile(into: storage.base + end, count: want)
            reader.consumed(UnsafeRawBufferPointer(start: storage.base + end, count: n))
            end += n
            if n == 0 { atEnd = true }
        }
        return available >= count
    }

    func withAvailable<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: storage.base + start, count: available))
    }

    /// Consumes `count` bytes and returns them.
    mutating func take(_ count: Int) -> [UInt8] {
        let out = [UInt8](UnsafeRawBufferPointer(start: storage.base + start, count: count))
        start += count
        offset += Int64(count)
        return out
    }

    /// Inflates one member as a stream with zlib, handing its content to `body` in blocks (valid only during
    /// the call). Throws (through `failure`) if it is corrupt or the file ends inside it; the output of the
    /// zlib call that fails is not handed on.
    mutating func streamMember(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void, failure: (IngestError) -> IngestError
    ) throws {
        try reader.startMember()
        if out.isEmpty { out = [UInt8](repeating: 0, count: reader.chunkSize * 4) }
        let z = reader
        let memberStart = offset
        while true {
            if available == 0, !(try fill(1)) {
                throw failure(
                    IngestError(
                        code: .corruptCompression, message: "gzip data ends early (truncated file)",
                        file: reader.path, line: 0))
            }
            var rc: Int32 = 0
            var consumed = 0
            let input = (storage.base + start).assumingMemoryBound(to: UInt8.self)
            let held = available
            let made: Int = out.withUnsafeMutableBufferPointer { outBuf in
                z.stream.next_in = input
                z.stream.avail_in = UInt32(min(held, Int(UInt32.max)))
                let before = Int(z.stream.avail_in)
                z.stream.next_out = outBuf.baseAddress
                z.stream.avail_out = UInt32(outBuf.count)
                rc = inflate(&z.stream, Z_NO_FLUSH)
                consumed = before - Int(z.stream.avail_in)
                return outBuf.count - Int(z.stream.avail_out)
            }
            start += consumed
            offset += Int64(consumed)
            if rc != Z_STREAM_END && rc != Z_OK && rc != Z_BUF_ERROR {
                let msg = z.stream.msg.map { String(cString: $0) } ?? "code \(rc)"
                throw failure(
                    IngestError(
                        code: .corruptCompression,
                        message: "corrupt gzip data in the member at byte \(memberStart): \(msg)", file: reader.path,
                        line: 0))
            }
            if made > 0 { try out.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<made])) } }
            if rc == Z_STREAM_END { return }
            if consumed == 0 && made == 0 {
                // zlib needs more input than is held.
                if !(try fill(available + 1)) {
                    throw failure(
                        IngestError(
                            code: .corruptCompression, message: "gzip data ends early (truncated file)",
                            file: reader.path, line: 0))
                }
            }
        }
    }
}
