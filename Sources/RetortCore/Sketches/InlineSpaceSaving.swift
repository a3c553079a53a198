/// ``SpaceSaving`` with its counters stored inline: `capacity` keys and counts in the value itself, no heap
/// buffer. Same updates, same results: keys keep their order of arrival, and a new key replaces the first
/// smallest counter. For per-account sketches, where two heap arrays per sketch cost more than the
/// counters they hold.
public struct InlineSpaceSaving<let capacity: Int>: Sendable {
    private var keyStore = InlineArray<capacity, UInt64>(repeating: 0)
    private var countStore = InlineArray<capacity, UInt32>(repeating: 0)
    /// Number of keys held.
    public private(set) var count = 0

    public init() {}

    /// Counts one occurrence of `key`.
    @inline(__always)
    public mutating func add(_ key: UInt64, weight: UInt32 = 1) {
        for i in 0..<count where keyStore[i] == key {
            countStore[i] &+= weight
            return
        }
        if count < capacity {
            keyStore[count] = key
            countStore[count] = weight
            count += 1
            return
        }
        var minIndex = 0
        for i in 1..<capacity where countStore[i] < countStore[minIndex] { minIndex = i }
        keyStore[minIndex] = key
        countStore[minIndex] &+= weight
    }

    /// Whether `key` is held.
    @inline(__always)
    public func contains(_ key: UInt64) -> Bool {
        for i in 0..<count where keyStore[i] == key { return true }
        return false
    }

    /// The key in slot `i` (`0..<count`, order of arrival, evicted slots reused).
    @inline(__always)
    public func key(at i: Int) -> UInt64 { keyStore[i] }

    /// The count in slot `i`.
    @inline(__always)
    public func count(at i: Int) -> UInt32 { countStore[i] }

    /// The keys held, in slot order (as ``SpaceSaving/keys``).
    public var keys: [UInt64] { (0..<count).map { keyStore[$0] } }

    /// The counts, in slot order (as ``SpaceSaving/counts``).
    public var counts: [UInt32] { (0..<count).map { countStore[$0] } }

    /// The count of the most frequent key (0 when empty).
    public var topCount: UInt32 {
        var best: UInt32 = 0
        for i in 0..<count { best = max(best, countStore[i]) }
        return best
    }

    /// The most frequent key, ties broken by the smaller key.
    public var topKey: UInt64? {
        guard count > 0 else { return nil }
        var best = 0
        for i in 1..<max(1, count)
        where countStore[i] > countStore[best] || (countStore[i] == countStore[best] && keyStore[i] < keyStore[best]) {
            best = i
        }
        return keyStore[best]
    }

    /// Keys with their counts, most frequent first (ties by key).
    public var sorted: [(key: UInt64, count: UInt32)] {
        (0..<count).map { (key: keyStore[$0], count: countStore[$0]) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key
        }
    }
}

extension InlineSpaceSaving: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a.keyStore[i] != b.keyStore[i] || a.countStore[i] != b.countStore[i] {
            return false
        }
        return true
    }
}
