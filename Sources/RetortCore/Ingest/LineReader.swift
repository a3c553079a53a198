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
    private let chunkSize: Int
    private let outputSize: Int
    private var raw: [UInt8]
    private var isGzip = false
    private var stream = z_stream()
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
        self.outputSize = chunkSize * 4
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
        raw = []
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
        var input = [UInt8](repeating: 0, count: chunkSize)
        var output = [UInt8](repeating: 0, count: outputSize)
        var first = true
        var midMember = false

        while true {
            let n = try readRaw(into: &input)
            if n == 0 { break }
            if first {
                first = false
                isGzip = n >= 2 && input[0] == 0x1F && input[1] == 0x8B
                if isGzip {
                    guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
                    else {
                        throw IngestError(code: .corruptCompression, message: "cannot start gzip decoder", file: path)
                    }
                    streamOpen = true
                }
            }
            if !isGzip {
                try input.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<n])) }
                continue
            }
            try input.withUnsafeMutableBufferPointer { inBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(n)
                while stream.avail_in > 0 {
                    let produced: Int = try output.withUnsafeMutableBufferPointer { outBuf in
                        stream.next_out = outBuf.baseAddress
                        stream.avail_out = UInt32(outBuf.count)
                        let before = stream.avail_in
                        let rc = inflate(&stream, Z_NO_FLUSH)
                        if stream.avail_in < before { midMember = true }
                        if rc == Z_STREAM_END {
                            midMember = false
                            // Another gzip member may follow (concatenated .gz files).
                            inflateReset(&stream)
                        } else if rc != Z_OK && rc != Z_BUF_ERROR {
                            let msg = stream.msg.map { String(cString: $0) } ?? "code \(rc)"
                            throw failure(
                                IngestError(
                                    code: .corruptCompression, message: "corrupt gzip data: \(msg)", file: path,
                                    line: 0))
                        }
                        let made = outBuf.count - Int(stream.avail_out)
                        if rc == Z_BUF_ERROR && made == 0 { return -1 }
                        return made
                    }
                    if produced < 0 { break }
                    try output.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<produced])) }
                }
            }
        }
        if isGzip && midMember {
            throw failure(
                IngestError(
                    code: .corruptCompression, message: "gzip data ends early (truncated file)", file: path, line: 0))
        }
    }
}

private let hexDigits = (0..<16).map { String($0, radix: 16) }
