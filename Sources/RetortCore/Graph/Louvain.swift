/// Weighted modularity communities by the Louvain method: local moving of nodes between communities, then
/// aggregation of each community into one node, repeated while anything moves. Deterministic: nodes are
/// visited in index order (callers number them by account rank) and equal gains go to the lower community.
struct Louvain {
    /// Modularity resolution: above 1 favours smaller communities, below 1 larger ones.
    var resolution = 1.0
    /// Most local-moving passes per level.
    var maxPasses = 32
    /// Most aggregation levels.
    var maxLevels = 16

    /// Community label (0-based, numbered by lowest member index) of each of `nodeCount` nodes.
    func communities(nodeCount: Int, edges: [(a: Int, b: Int, w: Double)]) -> [Int] {
        var label = Array(0..<nodeCount)
        guard nodeCount > 1 else { return label }
        var adj = [[(Int, Double)]](repeating: [], count: nodeCount)
        var selfLoop = [Double](repeating: 0, count: nodeCount)
        for e in edges where e.w > 0 {
            if e.a == e.b {
                selfLoop[e.a] += 2 * e.w
            } else {
                adj[e.a].append((e.b, e.w))
                adj[e.b].append((e.a, e.w))
            }
        }
        for level in 0..<maxLevels {
            let (comm, moved) = localMove(adj: adj, selfLoop: selfLoop)
            // Renumber by first member so lower-ranked nodes keep lower labels.
            var renum = [Int](repeating: -1, count: comm.count)
            var next = 0
            for c in comm where renum[c] < 0 {
                renum[c] = next
                next += 1
            }
            for i in label.indices { label[i] = renum[comm[label[i]]] }
            if !moved || next == adj.count { break }
            _ = level
            var merged = [[Int: Double]](repeating: [:], count: next)
            var loops = [Double](repeating: 0, count: next)
            for i in adj.indices {
                let ci = renum[comm[i]]
                loops[ci] += selfLoop[i]
                for (j, w) in adj[i] {
                    let cj = renum[comm[j]]
                    if ci == cj { loops[ci] += w } else { merged[ci][cj, default: 0] += w }
                }
            }
            adj = merged.map { d in d.keys.sorted().map { k in (k, d[k]!) } }
            selfLoop = loops
        }
        return label
    }

    /// One level of local moving; returns each node's community and whether any node moved.
    private func localMove(adj: [[(Int, Double)]], selfLoop: [Double]) -> ([Int], Bool) {
        let n = adj.count
        var degree = [Double](repeating: 0, count: n)
        for i in 0..<n { degree[i] = selfLoop[i] + adj[i].reduce(0) { $0 + $1.1 } }
        let m2 = degree.reduce(0, +)
        var comm = Array(0..<n)
        guard m2 > 0 else { return (comm, false) }
        var total = degree
        var moved = false
        var toComm = [Double](repeating: 0, count: n)
        var touched: [Int] = []
        for _ in 0..<maxPasses {
            var any = false
            for i in 0..<n {
                let own = comm[i]
                touched.removeAll(keepingCapacity: true)
                for (j, w) in adj[i] {
                    let c = comm[j]
                    if toComm[c] == 0 { touched.append(c) }
                    toComm[c] += w
                }
                total[own] -= degree[i]
                let k = degree[i] * resolution / m2
                var best = own
                var bestGain = toComm[own] - total[own] * k
                for c in touched.sorted() where c != own {
                    let gain = toComm[c] - total[c] * k
                    if gain > bestGain + 1e-12 || (abs(gain - bestGain) <= 1e-12 && c < best && best != own) {
                        best = c
                        bestGain = gain
                    }
                }
                total[best] += degree[i]
                for c in touched { toComm[c] = 0 }
                if best != own {
                    comm[i] = best
                    any = true
                    moved = true
                }
            }
            if !any { break }
        }
        return (comm, moved)
    }
}
