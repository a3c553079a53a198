import Dispatch
import RetortCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a gzip file from a stream of chunks, compressing chunks in parallel.
///
/// Each chunk becomes one sized gzip member (``RetortCore/GzipMember``: its compressed length in the
/// header, so that readers can inflate members on several threads). RFC 1952 allows concatenated members;
/// `gzip -d`, zlib and ``RetortCore/LineReader`` read them as one stream. Chunks are compressed on a
/// concurrent queue and written in order, so the file is byte-identical whatever the number of cores, and
/// compression uses the cores that generation leaves free. At most `inFlight` chunks wait, bounding memory.
/// `@unchecked Sendable`: the file and counters are only touched on `writeQueue`; `failure` under `lock`.
final class GzipWriter: @unchecked Sendable {
    /// Errors writing the compressed file.
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let message: String
        var description: String { "\(path): \(message)" }
    }

    /// A compressed chunk handed from a compression worker to the writer.
    private final class Member: @unchecked Sendable {
        var bytes: [UInt8] = []
        var error: String?
        let ready = DispatchSemaphore(value: 0)
    }

    let path: String
    private let fd: Int32
    private let level: Int32
    private let compressQueue = DispatchQueue(label: "retort.simulator.gzip.compress", attributes: .concurrent)
    private let writeQueue = DispatchQueue(label: "retort.simulator.gzip.write")
    private let slots: DispatchSemaphore
    private let lock = DispatchSemaphore(value: 1)
    private var failure: Failure?
    private var closed = false
    private var members = 0
    /// Uncompressed bytes written so far (read after ``finish()``).
    private(set) var bytesIn: Int64 = 0
    /// Compressed bytes written so far (read after ``finish()``).
    private(set) var bytesOut: Int64 = 0

    init(path: String, level: Int = 1, inFlight: Int = 4) throws(Failure) {
        self.path = path
        self.level = Int32(max(0, min(9, level)))
        slots = DispatchSemaphore(value: max(1, inFlight))
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, message: "cannot create: \(String(cString: strerror(errno)))") }
    }

    deinit {
        if !closed { close(fd) }
    }

    private func currentFailure() -> Failure? {
        lock.wait()
        defer { lock.signal() }
        return failure
    }

    private func fail(_ message: String) {
        lock.wait()
        if failure == nil { failure = Failure(path: path, message: message) }
        lock.signal()
    }

    /// Queues `bytes` as the next gzip member (waits while `inFlight` chunks are pending).
    func write(_ bytes: [UInt8]) throws(Failure) {
        guard !bytes.isEmpty else { return }
        if let f = currentFailure() { throw f }
        slots.wait()
        let member = Member()
        let level = self.level
        compressQueue.async {
            switch GzipWriter.compress(bytes, level: level) {
            case .success(let out): member.bytes = out
            case .failure(let message): member.error = message.message
            }
            member.ready.signal()
        }
        let count = Int64(bytes.count)
        writeQueue.async {
            member.ready.wait()
            defer { self.slots.signal() }
            if let e = member.error {
                self.fail(e)
                return
            }
            guard self.currentFailure() == nil else { return }
            if let e = self.writeAll(member.bytes) {
                self.fail(e)
                return
            }
            self.bytesIn += count
            self.bytesOut += Int64(member.bytes.count)
            self.members += 1
        }
    }

    /// Waits for every queued chunk, then closes the file. An empty stream still gets one empty member.
    func finish() throws(Failure) {
        writeQueue.sync {}
        if let f = currentFailure() { throw f }
        guard !closed else { return }
        if members == 0 {
            switch GzipWriter.compress([], level: level) {
            case .success(let out):
                if let e = writeAll(out) { throw Failure(path: path, message: e) }
                bytesOut += Int64(out.count)
            case .failure(let m): throw Failure(path: path, message: m.message)
            }
        }
        closed = true
        guard close(fd) == 0 else { throw Failure(path: path, message: "close failed") }
    }

    struct Message: Error {
        let message: String
    }

    /// One complete gzip member holding `input`, with its size in the header (``GzipMember``), so that
    /// readers can inflate members on several threads.
    static func compress(_ input: [UInt8], level: Int32) -> Result<[UInt8], Message> {
        do throws(GzipMember.Failure) {
            return .success(try GzipMember.compress(input, level: level))
        } catch {
            return .failure(Message(message: error.message))
        }
    }

    private func writeAll(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { o -> String? in
            guard let base = o.baseAddress else { return nil }
            var off = 0
            while off < o.count {
                let n = posixWrite(fd, base + off, o.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return "write failed: \(String(cString: strerror(errno)))"
                }
                off += n
            }
            return nil
        }
    }
}

private func posixWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}
