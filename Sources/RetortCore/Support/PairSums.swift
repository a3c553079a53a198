/// Sums of `Double`s under nonzero 64-bit keys (account pairs): open addressing with linear probing over
/// parallel arrays of keys and sums, at most three quarters full, for the run phase's per-pair tallies
/// (millions of additions into a few hundred thousand keys). Same memory per key as a `Dictionary`, without
/// its seeded hashing and its generic lookups. Each key's sum adds up in the order of the additions.
struct PairSums {
    private var keys: [UInt64]
    private var sums: [Double]
    private var mask: Int
    /// Keys present.
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        sums = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Adds `value` to the sum under `key` (a new key starts at zero). `key` must not be zero.
    @inline(__always)
    mutating func add(_ key: UInt64, _ value: Double) {
        var i = Int(truncatingIfNeeded: Hash64.mix(key)) & mask
        while true {
            let k = keys[i]
            if k == key {
                sums[i] += value
                return
            }
            if k == 0 { break }
            i = (i + 1) & mask
        }
        if (count + 1) * 4 > keys.count * 3 {
            grow()
            add(key, value)
            return
        }
        keys[i] = key
        sums[i] = 0 + value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldSums = sums
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        sums = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for j in oldKeys.indices where oldKeys[j] != 0 {
            var i = Int(truncatingIfNeeded: Hash64.mix(oldKeys[j])) & mask
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            sums[i] = oldSums[j]
        }
    }

    /// Keys and their sums, ascending by key.
    func sortedByKey() -> [(key: UInt64, sum: Double)] {
        var out: [(key: UInt64, sum: Double)] = []
        out.reserveCapacity(count)
        for i in keys.indices where keys[i] != 0 { out.append((keys[i], sums[i])) }
        out.sort { $0.key < $1.key }
        return out
    }

    /// Bytes of the two slot arrays (diagnostics).
    var slotBytes: Int { MemoryProbe.heapBytes(keys) + MemoryProbe.heapBytes(sums) }
}
