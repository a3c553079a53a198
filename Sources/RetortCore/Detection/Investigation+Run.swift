import CRetortShims
import Crypto
import Foundation

/// One cluster judged a campaign, before it is written out.
struct CampaignCandidate {
    var members: [Int32]
    var score: Double
    var evidence: CampaignEvidence
    /// The connected component the cluster came from (several campaigns share one when a component was split
    /// into communities).
    var component: Int
    /// Accounts attached by a signature value, with the kind of that value and how many held it.
    var attached: [Int32: (kind: LinkKindID, holders: Int)] = [:]
    /// Thin accounts joined through a payment card, IP address or sign-up IP the campaign's members use: the kind
    /// of value, how many members and holders.
    var thinMates: [Int32: (kind: LinkKindID, members: Int, holders: Int)] = [:]
    /// Accounts joined through a rare IP address or sign-up IP the campaign's members use: the kind, how many
    /// members and holders.
    /// `addresses` is 1 for an account joined by one address and harvesting of its own, or the number of the
    /// campaign's addresses it holds when joined by several (``Investigation/attachAddressMates``); `members` and
    /// `holders` are those of the address cited (for several, the one with the most holders).
    var addressMates: [Int32: (kind: LinkKindID, members: Int, holders: Int, addresses: Int)] = [:]
    /// Found as a harvest cohort (step 5c): accounts attached to it by a value other than a prompt frame,
    /// template or system prompt must be trace harvesters.
    var harvestCohort = false
    /// Accounts joined by their conduct alone (a harvest cohort's or a trace-harvesting campaign's;
    /// ``Investigation/attachConductMates(to:campaignOf:profiles:payGroups:windows:ownWindows:cohortBaseline:)``).
    var conductMates: Set<Int32> = []
    /// Accounts joined by weak ties to a harvest cohort's accounts beyond chance: how many ties, their summed weight
    /// and the weight chance gives (``Investigation/attachTieMates(to:campaignOf:edges:profiles:payGroups:windows:cohortBaseline:)``).
    var tieMates: [Int32: (ties: Int, weight: Double, chance: Double)] = [:]
    /// Card mates joined as a disposable fleet's reserve accounts (also in `thinMates`;
    /// ``Investigation/attachFleetReserves(to:campaignOf:payGroups:profiles:)``).
    var fleetReserves: Set<Int32> = []

    /// Whether `m` joined by an attachment step (a signature value, a card or address, its conduct or its ties)
    /// rather than by clustering.
    func joinedByAttachment(_ m: Int32) -> Bool {
        attached[m] != nil || thinMates[m] != nil || addressMates[m] != nil || conductMates.contains(m)
            || tieMates[m] != nil
    }

    /// Keeps the attachment records of the accounts `keep` accepts (members are set by the caller).
    mutating func keepAttachments(where keep: (Int32) -> Bool) {
        attached = attached.filter { keep($0.key) }
        thinMates = thinMates.filter { keep($0.key) }
        addressMates = addressMates.filter { keep($0.key) }
        conductMates = conductMates.filter(keep)
        tieMates = tieMates.filter { keep($0.key) }
        fleetReserves = fleetReserves.filter(keep)
    }
}

extension Investigation {
    /// Clusters, scores, counts and explains everything added so far. May be called repeatedly; it does not
    /// change the accumulated state (only the latest scores kept for ``accountScore(_:)``).
    public func run(input: InputSummary) -> Findings {
        let n = ids.count
        let cfg = config
        // Buffers that reading freed (on its worker threads' heaps) go back to the system before this phase,
        // where the peak is, allocates.
        _ = retort_release_free_memory()
        MemoryProbe.log("run start")
        var profiles: [BehaviourProfile] = []
        profiles.reserveCapacity(n)
        let coverage = logCoverage
        let logStart = logWindow?.first
        let exclusivity = productExclusivity()
        for i in 0..<n {
            profiles.append(
                BehaviourProfile(
                    state: states[i], meta: metas[i], config: cfg, coverage: coverage, logStart: logStart,
                    product: exclusivity[i]))
        }
        var behaviour = profiles.map(\.score)
        var suspicious = behaviour.map { $0 >= cfg.clustering.suspiciousBehaviour }
        let org: [String?] = (0..<n).map(declaredOrg)
        var suspectCount: [String: Int] = [:]
        for i in 0..<n where suspicious[i] && !(metas[i]?.verified ?? false) {
            if let o = org[i] { suspectCount[o, default: 0] += 1 }
        }
        let minSuspect = cfg.clustering.suspectOrgMinSuspicious
        suspectOrganisations = minSuspect > 0 ? Set(suspectCount.filter { $0.value >= minSuspect }.keys) : []

        let order = (0..<n).sorted { ids[$0] < ids[$1] }.map { Int32($0) }
        var rank = [Int32](repeating: 0, count: n)
        for (r, i) in order.enumerated() { rank[Int(i)] = Int32(r) }

        // 1. Link groups → weighted graph. Within one kind a pair keeps its strongest shared value (ten
        // common templates are not ten independent pieces of evidence); kinds add up.
        MemoryProbe.log("profiles")
        var groups = linkGroups(profiles: profiles, order: order, rank: rank)
        // Thin accounts sharing rare infrastructure are judged together (their own profiles cannot show a time
        // shape); clustering and campaign scores use the group's behaviour where it is higher.
        poolThinAccounts(&profiles, groups: groups, org: org, coverage: coverage)
        // Sign-up networks tie thin accounts into pools only (``LinkKindID/signupNetwork``).
        groups.removeAll { $0.kind == .signupNetwork }
        behaviour = profiles.map(\.groupScore)
        suspicious = behaviour.map { $0 >= cfg.clustering.suspiciousBehaviour }
        MemoryProbe.log(
            "link groups", "(\(groups.count) groups, \(groups.reduce(0) { $0 + $1.members.count }) members)")
        var graph = AccountGraph()
        var kindGraph = AccountGraph()
        var currentKind = groups.first?.kind
        var linking: [LinkGroup] = []
        // Content groups among `linking` (their positions), and the account pairs they hold.
        var contentLinking: [Int] = []
        var contentPairOccurrences = 0
        let bandsPerPrompt = cfg.content.minHashBins / max(1, cfg.content.bandRows)
        let debug = ProcessInfo.processInfo.environment["RETORT_DEBUG"] != nil
        let debugAccount = ProcessInfo.processInfo.environment["RETORT_DEBUG_ACCOUNT"].flatMap { index[$0] }
        // With `RETORT_DEBUG_EDGES`, every edge of each kind's graph as `account account kind weight` lines too.
        let kindDumpPath = ProcessInfo.processInfo.environment["RETORT_DEBUG_EDGES"].map { $0 + ".kinds" }
        var kindDump = ""
        func debugEdges(_ kind: LinkKindID?, _ g: AccountGraph) {
            if kindDumpPath != nil {
                for (k, w) in g.weights {
                    kindDump += "\(ids[Int(k >> 32)])\t\(ids[Int(k & 0xffff_ffff)])\t\(kind?.name ?? "-")\t\(fmt4(w))\n"
                }
            }
            guard let who = debugAccount else { return }
            for (k, w) in g.weights where w >= 0.1 && (Int32(k >> 32) == who || Int32(k & 0xffff_ffff) == who) {
                let other = Int32(k >> 32) == who ? Int32(k & 0xffff_ffff) : Int32(k >> 32)
                FileHandle.standardError.write(
                    Data("  \(kind?.name ?? "-") edge \(ids[Int(other)]) w \(fmt(w))\n".utf8))
            }
        }
        for g in groups {
            if g.kind != currentKind {
                if debug { Self.debugKind(currentKind, kindGraph) }
                debugEdges(currentKind, kindGraph)
                graph.merge(kindGraph)
                kindGraph = AccountGraph()
                currentKind = g.kind
            }
            guard let kind = cfg.links.kinds[g.kind.name], kind.weight > 0 else { continue }
            let allowed: (Int32, Int32) -> Bool = { a, b in
                // A declared organisation explains shared infrastructure among its own accounts, but declaring one
                // costs nothing: a suspect one explains nothing (``isVouchedFor(_:)``).
                if kind.infrastructure, let oa = org[Int(a)], oa == org[Int(b)] {
                    return !self.isVouchedFor(Int(a)) && !self.isVouchedFor(Int(b))
                }
                return true
            }
            let r = Self.rarity(g.sharedBy, kind)
            if g.kind == .exactPrompt || g.kind == .nearDuplicate {
                // One shared popular prompt is no evidence; many shared prompts are. Count shared keys per
                // pair within small groups (bounded: at most `content_pair_group` members per key).
                if g.members.count <= cfg.links.contentPairGroup && r > 0 {
                    contentLinking.append(linking.count)
                    contentPairOccurrences += g.members.count * (g.members.count - 1) / 2
                    linking.append(g)
                }
                continue
            }
            if r > 0 {
                kindGraph.chain(g.members, weight: kind.weight * r, allowed: allowed)
                linking.append(g)
            } else if g.members.count >= cfg.clustering.cohortMinMembers {
                let susp = g.members.filter { suspicious[Int($0)] }
                if Double(susp.count) >= cfg.clustering.cohortPurity * Double(g.members.count), susp.count >= 2 {
                    kindGraph.chain(susp, weight: kind.weight * 0.5, allowed: allowed)
                    var c = g
                    c.members = susp
                    c.cohort = true
                    linking.append(c)
                }
            }
        }
        if debug { Self.debugKind(currentKind, kindGraph) }
        debugEdges(currentKind, kindGraph)
        graph.merge(kindGraph)
        var contentGraph = AccountGraph()
        let contentWeight = cfg.links.kinds[LinkKindID.exactPrompt.name]?.weight ?? 0
        // Two heavy users of popular prompts share some by chance. As in the configuration model (the null
        // model of modularity), accounts a and b with s_a and s_b co-holders summed over their exact prompts
        // share about s_a * s_b / sum(s) prompts by chance; only shared prompts beyond `content_pair_lift`
        // times that count.
        MemoryProbe.log(
            "groups to edges",
            "(\(graph.weights.count) edges; \(contentPairOccurrences) account pairs in content groups)")
        var coHolders = [Double](repeating: 0, count: n)
        for (_, e) in content.entries where e.kind == .exact && e.accounts >= 2 {
            let share = Double(e.accounts - 1)
            content.forEachMember(of: e) { coHolders[Int($0)] += share }
        }
        let totalCoHolders = max(1, coHolders.reduce(0, +))
        // Shared prompts per pair, counted in passes over a share of the pairs each (chosen by the pair's hash)
        // so that the per-pair table stays small: a table of every pair held ~40 bytes a pair. Within a pass a
        // pair's count adds up in group order, as in a single pass, so the sums are the same.
        // More than one pass: a multiple of the cores, so that each core counts as many (five passes on two
        // cores took three passes' time; six take three smaller ones).
        let cores = ParallelEventReader.processorCount
        let needed = max(1, (contentPairOccurrences + contentPairsPerPass - 1) / contentPairsPerPass)
        let passes = needed > 1 ? (needed + cores - 1) / cores * cores : 1
        latestContentPairPasses = passes
        // The passes are independent (each counts its own share of the pairs): they run on all cores, each
        // thread taking every `threads`-th pass (one table per thread at a time), and their edges are added in
        // pass order, as one thread would.
        let pairGroups = contentLinking.map { li in
            // A shared prompt shows as its exact key and as its LSH bands: count each as half a prompt.
            (
                members: linking[li].members,
                unit: linking[li].kind == .exactPrompt ? 0.5 : 0.5 / Double(max(1, bandsPerPrompt))
            )
        }
        let lift = cfg.links.contentPairLift
        let minShared = Double(cfg.links.contentPairMinShared) - 1
        let accountIDs = ids
        let holders = coHolders
        let countPass: @Sendable (Int) -> ContentPairPass = { pass in
            var result = ContentPairPass()
            var sharedContent = PairSums()
            for g in pairGroups {
                for x in 0..<g.members.count {
                    for y in (x + 1)..<g.members.count {
                        let key = AccountGraph.pairKey(g.members[x], g.members[y])
                        if passes > 1 && Int(Hash64.mix(key) % UInt64(passes)) != pass { continue }
                        sharedContent.add(key, g.unit)
                    }
                }
            }
            result.pairs = sharedContent.count
            result.slotBytes = sharedContent.slotBytes
            for (k, shared) in sharedContent.sortedByKey() {
                let a = Int(k >> 32)
                let b = Int(k & 0xffff_ffff)
                let chance = lift * holders[a] * holders[b] / totalCoHolders
                let floor = max(minShared, chance.rounded(.up))
                let c = shared.rounded(.down)
                let w = contentWeight * min(1, (c - floor) / 3)
                if let who = debugAccount, Int(who) == a || Int(who) == b {
                    result.debug.append(
                        "  content pair \(accountIDs[a == Int(who) ? b : a]) shared \(c) chance-floor \(fmt(floor))\n")
                }
                if w > 0 { result.edges.append((k, w)) }
            }
            return result
        }
        let results = DisjointSlots<ContentPairPass>(count: passes)
        let threads = min(passes, cores)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for pass in stride(from: t, to: passes, by: threads) { results[pass] = countPass(pass) }
        }
        for (pass, result) in results.values.enumerated() {
            MemoryProbe.log(
                "content pairs, pass \(pass + 1) of \(passes)",
                "(\(result.pairs) pairs, \(result.slotBytes >> 20) MiB)")
            for line in result.debug { FileHandle.standardError.write(Data(line.utf8)) }
            for (k, w) in result.edges { contentGraph.weights[k] = w }
        }
        if debug { Self.debugKind(.exactPrompt, contentGraph) }
        debugEdges(.exactPrompt, contentGraph)
        graph.merge(contentGraph)
        let edges = graph.sortedEdges(rank: rank)
        MemoryProbe.log("sorted edges", "(\(edges.count) edges)")
        if let path = ProcessInfo.processInfo.environment["RETORT_DEBUG_EDGES"] {
            // Every edge of the account graph as `account account weight` lines, for offline analysis.
            var out = ""
            for e in edges { out += "\(ids[Int(e.a)])\t\(ids[Int(e.b)])\t\(fmt(e.w))\n" }
            try? Data(out.utf8).write(to: URL(fileURLWithPath: path))
            try? Data(kindDump.utf8).write(to: URL(fileURLWithPath: path + ".kinds"))
        }
        if let wi = debugAccount {
            let who = ids[Int(wi)]
            for g in linking where g.members.contains(wi) {
                let s = g.members.filter { suspicious[Int($0)] }.count
                FileHandle.standardError.write(
                    Data(
                        "\(who): \(g.kind.name) shared by \(g.sharedBy), \(g.members.count) members, \(s) suspicious, cohort \(g.cohort) MEMBERS \(g.members.map { ids[Int($0)] }.joined(separator: ","))\n"
                            .utf8))
            }
            for e in edges where e.a == wi || e.b == wi {
                let other = e.a == wi ? e.b : e.a
                FileHandle.standardError.write(
                    Data("  edge \(ids[Int(other)]) w \(fmt(e.w)) b \(fmt(behaviour[Int(other)]))\n".utf8))
            }
        }

        // 2. Components over strong links (or suspicious-to-suspicious links of cohort strength).
        func components(keep: [Bool]) -> [[Int32]] {
            var uf = UnionFind(count: n)
            for e in edges where keep[Int(e.a)] && keep[Int(e.b)] {
                let strong = e.w >= cfg.clustering.strongEdge
                let cohort = suspicious[Int(e.a)] && suspicious[Int(e.b)] && e.w >= cfg.clustering.suspiciousEdge
                if strong || cohort { uf.union(Int(e.a), Int(e.b)) }
            }
            var byRoot: [Int: [Int32]] = [:]
            for i in 0..<n where keep[i] { byRoot[uf.find(i), default: []].append(Int32(i)) }
            return byRoot.values.filter { $0.count >= cfg.clustering.minCampaignSize }
                .map { $0.sorted { rank[Int($0)] < rank[Int($1)] } }
                .sorted { rank[Int($0[0])] < rank[Int($1[0])] }
        }
        var keep = [Bool](repeating: true, count: n)
        var comps = components(keep: keep)
        // The conduct of the accounts in components (the others only add to the background: everyone's).
        var everyone = ConductMix()
        for st in states where st.events > 0 { everyone.add(RequestConduct(st)) }
        var conductOf: [Int32: RequestConduct] = [:]
        for c in comps { for m in c { conductOf[m] = RequestConduct(states[Int(m)]) } }
        // 3. Peel weakly attached, unsuspicious members (dense core survives camouflage edges).
        for _ in 0..<4 {
            var compOf = [Int32](repeating: -1, count: n)
            for (ci, c) in comps.enumerated() { for m in c { compOf[Int(m)] = Int32(ci) } }
            // Strongest single tie to a suspicious member of the same cluster: many faint ties (shared
            // popular prompts, a common SDK) do not hold an ordinary account in a campaign.
            var toSuspicious = [Double](repeating: 0, count: n)
            // What the suspicious accounts holding each unsuspicious one by a tie of `peel_link_weight` send.
            var holders: [Int32: RequestConduct] = [:]
            func hold(_ a: Int32, by b: Int32, _ w: Double) {
                guard suspicious[Int(b)] else { return }
                toSuspicious[Int(a)] = max(toSuspicious[Int(a)], w)
                if w >= cfg.clustering.peelLinkWeight && behaviour[Int(a)] < cfg.clustering.peelBehaviour {
                    holders[a, default: RequestConduct()] += conductOf[b]!
                }
            }
            for e in edges where compOf[Int(e.a)] >= 0 && compOf[Int(e.a)] == compOf[Int(e.b)] {
                hold(e.a, by: e.b, e.w)
                hold(e.b, by: e.a, e.w)
            }
            var changed = false
            for c in comps {
                var background = everyone
                for m in c { background.add(conductOf[m]!, sign: -1) }
                let others = background.shares
                for m in c where behaviour[Int(m)] < cfg.clustering.peelBehaviour {
                    // Held by a strong tie, unless what it sends is not what the accounts holding it send.
                    if toSuspicious[Int(m)] >= cfg.clustering.peelLinkWeight,
                        cfg.clustering.conductMargin < 0
                            || conductOf[m]!.logLikelihoodRatio(holders[m]!.shares, others)
                                >= -cfg.clustering.conductMargin
                    {
                        continue
                    }
                    keep[Int(m)] = false
                    changed = true
                }
            }
            if !changed { break }
            comps = components(keep: keep)
        }
        // Every cluster scored from here on (communities, campaigns, removed bystanders) is drawn from the
        // accounts in `comps`: only groups with two of them or more can hold one together, and scoring walks
        // the groups once per call.
        var clustered = [Bool](repeating: false, count: n)
        for c in comps { for m in c { clustered[Int(m)] = true } }
        let clusterLinking = linking.filter { g in
            var k = 0
            for m in g.members where clustered[Int(m)] {
                k += 1
                if k >= 2 { return true }
            }
            return false
        }
        MemoryProbe.log("components")
        // 3b. Split large components into modularity communities, each a candidate campaign of its own.
        var origin = Array(comps.indices)
        if cfg.clustering.communityMinSize > 0 {
            (comps, origin) = splitCommunities(comps, edges: edges, linking: clusterLinking, profiles: profiles)
        }

        MemoryProbe.log("communities")
        // 5. Keep clusters that score as campaigns.
        let (evidence, linkWeight, compOf) = scoreClusters(
            comps, edges: edges, linking: clusterLinking, profiles: profiles)
        var campaigns: [CampaignCandidate] = []
        var inCampaign = [Bool](repeating: false, count: n)
        for (ci, c) in comps.enumerated() where evidence[ci].score >= cfg.scoring.campaignThreshold {
            campaigns.append(
                CampaignCandidate(members: c, score: evidence[ci].score, evidence: evidence[ci], component: origin[ci]))
            for m in c { inCampaign[Int(m)] = true }
        }
        MemoryProbe.log("clusters scored")
        // 5b. Members living mostly outside their campaign's operating window, weakly tied to it, leave it; so do
        // evaluation runners many times faster than the campaign's members.
        var firstFree = (origin.max() ?? -1) + 1
        if cfg.clustering.windowMinShare > 0 || cfg.clustering.attachPaceFactor > 0 {
            campaigns =
                dropTimeBystanders(
                    campaigns, edges: edges, linking: clusterLinking, profiles: profiles, firstOrigin: firstFree
                ).campaigns
            firstFree = max(firstFree, (campaigns.map(\.component).max() ?? -1) + 1)
            inCampaign = [Bool](repeating: false, count: n)
            for c in campaigns { for m in c.members { inCampaign[Int(m)] = true } }
        }

        // Shared payment cards: cohorts, card mates and team members read them.
        let payGroups = groups.filter { $0.kind == .payment }
        // 5c. Harvest cohorts: accounts tied only weakly, each asking for reasoning traces far more often than
        // ordinary accounts, tied to each other far more densely than ordinary accounts are.
        MemoryProbe.log("campaigns scored")
        let (cohorts, cohortBase) = harvestCohorts(
            outside: inCampaign, edges: edges, profiles: profiles, rank: rank,
            payGroups: payGroups)
        // Cohorts and address pools that score join the campaigns (their members are then in one).
        var admittedClusters: [[Int32]] = []
        func admit(_ members: [Int32], _ evidence: CampaignEvidence, component: Int, harvestCohort: Bool = false) {
            guard evidence.score >= cfg.scoring.campaignThreshold else { return }
            campaigns.append(
                CampaignCandidate(
                    members: members, score: evidence.score, evidence: evidence, component: component,
                    harvestCohort: harvestCohort))
            for m in members { inCampaign[Int(m)] = true }
            admittedClusters.append(members)
        }
        if !cohorts.isEmpty {
            var cohortEvidence =
                scoreClusters(cohorts.map(\.members), edges: edges, linking: linking, profiles: profiles).evidence
            for (k, cohort) in cohorts.enumerated() {
                let c = cohort.members
                let (signal, coordination) = cohortSignal(cohort, baseline: cohortBase)
                cohortEvidence[k].raiseHarvest(to: signal.strength, members: c.count, coordination: coordination)
                cohortEvidence[k].signals.insert(signal, at: 0)
                if debug {
                    FileHandle.standardError.write(
                        Data("cohort of \(c.count): score \(fmt(cohortEvidence[k].score)); \(signal.detail)\n".utf8))
                }
                admit(c, cohortEvidence[k], component: firstFree + k, harvestCohort: true)
            }
            firstFree += cohorts.count
        }

        // 5d. Address pools: people-like accounts rotating over rare addresses that they share with each other.
        let pools = addressPools(outside: inCampaign, groups: groups, profiles: profiles, rank: rank)
        if !pools.isEmpty {
            var poolEvidence = scoreClusters(pools, edges: edges, linking: linking, profiles: profiles).evidence
            for (k, pool) in pools.enumerated() {
                poolEvidence[k].signals.insert(addressPoolSignal(pool, groups: groups), at: 0)
                if debug {
                    FileHandle.standardError.write(
                        Data("address pool of \(pool.count): score \(fmt(poolEvidence[k].score))\n".utf8))
                }
                admit(pool, poolEvidence[k], component: firstFree + k)
            }
            firstFree += pools.count
        }

        // 5e. Disposable fleets: accounts in no campaign, each used briefly soon after sign-up, marked as one fleet by
        // the system prompt, client or parameters of the script that uses them up (a value too common to link them).
        let fleets = poolDisposableFleets(
            &profiles, groups: groups, product: exclusivity, outside: inCampaign, coverage: coverage)
        if !fleets.isEmpty {
            let fleetEvidence =
                scoreClusters(fleets.map(\.members), edges: edges, linking: linking, profiles: profiles).evidence
            for (k, fleet) in fleets.enumerated() {
                if debug {
                    FileHandle.standardError.write(
                        Data("fleet of \(fleet.members.count): score \(fmt(fleetEvidence[k].score))\n".utf8))
                }
                admit(fleet.members, fleetEvidence[k], component: firstFree + k)
                // A fleet that is no campaign leaves its members' profiles as they were.
                if fleetEvidence[k].score < cfg.scoring.campaignThreshold {
                    for (m, p) in fleet.before { profiles[Int(m)] = p }
                }
            }
            firstFree += fleets.count
        }

        // 6. Lone accounts with overwhelming evidence of their own (a reseller, an extraction prober), also
        // when the cluster they were in did not score.
        var solos: [[Int32]] = []
        var resellerSolos: Set<Int> = []  // positions in `solos` admitted as harvesting resellers
        let baseline = harvestBaseline(outside: inCampaign)
        for i in 0..<n where !inCampaign[i] && states[i].events >= cfg.scoring.soloMinEvents {
            let p = profiles[i]
            let harvester =
                p.score >= cfg.scoring.soloBehaviour && CampaignEvidence.harvest(p) >= cfg.scoring.soloHarvest
            // A prober sweeps logit_bias over the same target prompts again and again; an evaluation harness
            // asks logprobs with one-token answers too, but once per item and without logit_bias sweeps.
            let st = states[i]
            let prober =
                p.score >= cfg.clustering.suspiciousBehaviour && p.value(.apiExtraction) >= cfg.scoring.soloHarvest
                && Double(st.logitBias) >= 0.3 * Double(st.events)
                && Double(st.repeatedPrompts) >= 0.3 * Double(st.events)
            let reseller = isHarvestingReseller(i, profile: p, baseline: baseline)
            if reseller { resellerSolos.insert(solos.count) }
            if harvester || prober || reseller { solos.append([Int32(i)]) }
        }
        var clusterSize = compOf.map { $0 >= 0 ? Int32(comps[Int($0)].count) : 0 }
        for c in admittedClusters { for m in c { clusterSize[Int(m)] = Int32(c.count) } }
        if !solos.isEmpty {
            var soloEvidence = scoreClusters(solos, edges: [], linking: [], profiles: profiles).evidence
            for k in resellerSolos.sorted() {
                let signal = resellerSignal(Int(solos[k][0]), baseline: baseline)
                soloEvidence[k].raiseHarvest(to: signal.strength, members: 1)
                soloEvidence[k].signals.insert(signal, at: 0)
            }
            let firstOrigin = firstFree
            for (k, c) in solos.enumerated() where soloEvidence[k].score >= cfg.scoring.campaignThreshold {
                campaigns.append(
                    CampaignCandidate(
                        members: c, score: soloEvidence[k].score, evidence: soloEvidence[k],
                        component: firstOrigin + k))
                clusterSize[Int(c[0])] = 1
            }
        }
        MemoryProbe.log("clustered")
        latestProfiles = profiles
        latestLinkWeight = linkWeight
        latestClusterSize = clusterSize
        MemoryProbe.log("before attaching")
        attach(
            to: &campaigns, groups: groups, payGroups: payGroups, profiles: profiles, cohortBaseline: cohortBase,
            edges: edges)
        MemoryProbe.log("attached")
        // 7b. Members of a genuine team leave their campaigns.
        if cfg.clustering.teamCardMinOthers > 0 {
            campaigns = dropTeamMembers(
                campaigns, edges: edges, linking: linking, profiles: profiles, payGroups: payGroups)
        }
        for ci in campaigns.indices { campaigns[ci].evidence.signals += attachmentSignals(campaigns[ci]) }
        return assemble(
            campaigns: campaigns, profiles: profiles, input: input, linking: linking, linkWeight: linkWeight,
            coverage: coverage)
    }

    /// Scores each cluster: link weight of each member inside its cluster, how each kind of link holds each
    /// cluster together, and the campaign evidence.
    func scoreClusters(
        _ comps: [[Int32]], edges: [(a: Int32, b: Int32, w: Double)], linking: [LinkGroup],
        profiles: [BehaviourProfile]
    ) -> (evidence: [CampaignEvidence], linkWeight: [Double], compOf: [Int32]) {
        let n = ids.count
        var linkWeight = [Double](repeating: 0, count: n)
        var compOf = [Int32](repeating: -1, count: n)
        for (ci, c) in comps.enumerated() { for m in c { compOf[Int(m)] = Int32(ci) } }
        for e in edges where compOf[Int(e.a)] >= 0 && compOf[Int(e.a)] == compOf[Int(e.b)] {
            linkWeight[Int(e.a)] += e.w
            linkWeight[Int(e.b)] += e.w
        }

        // 4. How each kind of link holds each cluster together.
        let kindCount = LinkKindID.allCases.count
        var statsByComp = [[LinkStat]](
            repeating: [LinkStat](repeating: LinkStat(), count: kindCount), count: comps.count)
        // A group's members in clusters, as (cluster, member) pairs grouped by cluster. Most groups have fewer
        // than two members in any cluster and cost no allocation; the stats are changed in place (a copy of
        // a stat held a second reference to its `covered` set, so every union copied the whole set).
        var hits: [(comp: Int32, member: Int32)] = []
        func fold(_ s: inout LinkStat, _ g: LinkGroup, _ ms: ArraySlice<(comp: Int32, member: Int32)>) {
            s.keys += 1
            for h in ms { s.covered.insert(h.member) }
            s.minSize = min(s.minSize, ms.count)
            s.maxSize = max(s.maxSize, ms.count)
            s.cohort = s.cohort || g.cohort
            if s.keySet.count < 64 { s.keySet.append(g.key) }
        }
        for g in linking {
            hits.removeAll(keepingCapacity: true)
            for m in g.members {
                let c = compOf[Int(m)]
                if c >= 0 { hits.append((c, m)) }
            }
            guard hits.count >= 2 else { continue }
            let first = hits[0].comp
            if !hits.allSatisfy({ $0.comp == first }) {
                hits.sort { $0.comp != $1.comp ? $0.comp < $1.comp : $0.member < $1.member }
            }
            var start = 0
            while start < hits.count {
                let ci = Int(hits[start].comp)
                var end = start + 1
                while end < hits.count && hits[end].comp == hits[start].comp { end += 1 }
                if end - start >= 2 { fold(&statsByComp[ci][g.kind.rawValue], g, hits[start..<end]) }
                start = end
            }
        }

        let evidence = comps.indices.map { ci in
            CampaignEvidence(
                members: comps[ci], investigation: self, profiles: profiles, linkWeight: linkWeight,
                linkStats: statsByComp[ci])
        }
        return (evidence, linkWeight, compOf)
    }

    /// Splits each component of at least `community_min_size` members into Louvain communities. A community
    /// that does not score as a campaign on its own rejoins the campaign-scoring community it is most
    /// strongly linked to (dropping it instead cost recall on every split campaign measured); when no
    /// community scores, or a rejoined community then falls below the threshold, the component stays whole.
    func splitCommunities(
        _ comps: [[Int32]], edges: [(a: Int32, b: Int32, w: Double)], linking: [LinkGroup],
        profiles: [BehaviourProfile]
    ) -> (clusters: [[Int32]], origin: [Int]) {
        let cfg = config
        let n = ids.count
        var compOf = [Int32](repeating: -1, count: n)
        var local = [Int32](repeating: -1, count: n)
        for (ci, c) in comps.enumerated() {
            for (li, m) in c.enumerated() {
                compOf[Int(m)] = Int32(ci)
                local[Int(m)] = Int32(li)
            }
        }
        var inner = [[(a: Int, b: Int, w: Double)]](repeating: [], count: comps.count)
        for e in edges where compOf[Int(e.a)] >= 0 && compOf[Int(e.a)] == compOf[Int(e.b)] {
            inner[Int(compOf[Int(e.a)])].append((Int(local[Int(e.a)]), Int(local[Int(e.b)]), e.w))
        }
        let louvain = Louvain(resolution: cfg.clustering.communityResolution)
        // Candidate pieces of every split component, scored together.
        var pieces: [[Int32]] = []
        var piecesOf = [Range<Int>](repeating: 0..<0, count: comps.count)
        for (ci, c) in comps.enumerated() where c.count >= cfg.clustering.communityMinSize {
            let label = louvain.communities(nodeCount: c.count, edges: inner[ci])
            let count = (label.max() ?? 0) + 1
            guard count > 1 else { continue }
            var parts = [[Int32]](repeating: [], count: count)
            for (li, l) in label.enumerated() { parts[l].append(c[li]) }
            piecesOf[ci] = pieces.count..<(pieces.count + count)
            pieces += parts
        }
        guard !pieces.isEmpty else { return (comps, Array(comps.indices)) }
        let threshold = cfg.scoring.campaignThreshold
        let debug = ProcessInfo.processInfo.environment["RETORT_DEBUG"] != nil
        let ev = scoreClusters(pieces, edges: edges, linking: linking, profiles: profiles).evidence
        var pieceOf = [Int32](repeating: -1, count: n)
        for (pi, p) in pieces.enumerated() { for m in p { pieceOf[Int(m)] = Int32(pi) } }
        var between: [UInt64: Double] = [:]
        for e in edges {
            let pa = pieceOf[Int(e.a)]
            let pb = pieceOf[Int(e.b)]
            if pa >= 0 && pb >= 0 && pa != pb { between[AccountGraph.pairKey(pa, pb), default: 0] += e.w }
        }
        // Rejoin failing pieces to their most strongly linked passing piece of the same component.
        var proposal: [[Int32]] = []
        var proposalOf = [Range<Int>](repeating: 0..<0, count: comps.count)
        for ci in comps.indices where !piecesOf[ci].isEmpty {
            let range = piecesOf[ci]
            let passing = range.filter {
                pieces[$0].count >= cfg.clustering.minCampaignSize && ev[$0].score >= threshold
            }
            guard !passing.isEmpty else { continue }
            var groups = passing.map { pieces[$0] }
            for p in range where !passing.contains(p) {
                var best = 0
                var bestW = -1.0
                for (k, q) in passing.enumerated() {
                    let w = between[AccountGraph.pairKey(Int32(p), Int32(q))] ?? 0
                    if w > bestW { (best, bestW) = (k, w) }
                }
                if debug {
                    let inside = Set(pieces[p])
                    var within = 0.0
                    for e in edges where inside.contains(e.a) && inside.contains(e.b) { within += e.w }
                    FileHandle.standardError.write(
                        Data(
                            "rejoin piece \(pieces[p].count) score \(fmt4(ev[p].score)) internal \(fmt4(within)) best \(fmt4(bestW)) into \(groups[best].count) MEMBERS \(pieces[p].map { ids[Int($0)] }.joined(separator: ","))\n"
                                .utf8))
                }
                groups[best] += pieces[p]
            }
            guard groups.count > 1 else { continue }
            proposalOf[ci] = proposal.count..<(proposal.count + groups.count)
            proposal += groups.map { g in g.sorted { ids[Int($0)] < ids[Int($1)] } }
        }
        guard !proposal.isEmpty else { return (comps, Array(comps.indices)) }
        let final = scoreClusters(proposal, edges: edges, linking: linking, profiles: profiles).evidence
        var out: [[Int32]] = []
        var origin: [Int] = []
        for (ci, c) in comps.enumerated() {
            let r = proposalOf[ci]
            if !r.isEmpty && r.allSatisfy({ final[$0].score >= threshold }) {
                out += r.map { proposal[$0] }
                origin += r.map { _ in ci }
            } else {
                out.append(c)
                origin.append(ci)
            }
        }
        return (out, origin)
    }

    /// Attaches unclustered, somewhat suspicious accounts to a campaign whose signature they carry: a value
    /// (client configuration, prompt frame, TLS fingerprint, ...) that the campaign's members hold almost
    /// exclusively. Short-lived accounts of a campaign with unique cards and IPs are caught this way.
    /// `payGroups`: the payment groups among `groups`, for card mates (``attachCardMates(to:campaignOf:payGroups:)``).
    func attach(
        to campaigns: inout [CampaignCandidate], groups: [LinkGroup], payGroups: [LinkGroup] = [],
        profiles: [BehaviourProfile], cohortBaseline: CohortBaseline, edges: [(a: Int32, b: Int32, w: Double)] = []
    ) {
        let cfg = config.clustering
        guard !campaigns.isEmpty else { return }
        var campaignOf = [Int32](repeating: -1, count: ids.count)
        for (ci, c) in campaigns.enumerated() { for m in c.members { campaignOf[Int(m)] = Int32(ci) } }
        let kinds: Set<LinkKindID> = [
            .behaviourFingerprint, .frame, .template, .systemPrompt, .signupBurst, .emailPattern, .lockstep,
        ]
        let candidate = profiles.map { behavesLikeMember($0) }
        let promptKinds: Set<LinkKindID> = [.frame, .template, .systemPrompt]
        var added = [[Int32]](repeating: [], count: campaigns.count)
        var lockstepVotes: [UInt64: Int] = [:]
        // An account living mostly outside a campaign's operating window is not one of its short-lived members.
        let windows = componentWindows(campaigns)
        let ownWindows = campaigns.map { operatingWindow($0.members) }
        // Each campaign's pace: the median of its members' requests per active hour.
        let paces = campaigns.map { medianPace($0.members) }
        for g in groups where kinds.contains(g.kind) && g.members.count >= cfg.attachMinMembers {
            // Purity is judged by the component the campaigns came from (a campaign split into communities
            // still owns its signature); the account joins the community holding most of the value's users.
            // Unclustered accounts that behave like campaign members count towards purity; anyone else
            // (ordinary users of a popular template, members of another campaign) counts against it.
            var byComponent: [Int: Int] = [:]
            var byCampaign: [Int32: Int] = [:]
            var lookAlike = 0
            for m in g.members {
                let ci = campaignOf[Int(m)]
                if ci >= 0 {
                    byComponent[campaigns[Int(ci)].component, default: 0] += 1
                    byCampaign[ci, default: 0] += 1
                } else if candidate[Int(m)] {
                    lookAlike += 1
                }
            }
            let size = Double(g.members.count)
            guard
                let comp = byComponent.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                Double(comp.value) >= cfg.attachAnchor * size,
                Double(comp.value + lookAlike) >= cfg.attachPurity * size,
                let best = byCampaign.filter({ campaigns[Int($0.key)].component == comp.key })
                    .max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
            else { continue }
            for m in g.members where campaignOf[Int(m)] < 0 && candidate[Int(m)] {
                if let w = windows[Int(best.key)], isTimeBystander(m, window: w) { continue }
                // Look-alikes keep the campaign's pace: many times faster or slower is another kind of client.
                if !keepsPace(states[Int(m)], median: paces[Int(best.key)]) { continue }
                // A harvest cohort is what its members ask for. Its prompt frames, templates and system prompts
                // are its harvesting wrappers: holding one is asking as it asks. A schedule, a client or a
                // sign-up pattern is not: an account joining by those must be a trace harvester itself.
                if campaigns[Int(best.key)].harvestCohort && !promptKinds.contains(g.kind)
                    && !isTraceHarvester(Int(m), profile: profiles[Int(m)], baseline: cohortBaseline)
                {
                    continue
                }
                // Sharing a few active days is chance, and so is a day set that a handful of accounts match
                // loosely (MinHash bands); a week or more of them, shared by dozens, is coordination.
                if g.kind == .lockstep {
                    if states[Int(m)].activeDays.count < 7 || g.members.count < 4 * cfg.attachMinMembers { continue }
                    // One shared MinHash band is a loose match of day sets (frequent among many genuine
                    // accounts); the same day set matches in several bands. Attach on the second band.
                    let vote = AccountGraph.pairKey(m, best.key)
                    lockstepVotes[vote, default: 0] += 1
                    if lockstepVotes[vote]! < 2 { continue }
                }
                campaignOf[Int(m)] = best.key
                added[Int(best.key)].append(m)
                campaigns[Int(best.key)].attached[m] = (g.kind, g.members.count)
            }
        }
        for ci in campaigns.indices where !added[ci].isEmpty { campaigns[ci].members += added[ci] }
        attachCardMates(to: &campaigns, campaignOf: &campaignOf, payGroups: payGroups)
        attachFleetReserves(to: &campaigns, campaignOf: &campaignOf, payGroups: payGroups, profiles: profiles)
        attachThinAddressMates(to: &campaigns, campaignOf: &campaignOf, groups: groups, windows: windows)
        attachAddressMates(
            to: &campaigns, campaignOf: &campaignOf, groups: groups, profiles: profiles, windows: windows,
            cohortBaseline: cohortBaseline)
        attachConductMates(
            to: &campaigns, campaignOf: &campaignOf, profiles: profiles, payGroups: payGroups, windows: windows,
            ownWindows: ownWindows, cohortBaseline: cohortBaseline)
        attachTieMates(
            to: &campaigns, campaignOf: &campaignOf, edges: edges, profiles: profiles, payGroups: payGroups,
            windows: windows, cohortBaseline: cohortBaseline)
    }

    /// Accounts sharing a rare address with a campaign's members join it when they harvest themselves: an
    /// account in no campaign holding an IP address or sign-up IP that at most `rare_at` accounts hold, at least
    /// half of them members of one campaign and none of another, with `address_mate_min_requests` requests or
    /// more of which at least `address_mate_min_share`, and `address_mate_baseline_factor` times the median
    /// trace share of ordinary heavy accounts, are harvest-like. A proxy exit or a sign-up machine is rarely
    /// shared by chance with the one account in a hundred thousand that harvests, and a person sharing a home
    /// IP with a harvester asks for what people ask for. Verified or declared organisations, evaluation runners,
    /// services fronting many end users and accounts living outside the campaign's window do not join.
    /// An account holding several such addresses of one campaign (`address_mate_min_addresses` or more, each held by
    /// fewer than the kind's `common_at` accounts, at least half of them that campaign's members and none another's)
    /// joins it without harvesting of its own when it behaves like the members (`attach_behaviour`,
    /// `attach_harvest`) and keeps their pace: one address in common is a neighbour's chance, several of one
    /// operation's exits or sign-up machines are not.
    func attachAddressMates(
        to campaigns: inout [CampaignCandidate], campaignOf: inout [Int32], groups: [LinkGroup],
        profiles: [BehaviourProfile], windows: [ClosedRange<Int64>?], cohortBaseline: CohortBaseline
    ) {
        let cfg = config.clustering
        guard cfg.addressMateMinShare > 0 else { return }
        let bar = max(cfg.addressMateMinShare, cfg.addressMateBaselineFactor * cohortBaseline.medianShare)
        let before = campaignOf  // membership before this step: no chains of address mates
        var added = [[Int32]](repeating: [], count: campaigns.count)
        let several = cfg.addressMateMinAddresses >= 2
        // Accounts in no campaign holding addresses of one campaign, for the second route: (account, campaign) →
        // addresses held, and the one with the most holders.
        var held: [UInt64: (addresses: Int, kind: LinkKindID, members: Int, holders: Int)] = [:]
        for g in groups where g.kind == .ip || g.kind == .signupIP {
            guard let kind = config.links.kinds[g.kind.name] else { continue }
            let rare = g.members.count <= kind.rareAt
            let countsTowardSeveral = several && g.members.count < kind.commonAt
            guard rare || countsTowardSeveral else { continue }
            var byCampaign: [Int32: Int] = [:]
            for m in g.members where before[Int(m)] >= 0 { byCampaign[before[Int(m)], default: 0] += 1 }
            guard byCampaign.count == 1, let (ci, count) = byCampaign.first, 2 * count >= g.members.count else {
                continue
            }
            for m in g.members where campaignOf[Int(m)] < 0 {
                let i = Int(m)
                let st = states[i]
                if rare, st.events >= cfg.addressMateMinRequests, Self.harvestShare(st) >= bar,
                    mayJoinUntied(i, profile: profiles[i]),
                    windows[Int(ci)].map({ !isTimeBystander(m, window: $0) }) ?? true
                {
                    campaignOf[i] = ci
                    added[Int(ci)].append(m)
                    campaigns[Int(ci)].addressMates[m] = (g.kind, count, g.members.count, 1)
                    continue
                }
                guard countsTowardSeveral else { continue }
                let key = UInt64(UInt32(bitPattern: m)) << 32 | UInt64(UInt32(bitPattern: ci))
                var h = held[key] ?? (0, g.kind, count, g.members.count)
                h.addresses += 1
                if g.members.count > h.holders { (h.kind, h.members, h.holders) = (g.kind, count, g.members.count) }
                held[key] = h
            }
        }
        // Second route: several addresses of one campaign, the members' conduct and pace (an account the first
        // route attached after one of its addresses was counted here is in a campaign now and is skipped).
        var paces: [Int32: Double] = [:]
        for key in held.keys.sorted() {
            let h = held[key]!
            let m = Int32(bitPattern: UInt32(key >> 32))
            let ci = Int32(bitPattern: UInt32(key & 0xffff_ffff))
            let i = Int(m)
            let st = states[i]
            guard h.addresses >= cfg.addressMateMinAddresses, campaignOf[i] < 0,
                st.events >= cfg.addressMateMinRequests, behavesLikeMember(profiles[i]),
                mayJoinUntied(i, profile: profiles[i])
            else { continue }
            if let w = windows[Int(ci)], isTimeBystander(m, window: w) { continue }
            let pace = paces[ci] ?? medianPace(campaigns[Int(ci)].members)
            paces[ci] = pace
            guard keepsPace(st, median: pace) else { continue }
            campaignOf[i] = ci
            added[Int(ci)].append(m)
            campaigns[Int(ci)].addressMates[m] = (h.kind, h.members, h.holders, h.addresses)
        }
        for ci in campaigns.indices where !added[ci].isEmpty { campaigns[ci].members += added[ci] }
    }

    /// Thin accounts on a campaign's card join it: an account with too few requests to judge (none included),
    /// paying with a card that members of one campaign use, is one of the operation's reserve or replacement
    /// accounts. The campaign's members must be most of the card's holders that can be judged (a genuine team
    /// whose card one or two falsely flagged members use has its other, well-observed users against it) and at
    /// least half of all its holders (a team whose people each send a few requests is not judged one by one, but
    /// outnumbers the two members all the same).
    func attachCardMates(
        to campaigns: inout [CampaignCandidate], campaignOf: inout [Int32], payGroups: [LinkGroup]
    ) {
        let cfg = config.clustering
        attachThinMates(
            to: &campaigns, campaignOf: &campaignOf, groups: payGroups, minMembers: cfg.cardMateMinMembers,
            share: cfg.cardMateShare, windows: nil, halfOfAllHolders: true)
    }

    /// Thin accounts on a campaign's addresses join it: an account with too few requests to judge, holding an IP
    /// address or sign-up IP that at least `thin_address_mate_min_members` members of one campaign hold, joins
    /// it when those members are at least `thin_address_mate_share` of the address's holders that can be judged
    /// and at least half of all its holders, and the account lives inside the campaign's operating window. A
    /// proxy exit that carried nobody but an operation's accounts, used once or twice by one more account while
    /// the operation ran, is the operation's; a campus NAT or a cloud egress has many ordinary users against it,
    /// well-observed or light.
    func attachThinAddressMates(
        to campaigns: inout [CampaignCandidate], campaignOf: inout [Int32], groups: [LinkGroup],
        windows: [ClosedRange<Int64>?]
    ) {
        let cfg = config.clustering
        attachThinMates(
            to: &campaigns, campaignOf: &campaignOf, groups: groups.filter { $0.kind == .ip || $0.kind == .signupIP },
            minMembers: cfg.thinAddressMateMinMembers, share: cfg.thinAddressMateShare, windows: windows,
            halfOfAllHolders: true)
    }

    /// Thin accounts (fewer than `min_events_for_shape` requests, none included; not vouched for) in each group
    /// join the campaign holding most of the group's campaign members, when those are at least `minMembers` and
    /// at least `share` of the group's judged holders (all holders but the thin candidates). With `windows`, a
    /// thin account must have at least `window_min_share` of its active hours inside its campaign's operating
    /// window. With `halfOfAllHolders`, the campaign's members must also be at least half of all the group's
    /// holders, thin ones included: an address used mostly by light accounts is a shared network (a campus NAT,
    /// a hotel), whose light users are strangers to the few members on it. A thin account that joined through
    /// one group counts as a member in the next. `minMembers` 0 turns it off.
    func attachThinMates(
        to campaigns: inout [CampaignCandidate], campaignOf: inout [Int32], groups: [LinkGroup], minMembers: Int,
        share: Double, windows: [ClosedRange<Int64>?]?, halfOfAllHolders: Bool = false
    ) {
        guard minMembers > 0 else { return }
        let thinBelow = config.behaviour.minEventsForShape
        var added = [[Int32]](repeating: [], count: campaigns.count)
        for g in groups {
            var byCampaign: [Int32: Int] = [:]
            var thin: [Int32] = []
            for m in g.members {
                let i = Int(m)
                if campaignOf[i] >= 0 {
                    byCampaign[campaignOf[i], default: 0] += 1
                } else if states[i].events < thinBelow && !isVouchedFor(i) {
                    thin.append(m)
                }
            }
            let judged = g.members.count - thin.count
            guard !thin.isEmpty,
                let best = byCampaign.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                best.value >= minMembers, Double(best.value) >= share * Double(judged),
                !halfOfAllHolders || 2 * best.value >= g.members.count
            else { continue }
            for m in thin {
                if let w = windows?[Int(best.key)],
                    Self.activeShare(states[Int(m)], in: w) < config.clustering.windowMinShare
                {
                    continue
                }
                campaignOf[Int(m)] = best.key
                added[Int(best.key)].append(m)
                campaigns[Int(best.key)].thinMates[m] = (g.kind, best.value, g.members.count)
            }
        }
        for ci in campaigns.indices where !added[ci].isEmpty { campaigns[ci].members += added[ci] }
    }

    static func debugKind(_ kind: LinkKindID?, _ g: AccountGraph) {
        let ws = g.weights.values
        let strong = ws.filter { $0 >= 1 }.count
        let mid = ws.filter { $0 >= 0.25 }.count
        FileHandle.standardError.write(
            Data("kind \(kind?.name ?? "-"): \(ws.count) edges, \(mid) >= 0.25, \(strong) >= 1\n".utf8))
    }

    /// Stable campaign id: "C-" and the first 10 hex digits of SHA-256 over the sorted member ids.
    public static func campaignID(members: [String]) -> String {
        let joined = members.sorted().joined(separator: "\n")
        let digest = SHA256.hash(data: Data(joined.utf8))
        return "C-" + digest.prefix(5).map { String(format: "%02x", $0) }.joined()
    }
}

/// What one pass over a share of the account pairs in content groups found: the pairs' edges (key order), the
/// size of its table, and debug lines.
struct ContentPairPass {
    var edges: [(UInt64, Double)] = []
    var pairs = 0
    var slotBytes = 0
    var debug: [String] = []
}
