import Foundation

extension Investigation {
    /// Whether an account has too few requests for its own time shape to be judged: fewer than
    /// `min_events_for_shape`, or less than two days between its first and last (its profile then has no
    /// diurnal-rest, duty-cycle or timing signal, which carry most of a harvesting account's behaviour score).
    func isThin(_ st: AccountState) -> Bool {
        st.events > 0
            && (st.events < config.behaviour.minEventsForShape || st.lastTs - st.firstTs < 48 * 3_600_000)
    }

    /// Pools of thin accounts: thin accounts tied to each other by shared infrastructure and identity (cards,
    /// card batches, proxy IPs and networks, sign-up IPs, their networks and bursts, e-mail shapes, clients,
    /// active days: the link kinds that are not content, weighted and added up as in the account graph) with
    /// edges of `strong_edge`, each with two such edges inside its pool (a shared value's holders are tied in a
    /// ring, ``AccountGraph/ring(_:weight:)``), in pools of at least `pool_min_members`. A
    /// campaign that spreads its requests over many accounts, or has only just started, leaves each account
    /// with a handful of requests and no behaviour of its own to judge; taken together, the requests of accounts
    /// tied this way show what the group does (around the clock, single-turn, at the token ceiling, or not).
    /// Each member's ``BehaviourProfile/pooledRawScore`` is set to the pool's score when that is higher than
    /// its own. Content ties do not pool (a casual user asking what a campaign's accounts ask is not one of
    /// them: content evidence is judged on its own), nor does a single tie; thin accounts only (an account with
    /// enough requests of its own is judged by them), and no account of a declared organisation (the
    /// organisation explains what its accounts share) unless the organisation is suspect
    /// (``suspectOrganisations``). A member whose requests (``RequestConduct``) look more like those of the thin
    /// accounts outside the pool than like the rest of the pool's, by a log-likelihood ratio below minus
    /// `clustering.conduct_margin`, is left out and the pool judged without it. Returns the pools (members in id
    /// order) and their scores.
    @discardableResult
    func poolThinAccounts(
        _ profiles: inout [BehaviourProfile], groups: [LinkGroup], org: [String?], coverage: LogCoverage = .complete
    ) -> [(members: [Int], score: Double)] {
        let minMembers = config.clustering.poolMinMembers
        guard minMembers > 0 else { return [] }
        let n = ids.count
        let eligible = (0..<n).map { isThin(states[$0]) && (org[$0] == nil || !isVouchedFor($0)) }
        // The account graph's rule among eligible accounts: within one kind a pair keeps its strongest value,
        // kinds add up (groups come sorted by kind).
        var graph = AccountGraph()
        var kindGraph = AccountGraph()
        var current: LinkKindID?
        for g in groups where Self.poolKinds.contains(g.kind) {
            if g.kind != current {
                graph.merge(kindGraph)
                kindGraph = AccountGraph()
                current = g.kind
            }
            guard let k = config.links.kinds[g.kind.name], k.weight > 0 else { continue }
            let r = Self.rarity(g.sharedBy, k)
            guard r > 0 else { continue }
            kindGraph.ring(g.members.filter { eligible[Int($0)] }, weight: k.weight * r)
        }
        graph.merge(kindGraph)
        let strong = graph.weights.filter { $0.value >= config.clustering.strongEdge }.keys.sorted().map {
            (a: Int(UInt32($0 >> 32)), b: Int(UInt32($0 & 0xffff_ffff)))
        }
        // Two ties inside the pool, pruned until every member has them: one shared value with one member of a
        // group does not make an account one of the group.
        var inPool = eligible
        while true {
            var degree = [Int](repeating: 0, count: n)
            for e in strong where inPool[e.a] && inPool[e.b] {
                degree[e.a] += 1
                degree[e.b] += 1
            }
            var changed = false
            for i in 0..<n where inPool[i] && degree[i] < 2 {
                inPool[i] = false
                changed = true
            }
            if !changed { break }
        }
        var uf = UnionFind(count: n)
        for e in strong where inPool[e.a] && inPool[e.b] { uf.union(e.a, e.b) }
        var byRoot: [Int: [Int]] = [:]
        for i in 0..<n where inPool[i] { byRoot[uf.find(i), default: []].append(i) }
        // The conduct of all eligible accounts together: the background a pool's members are compared with (the
        // thin accounts outside the pool). Each member's own conduct is read again with its pool: nothing per
        // account is kept for the many thin accounts in no pool.
        var thin = ConductMix()
        for i in 0..<n where eligible[i] { thin.add(RequestConduct(states[i])) }
        var pools: [(members: [Int], score: Double)] = []
        for var members in byRoot.values where members.count >= minMembers {
            // In id order: the merged heavy hitters depend on the order of merging, the findings must not
            // depend on the order in which accounts were first seen.
            members.sort { ids[$0] < ids[$1] }
            if let pool = judgeTogether(
                members, thin: thin, minMembers: minMembers, profiles: &profiles, coverage: coverage)
            {
                pools.append((pool.members, pool.score))
            }
        }
        return pools.sorted { ids[$0.members[0]] < ids[$1.members[0]] }
    }

    /// Judges `members` (in id order) as one actor, a pool of thin accounts or a disposable fleet: `thin` is the
    /// conduct of every thin account (``ConductMix``), the background the members are compared with. A member
    /// whose requests (``RequestConduct``) look more like those of the thin accounts outside the group than like
    /// the rest of the group's, by a log-likelihood ratio below minus `clustering.conduct_margin`, is left out and
    /// the group judged without it; each member whose ratio reaches the margin takes the group's raw score where
    /// that is higher than its own (with `fleet`, what made the group a fleet). `product`: how much the group's
    /// product template is its own (``ProductShare``; the templated-product signal of the group's profile is
    /// scaled by it). Returns the members judged, the group's raw score and its profile; nil when fewer than
    /// `minMembers` remain.
    func judgeTogether(
        _ members: [Int], thin: ConductMix, minMembers: Int, profiles: inout [BehaviourProfile],
        coverage: LogCoverage, fleet: FleetBasis? = nil, product: ProductShare = ProductShare()
    ) -> (members: [Int], score: Double, profile: BehaviourProfile)? {
        let margin = config.clustering.conductMargin
        let conduct = members.map { RequestConduct(states[$0]) }
        var poolConduct = RequestConduct()
        var outside = thin
        for c in conduct {
            poolConduct += c
            outside.add(c, sign: -1)
        }
        let background = outside.shares
        let llr = conduct.map { $0.logLikelihoodRatio((poolConduct - $0).shares, background) }
        // A negative margin turns the test off: every member stays, and takes the pool's score.
        let alike = members.indices.filter { margin < 0 || llr[$0] >= -margin }.map { members[$0] }
        let like = Set(members.indices.filter { margin < 0 || llr[$0] >= margin }.map { members[$0] })
        guard alike.count >= minMembers else { return nil }
        let fresh = alike.reduce(0.0) { $0 + profiles[$1].value(.freshAccount) }
        let pooled = BehaviourProfile(
            pooling: alike.map { states[$0] }, freshShare: fresh / Double(alike.count), config: config,
            coverage: coverage, product: product)
        let reasons = pooled.reasons(config: config)
        for m in alike where pooled.rawScore > profiles[m].groupRawScore && like.contains(m) {
            profiles[m].pooledRawScore = pooled.rawScore
            profiles[m].pooledAccounts = alike.count
            profiles[m].pooledReasons = reasons
            profiles[m].pooledFleet = fleet
        }
        return (alike, pooled.rawScore, pooled)
    }

    /// Link kinds that tie thin accounts into pools: infrastructure and identity, not content.
    static let poolKinds: Set<LinkKindID> = [
        .payment, .cardBINWeek, .ip, .network, .asn, .signupIP, .signupNetwork, .tls, .userAgent, .emailPattern,
        .signupBurst, .lockstep,
    ]
}
