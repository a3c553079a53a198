import CZlib
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams bytes to a gzip file through zlib's deflate with a large output buffer.
///
/// Compression runs on a background serial queue so that it overlaps with producing the next chunk;
/// at most a few chunks wait in line. The output is one gzip member, identical to a synchronous run.
/// `@unchecked Sendable`: the zlib stream and file are only touched on `queue` (and after draining it).
final class GzipWriter: @unchecked Sendable {
    /// Errors writing the compressed file.
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let message: String
        var description: String { "\(path): \(message)" }
    }

    let path: String
    private let fd: Int32
    private var stream = z_stream()
    private var out: [UInt8]
    private var closed = false
    /// Uncompressed bytes written so far.
    private(set) var bytesIn: Int64 = 0
    /// Compressed bytes written so far.
    private(set) var bytesOut: Int64 = 0

    init(path: String, level: Int = 1, bufferSize: Int = 4 << 20) throws(Failure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        out = [UInt8](repeating: 0, count: bufferSize)
        let rc = deflateInit2_(
            &stream, Int32(max(0, min(9, level))), Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            close(fd)
            throw Failure(path: path, message: "cannot start gzip encoder (zlib \(rc))")
        }
    }

    deinit {
        if !closed {
            deflateEnd(&stream)
            close(fd)
        }
    }

    private let queue = DispatchQueue(label: "retort.simulator.gzip")
    private let slots = DispatchSemaphore(value: 3)
    private var failure: Failure?

    /// Hands `bytes` to the compressor (waiting while three chunks are already queued).
    func write(_ bytes: [UInt8]) throws(Failure) {
        guard !bytes.isEmpty else { return }
        if let f = queue.sync(execute: { failure }) { throw f }
        slots.wait()
        queue.async {
            defer { self.slots.signal() }
            guard self.failure == nil else { return }
            self.compress(bytes)
        }
    }

    private func compress(_ bytes: [UInt8]) {
        bytesIn += Int64(bytes.count)
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while stream.avail_in > 0 && failure == nil {
                failure = pump(Z_NO_FLUSH)
            }
        }
    }

    /// Finishes the gzip stream and closes the file.
    func finish() throws(Failure) {
        queue.sync {}
        if let failure { throw failure }
        guard !closed else { return }
        var done = false
        while !done {
            stream.next_in = nil
            stream.avail_in = 0
            let (f, end) = pumpFinish()
            if let f { throw f }
            done = end
        }
        deflateEnd(&stream)
        closed = true
        guard close(fd) == 0 else { throw Failure(path: path, message: "close failed") }
    }

    private func pumpFinish() -> (Failure?, Bool) {
        var rc: Int32 = 0
        let produced: Int = out.withUnsafeMutableBufferPointer { o in
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            rc = deflate(&stream, Z_FINISH)
            return o.count - Int(stream.avail_out)
        }
        if let f = flushOut(produced) { return (f, true) }
        if rc == Z_STREAM_END { return (nil, true) }
        if rc != Z_OK && rc != Z_BUF_ERROR { return (Failure(path: path, message: "deflate failed (\(rc))"), true) }
        return (nil, false)
    }

    private func pump(_ flush: Int32) -> Failure? {
        var rc: Int32 = 0
        let produced: Int = out.withUnsafeMutableBufferPointer { o in
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            rc = deflate(&stream, flush)
            return o.count - Int(stream.avail_out)
        }
        if rc != Z_OK && rc != Z_BUF_ERROR { return Failure(path: path, message: "deflate failed (\(rc))") }
        return flushOut(produced)
    }

    private func flushOut(_ count: Int) -> Failure? {
        guard count > 0 else { return nil }
        bytesOut += Int64(count)
        return out.withUnsafeBufferPointer { o -> Failure? in
            var off = 0
            while off < count {
                let n = posixWrite(fd, o.baseAddress! + off, count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return Failure(path: path, message: "write failed: \(String(cString: strerror(errno)))")
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
