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

    /// A hash of a long text (a prompt): wyhash (Wang Yi; final version 4's function, with the constants of
    /// version 3), which folds 16 bytes with one 64x64->128-bit multiply and 48 bytes per round in three
    /// independent lanes, several times faster than ``bytes(_:seed:)`` on hundreds of bytes. Stable across runs
    /// and platforms; the tests check it against the reference C code's values.
    @inline(__always)
    public static func text(_ b: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        textPair(b, seeds: (seed, seed)).0
    }

    /// Two independent ``text(_:seed:)`` hashes of the same bytes in one pass: `(text(b, seeds.0), text(b, seeds.1))`.
    @inline(__always)
    public static func textPair(_ b: UnsafeBufferPointer<UInt8>, seeds: (UInt64, UInt64)) -> (UInt64, UInt64) {
        let p0: UInt64 = 0xa076_1d64_78bd_642f
        let p1: UInt64 = 0xe703_7ed1_a0b4_28db
        let p2: UInt64 = 0x8ebc_6af0_9c88_c6e3
        let p3: UInt64 = 0x5899_65cc_7537_4cc3
        @inline(__always) func mum(_ x: UInt64, _ y: UInt64) -> UInt64 {
            let r = x.multipliedFullWidth(by: y)
            return r.high ^ r.low
        }
        var s = seeds.0 ^ mum(seeds.0 ^ p0, p1)
        var t = seeds.1 ^ mum(seeds.1 ^ p0, p1)
        let len = UInt64(b.count)
        @inline(__always) func finish(_ a: UInt64, _ c: UInt64, _ seed: UInt64) -> UInt64 {
            let m = (a ^ p1).multipliedFullWidth(by: c ^ seed)
            return mum(m.low ^ p0 ^ len, m.high ^ p1)
        }
        let n = b.count
        guard let base = b.baseAddress, n > 0 else { return (finish(0, 0, s), finish(0, 0, t)) }
        let raw = UnsafeRawPointer(base)
        @inline(__always) func r8(_ i: Int) -> UInt64 {
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        }
        @inline(__always) func r4(_ i: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
        }
        var a: UInt64
        var c: UInt64
        if n <= 16 {
            if n >= 4 {
                let d = (n >> 3) << 2
                a = r4(0) << 32 | r4(d)
                c = r4(n - 4) << 32 | r4(n - 4 - d)
            } else {
                a = UInt64(base[0]) << 16 | UInt64(base[n >> 1]) << 8 | UInt64(base[n - 1])
                c = 0
            }
        } else {
            var i = 0
            var rest = n
            if rest > 48 {
                var s1 = s
                var s2 = s
                var t1 = t
                var t2 = t
                repeat {
                    let w0 = r8(i)
                    let w1 = r8(i + 8)
                    let w2 = r8(i + 16)
                    let w3 = r8(i + 24)
                    let w4 = r8(i + 32)
                    let w5 = r8(i + 40)
                    s = mum(w0 ^ p1, w1 ^ s)
                    s1 = mum(w2 ^ p2, w3 ^ s1)
                    s2 = mum(w4 ^ p3, w5 ^ s2)
                    t = mum(w0 ^ p1, w1 ^ t)
                    t1 = mum(w2 ^ p2, w3 ^ t1)
                    t2 = mum(w4 ^ p3, w5 ^ t2)
                    i += 48
                    rest -= 48
                } while rest > 48
                s ^= s1 ^ s2
                t ^= t1 ^ t2
            }
            while rest > 16 {
                let w0 = r8(i)
                let w1 = r8(i + 8)
                s = mum(w0 ^ p1, w1 ^ s)
                t = mum(w0 ^ p1, w1 ^ t)
                i += 16
                rest -= 16
            }
            a = r8(i + rest - 16)
            c = r8(i + rest - 8)
        }
        return (finish(a, c, s), finish(a, c, t))
    }

    /// ``textPair(_:seeds:)`` of a string's UTF-8, without copying a native string.
    @inline(__always)
    static func textStringPair(_ s: String, seeds: (UInt64, UInt64)) -> (UInt64, UInt64) {
        if let h = s.utf8.withContiguousStorageIfAvailable({ textPair($0, seeds: seeds) }) { return h }
        var s = s
        return s.withUTF8 { textPair($0, seeds: seeds) }
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
