import CRetortShims
import CZlib
import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line in bounded memory, plain or gzip (detected by the magic bytes, not the name).
///
/// Memory is one read chunk plus the longest line. Concatenated gzip members are read in turn.
/// Lines are handed out as byte buffers valid only during the callback; a trailing `\r` is removed.
public final class LineReader {
    public let path: String
    let fd: Int32
    /// Bytes per read; a gzip file's content is inflated in blocks of four times this.
    let chunkSize: Int
    /// zlib's state for members inflated as streams (``MemberInput/streamMember(_:failure:)``): here, at a
    /// fixed address as zlib requires, started on first use and reset for each member.
    var stream = z_stream()
    private var streamOpen = false
    /// Compressed bytes read from disk so far (for progress).
    public private(set) var bytesRead: Int64 = 0
    /// Total size of the file on disk.
    public let fileSize: Int64
    /// SHA-256 of the bytes read so far, as they are on disk (before inflating).
    private var hasher = SHA256()
    /// Whether the file has been read to its end.
    public private(set) var reachedEnd = false

    /// Opens `path` (`-` for standard input).
    public init(path: String, chunkSize: Int = 1 << 20) throws(IngestError) {
        self.path = path
        self.chunkSize = chunkSize
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
        }
        guard fd >= 0 else {
            throw IngestError(
                code: .cannotOpen, message: "cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        var st = stat()
        fileSize = fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    deinit {
        if streamOpen { inflateEnd(&stream) }
        if fd > 0 { close(fd) }
    }

    private func readRaw(into buffer: inout [UInt8]) throws(IngestError) -> Int {
        let n = buffer.withUnsafeMutableBytes { p in read(fd, p.baseAddress, chunkSize) }
        guard n >= 0 else {
            throw IngestError(
                code: .readFailed, message: "read failed: \(String(cString: strerror(errno)))", file: path)
        }
        buffer.withUnsafeBytes { consumed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        return n
    }

    /// Whether reads go straight from the disk into the reader's buffer (``startDirectReads()``).
    public private(set) var readsDirectly = false
    /// Bytes that direct reads brought in.
    public private(set) var bytesReadDirectly: Int64 = 0

    /// Reads the rest of the file with direct reads where the file system has them (`O_DIRECT`): the disk
    /// writes into ``MemberInput``'s aligned buffer and the kernel no longer copies every byte out of its page
    /// cache (4.5% of all CPU of a seed-scale investigation, which reads 33 GB once), nor fills that cache
    /// with a file read once. Only from a block boundary of a regular file; otherwise, or where the file
    /// system refuses, reads stay as they were. Same bytes either way.
    func startDirectReads() {
        guard fd > 0, !readsDirectly, bytesRead % Int64(AlignedBytes.alignment) == 0 else { return }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return }
        readsDirectly = retort_set_direct_reads(fd, 1) == 0
    }

    /// Reads up to `count` bytes of the file into `buffer`. With direct reads, `buffer` and `count` must be
    /// multiples of ``AlignedBytes/alignment``; a read that leaves the file offset off a block boundary (the
    /// file's last, partial block) or that the file system refuses turns them off.
    func readFile(into buffer: UnsafeMutableRawPointer, count: Int) throws(IngestError) -> Int {
        var n = read(fd, buffer, count)
        if n < 0, readsDirectly, errno == EINVAL {
            stopDirectReads()
            n = read(fd, buffer, count)
        }
        guard n >= 0 else {
            throw IngestError(
                code: .readFailed, message: "read failed: \(String(cString: strerror(errno)))", file: path)
        }
        if readsDirectly {
            bytesReadDirectly += Int64(n)
            if n % AlignedBytes.alignment != 0 { stopDirectReads() }
        }
        return n
    }

    private func stopDirectReads() {
        _ = retort_set_direct_reads(fd, 0)
        readsDirectly = false
    }

    /// Makes ``stream`` ready for a new member.
    func startMember() throws(IngestError) {
        if streamOpen {
            inflateReset(&stream)
            return
        }
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IngestError(code: .corruptCompression, message: "cannot start gzip decoder", file: path)
        }
        streamOpen = true
    }

    /// Counts and hashes bytes just read from the file; no bytes means its end.
    func consumed(_ bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty { reachedEnd = true }
        bytesRead += Int64(bytes.count)
        hasher.update(bufferPointer: bytes)
    }

    /// SHA-256 (hex) of the whole file as read, once it has been read to its end: the digest that evidence
    /// records, taken without reading the file a second time.
    public var sha256: String? {
        guard reachedEnd else { return nil }
        return hasher.finalize().map { hexDigits[Int($0 >> 4)] + hexDigits[Int($0 & 15)] }.joined()
    }

    /// Calls `body` with each line (without its terminator) and its 1-based number.
    /// Returns the number of lines read.
    @discardableResult
    public func forEachLine(
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws -> Int {
        var lineNumber = 0
        var carry: [UInt8] = []  // partial line from the previous block
        try forEachBlock { data in
            var start = 0
            let n = data.count
            guard let base = data.baseAddress else { return }
            while start < n {
                guard let nl = memchr(base + start, 0x0A, n - start) else {
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: data[start..<n]))
                    return
                }
                let end = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                lineNumber += 1
                if carry.isEmpty {
                    var e = end
                    if e > start && data[e - 1] == 0x0D { e -= 1 }
                    try body(UnsafeBufferPointer(rebasing: data[start..<e]), lineNumber)
                } else {
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: data[start..<end]))
                    if carry.last == 0x0D { carry.removeLast() }
                    try carry.withUnsafeBufferPointer { try body($0, lineNumber) }
                    carry.removeAll(keepingCapacity: carry.capacity <= (1 << 22))
                }
                start = end + 1
            }
        } failure: { error in
            var error = error
            if error.line != nil { error.line = lineNumber + 1 }
            return error
        }
        if !carry.isEmpty {
            lineNumber += 1
            if carry.last == 0x0D { carry.removeLast() }
            try carry.withUnsafeBufferPointer { try body($0, lineNumber) }
        }
        return lineNumber
    }

    /// Calls `body` with successive blocks of the (decompressed) content, in order. Blocks end anywhere,
    /// not at line ends. A compression failure is passed through `failure` (which may add the line) and thrown.
    func forEachBlock(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void,
        failure: (IngestError) -> IngestError = { $0 }
    ) throws {
        // Room for a second read, so that the gzip path's input buffer (this one) need not grow.
        var raw: [UInt8] = []
        raw.reserveCapacity(2 * chunkSize)
        raw.append(contentsOf: repeatElement(0, count: chunkSize))
        var n = try readRaw(into: &raw)
        guard n >= 2, raw[0] == 0x1F, raw[1] == 0x8B else {
            // Plain text (or too short to be gzip).
            while n > 0 {
                try raw.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<n])) }
                n = try readRaw(into: &raw)
            }
            return
        }
        // Gzip: its members in turn (concatenated .gz files), each inflated as a stream.
        raw.removeSubrange(n...)
        var input = MemberInput(reader: self, initial: raw)
        raw = []  // the input's buffer is then the only reference: it grows in place, no copy
        while try input.fill(1) { try input.streamMember(body, failure: failure) }
    }
}

private let hexDigits = (0..<16).map { String($0, radix: 16) }
