import CRetortShims

/// A set of 64-bit keys at about 9 bytes a key, for keys that are uniform hashes: older keys in one sorted
/// array (found by interpolation search), recent ones in a small ``UInt64Set`` that is merged into the
/// sorted array whenever it reaches 1/16 of it (at least 8,192 keys).
///
/// A hash table at most 3/4 full that doubles holds 10.7 to 21.3 bytes a key; the sorted array holds 8.
/// Merging copies the array (one old and one new copy for a moment), about 17 merges per doubling of the
/// set. Keys that are not uniform (small integers) are found as well, only more slowly: the search falls
/// back to bisection. Zero is a key like any other here; ``UInt64Set`` shares slot value 0x5555…5555 with it,
/// and so does this set (same answers as ``UInt64Set`` for every sequence of inserts).
public struct CompactUInt64Set: Sendable {
    private var recent: UInt64Set
    private var sorted: [UInt64] = []
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

    /// Starts loading the places where `key` would be found (a hint for a lookup coming soon).
    @inline(__always)
    public func prefetch(_ key: UInt64) {
        let k = Self.slotKey(key)
        recent.prefetch(k)
        let n = sorted.count
        guard n > 0 else { return }
        let guess = Int(truncatingIfNeeded: k.multipliedFullWidth(by: UInt64(n)).high)
        sorted.withUnsafeBufferPointer { retort_prefetch($0.baseAddress! + guess) }
    }

    /// Interpolation search: guess where `k` would sit if the keys in the bracket were evenly spread, and
    /// probe a square root of the bracket to either side (for uniform keys that brackets `k` almost always);
    /// bisection after a few rounds, so uneven keys are found too.
    @inline(__always)
    func sortedContains(_ k: UInt64) -> Bool {
        sorted.withUnsafeBufferPointer { a in
            var lo = 0
            var hi = a.count - 1
            guard hi >= 0, k >= a[0], k <= a[hi] else { return false }
            var rounds = 0
            // Invariant: a[lo] <= k <= a[hi]; keys are distinct, so a[lo] < a[hi] while lo < hi.
            while hi - lo > 8 {
                if rounds < 6 {
                    rounds += 1
                    let guess = lo + Int(truncatingIfNeeded: Self.scale(k &- a[lo], a[hi] &- a[lo], hi - lo))
                    let g = min(max(guess, lo + 1), hi - 1)
                    let d = max(4, Int(Double(hi - lo).squareRoot()))
                    let v = a[g]
                    if v == k { return true }
                    if v < k {
                        lo = g
                        let t = min(hi, g + d)
                        if a[t] >= k { hi = t }
                    } else {
                        hi = g
                        let t = max(lo, g - d)
                        if a[t] <= k { lo = t }
                    }
                } else {
                    let mid = lo + (hi - lo) / 2
                    let v = a[mid]
                    if v == k { return true }
                    if v < k { lo = mid } else { hi = mid }
                }
            }
            for i in lo...hi where a[i] == k { return true }
            return false
        }
    }

    /// `offset * width / span` for `offset <= span` (span > 0), without overflow.
    @inline(__always)
    static func scale(_ offset: UInt64, _ span: UInt64, _ width: Int) -> UInt64 {
        let (high, low) = offset.multipliedFullWidth(by: UInt64(width))
        return span.dividingFullWidth((high: high, low: low)).quotient
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
        recentLimit = max(Self.minRecentLimit, sorted.count / 16)
        recent = UInt64Set(capacity: recentLimit / 2)
    }
}
