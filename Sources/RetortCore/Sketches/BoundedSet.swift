/// The distinct 64-bit values seen, kept exactly up to `capacity` and counted as "at least capacity" beyond.
///
/// Used for per-account user agents, TLS fingerprints and API keys, where a handful is normal and
/// dozens mean rotation.
public struct BoundedSet: Sendable, Equatable {
    public private(set) var values: [UInt64] = []
    /// True once more distinct values arrived than fit.
    public private(set) var overflowed = false
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    @inline(__always)
    public mutating func insert(_ value: UInt64) {
        if values.contains(value) { return }
        if values.count < capacity {
            values.append(value)
        } else {
            overflowed = true
        }
    }

    /// Distinct values seen (capped at `capacity`).
    public var count: Int { values.count }
}

extension BoundedSet {
    /// Heap bytes held (diagnostics).
    var heapBytes: Int { MemoryProbe.heapBytes(values) }
}
