import Foundation

/// What made a group of accounts a disposable fleet (``Investigation/poolDisposableFleets(_:groups:product:coverage:)``):
/// the kind of value they share, how many accounts with requests hold it, and on how many different days the
/// fleet's accounts made their first requests.
public struct FleetBasis: Sendable, Equatable {
    public var kind: LinkKindID
    public var holders: Int
    public var days: Int

    /// The shared value, in the singular, for explanations.
    var noun: String {
        switch kind {
        case .systemPrompt: return "system prompt"
        case .frame: return "prompt frame"
        case .template: return "prompt template"
        case .userAgent: return "user agent"
        case .tls: return "TLS fingerprint"
        case .behaviourFingerprint: return "client configuration (model, max_tokens, temperature, endpoint)"
        default: return kind.noun
        }
    }
}

extension Investigation {
    /// Link kinds whose values can mark a disposable fleet: the client and the prompt wrapper that one script
    /// sends from every account it uses up.
    static let fleetKinds: [LinkKindID] = [
        .systemPrompt, .frame, .template, .behaviourFingerprint, .userAgent, .tls,
    ]

    /// Whether an account was used as a disposable one: its first request within `fresh_account_hours` of its
    /// sign-up (from the account record; unknown sign-up time: not disposable) and its last within
    /// `fleet_life_hours` of its first.
    func isDisposable(_ i: Int) -> Bool {
        let st = states[i]
        guard st.events > 0, let created = metas[i]?.createdAt else { return false }
        let hour = 3_600_000.0
        return Double(st.firstTs - created) < config.behaviour.freshAccountHours * hour
            && Double(st.lastTs - st.firstTs) < config.clustering.fleetLifeHours * hour
    }

    /// Disposable fleets: an operation that burns through accounts (each opened shortly before use, used for
    /// minutes or hours and dropped, the next one taking over) leaves every account too thin to judge and ties
    /// none of them to another by anything rare: each has its own card and proxy exit. What they share is the
    /// script: its system prompt, prompt frame, client or parameters, held by too many accounts to link them
    /// (hundreds) but almost only by such disposable accounts. A value of the ``fleetKinds`` whose holders with
    /// requests are at least `fleet_share` disposable accounts (``isDisposable(_:)``), at least
    /// `fleet_min_members` of them, with a median of `fleet_min_requests` requests or more, first used on at least
    /// `fleet_min_days` different days, has those accounts judged together as one actor
    /// (``judgeTogether(_:thin:minMembers:profiles:coverage:fleet:product:)``); the fleet is kept when its pooled
    /// harvest evidence reaches `fleet_min_harvest`, its pooled score `suspicious_behaviour`, and its members'
    /// median gap between requests is at most `fleet_max_gap_seconds`. Genuine accounts sharing a popular system
    /// prompt or SDK are mostly not disposable (the people trying a quick-start once are a minority of its
    /// users), a person trying the API sends a handful of requests, and a hackathon's or a class's fresh accounts
    /// start together on a day or two and are used for days.
    /// Verified accounts and accounts of organisations that vouch for them are left out. `product`: each
    /// account's ``ProductShare`` (``productExclusivity()``); `outside`, when given, marks the accounts that may not join a
    /// fleet (those in a campaign already). Returns the fleets (members in id order), their scores and their members'
    /// profiles as they were before (a fleet that is no campaign gives them back).
    @discardableResult
    func poolDisposableFleets(
        _ profiles: inout [BehaviourProfile], groups: [LinkGroup], product: [ProductShare], outside: [Bool]? = nil,
        coverage: LogCoverage = .complete
    ) -> [(members: [Int32], score: Double, before: [(Int32, BehaviourProfile)])] {
        let c = config.clustering
        guard c.fleetMinMembers > 0 else { return [] }
        let n = ids.count
        var disposable: [Bool]?
        // Values that mark a fleet: (its disposable holders, its holders with requests, the days they began on).
        var candidates: [(members: [Int32], kind: LinkKindID, active: Int, days: Int)] = []
        for g in groups where Self.fleetKinds.contains(g.kind) && g.members.count >= c.fleetMinMembers {
            let d = disposable ?? (0..<n).map { isDisposable($0) && !isVouchedFor($0) && !(outside?[$0] ?? false) }
            disposable = d
            var active = 0
            var members: [Int32] = []
            for m in g.members where states[Int(m)].events > 0 {
                active += 1
                if d[Int(m)] { members.append(m) }
            }
            guard members.count >= c.fleetMinMembers, Double(members.count) >= c.fleetShare * Double(active) else {
                continue
            }
            let days = Set(members.map { floorDiv(states[Int($0)].firstTs, 86_400_000) }).count
            let requests = members.map { states[Int($0)].events }.sorted()
            if days >= c.fleetMinDays && requests[requests.count / 2] >= c.fleetMinRequests {
                candidates.append((members, g.kind, active, days))
            }
        }
        guard !candidates.isEmpty else { return [] }
        // The widest first: a fleet's client marks all its accounts, a template only those that sent it; among
        // values held by as many, the script's own words before its client (``fleetKinds`` order), then by value. An
        // account is in one fleet at most.
        let preference = Self.fleetKinds
        let order = { (k: LinkKindID) in preference.firstIndex(of: k) ?? preference.count }
        candidates = candidates.enumerated().sorted { x, y in
            if x.element.members.count != y.element.members.count {
                return x.element.members.count > y.element.members.count
            }
            if x.element.kind != y.element.kind { return order(x.element.kind) < order(y.element.kind) }
            return x.offset < y.offset
        }.map(\.element)
        let thin = (0..<n).reduce(into: ConductMix()) { mix, i in
            if isThin(states[i]) { mix.add(RequestConduct(states[i])) }
        }
        var taken = [Bool](repeating: false, count: n)
        var judged: Set<[Int32]> = []
        var fleets: [(members: [Int32], score: Double, before: [(Int32, BehaviourProfile)])] = []
        for cand in candidates {
            // Group members are in id order (``linkGroups(profiles:order:rank:)``).
            let members = cand.members.filter { !taken[Int($0)] }
            // The same accounts held together by another value were judged already.
            guard members.count >= c.fleetMinMembers, judged.insert(members).inserted else { continue }
            let basis = FleetBasis(kind: cand.kind, holders: cand.active, days: cand.days)
            // A template that many customers send is no one customer's product, for the fleet as for each of its
            // accounts: the fleet's template counts as its own as much as its members' (the median over members
            // whose product template others send too).
            let shares = members.map { product[Int($0)] }.filter { $0.senders >= 2 }.map(\.exclusivity).sorted()
            let own = ProductShare(exclusivity: shares.isEmpty ? 1 : shares[shares.count / 2], senders: cand.active)
            let before = members.map { ($0, profiles[Int($0)]) }
            guard
                let fleet = judgeTogether(
                    members.map(Int.init), thin: thin, minMembers: c.fleetMinMembers, profiles: &profiles,
                    coverage: coverage, fleet: basis, product: own)
            else { continue }
            // The typical gap between one member's requests (geometric mean), the median over members.
            let gaps = fleet.members.map { expm1(states[$0].logGaps.mean) }.sorted()
            let gap = gaps[gaps.count / 2]
            if ProcessInfo.processInfo.environment["RETORT_DEBUG"] != nil {
                FileHandle.standardError.write(
                    Data(
                        ("fleet candidate: \(cand.kind.name) held by \(cand.active), \(fleet.members.count) judged, "
                            + "\(cand.days) days, pooled score \(fmt4(fleet.score)), harvest "
                            + "\(fmt4(CampaignEvidence.harvest(fleet.profile))), median gap \(fmt(gap)) s; members \(fleet.members.prefix(3).map { ids[$0] })\n")
                            .utf8))
            }
            // A fleet that takes nothing a distiller wants (answers at the token ceiling, thinking, reasoning
            // traces, several completions, the API surface, a dataset's sweep) is no distillation campaign, however
            // briefly its accounts live: people trying the API once copy the same quick-start too. Taken together
            // they must also behave like a harvester, not only be many brief accounts (a steady stream of newcomers
            // replaces itself as a fleet does), and send at a script's pace: a person trying an example reads each
            // answer before the next request.
            guard CampaignEvidence.harvest(fleet.profile) >= c.fleetMinHarvest,
                fleet.score >= config.clustering.suspiciousBehaviour,
                c.fleetMaxGapSeconds <= 0 || gap <= c.fleetMaxGapSeconds
            else {
                for (m, p) in before { profiles[Int(m)] = p }
                continue
            }
            for m in fleet.members { taken[m] = true }
            let kept = Set(fleet.members)
            fleets.append((fleet.members.map(Int32.init), fleet.score, before.filter { kept.contains(Int($0.0)) }))
        }
        return fleets.sorted { ids[Int($0.members[0])] < ids[Int($1.members[0])] }
    }

    /// A fleet's reserve accounts: an account that never sent a request (not vouched for), paying with a card
    /// that a member of one campaign uses, at least one of them a disposable fleet's (``poolDisposableFleets``),
    /// and whose other holders are all that campaign's members or never sent a request either, joins the
    /// campaign. An operation that uses accounts up one after another opens them ahead of use on the cards it
    /// holds; a card whose other users sent requests of their own (a team, a family) has its own evidence against
    /// the account joining, and a card of a genuine customer rarely carries a disposable account at all.
    /// `fleet_reserve_cards` false turns it off.
    func attachFleetReserves(
        to campaigns: inout [CampaignCandidate], campaignOf: inout [Int32], payGroups: [LinkGroup],
        profiles: [BehaviourProfile]
    ) {
        guard config.clustering.fleetReserveCards, config.clustering.fleetMinMembers > 0 else { return }
        var added = [[Int32]](repeating: [], count: campaigns.count)
        for g in payGroups {
            var campaign: Int32 = -1
            var members = 0
            var fleet = false
            var unused: [Int32] = []
            var blocked = false
            for m in g.members {
                let ci = campaignOf[Int(m)]
                if ci >= 0 {
                    if campaign >= 0 && ci != campaign { blocked = true }
                    campaign = ci
                    members += 1
                    if profiles[Int(m)].pooledFleet != nil { fleet = true }
                } else if states[Int(m)].events == 0 && !isVouchedFor(Int(m)) {
                    unused.append(m)
                } else {
                    blocked = true
                }
                if blocked { break }
            }
            guard !blocked, fleet, campaign >= 0, !unused.isEmpty else { continue }
            for m in unused {
                campaignOf[Int(m)] = campaign
                added[Int(campaign)].append(m)
                campaigns[Int(campaign)].thinMates[m] = (g.kind, members, g.members.count)
                campaigns[Int(campaign)].fleetReserves.insert(m)
            }
        }
        for ci in campaigns.indices where !added[ci].isEmpty { campaigns[ci].members += added[ci] }
    }
}
