/// A sparse weighted graph over interned accounts, built from link groups without any all-pairs pass:
/// each group links its members in a chain in account order, so a group of k accounts adds k-1 edges and
/// groups with the same members reinforce the same edges.
struct AccountGraph {
    /// Edge weights keyed by `low << 32 | high` account index.
    var weights: [UInt64: Double] = [:]

    @inline(__always)
    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        let lo = UInt64(UInt32(bitPattern: min(a, b)))
        let hi = UInt64(UInt32(bitPattern: max(a, b)))
        return lo << 32 | hi
    }

    mutating func add(_ a: Int32, _ b: Int32, _ w: Double) {
        guard a != b, w > 0 else { return }
        weights[Self.pairKey(a, b), default: 0] += w
    }

    /// Chains `members` (ascending) with weight `w`, skipping pairs `allowed` rejects.
    mutating func chain(_ members: [Int32], weight w: Double, allowed: (Int32, Int32) -> Bool) {
        guard members.count >= 2 else { return }
        var prev = members[0]
        for m in members.dropFirst() {
            if allowed(prev, m) { add(prev, m, w) }
            prev = m
        }
    }

    /// Edges sorted by pair key, for deterministic traversal.
    func sortedEdges() -> [(a: Int32, b: Int32, w: Double)] {
        weights.keys.sorted().map { k in
            (a: Int32(bitPattern: UInt32(k >> 32)), b: Int32(bitPattern: UInt32(k & 0xffff_ffff)), w: weights[k]!)
        }
    }
}
