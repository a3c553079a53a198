import CRetortShims

/// A set of 64-bit keys at about 9 bytes a key, for keys that are uniform hashes: older keys in one sorted
/// array, found through a directory of where each run of keys with the same top bits starts, recent ones
/// in a small ``UInt64Set`` that is merged into the sorted array whenever it reaches 1/16 of it (at least
/// 8,192 keys).
///
/// A hash table at most 3/4 full that doubles holds 10.7 to 21.3 bytes a key; the sorted array holds 8, its
/// directory (one 32-bit start per 8 to 16 keys) at most 0.5 more. A lookup reads one directory entry and
/// one or two cache lines of keys, both of which ``prefetchDirectory(_:)`` and ``prefetch(_:)`` can start
/// loading ahead (an interpolation search of the sorted array took two to four dependent cache misses at
/// millions of keys). Merging copies the array (one old and one new copy for a moment), about 17 merges per
/// doubling of the set. Keys that are not uniform (small integers) are found as well, only more slowly:
/// a long run is bisected. Zero is a key like any other here; ``UInt64Set`` shares slot value
/// 0x5555…5555 with it, and so does this set (same answers as ``UInt64Set`` for every sequence of inserts).
public struct CompactUInt64Set: Sendable {
    private var recent: UInt64Set
    private var sorted: [UInt64] = []
    /// `directory[j]` is the index in `sorted` of the first key whose top bits (`key >> shift`) are at least
    /// `j`; one entry more than there are runs.
    private var directory: [UInt32] = [0, 0]
    private var shift: UInt64 = 64
    /// Keys the recent table takes before it is merged.
    private var recentLimit: Int

    public static let minRecentLimit = 8_192

    public init() {
        recentLimit = Self.minRecentLimit
        recent = UInt64Set(capacity: Self.minRecentLimit / 2)
    }

    /// Number of keys.
    public var count: Int { sorted.count + recent.count }

    @inline(__always)
    static func slotKey(_ key: UInt64) -> UInt64 { key == 0 ? 0x5555_5555_5555_5555 : key }

    /// Inserts `key`; returns false if it was already present.
    @inline(__always)
    public mutating func insert(_ key: UInt64) -> Bool {
        let k = Self.slotKey(key)
        if sortedContains(k) { return false }
        guard recent.insert(k) else { return false }
        if recent.count >= recentLimit { merge() }
        return true
    }

    public func contains(_ key: UInt64) -> Bool {
        let k = Self.slotKey(key)
        return sortedContains(k) || recent.contains(k)
    }

    /// Starts loading the directory entry of `key`: the first hint for a lookup coming soon, before
    /// ``prefetch(_:)`` (which reads that entry). `mutating` only so that it runs in place, without a
    /// copy of the set (a retain and a release of its arrays).
    @inline(__always)
    public mutating func prefetchDirectory(_ key: UInt64) {
        let j = Int(truncatingIfNeeded: Self.slotKey(key) >> shift)
        directory.withUnsafeBufferPointer { retort_prefetch($0.baseAddress! + j) }
    }

    /// Starts loading the places where `key` would be found (a hint for a lookup coming soon): its recent
    /// table slot and its run of sorted keys. `mutating` as ``prefetchDirectory(_:)``.
    @inline(__always)
    public mutating func prefetch(_ key: UInt64) {
        let k = Self.slotKey(key)
        recent.prefetch(k)
        let j = Int(truncatingIfNeeded: k >> shift)
        let start = directory.withUnsafeBufferPointer { Int($0[j]) }
        sorted.withUnsafeBufferPointer { a in
            guard start < a.count else { return }
            retort_prefetch(a.baseAddress! + start)
            retort_prefetch(a.baseAddress! + min(start + 8, a.count - 1))
        }
    }

    /// Whether the sorted keys hold `k`: a scan of its run, or a bisection of a long one.
    @inline(__always)
    func sortedContains(_ k: UInt64) -> Bool {
        let j = Int(truncatingIfNeeded: k >> shift)
        let (start, end) = directory.withUnsafeBufferPointer { (Int($0[j]), Int($0[j + 1])) }
        return sorted.withUnsafeBufferPointer { a in
            var lo = start
            var hi = end
            while hi - lo > 16 {
                let mid = lo + (hi - lo) / 2
                let v = a[mid]
                if v == k { return true }
                if v < k { lo = mid + 1 } else { hi = mid }
            }
            for i in lo..<hi where a[i] >= k { return a[i] == k }
            return false
        }
    }

    private mutating func merge() {
        var fresh = recent.keys
        fresh.sort()
        var merged: [UInt64] = []
        merged.reserveCapacity(sorted.count + fresh.count)
        var i = 0
        var j = 0
        while i < sorted.count && j < fresh.count {
            if sorted[i] < fresh[j] {
                merged.append(sorted[i])
                i += 1
            } else {
                merged.append(fresh[j])
                j += 1
            }
        }
        merged.append(contentsOf: sorted[i...])
        merged.append(contentsOf: fresh[j...])
        sorted = merged
        // Runs of 8 to 16 keys on average: 2^bits runs for the largest power of two <= count / 8.
        var bits = 0
        while bits < 31 && (1 << (bits + 1)) <= sorted.count / 8 { bits += 1 }
        shift = UInt64(64 - bits)
        var dir = [UInt32](repeating: 0, count: (1 << bits) + 1)
        var next = 0
        for run in 0..<dir.count {
            // The first key whose top bits are at least `run` (the last entry: the end).
            while next < sorted.count && Int(truncatingIfNeeded: sorted[next] >> shift) < run { next += 1 }
            dir[run] = UInt32(next)
        }
        dir[dir.count - 1] = UInt32(sorted.count)
        directory = dir
        recentLimit = max(Self.minRecentLimit, sorted.count / 16)
        recent = UInt64Set(capacity: recentLimit / 2)
    }
}
