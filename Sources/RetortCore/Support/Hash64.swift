import CRetortShims

/// Fast non-cryptographic 64-bit hashing, stable across runs and platforms (unlike `Hasher`).
public enum Hash64 {
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        // splitmix64 finaliser
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Hashes bytes, 8 at a time, with a seed.
    @inline(__always)
    public static func bytes(_ b: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0) -> UInt64 {
        var h = seed ^ (UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = b.baseAddress else { return mix(h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = mix(h ^ w) &+ 0x632B_E59B_D9B4_E019
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(b[i]) << shift
            shift += 8
            i += 1
        }
        return mix(h ^ tail ^ 0xA076_1D64_78BD_642F)
    }

    /// `bytes` of `input[from..<to]` with ASCII `A`-`Z` lowercased, read in place (no lowercased copy): eight
    /// bytes are lowercased at once, and a tail of fewer than eight is read as one word where the input has
    /// eight bytes there.
    @inline(__always)
    static func lowercasedASCII(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(to - from) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = input.baseAddress else { return mix(h) }
        let raw = UnsafeRawPointer(base)
        var i = from
        while i + 8 <= to {
            let w = lowercasedASCII(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = mix(h ^ w) &+ 0x632B_E59B_D9B4_E019
            i += 8
        }
        var tail: UInt64 = 0
        let rest = to - i
        if rest > 0 {
            if i + 8 <= input.count {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                tail = lowercasedASCII(w & (UInt64.max >> UInt64(64 - 8 * rest)))
            } else {
                var shift: UInt64 = 0
                for k in i..<to {
                    let b = input[k]
                    tail |= UInt64(b >= 65 && b <= 90 ? b + 32 : b) << shift
                    shift += 8
                }
            }
        }
        return mix(h ^ tail ^ 0xA076_1D64_78BD_642F)
    }

    /// The eight bytes of `w` with ASCII `A`-`Z` lowercased (SWAR: no byte's sum carries into the next).
    @inline(__always)
    static func lowercasedASCII(_ w: UInt64) -> UInt64 {
        let low7 = w & 0x7f7f_7f7f_7f7f_7f7f
        let atLeastA = low7 &+ 0x3f3f_3f3f_3f3f_3f3f  // high bit set where low7 >= 0x41
        let pastZ = low7 &+ 0x2525_2525_2525_2525  // high bit set where low7 >= 0x5B
        let upper = atLeastA & ~pastZ & ~w & 0x8080_8080_8080_8080
        return w | (upper >> 2)
    }

    /// Two independent hashes of the same bytes in one pass; the first equals `bytes(b, seed: seeds.0)`.
    public static func bytesPair(_ b: UnsafeBufferPointer<UInt8>, seeds: (UInt64, UInt64)) -> (UInt64, UInt64) {
        var h0 = seeds.0 ^ (UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15)
        var h1 = seeds.1 ^ (UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = b.baseAddress else { return (mix(h0), mix(h1)) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h0 = mix(h0 ^ w) &+ 0x632B_E59B_D9B4_E019
            h1 = mix(h1 ^ (w &* 0xD6E8_FEB8_6659_FD93)) &+ 0x8EBC_6AF0_9C88_C6E3
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(b[i]) << shift
            shift += 8
            i += 1
        }
        return (mix(h0 ^ tail ^ 0xA076_1D64_78BD_642F), mix(h1 ^ tail ^ 0xE703_7ED1_A0B4_28DB))
    }

    public static func string(_ s: String, seed: UInt64 = 0) -> UInt64 {
        // A native string lends its UTF-8 in place; `withUTF8` needs a mutable copy (a retain and a release
        // per call, several per request on the consumer thread).
        if let h = s.utf8.withContiguousStorageIfAvailable({ bytes($0, seed: seed) }) { return h }
        var s = s
        return s.withUTF8 { bytes($0, seed: seed) }
    }

    /// ``bytesPair(_:seeds:)`` of a string's UTF-8, without copying a native string.
    @inline(__always)
    static func stringPair(_ s: String, seeds: (UInt64, UInt64)) -> (UInt64, UInt64) {
        if let h = s.utf8.withContiguousStorageIfAvailable({ bytesPair($0, seeds: seeds) }) { return h }
        var s = s
        return s.withUTF8 { bytesPair($0, seeds: seeds) }
    }
}

/// An open-addressing set of 64-bit keys (zero is reserved and remapped), 8 bytes a slot.
public struct UInt64Set: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    public private(set) var count = 0

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Inserts `key`; returns false if it was already present.
    @inline(__always)
    public mutating func insert(_ key: UInt64) -> Bool {
        let k = key == 0 ? 0x5555_5555_5555_5555 : key
        if count * 4 >= slots.count * 3 { grow() }
        var i = Int(truncatingIfNeeded: Hash64.mix(k)) & mask
        while true {
            let s = slots[i]
            if s == 0 {
                slots[i] = k
                count += 1
                return true
            }
            if s == k { return false }
            i = (i + 1) & mask
        }
    }

    /// Starts loading the slot where `key` would be found (a hint for a lookup coming soon).
    @inline(__always)
    public func prefetch(_ key: UInt64) {
        let i = Int(truncatingIfNeeded: Hash64.mix(key == 0 ? 0x5555_5555_5555_5555 : key)) & mask
        slots.withUnsafeBufferPointer { retort_prefetch($0.baseAddress! + i) }
    }

    public func contains(_ key: UInt64) -> Bool {
        let k = key == 0 ? 0x5555_5555_5555_5555 : key
        var i = Int(truncatingIfNeeded: Hash64.mix(k)) & mask
        while true {
            let s = slots[i]
            if s == 0 { return false }
            if s == k { return true }
            i = (i + 1) & mask
        }
    }

    /// The keys held as stored (zero as 0x5555…5555), in slot order.
    var keys: [UInt64] { slots.filter { $0 != 0 } }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for k in old where k != 0 { _ = insert(k) }
    }
}

/// A set of 64-bit keys meant for very many keys (one per request of a log): 256 ``CompactUInt64Set``
/// shards chosen by the key's hash, each growing on its own. Keys should be uniform hashes (request ids are
/// hashed); about 9 bytes a key, where one doubling hash table held 10.7 to 21.3 (2 GiB at 128M keys) and,
/// while doubling, its old and new slots at once.
public struct ShardedUInt64Set: Sendable {
    private var shards: [CompactUInt64Set]

    /// - Parameter capacity: unused (the shards start small and grow as needed); kept for callers.
    public init(capacity: Int = 1 << 16) {
        shards = (0..<256).map { _ in CompactUInt64Set() }
    }

    @inline(__always)
    private static func shard(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: Hash64.mix(key ^ 0x7368_6172_6473) >> 56)
    }

    /// Number of keys.
    public var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// Inserts `key`; returns false if it was already present.
    @inline(__always)
    public mutating func insert(_ key: UInt64) -> Bool {
        shards[Self.shard(key)].insert(key)
    }

    public func contains(_ key: UInt64) -> Bool {
        shards[Self.shard(key)].contains(key)
    }

    /// Starts loading the places where `key` would be found (a hint for a lookup coming soon), after
    /// ``prefetchDirectory(_:)`` for the same key a little earlier. `mutating` only so that it runs in place.
    @inline(__always)
    public mutating func prefetch(_ key: UInt64) {
        shards[Self.shard(key)].prefetch(key)
    }

    /// The first hint for a lookup of `key` (see ``CompactUInt64Set/prefetchDirectory(_:)``).
    @inline(__always)
    public mutating func prefetchDirectory(_ key: UInt64) {
        shards[Self.shard(key)].prefetchDirectory(key)
    }
}
