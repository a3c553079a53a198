import Foundation

extension Investigation {
    /// 5d. Address pools: accounts in no campaign, each with a behaviour score of at least
    /// `address_pool_behaviour`, that rotate over rare IP addresses (held by at most the IP kind's `rare_at`
    /// accounts) they share with each other: pruned to accounts sharing such an address with at least
    /// `address_pool_min_ties` others of them, components of at least `pool_min_members` are candidates (scored
    /// by the caller). An operation that spreads people-like accounts over a proxy pool rotated per session leaves
    /// each account too ordinary to survive the peel and no member suspicious, yet its accounts hold many of the
    /// pool's addresses and nobody else does. A carrier's NAT pool is shared the same way by its subscribers, but
    /// they behave like people (their scores stay under the bar). Verified or declared organisations (their office
    /// addresses are explained) and evaluation runners are not candidates.
    func addressPools(
        outside inCampaign: [Bool], groups: [LinkGroup], profiles: [BehaviourProfile], rank: [Int32]
    ) -> [[Int32]] {
        let c = config.clustering
        guard c.addressPoolMinTies > 0, let rareAt = config.links.kinds[LinkKindID.ip.name]?.rareAt else { return [] }
        let n = states.count
        var candidate = [Bool](repeating: false, count: n)
        for i in 0..<n where !inCampaign[i] && profiles[i].score >= c.addressPoolBehaviour {
            candidate[i] =
                !isVouchedFor(i) && !CampaignEvidence.isEvaluationRun(profiles[i], states[i], config.scoring)
        }
        // Each candidate's neighbours: the other candidates holding one of its rare addresses.
        var neighbours: [Int32: Set<Int32>] = [:]
        for g in groups where g.kind == .ip && g.members.count <= rareAt {
            let held = g.members.filter { candidate[Int($0)] }
            guard held.count >= 2 else { continue }
            for a in held { for b in held where b != a { neighbours[a, default: []].insert(b) } }
        }
        // Prune to `address_pool_min_ties` neighbours inside (a household or an office pair is not a pool).
        var alive = Set(neighbours.keys.filter { neighbours[$0]!.count >= c.addressPoolMinTies })
        var changed = true
        while changed {
            changed = false
            for a in alive where neighbours[a]!.intersection(alive).count < c.addressPoolMinTies {
                alive.remove(a)
                changed = true
            }
        }
        var uf = UnionFind(count: n)
        for a in alive { for b in neighbours[a]! where alive.contains(b) { uf.union(Int(a), Int(b)) } }
        var byRoot: [Int: [Int32]] = [:]
        for a in alive { byRoot[uf.find(Int(a)), default: []].append(a) }
        var pools = byRoot.values.filter { $0.count >= max(2, c.poolMinMembers) }
            .map { $0.sorted { rank[Int($0)] < rank[Int($1)] } }
        pools.sort { rank[Int($0[0])] < rank[Int($1[0])] }
        return pools
    }
}

extension Investigation {
    /// The explanation of an address pool: how many rare addresses its accounts share, and how many of those
    /// addresses' holders are its own accounts (its strength).
    func addressPoolSignal(_ pool: [Int32], groups: [LinkGroup]) -> Findings.Signal {
        let rareAt = config.links.kinds[LinkKindID.ip.name]?.rareAt ?? 0
        let members = Set(pool)
        var addresses = 0
        var holders = 0
        var inside = 0
        for g in groups where g.kind == .ip && g.members.count <= rareAt {
            let k = g.members.filter { members.contains($0) }.count
            guard k >= 2 else { continue }
            addresses += 1
            holders += g.members.count
            inside += k
        }
        let share = holders > 0 ? Double(inside) / Double(holders) : 0
        return .init(
            name: "address_pool", strength: round4(share),
            detail:
                "\(pool.count) accounts, each with a behaviour score of \(fmt(config.clustering.addressPoolBehaviour)) "
                + "or more, share \(addresses) IP addresses that at most \(rareAt) accounts hold, each account with at "
                + "least \(config.clustering.addressPoolMinTies) others of them; \(fmt(100 * share))% of those "
                + "addresses' holders are these accounts (a proxy pool rotated among them)")
    }
}
