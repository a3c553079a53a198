import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inflates one whole gzip member held in memory, with libdeflate when the system has it, else with zlib.
///
/// libdeflate (Debian's `libdeflate0`) inflates a whole buffer about twice as fast as zlib's streaming
/// `inflate` (1.38 against 0.61 GB/s of output on the simulator's files on our machine), but it cannot stream,
/// so it is used only on members whose size is known (``GzipMember``). It is loaded at run time with
/// `dlopen`, so that neither building nor running Retort needs it; `RETORT_INFLATE=zlib` turns it off.
/// Both check the member's CRC-32 and length.
struct MemberInflater: Sendable {
    enum Engine: String, Sendable {
        case libdeflate
        case zlib
    }

    let engine: Engine

    /// libdeflate when it loads and `RETORT_INFLATE` is not `zlib`.
    static let preferred: MemberInflater = {
        if let v = getenv("RETORT_INFLATE"), String(cString: v) == "zlib" { return MemberInflater(engine: .zlib) }
        return MemberInflater(engine: Libdeflate.shared == nil ? .zlib : .libdeflate)
    }()

    init(engine: Engine) {
        self.engine = engine == .libdeflate && Libdeflate.shared == nil ? .zlib : engine
    }

    /// Why a member did not inflate.
    struct Failure: Error {
        let message: String
    }

    /// The content of the sized member `member` (all its bytes, header to trailer), whose trailer records
    /// `size` bytes of content.
    func inflate(_ member: UnsafeRawBufferPointer, size: Int) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        try inflate(member, size: size, into: &out)
        return out
    }

    /// Inflates like ``inflate(_:size:)`` into `out`, replacing its content and reusing its storage. (Its old
    /// bytes are overwritten, not cleared first: zeroing each recycled buffer was 0.7% of a seed-scale run.)
    func inflate(_ member: UnsafeRawBufferPointer, size: Int, into out: inout [UInt8]) throws(Failure) {
        let room = max(size, 1)
        if out.count > room {
            out.removeSubrange(room...)
        } else if out.count < room {
            out.append(contentsOf: repeatElement(0, count: room - out.count))
        }
        var message: String?
        out.withUnsafeMutableBytes { o in
            switch engine {
            case .libdeflate: message = Libdeflate.shared!.inflate(member, into: o, size: size)
            case .zlib: message = MemberInflater.zlibInflate(member, into: o, size: size)
            }
        }
        if let message { throw Failure(message: message) }
        out.removeSubrange(size...)
    }

    private static func zlibInflate(
        _ member: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer, size: Int
    ) -> String? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return "cannot start gzip decoder"
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: member.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(member.count)
        stream.next_out = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = UInt32(out.count)
        let rc = CZlib.inflate(&stream, Z_FINISH)
        if rc == Z_STREAM_END {
            guard stream.avail_in == 0, Int(stream.total_out) == size else {
                return "member size field does not match its content"
            }
            return nil
        }
        if rc == Z_BUF_ERROR && stream.avail_out == 0 { return "member holds more than its trailer records" }
        return stream.msg.map { String(cString: $0) } ?? "code \(rc)"
    }
}

/// libdeflate's decompression entry points, looked up with `dlopen`.
struct Libdeflate: @unchecked Sendable {
    private typealias Alloc = @convention(c) () -> OpaquePointer?
    private typealias Free = @convention(c) (OpaquePointer?) -> Void
    private typealias GzipDecompress =
        @convention(c) (
            OpaquePointer?, UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, Int, UnsafeMutablePointer<Int>?,
            UnsafeMutablePointer<Int>?
        ) -> Int32

    private let alloc: Alloc
    private let free: Free
    private let gzipDecompress: GzipDecompress

    /// The loaded library, or nil when the system has none.
    static let shared: Libdeflate? = load()

    private static func load() -> Libdeflate? {
        for name in ["libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let a = dlsym(handle, "libdeflate_alloc_decompressor"),
                let f = dlsym(handle, "libdeflate_free_decompressor"),
                let g = dlsym(handle, "libdeflate_gzip_decompress_ex")
            else {
                dlclose(handle)
                continue
            }
            return Libdeflate(
                alloc: unsafeBitCast(a, to: Alloc.self), free: unsafeBitCast(f, to: Free.self),
                gzipDecompress: unsafeBitCast(g, to: GzipDecompress.self))
        }
        return nil
    }

    /// Inflates `member` into `out`; nil on success, else what went wrong.
    func inflate(_ member: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer, size: Int) -> String? {
        guard let d = alloc() else { return "cannot start gzip decoder" }
        defer { free(d) }
        var consumed = 0
        var produced = 0
        let rc = gzipDecompress(d, member.baseAddress, member.count, out.baseAddress, size, &consumed, &produced)
        switch rc {
        case 0:
            guard consumed == member.count, produced == size else {
                return "member size field does not match its content"
            }
            return nil
        case 1: return "invalid compressed data or checksum"
        case 2, 3: return "member length does not match its trailer"
        default: return "libdeflate error \(rc)"
        }
    }
}
