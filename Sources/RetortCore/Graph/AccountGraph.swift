/// A sparse weighted graph over interned accounts, built from link groups without any all-pairs pass:
/// each group links its members in a chain in account-id order, so a group of k accounts adds k-1 edges
/// and groups of different kinds with the same members reinforce the same edges.
struct AccountGraph {
    /// Edge weights keyed by `low << 32 | high` account index.
    var weights: [UInt64: Double] = [:]

    @inline(__always)
    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        let lo = UInt64(UInt32(bitPattern: min(a, b)))
        let hi = UInt64(UInt32(bitPattern: max(a, b)))
        return lo << 32 | hi
    }

    /// Keeps the larger of the current and the new weight of an edge.
    mutating func add(_ a: Int32, _ b: Int32, _ w: Double) {
        guard a != b, w > 0 else { return }
        let k = Self.pairKey(a, b)
        if w > weights[k] ?? 0 { weights[k] = w }
    }

    /// Adds another graph's edge weights to this one's.
    mutating func merge(_ other: AccountGraph) {
        for k in other.weights.keys.sorted() { weights[k, default: 0] += other.weights[k]! }
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

    /// ``chain(_:weight:allowed:)`` closed into a ring (the last member tied to the first) when there are
    /// three or more members: every member of a shared value then has two ties to others holding it, as it
    /// would in the full clique the chain stands for.
    mutating func ring(_ members: [Int32], weight w: Double) {
        chain(members, weight: w) { _, _ in true }
        if members.count >= 3, let first = members.first, let last = members.last { add(last, first, w) }
    }

    /// Edges sorted by pair key, for deterministic traversal.
    func sortedEdges(rank: [Int32]) -> [(a: Int32, b: Int32, w: Double)] {
        var edges = weights.map { k, w in
            (a: Int32(bitPattern: UInt32(k >> 32)), b: Int32(bitPattern: UInt32(k & 0xffff_ffff)), w: w)
        }
        edges.sort {
            let x = (min(rank[Int($0.a)], rank[Int($0.b)]), max(rank[Int($0.a)], rank[Int($0.b)]))
            let y = (min(rank[Int($1.a)], rank[Int($1.b)]), max(rank[Int($1.a)], rank[Int($1.b)]))
            return x < y
        }
        return edges
    }
}
