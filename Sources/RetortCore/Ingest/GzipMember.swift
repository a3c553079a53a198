import CZlib

/// Gzip members that carry their own compressed size, so that a reader can split a file into members without
/// inflating it and inflate the members on several threads (as BGZF does for genomics files).
///
/// A sized member is an ordinary gzip member (RFC 1952) whose header has the FEXTRA flag and an extra
/// subfield `RM` (2 bytes of id, 2 bytes of length = 8) holding the member's total length in bytes, header and
/// trailer included, as a little-endian `UInt64`. `gzip -d`, zlib and any RFC 1952 reader skip the subfield;
/// a file of such members concatenated is one gzip stream to them.
public enum GzipMember {
    /// Subfield id of the size field: `R`, `M`.
    static let sizeFieldID: (UInt8, UInt8) = (0x52, 0x4D)
    /// Fixed header (10 bytes), XLEN (2) and the size subfield (4 + 8).
    static let headerSize = 24
    /// Trailer: CRC-32 and ISIZE.
    static let trailerSize = 8
    /// A member of more than this many bytes, compressed or inflated, is inflated as a stream rather than
    /// in one piece.
    static let maxWholeSize = 1 << 30

    /// Why a member could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// One complete sized gzip member holding `input`, compressed at `level` (0-9).
    public static func compress(_ input: [UInt8], level: Int32) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let rc = deflateInit2_(
            &stream, max(0, min(9, level)), Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw Failure(message: "cannot start gzip encoder (zlib \(rc))") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 64
        var out = [UInt8](repeating: 0, count: headerSize + bound + trailerSize)
        var result: Int32 = 0
        let produced: Int = input.withUnsafeBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress! + headerSize
                stream.avail_out = UInt32(bound)
                result = deflate(&stream, Z_FINISH)
                return bound - Int(stream.avail_out)
            }
        }
        guard result == Z_STREAM_END else { throw Failure(message: "deflate failed (\(result))") }
        let total = headerSize + produced + trailerSize
        out.removeSubrange(total...)
        let crc = input.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        // ID1 ID2 CM FLG(FEXTRA) MTIME(0) XFL OS(unknown) XLEN, then the subfield.
        let header: [UInt8] = [0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 255, 12, 0, sizeFieldID.0, sizeFieldID.1, 8, 0]
        out.replaceSubrange(0..<header.count, with: header)
        store(UInt64(total), at: 16, in: &out, bytes: 8)
        store(UInt64(crc), at: total - 8, in: &out, bytes: 4)
        store(UInt64(UInt32(truncatingIfNeeded: input.count)), at: total - 4, in: &out, bytes: 4)
        return out
    }

    private static func store(_ value: UInt64, at offset: Int, in out: inout [UInt8], bytes: Int) {
        for k in 0..<bytes { out[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
    }

    /// What the start of a member says about it.
    enum Header: Equatable {
        /// Fewer bytes than needed to tell; at least this many are needed.
        case needMore(Int)
        /// Not the gzip magic.
        case notGzip
        /// A gzip member without a size field (its length is known only by inflating it).
        case unsized
        /// A sized member of this many bytes in all.
        case sized(Int)
    }

    /// Reads the header at the start of `bytes`.
    static func header(_ bytes: UnsafeRawBufferPointer) -> Header {
        guard bytes.count >= 2 else { return .needMore(2) }
        guard bytes[0] == 0x1F, bytes[1] == 0x8B else { return .notGzip }
        guard bytes.count >= 12 else { return .needMore(12) }
        guard bytes[3] & 4 != 0 else { return .unsized }
        let xlen = Int(bytes[10]) | Int(bytes[11]) << 8
        guard bytes.count >= 12 + xlen else { return .needMore(12 + xlen) }
        var p = 12
        while p + 4 <= 12 + xlen {
            let length = Int(bytes[p + 2]) | Int(bytes[p + 3]) << 8
            if bytes[p] == sizeFieldID.0, bytes[p + 1] == sizeFieldID.1, length == 8, p + 12 <= 12 + xlen {
                var size: UInt64 = 0
                for k in 0..<8 { size |= UInt64(bytes[p + 4 + k]) << (8 * UInt64(k)) }
                // A size that cannot hold the header and trailer is not a size this writer wrote.
                guard size >= UInt64(12 + xlen + trailerSize), size <= UInt64(Int.max / 2) else { return .unsized }
                return .sized(Int(size))
            }
            p += 4 + length
        }
        return .unsized
    }

    /// The uncompressed length the trailer of a whole member records (modulo 2^32).
    static func recordedSize(_ member: UnsafeRawBufferPointer) -> Int {
        let n = member.count
        return Int(member[n - 4]) | Int(member[n - 3]) << 8 | Int(member[n - 2]) << 16 | Int(member[n - 1]) << 24
    }
}
