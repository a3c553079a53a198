/// The distinct 64-bit values seen, kept exactly up to `capacity` and counted as "at least capacity" beyond.
///
/// Used for per-account user agents, TLS fingerprints and API keys, where a handful is normal and
/// dozens mean rotation. The first two values are stored inline and only further ones in a heap array, so
/// the usual account (one or two values) costs no heap buffer.
public struct BoundedSet: Sendable, Equatable {
    private var first: UInt64 = 0
    private var second: UInt64 = 0
    /// Values after the first two, in order of arrival.
    private var rest: [UInt64] = []
    /// Distinct values seen (capped at `capacity`).
    public private(set) var count = 0
    /// True once more distinct values arrived than fit.
    public private(set) var overflowed = false
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    @inline(__always)
    public mutating func insert(_ value: UInt64) {
        if contains(value) { return }
        guard count < capacity else {
            overflowed = true
            return
        }
        switch count {
        case 0: first = value
        case 1: second = value
        default: rest.append(value)
        }
        count += 1
    }

    /// Whether `value` is held.
    @inline(__always)
    public func contains(_ value: UInt64) -> Bool {
        if count > 0 && first == value { return true }
        if count > 1 && second == value { return true }
        return count > 2 && rest.contains(value)
    }

    /// The values held, in order of arrival.
    public var values: [UInt64] {
        switch count {
        case 0: return []
        case 1: return [first]
        default: return [first, second] + rest
        }
    }

    public static func == (a: BoundedSet, b: BoundedSet) -> Bool {
        a.capacity == b.capacity && a.overflowed == b.overflowed && a.values == b.values
    }
}

extension BoundedSet {
    /// Heap bytes held (diagnostics).
    var heapBytes: Int { MemoryProbe.heapBytes(rest) }
}
