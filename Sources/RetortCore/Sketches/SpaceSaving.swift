/// A bounded heavy-hitters sketch (Metwally et al. "SpaceSaving") over 64-bit keys.
///
/// Keeps at most `capacity` counters; a new key evicts the smallest counter and inherits its count,
/// so every true heavy hitter is kept and counts are over-estimated by at most the evicted minimum.
/// Ties are broken by key so the result depends only on the order of updates, never on hashing.
public struct SpaceSaving: Sendable, Equatable {
    public private(set) var keys: [UInt64] = []
    public private(set) var counts: [UInt32] = []
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Counts one occurrence of `key`.
    @inline(__always)
    public mutating func add(_ key: UInt64, weight: UInt32 = 1) {
        for i in keys.indices where keys[i] == key {
            counts[i] &+= weight
            return
        }
        if keys.count < capacity {
            keys.append(key)
            counts.append(weight)
            return
        }
        var minIndex = 0
        for i in 1..<counts.count where counts[i] < counts[minIndex] { minIndex = i }
        keys[minIndex] = key
        counts[minIndex] &+= weight
    }

    /// The count of the most frequent key (0 when empty).
    public var topCount: UInt32 { counts.max() ?? 0 }

    /// The most frequent key, ties broken by the smaller key.
    public var topKey: UInt64? {
        guard !keys.isEmpty else { return nil }
        var best = 0
        for i in 1..<keys.count where counts[i] > counts[best] || (counts[i] == counts[best] && keys[i] < keys[best]) {
            best = i
        }
        return keys[best]
    }

    /// Keys with their counts, most frequent first (ties by key).
    public var sorted: [(key: UInt64, count: UInt32)] {
        zip(keys, counts).map { (key: $0, count: $1) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key
        }
    }
}

extension SpaceSaving {
    /// Heap bytes held (diagnostics).
    var heapBytes: Int { MemoryProbe.heapBytes(keys) + MemoryProbe.heapBytes(counts) }
}
