/// An open-addressing map from 64-bit keys to small values, for hot tables whose keys are hashes already
/// (prompt fingerprints, phrase hashes): linear probing over a power-of-two array of keys, at most half
/// full, with the values in a parallel array. Every key is allowed; key zero, which marks an empty slot,
/// is kept on the side.
///
/// Unlike `Dictionary` it hashes with one `Hash64.mix` instead of a seeded SipHash, and a miss usually
/// costs one load. Iteration order is the slot order (a function of the keys inserted and their order,
/// stable across runs); callers that need an order sort.
public struct UInt64Map<Value>: Sequence {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private var zeroValue: Value?
    /// Number of keys present.
    public private(set) var count = 0

    /// - Parameter capacity: keys expected; the table grows past it as needed.
    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: Hash64.mix(key)) & mask
        while true {
            let k = keys[i]
            if k == key || k == 0 { return i }
            i = (i + 1) & mask
        }
    }

    /// The value stored under `key`; setting `nil` is not supported (nothing is ever removed).
    public subscript(key: UInt64) -> Value? {
        @inline(__always) get {
            if key == 0 { return zeroValue }
            let i = slot(of: key)
            return keys[i] == 0 ? nil : values[i]
        }
        @inline(__always) set {
            guard let newValue else {
                precondition(self[key] == nil, "UInt64Map does not remove keys")
                return
            }
            if key == 0 {
                if zeroValue == nil { count += 1 }
                zeroValue = newValue
                return
            }
            var i = slot(of: key)
            if keys[i] == 0 {
                if (count + 1) * 2 > keys.count {
                    grow()
                    i = slot(of: key)
                }
                keys[i] = key
                count += 1
            }
            values[i] = newValue
        }
    }

    /// Applies `body` to the value under `key` in place, if present; returns whether it was.
    @inline(__always)
    public mutating func update(_ key: UInt64, _ body: (inout Value) -> Void) -> Bool {
        if key == 0 {
            guard zeroValue != nil else { return false }
            body(&zeroValue!)
            return true
        }
        let i = slot(of: key)
        guard keys[i] != 0 else { return false }
        body(&values[i]!)
        return true
    }

    private mutating func grow() {
        let oldKeys = keys
        var oldValues: [Value?] = []
        swap(&oldValues, &values)
        let size = oldKeys.count * 2
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        for j in oldKeys.indices where oldKeys[j] != 0 {
            let i = slot(of: oldKeys[j])
            keys[i] = oldKeys[j]
            values[i] = oldValues[j]
        }
    }

    /// Key-value pairs in slot order (key zero first, when present).
    public func makeIterator() -> AnyIterator<(key: UInt64, value: Value)> {
        var zero = zeroValue.map { (key: UInt64(0), value: $0) }
        var j = 0
        let keys = self.keys
        let values = self.values
        return AnyIterator {
            if let z = zero {
                zero = nil
                return z
            }
            while j < keys.count {
                defer { j += 1 }
                if keys[j] != 0 { return (key: keys[j], value: values[j]!) }
            }
            return nil
        }
    }
}

extension UInt64Map: Sendable where Value: Sendable {}
