#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Strings of one batch of records that repeat (a client's user agent, a TLS fingerprint, an endpoint
/// name, a system prompt, a replayed prompt) made once and shared: a direct-mapped table of the strings
/// made so far, keyed by a hash of their bytes. A string found in the table is handed out again (one
/// reference count) instead of a new heap string (an allocation, a copy, UTF-8 validation, and later a
/// free). The strings are the same as `String(decoding:as:)` of the bytes: a hit needs the same bytes.
///
/// Strings of up to 15 bytes are stored inline in a `String` and are never looked up. Per decoding batch
/// (one chunk of lines), not shared between threads.
struct StringInterner {
    private var hashes: [UInt64]
    private var strings: [String]
    private let mask: Int

    /// A table of `slots` strings (rounded up to a power of two); 0 makes a table that interns nothing.
    init(slots: Int) {
        var size = 0
        if slots > 0 {
            size = 1
            while size < slots { size <<= 1 }
        }
        hashes = Array(repeating: 0, count: size)
        strings = Array(repeating: "", count: size)
        mask = size - 1
    }

    /// The string of these UTF-8 bytes (invalid sequences repaired as `String(decoding:as:)` repairs them).
    @inline(__always)
    mutating func string(_ span: UnsafeBufferPointer<UInt8>) -> String {
        guard mask >= 0, span.count > 15 else { return String(decoding: span, as: UTF8.self) }
        let h = Hash64.bytes(span, seed: 0x696e_7465_726e) | 1
        let i = Int(truncatingIfNeeded: h) & mask
        if hashes[i] == h {
            let same =
                strings[i].utf8.withContiguousStorageIfAvailable { held in
                    held.count == span.count && memcmp(held.baseAddress!, span.baseAddress!, span.count) == 0
                } ?? false
            if same { return strings[i] }
        }
        let s = String(decoding: span, as: UTF8.self)
        hashes[i] = h
        strings[i] = s
        return s
    }
}
