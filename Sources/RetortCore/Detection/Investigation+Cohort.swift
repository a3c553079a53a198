import Foundation

extension Investigation {
    /// What ordinary heavy accounts ask for: the median share of trace-asking requests among accounts in no
    /// campaign with at least 50 requests.
    struct CohortBaseline {
        var medianShare = 0.0
        var heavy = 0
    }

    /// A candidate cohort: its members, the ties among them, the ties chance gives them, and how many members
    /// are trace harvesters by the low band only (``isLowBandHarvester(_:profile:baseline:)``).
    struct Cohort {
        var members: [Int32]
        var held: Int
        var chance: Double
        var lowBand = 0
    }

    /// Share of an account's requests that ask for a reasoning trace one by one.
    func traceShare(_ st: AccountState) -> Double {
        st.events > 0 ? Double(st.traceHarvest) / Double(st.events) : 0
    }

    /// The median trace share of heavy accounts (50 requests or more) in no campaign, when there are 20 or more.
    func cohortBaseline(outside inCampaign: [Bool]) -> CohortBaseline {
        var b = CohortBaseline()
        var shares: [Double] = []
        for i in states.indices where !inCampaign[i] && states[i].events >= 50 { shares.append(traceShare(states[i])) }
        b.heavy = shares.count
        if shares.count >= 20 {
            shares.sort()
            b.medianShare = shares[shares.count / 2]
        }
        return b
    }

    /// An account left in no campaign whose requests ask for reasoning traces far more often than ordinary
    /// heavy accounts do, and which is not a templated product (a product whose own template asks for
    /// reasoning sends nothing else). Where ordinary heavy accounts ask for reasoning a lot themselves, a share
    /// of `harvest_cohort_low_factor` times their median is as common among genuine step-by-step users as
    /// among harvesters: it counts only with a behaviour score of `harvest_cohort_low_behaviour` of the
    /// account's own (``isLowBandHarvester(_:profile:baseline:)``).
    ///
    /// The median is measured on heavy accounts; an account with fewer than `harvest_cohort_light_requests`
    /// requests shows a share too uncertain to compare as it is (6 trace requests of 20 are one evening's
    /// homework asked step by step), so in the high band it counts when the lower end of the share's Wilson 95%
    /// interval clears the bar, or with the low band's behaviour score of its own.
    func isTraceHarvester(_ i: Int, profile p: BehaviourProfile, baseline b: CohortBaseline) -> Bool {
        guard let share = eligibleTraceShare(i, profile: p) else { return false }
        let c = config.clustering
        let bar = c.harvestCohortMedianFactor * b.medianShare
        let st = states[i]
        let sure =
            st.events >= c.harvestCohortLightRequests || p.score >= c.harvestCohortLowBehaviour
            || wilsonShare(successes: st.traceHarvest, trials: st.events).0 >= bar
        return share >= bar && sure || isLowBandHarvester(i, profile: p, baseline: b)
    }

    /// A trace harvester by the low band only: a share from `harvest_cohort_low_factor` up to
    /// `harvest_cohort_median_factor` times the median, with a behaviour score of at least
    /// `harvest_cohort_low_behaviour`.
    func isLowBandHarvester(_ i: Int, profile p: BehaviourProfile, baseline b: CohortBaseline) -> Bool {
        guard let share = eligibleTraceShare(i, profile: p) else { return false }
        let c = config.clustering
        return share < c.harvestCohortMedianFactor * b.medianShare
            && share >= c.harvestCohortLowFactor * b.medianShare && p.score >= c.harvestCohortLowBehaviour
    }

    /// The account's trace share when it has `harvest_cohort_min_requests` trace requests, the share reaches
    /// `harvest_cohort_min_share` and the account is no templated product; nil otherwise.
    private func eligibleTraceShare(_ i: Int, profile p: BehaviourProfile) -> Double? {
        let st = states[i]
        let c = config.clustering
        guard st.traceHarvest >= c.harvestCohortMinRequests,
            p.topTemplateShare < config.scoring.resellerMaxTemplateShare
        else { return nil }
        let share = traceShare(st)
        return share >= c.harvestCohortMinShare ? share : nil
    }

    /// 5c. Harvest cohorts: a campaign spread so thin over unique cards, residential IPs and varied clients that
    /// nothing ties its accounts strongly, each looking like a heavy individual user, still asks for reasoning
    /// traces far more often than ordinary accounts, and its accounts share weak ties (prompt frames, client
    /// configurations, lockstep hours) with each other far more often than chance gives. Trace harvesters
    /// (``isTraceHarvester(_:profile:baseline:)``) joined by edges of `suspicious_edge`, pruned to members with
    /// `harvest_cohort_min_ties` ties inside (ties between accounts sharing a card in `payGroups` do not count:
    /// one customer), of at least `harvest_cohort_min_members`, holding
    /// `harvest_cohort_tie_lift` times the ties among them that their ties to all accounts give by chance, are
    /// the candidates (evaluation runners excluded); each is then scored. Where the median is high (genuine users
    /// asking for step-by-step answers a lot), trace harvesters include the low band
    /// (``isLowBandHarvester(_:profile:baseline:)``).
    func harvestCohorts(
        outside inCampaign: [Bool], edges: [(a: Int32, b: Int32, w: Double)], profiles: [BehaviourProfile],
        rank: [Int32], payGroups: [LinkGroup] = []
    ) -> (cohorts: [Cohort], baseline: CohortBaseline) {
        let c = config.clustering
        let b = cohortBaseline(outside: inCampaign)
        guard c.harvestCohortMinShare > 0 else { return ([], b) }
        let n = states.count
        var candidate = [Bool](repeating: false, count: n)
        // Evaluation runners (``CampaignEvidence/isEvaluationRun``) are not candidates: customers running the same
        // public benchmarks through the same open harness share its wrappers and items with each other, which
        // ties them far beyond chance without any of them harvesting.
        for i in 0..<n where !inCampaign[i] && isTraceHarvester(i, profile: profiles[i], baseline: b) {
            candidate[i] = !CampaignEvidence.isEvaluationRun(profiles[i], states[i], config.scoring)
        }
        // Ties of `suspicious_edge` or more over the whole graph: each account's count and the total.
        var ties = [Int32](repeating: 0, count: n)
        var allTies = 0
        for e in edges where e.w >= c.suspiciousEdge {
            ties[Int(e.a)] += 1
            ties[Int(e.b)] += 1
            allTies += 1
        }
        if ProcessInfo.processInfo.environment["RETORT_DEBUG"] != nil {
            let low = (0..<n).filter { candidate[$0] && isLowBandHarvester($0, profile: profiles[$0], baseline: b) }
            FileHandle.standardError.write(
                Data(
                    ("trace harvesters: \(candidate.filter { $0 }.count), \(low.count) by the low band (median share "
                        + "\(b.medianShare) of \(b.heavy) heavy accounts in no campaign)\n").utf8))
        }
        // Accounts paying with one card are one customer (a team, a household): their ties to each other are not
        // ties between the cohort's customers.
        var customer = customers(payGroups: payGroups)
        var inside = edges.filter {
            $0.w >= c.suspiciousEdge && candidate[Int($0.a)] && candidate[Int($0.b)]
                && customer.find(Int($0.a)) != customer.find(Int($0.b))
        }
        // Prune to `harvest_cohort_min_ties` ties inside: one coincidental tie (a common client) need not hold an
        // account.
        var degree = [Int32](repeating: 0, count: n)
        for e in inside {
            degree[Int(e.a)] += 1
            degree[Int(e.b)] += 1
        }
        // Members of a genuine team leave too (``teamCardMembers(payGroups:ordinary:)``): most of the others on
        // their card are ordinary, in no campaign and not held in the cohorts (a CoT-heavy team's members may all
        // ask for traces, but only the few with ties to harvesters get this far); then prune again.
        var changed = true
        while changed {
            changed = false
            for i in 0..<n where candidate[i] && degree[i] < c.harvestCohortMinTies {
                candidate[i] = false
                changed = true
            }
            if !changed {
                let team = teamCardMembers(payGroups: payGroups) { !inCampaign[$0] && !candidate[$0] }
                for i in 0..<n where candidate[i] && team[i] {
                    candidate[i] = false
                    changed = true
                }
            }
            if changed {
                inside = inside.filter { candidate[Int($0.a)] && candidate[Int($0.b)] }
                degree = [Int32](repeating: 0, count: n)
                for e in inside {
                    degree[Int(e.a)] += 1
                    degree[Int(e.b)] += 1
                }
            }
        }
        var uf = UnionFind(count: n)
        for e in inside { uf.union(Int(e.a), Int(e.b)) }
        var byRoot: [Int: [Int32]] = [:]
        for i in 0..<n where candidate[i] { byRoot[uf.find(i), default: []].append(Int32(i)) }
        var internalEdges: [Int: Int] = [:]
        for e in inside { internalEdges[uf.find(Int(e.a)), default: 0] += 1 }
        var cohorts: [Cohort] = []
        for (root, members) in byRoot where members.count >= c.harvestCohortMinMembers {
            let held = internalEdges[root] ?? 0
            let chance = Self.chanceTies(members, ties: ties, allTies: allTies)
            guard Double(held) >= c.harvestCohortTieLift * chance else { continue }
            let lowBand = members.filter { isLowBandHarvester(Int($0), profile: profiles[Int($0)], baseline: b) }
            cohorts.append(
                Cohort(
                    members: members.sorted { rank[Int($0)] < rank[Int($1)] }, held: held, chance: chance,
                    lowBand: lowBand.count))
        }
        cohorts.sort { rank[Int($0.members[0])] < rank[Int($1.members[0])] }
        return (cohorts, b)
    }

    /// Accounts joined when they pay with one card: one customer (a team, a household).
    func customers(payGroups: [LinkGroup]) -> UnionFind {
        var customer = UnionFind(count: states.count)
        for g in payGroups where g.members.count >= 2 {
            for m in g.members.dropFirst() { customer.union(Int(g.members[0]), Int(m)) }
        }
        return customer
    }

    /// Members of a team's card (``teamCardMembers(payGroups:ordinary:)``) where ordinary means in no campaign and
    /// no trace harvester: the bar for the untied joiners of harvest cohorts (conduct mates, tie mates).
    func traceTeamMembers(
        payGroups: [LinkGroup], campaignOf: [Int32], profiles: [BehaviourProfile], baseline b: CohortBaseline
    ) -> [Bool] {
        teamCardMembers(payGroups: payGroups) {
            campaignOf[$0] < 0 && !self.isTraceHarvester($0, profile: profiles[$0], baseline: b)
        }
    }

    /// Ties expected among `members` by chance, given how many ties each has over the whole graph (the
    /// configuration model, the null model of modularity): (sum of their ties)^2 / (4 * all ties).
    static func chanceTies(_ members: [Int32], ties: [Int32], allTies: Int) -> Double {
        let d = members.reduce(0.0) { $0 + Double(ties[Int($1)]) }
        return allTies > 0 ? d * d / (4 * Double(allTies)) : 0
    }

    /// Mean strength of a cohort's trace harvest (each member's share against `harvest_cohort_min_share`, 1 at
    /// twice it), its evidence line, and its coordination: ties beyond chance, 0 at `harvest_cohort_tie_lift`
    /// times chance, 0.5 at twice that (1 - tie_lift / lift).
    func cohortSignal(_ cohort: Cohort, baseline b: CohortBaseline) -> (signal: Findings.Signal, coordination: Double) {
        let c = config.clustering
        let members = cohort.members
        let shares = members.map { traceShare(states[Int($0)]) }.sorted()
        let strength =
            shares.map { min(1, $0 / max(2 * c.harvestCohortMinShare, 1e-9)) }.reduce(0, +) / Double(shares.count)
        let held = cohort.held
        let chance = cohort.chance
        let lo = shares[shares.count / 10]
        let hi = shares[min(shares.count - 1, shares.count * 9 / 10)]
        func pct(_ x: Double) -> String { "\(fmt(x * 100))%" }
        let lift = chance > 0 ? Double(held) / chance : Double.infinity
        let coordination = max(0, min(1, 1 - c.harvestCohortTieLift / lift))
        let lowBandText =
            cohort.lowBand > 0
            ? "; \(cohort.lowBand) of them below \(fmt(c.harvestCohortMedianFactor))x that median, each with a "
                + "behaviour score of \(fmt(c.harvestCohortLowBehaviour)) or more" : ""
        let signal = Findings.Signal(
            name: "harvest_cohort", strength: round4(strength),
            detail:
                "\(members.count) accounts each ask for a reasoning trace (chain-of-thought elicitation, n > 1, "
                + "thinking at the token ceiling) on \(pct(lo))-\(pct(hi)) of their requests (median of \(b.heavy) "
                + "heavy accounts in no campaign: \(pct(b.medianShare))\(lowBandText)); \(held) ties between them, "
                + "\(chance > 0 ? "\(fmt(lift))x" : "far above") what their ties to all accounts "
                + "give by chance (\(fmt(chance)))")
        return (signal, coordination)
    }
}

extension Investigation {
    /// A trace harvester by the high band alone: at least `harvest_cohort_median_factor` times the median share of
    /// heavy accounts in no campaign (and `harvest_cohort_min_share`), sure of it (enough requests, a behaviour
    /// score of `harvest_cohort_low_behaviour`, or the Wilson bound clearing the bar).
    func isHighBandHarvester(_ i: Int, profile p: BehaviourProfile, baseline b: CohortBaseline) -> Bool {
        isTraceHarvester(i, profile: p, baseline: b) && !isLowBandHarvester(i, profile: p, baseline: b)
    }

    /// Conduct mates: a harvest cohort's further accounts that nothing ties to it (and a trace-harvesting
    /// campaign's: one from a component of at least `harvest_cohort_min_members` accounts whose median member's
    /// trace share clears the high band's bar). An operation spreading its accounts over unique cards, residential
    /// addresses and varied clients leaves some of them without even the weak ties its cohort formed by; what they
    /// still share with it is their conduct and their time: each asks for reasoning traces far more often than
    /// ordinary heavy accounts (the high band of ``isTraceHarvester(_:profile:baseline:)``), behaves like a member
    /// (`attach_behaviour`, `attach_harvest`), keeps the cohort's pace, and lives inside the cohort's operating
    /// window (at least `conduct_mate_window_share` of its active hours inside it, living less than
    /// `window_span_factor` times it). A genuine heavy user asking for step-by-step answers that often is rare, and
    /// one living only in the weeks an operation ran rarer still; so only a cohort whose window spans at most
    /// `conduct_mate_max_window` of the log's span has conduct mates (a window covering most of the log holds
    /// everyone). Verified accounts, declared organisations, evaluation runners, services fronting many end users
    /// and members of a team's card (most of its other judged holders ordinary) do not join. Each joins the cohort
    /// whose window holds the largest share of its active hours.
    ///
    /// A campaign split from a larger component has two windows: its component's (`windows`, one operation's) and
    /// its own (its members' 10th to 90th percentile, `ownWindows`, ``operatingWindow(_:)``); an account inside
    /// either, where that one is narrow enough, joins. Where two operations share a few proxies, one component holds
    /// both, and the union of a ten-day operation's window and a two-month one's says nothing of when the short one's
    /// accounts were active; where one operation was split, a member's community may hold only part of its months.
    func attachConductMates(
        to campaigns: inout [CampaignCandidate], campaignOf: inout [Int32], profiles: [BehaviourProfile],
        payGroups: [LinkGroup], windows: [ClosedRange<Int64>?], ownWindows: [ClosedRange<Int64>?],
        cohortBaseline b: CohortBaseline
    ) {
        let cfg = config.clustering
        let share = cfg.conductMateWindowShare
        guard share > 0, let log = logWindow else { return }
        let logSpan = Double(max(1, log.last - log.first))
        // A harvest cohort, or a campaign from a component (one operation, split into communities or not) of at
        // least `harvest_cohort_min_members` whose median member asks for traces as a trace harvester does (what its
        // members do is what a conduct mate does).
        let bar = max(cfg.harvestCohortMinShare, cfg.harvestCohortMedianFactor * b.medianShare)
        var componentSize: [Int: Int] = [:]
        for c in campaigns { componentSize[c.component, default: 0] += c.members.count }
        func narrow(_ w: ClosedRange<Int64>?) -> ClosedRange<Int64>? {
            guard let w, Double(w.upperBound - w.lowerBound) <= cfg.conductMateMaxWindow * logSpan else { return nil }
            return w
        }
        // Each campaign's windows narrow enough to say something (its component's, and its own when that differs).
        let narrowWindows = campaigns.indices.map { ci in
            [narrow(windows[ci]), ownWindows[ci] == windows[ci] ? nil : narrow(ownWindows[ci])].compactMap { $0 }
        }
        let cohorts = campaigns.indices.filter {
            let c = campaigns[$0]
            guard !narrowWindows[$0].isEmpty else { return false }
            if c.harvestCohort { return true }
            guard componentSize[c.component, default: 0] >= cfg.harvestCohortMinMembers else { return false }
            let shares = c.members.map { traceShare(states[Int($0)]) }.sorted()
            return shares[shares.count / 2] >= bar
        }
        guard !cohorts.isEmpty else { return }
        let paces = cohorts.map { medianPace(campaigns[$0].members) }
        let team = traceTeamMembers(payGroups: payGroups, campaignOf: campaignOf, profiles: profiles, baseline: b)
        var added = [[Int32]](repeating: [], count: campaigns.count)
        for i in 0..<states.count where campaignOf[i] < 0 {
            let p = profiles[i]
            guard behavesLikeMember(p), isHighBandHarvester(i, profile: p, baseline: b), !team[i],
                mayJoinUntied(i, profile: p)
            else { continue }
            let st = states[i]
            var best: (ci: Int, inside: Double)?
            for (k, ci) in cohorts.enumerated() where keepsPace(st, median: paces[k]) {
                for w in narrowWindows[ci] where !outlives(st, window: w) {
                    let inside = Self.activeShare(st, in: w)
                    if inside >= share && inside > (best?.inside ?? -1) { best = (ci, inside) }
                }
            }
            guard let best else { continue }
            campaignOf[i] = Int32(best.ci)
            added[best.ci].append(Int32(i))
            campaigns[best.ci].conductMates.insert(Int32(i))
        }
        for ci in campaigns.indices where !added[ci].isEmpty { campaigns[ci].members += added[ci] }
    }
}

extension Investigation {
    /// Tie mates: a harvest cohort's further accounts whose ties to it are each too weak to have made them members
    /// (a cohort forms over ties of `suspicious_edge`), but which together hold far more weight towards the cohort
    /// than chance gives. An operation spreading its accounts thin over unique cards, residential addresses and
    /// varied clients leaves some of them with only faint ties: an hour-by-hour schedule shared with a few members,
    /// a proxy exit or sign-up machine shared with one, a handful of the same questions. One such tie is anyone's;
    /// several, `tie_mate_lift` times what the account's ties to all accounts give by chance (the configuration
    /// model, the null model of modularity: its link weight times the cohort's, over twice the graph's), from an
    /// account asking for reasoning traces as the cohort's members do (``isTraceHarvester(_:profile:baseline:)``)
    /// and behaving like them (`attach_behaviour`, `attach_harvest`), are the operation's. A heavy genuine user
    /// asking for step-by-step answers has weak ties too, to everyone: the chance term grows with them.
    ///
    /// Only heavy accounts (`harvest_cohort_light_requests` requests or more, as the median share is measured on):
    /// weak ties and a share measured on a few dozen requests are two weak pieces of evidence, and together they
    /// are what a campus's students who script their coursework the same way can show.
    ///
    /// At least `harvest_cohort_min_ties` ties, ties to accounts paying with the account's own card not counted
    /// (one customer); the cohort's pace kept; not living outside its operating window. Verified accounts, declared
    /// organisations, evaluation runners, services fronting many end users and members of a team's card do not
    /// join. Membership is judged before this step (no chains); an account tied to several cohorts joins the one it
    /// is tied to furthest beyond chance.
    func attachTieMates(
        to campaigns: inout [CampaignCandidate], campaignOf: inout [Int32], edges: [(a: Int32, b: Int32, w: Double)],
        profiles: [BehaviourProfile], payGroups: [LinkGroup], windows: [ClosedRange<Int64>?],
        cohortBaseline b: CohortBaseline
    ) {
        let lift = config.clustering.tieMateLift
        guard lift > 0, !edges.isEmpty, campaigns.contains(where: \.harvestCohort) else { return }
        let n = states.count
        let before = campaignOf
        func cohort(_ i: Int32) -> Int32? {
            let ci = before[Int(i)]
            return ci >= 0 && campaigns[Int(ci)].harvestCohort ? ci : nil
        }
        // Link weight of every account over the whole graph, and of each cohort.
        var strength = [Double](repeating: 0, count: n)
        var total = 0.0
        for e in edges {
            strength[Int(e.a)] += e.w
            strength[Int(e.b)] += e.w
            total += e.w
        }
        var volume = [Double](repeating: 0, count: campaigns.count)
        for i in 0..<n { if let ci = cohort(Int32(i)) { volume[Int(ci)] += strength[i] } }
        let team = traceTeamMembers(payGroups: payGroups, campaignOf: campaignOf, profiles: profiles, baseline: b)
        var eligible = [Bool](repeating: false, count: n)
        let heavy = config.clustering.harvestCohortLightRequests
        for i in 0..<n where campaignOf[i] < 0 && !team[i] && states[i].events >= heavy {
            let p = profiles[i]
            eligible[i] =
                behavesLikeMember(p) && isTraceHarvester(i, profile: p, baseline: b) && mayJoinUntied(i, profile: p)
        }
        var customer = customers(payGroups: payGroups)
        // (account, cohort) → ties and their weight.
        var held: [UInt64: (ties: Int, weight: Double)] = [:]
        func tie(_ x: Int32, _ y: Int32, _ w: Double) {
            guard eligible[Int(x)], let ci = cohort(y), customer.find(Int(x)) != customer.find(Int(y)) else { return }
            let key = UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: ci))
            held[key, default: (0, 0)].ties += 1
            held[key, default: (0, 0)].weight += w
        }
        for e in edges {
            tie(e.a, e.b, e.w)
            tie(e.b, e.a, e.w)
        }
        var best: [Int32: (ci: Int32, ties: Int, weight: Double, chance: Double)] = [:]
        var paces: [Int32: Double] = [:]
        for key in held.keys.sorted() {
            let h = held[key]!
            let m = Int32(bitPattern: UInt32(key >> 32))
            let ci = Int32(bitPattern: UInt32(key & 0xffff_ffff))
            let chance = strength[Int(m)] * volume[Int(ci)] / (2 * total)
            guard h.ties >= config.clustering.harvestCohortMinTies, h.weight >= lift * chance else { continue }
            if let w = windows[Int(ci)], isTimeBystander(m, window: w) { continue }
            let pace = paces[ci] ?? medianPace(campaigns[Int(ci)].members)
            paces[ci] = pace
            guard keepsPace(states[Int(m)], median: pace) else { continue }
            if let o = best[m], o.weight / max(o.chance, 1e-9) >= h.weight / max(chance, 1e-9) { continue }
            best[m] = (ci, h.ties, h.weight, chance)
        }
        var added = [[Int32]](repeating: [], count: campaigns.count)
        for m in best.keys.sorted() {
            let t = best[m]!
            campaignOf[Int(m)] = t.ci
            added[Int(t.ci)].append(m)
            campaigns[Int(t.ci)].tieMates[m] = (t.ties, t.weight, t.chance)
        }
        for ci in campaigns.indices where !added[ci].isEmpty { campaigns[ci].members += added[ci] }
    }
}
