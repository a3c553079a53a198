import Foundation

extension Investigation {
    /// The window a campaign operates in: from the 10th percentile of its members' first requests to the 90th
    /// percentile of their last, or `nil` when it has fewer than `window_min_members` members (too few to say).
    func operatingWindow(_ members: [Int32]) -> ClosedRange<Int64>? {
        let cfg = config.clustering
        guard cfg.windowMinShare > 0, members.count >= max(2, cfg.windowMinMembers) else { return nil }
        let firsts = members.map { states[Int($0)].firstTs }.sorted()
        let lasts = members.map { states[Int($0)].lastTs }.sorted()
        let lo = firsts[firsts.count / 10]
        let hi = lasts[min(lasts.count - 1, lasts.count * 9 / 10)]
        return lo <= hi ? lo...hi : nil
    }

    /// The operating window of each campaign, taken over all campaigns split from the same component (the
    /// communities of one operation share its window).
    func componentWindows(_ campaigns: [CampaignCandidate]) -> [ClosedRange<Int64>?] {
        var members: [Int: [Int32]] = [:]
        for c in campaigns { members[c.component, default: []] += c.members }
        var window: [Int: ClosedRange<Int64>?] = [:]
        for (k, ms) in members { window[k] = operatingWindow(ms) }
        return campaigns.map { window[$0.component] ?? nil }
    }

    /// A campaign's pace: the median of its members' requests per active hour (``CampaignEvidence/pace(_:)``),
    /// 0 for no members.
    func medianPace(_ members: [Int32]) -> Double {
        let paces = members.map { CampaignEvidence.pace(states[Int($0)]) }.sorted()
        return paces.isEmpty ? 0 : paces[paces.count / 2]
    }

    /// Whether an account is a time bystander of a campaign operating in `window`: it lives at least
    /// `window_span_factor` times as long as the window and has less than `window_min_share` of its active hours
    /// inside it. (A short-lived account of another campaign is not a bystander, only misplaced; a service
    /// fronting 20 or more end users, as a reseller does, is judged by what it sends, not by how long it lives:
    /// its long life among genuine customers is its cover.)
    func isTimeBystander(_ m: Int32, window: ClosedRange<Int64>) -> Bool {
        let st = states[Int(m)]
        guard st.events > 0, !Self.frontsManyEndUsers(st) else { return false }
        return outlives(st, window: window) && Self.activeShare(st, in: window) < config.clustering.windowMinShare
    }

    /// Whether an account lives (first to last request) at least `window_span_factor` times as long as `window`
    /// (taken as at least an hour).
    func outlives(_ st: AccountState, window: ClosedRange<Int64>) -> Bool {
        let length = Double(max(3_600_000, window.upperBound - window.lowerBound))
        return Double(st.lastTs - st.firstTs) >= config.clustering.windowSpanFactor * length
    }

    /// Whether an account behaves like a campaign member (`attach_behaviour`, `attach_harvest`): the bar for joining
    /// a campaign by a signature value, by several of its addresses or by conduct.
    func behavesLikeMember(_ p: BehaviourProfile) -> Bool {
        p.score >= config.clustering.attachBehaviour && CampaignEvidence.harvest(p) >= config.clustering.attachHarvest
    }

    /// Whether an account with no strong tie to a campaign may join it by what it shares with the members or by
    /// its conduct: not vouched for (verified, or of a declared organisation that is not suspect), no service
    /// fronting many end users, no evaluation runner.
    func mayJoinUntied(_ i: Int, profile p: BehaviourProfile) -> Bool {
        let st = states[i]
        return !isVouchedFor(i) && !Self.frontsManyEndUsers(st)
            && !CampaignEvidence.isEvaluationRun(p, st, config.scoring)
    }

    /// Whether an account keeps a campaign's pace: its requests per active hour within `attach_pace_factor` of the
    /// campaign's median `pace` (always, with the factor 0).
    func keepsPace(_ st: AccountState, median pace: Double) -> Bool {
        let factor = config.clustering.attachPaceFactor
        guard factor > 0 else { return true }
        let ratio = CampaignEvidence.pace(st) / max(1e-9, pace)
        return ratio <= factor && ratio >= 1 / factor
    }

    /// Share of an account's active hours that fall inside `window` (an hour counts when it overlaps it).
    static func activeShare(_ st: AccountState, in window: ClosedRange<Int64>) -> Double {
        var inside = 0
        var total = 0
        for word in st.activeDays {
            let day = Int64(bitPattern: word) >> 24
            var mask = word & 0xff_ffff
            while mask != 0 {
                let hour = Int64(mask.trailingZeroBitCount)
                mask &= mask - 1
                let start = (day * 24 + hour) * 3_600_000
                total += 1
                if start + 3_600_000 > window.lowerBound && start <= window.upperBound { inside += 1 }
            }
        }
        return total == 0 ? 1 : Double(inside) / Double(total)
    }

    /// Members of a genuine team: accounts paying with a card whose other holders with enough requests to be
    /// judged (`min_events_for_shape`), at least `team_card_min_others` of them, are mostly `ordinary`. A team's
    /// or a family's card is used by people who behave like people; one of them who looks like a harvester (a
    /// CoT-heavy power user, a script on the team's key) is still one of the team. An operation's card is used by
    /// its own accounts, which are not ordinary. `team_card_min_others` 0 marks nobody.
    func teamCardMembers(payGroups: [LinkGroup], ordinary: (Int) -> Bool) -> [Bool] {
        var team = [Bool](repeating: false, count: ids.count)
        let minOthers = config.clustering.teamCardMinOthers
        guard minOthers > 0 else { return team }
        let judged = config.behaviour.minEventsForShape
        for g in payGroups where g.members.count > minOthers {
            var observed = 0
            var plain = 0
            for m in g.members where states[Int(m)].events >= judged {
                observed += 1
                if ordinary(Int(m)) { plain += 1 }
            }
            for m in g.members {
                // The others: every observed holder but this one.
                let me = states[Int(m)].events >= judged
                let others = observed - (me ? 1 : 0)
                let plainOthers = plain - (me && ordinary(Int(m)) ? 1 : 0)
                if others >= minOthers && 2 * plainOthers > others { team[Int(m)] = true }
            }
        }
        return team
    }

    /// Removes team members (``teamCardMembers(payGroups:ordinary:)``, the ordinary holders being those in no
    /// campaign once every campaign has its attached accounts) from each campaign of two or more, however tied.
    /// A campaign that loses any is rescored over the accounts left, and dropped when it no longer scores or is
    /// too small. A harvest cohort drops its own members while it forms; here it loses only attached accounts,
    /// which its score never counted.
    func dropTeamMembers(
        _ campaigns: [CampaignCandidate], edges: [(a: Int32, b: Int32, w: Double)], linking: [LinkGroup],
        profiles: [BehaviourProfile], payGroups: [LinkGroup]
    ) -> [CampaignCandidate] {
        var campaignOf = [Int32](repeating: -1, count: ids.count)
        for (ci, c) in campaigns.enumerated() { for m in c.members { campaignOf[Int(m)] = Int32(ci) } }
        let team = teamCardMembers(payGroups: payGroups) { campaignOf[$0] < 0 }
        var changed: [Int] = []
        var kept: [[Int32]] = []
        var result = campaigns
        for (ci, c) in campaigns.enumerated() where c.members.count > 1 {
            if c.harvestCohort {
                let out = c.members.filter { team[Int($0)] && c.joinedByAttachment($0) }
                guard !out.isEmpty else { continue }
                let drop = Set(out)
                result[ci].members = c.members.filter { !drop.contains($0) }
                result[ci].keepAttachments { !drop.contains($0) }
                continue
            }
            let left = c.members.filter { !team[Int($0)] }
            guard left.count < c.members.count else { continue }
            changed.append(ci)
            kept.append(left)
        }
        guard !changed.isEmpty else { return result }
        let dead = rescore(&result, changed: changed, kept: kept, edges: edges, linking: linking, profiles: profiles)
        return result.enumerated().filter { !dead.contains($0.offset) }.map(\.element)
    }

    /// Rescores the campaigns at positions `changed` over the members `kept` of each (in the same order): each
    /// that still scores and is large enough gets those members (and keeps only their attachment records), its
    /// score and evidence. Returns the positions of those that do not; the caller drops them.
    func rescore(
        _ campaigns: inout [CampaignCandidate], changed: [Int], kept: [[Int32]],
        edges: [(a: Int32, b: Int32, w: Double)], linking: [LinkGroup], profiles: [BehaviourProfile]
    ) -> Set<Int> {
        let rescored = scoreClusters(kept, edges: edges, linking: linking, profiles: profiles).evidence
        var dead = Set<Int>()
        for (k, ci) in changed.enumerated() {
            guard kept[k].count >= config.clustering.minCampaignSize,
                rescored[k].score >= config.scoring.campaignThreshold
            else {
                dead.insert(ci)
                continue
            }
            let keep = Set(kept[k])
            campaigns[ci].members = kept[k]
            campaigns[ci].score = rescored[k].score
            campaigns[ci].evidence = rescored[k]
            campaigns[ci].keepAttachments { keep.contains($0) }
        }
        return dead
    }

    /// The signals saying how many accounts joined a campaign by a signature value or as card mates.
    func attachmentSignals(_ c: CampaignCandidate) -> [Findings.Signal] {
        var out: [Findings.Signal] = []
        let size = Double(max(1, c.members.count))
        if !c.attached.isEmpty {
            out.append(
                .init(
                    name: "attached_by_signature", strength: round4(Double(c.attached.count) / size),
                    detail: "\(c.attached.count) further accounts carry values used almost only by this campaign"))
        }
        let cardMates = c.thinMates.values.filter { $0.kind == .payment }.count
        if cardMates > 0 {
            out.append(
                .init(
                    name: "card_mates", strength: round4(Double(cardMates) / size),
                    detail: "\(cardMates) further accounts with too few requests to judge on their own pay "
                        + "with cards this campaign's members use (reserve or replacement accounts)"))
        }
        let onAddresses = c.thinMates.values.filter { $0.kind != .payment }
        if !onAddresses.isEmpty {
            let kinds = Set(onAddresses.map(\.kind)).sorted { $0.rawValue < $1.rawValue }.map(\.noun)
            let share = onAddresses.map { Double($0.members) / Double(max(1, $0.holders)) }.min()!
            out.append(
                .init(
                    name: "thin_address_mates", strength: round4(Double(onAddresses.count) / size),
                    detail: "\(onAddresses.count) further accounts with too few requests to judge on their own used "
                        + "\(kinds.joined(separator: " or ")) whose other holders are mostly this campaign's members "
                        + "(at least \(fmt(100 * share))% of all holders), inside its operating window"))
        }
        let byHarvest = c.addressMates.filter { $0.value.addresses < 2 }
        if !byHarvest.isEmpty {
            let shares = byHarvest.keys.map { Self.harvestShare(states[Int($0)]) }
            let kinds = Set(byHarvest.values.map(\.kind)).sorted { $0.rawValue < $1.rawValue }.map(\.noun)
            out.append(
                .init(
                    name: "address_mates", strength: round4(Double(byHarvest.count) / size),
                    detail: "\(byHarvest.count) further accounts share \(kinds.joined(separator: " or ")) held "
                        + "by a few accounts with this campaign's members and ask for harvest-like requests on "
                        + "\(fmt(100 * shares.min()!))%-\(fmt(100 * shares.max()!))% of theirs"))
        }
        let bySeveral = c.addressMates.values.filter { $0.addresses >= 2 }.map(\.addresses)
        if !bySeveral.isEmpty {
            out.append(
                .init(
                    name: "address_set_mates", strength: round4(Double(bySeveral.count) / size),
                    detail: "\(bySeveral.count) further accounts each hold \(bySeveral.min()!)-\(bySeveral.max()!) of "
                        + "this campaign's IP addresses and sign-up IPs (addresses held mostly by its members), "
                        + "behave like its members and keep their pace"))
        }
        if !c.tieMates.isEmpty {
            let shares = c.tieMates.keys.map { traceShare(states[Int($0)]) }
            let lifts = c.tieMates.values.map { $0.weight / max($0.chance, 1e-9) }
            out.append(
                .init(
                    name: "tie_mates", strength: round4(Double(c.tieMates.count) / size),
                    detail: "\(c.tieMates.count) further accounts ask for reasoning traces on "
                        + "\(fmt(100 * shares.min()!))%-\(fmt(100 * shares.max()!))% of their requests, behave like its "
                        + "members and hold weak ties (shared hours, prompts, addresses, clients) to them "
                        + "\(fmt(lifts.min()!))x-\(fmt(lifts.max()!))x what their ties to all accounts give by chance"))
        }
        if !c.conductMates.isEmpty {
            let shares = c.conductMates.map { traceShare(states[Int($0)]) }
            out.append(
                .init(
                    name: "conduct_mates", strength: round4(Double(c.conductMates.count) / size),
                    detail: "\(c.conductMates.count) further accounts, joined by their conduct rather than a shared "
                        + "value, ask for reasoning traces on \(fmt(100 * shares.min()!))%-\(fmt(100 * shares.max()!))% of their "
                        + "requests as its members do, behave like them and were active almost only inside its "
                        + "operating window"))
        }
        return out
    }

    /// Harvest bystanders among `members` (see `clustering.harvest_bystander_factor`): members asking for harvest-like
    /// requests far less often than the campaign's well-observed members do, over enough requests for the
    /// difference not to be chance. Volume bystanders too (`clustering.volume_bystander_factor`): members sending
    /// several times the median member's requests while asking for harvest-like ones less often than it does.
    /// A service fronting 20 or more end users is not one (a reseller mixes genuine traffic into what it
    /// harvests). Empty when the campaign has fewer than `window_min_members` well-observed members or harvests
    /// too little for a difference to mean anything.
    func harvestBystanders(_ members: [Int32]) -> [Int32] {
        let cfg = config.clustering
        let observed = members.filter { states[Int($0)].events >= config.behaviour.minEventsForShape }
        guard observed.count >= max(2, cfg.windowMinMembers) else { return [] }
        let shares = observed.map { Self.harvestShare(states[Int($0)]) }.sorted()
        let median = shares[shares.count / 2]
        guard median >= cfg.harvestBystanderMinShare else { return [] }
        let counts = observed.map { states[Int($0)].events }.sorted()
        let heavy =
            cfg.volumeBystanderFactor > 0 ? cfg.volumeBystanderFactor * Double(counts[counts.count / 2]) : .infinity
        return members.filter {
            let st = states[Int($0)]
            guard !Self.frontsManyEndUsers(st) else { return false }
            let share = Self.harvestShare(st)
            let far =
                cfg.harvestBystanderFactor > 0 && share < cfg.harvestBystanderFactor * median
                && Double(st.events) * median >= cfg.harvestBystanderMinExpected
            let volume = Double(st.events) >= heavy && share < cfg.volumeBystanderShare * median
            return far || volume
        }
    }

    /// Conversation bystanders among `members` (see `clustering.conversation_bystander_gap`): well-observed members
    /// (`min_events_for_shape` requests carrying `turn`) whose share of single-turn requests is at least the gap
    /// below the median of the campaign's well-observed members. An operation's accounts run the same software and
    /// send requests of one shape; a person holding conversations among accounts that each send one question at a
    /// time is not one of them, whatever prompts the two happen to share. A service fronting 20 or more end users
    /// is not one (a reseller's customers hold conversations). Empty when fewer than `window_min_members` members
    /// are well observed.
    func conversationBystanders(_ members: [Int32]) -> [Int32] {
        let cfg = config.clustering
        let judged = config.behaviour.minEventsForShape
        func share(_ st: AccountState) -> Double { Double(st.singleTurn) / Double(max(1, st.turnKnown)) }
        let observed = members.filter { states[Int($0)].turnKnown >= judged }
        guard cfg.conversationBystanderGap > 0, observed.count >= max(2, cfg.windowMinMembers) else { return [] }
        let shares = observed.map { share(states[Int($0)]) }.sorted()
        let median = shares[shares.count / 2]
        return observed.filter {
            let st = states[Int($0)]
            return !Self.frontsManyEndUsers(st) && share(st) <= median - cfg.conversationBystanderGap
        }
    }

    /// Removes time bystanders from each campaign: members with less than `window_min_share` of their active
    /// hours inside the campaign's operating window and no tie of `peel_link_weight` to a member inside it. A
    /// long-lived heavy user who shares a popular client or a card batch with a campaign that ran for two weeks
    /// of a quarter is not one of its accounts; campaign accounts live inside the campaign's window by nature.
    /// Pace bystanders leave too, however tied: evaluation runners (``CampaignEvidence/isEvaluationRun``)
    /// sending more than `attach_pace_factor` times the campaign's median requests per active hour, in a
    /// campaign of at least `window_min_members` where they are fewer than half (a benchmark customer sharing a
    /// cloud IP and a chain-of-thought wrapper with accounts that send one request an hour).
    /// Conversation bystanders (``conversationBystanders(_:)``) leave too. Removed accounts that are linked to one
    /// another (conversation bystanders excepted) are scored as clusters of their own. Returns the campaigns
    /// (rescored, those still scoring) and the removed accounts not in any campaign.
    func dropTimeBystanders(
        _ campaigns: [CampaignCandidate], edges: [(a: Int32, b: Int32, w: Double)], linking: [LinkGroup],
        profiles: [BehaviourProfile], firstOrigin: Int
    ) -> (campaigns: [CampaignCandidate], removed: [Int32]) {
        let cfg = config.clustering
        let n = ids.count
        var campaignOf = [Int32](repeating: -1, count: n)
        var inside = [Bool](repeating: true, count: n)
        let windows = componentWindows(campaigns)
        for (ci, c) in campaigns.enumerated() {
            for m in c.members { campaignOf[Int(m)] = Int32(ci) }
            guard let window = windows[ci] else { continue }
            for m in c.members { inside[Int(m)] = !isTimeBystander(m, window: window) }
        }
        var paceOut = [Bool](repeating: false, count: n)
        if cfg.attachPaceFactor > 0 {
            for c in campaigns where c.members.count >= max(2, cfg.windowMinMembers) {
                let evaluators = c.members.filter {
                    CampaignEvidence.isEvaluationRun(profiles[Int($0)], states[Int($0)], config.scoring)
                }
                guard !evaluators.isEmpty, 2 * evaluators.count < c.members.count else { continue }
                let median = medianPace(c.members)
                for m in evaluators where CampaignEvidence.pace(states[Int(m)]) > cfg.attachPaceFactor * median {
                    paceOut[Int(m)] = true
                    inside[Int(m)] = false
                }
            }
        }
        if cfg.harvestBystanderFactor > 0 || cfg.volumeBystanderFactor > 0 {
            for c in campaigns { for m in harvestBystanders(c.members) { inside[Int(m)] = false } }
        }
        // Conversation bystanders leave but are not regrouped below: people drawing on the same popular prompts
        // are tied to one another by them, and would come back as a campaign of their own.
        var talker = [Bool](repeating: false, count: n)
        if cfg.conversationBystanderGap > 0 {
            for c in campaigns {
                for m in conversationBystanders(c.members) {
                    inside[Int(m)] = false
                    talker[Int(m)] = true
                }
            }
        }
        // Strongest tie of each outside member to an inside member of its campaign.
        var tie = [Double](repeating: 0, count: n)
        for e in edges where campaignOf[Int(e.a)] >= 0 && campaignOf[Int(e.a)] == campaignOf[Int(e.b)] {
            if inside[Int(e.b)] { tie[Int(e.a)] = max(tie[Int(e.a)], e.w) }
            if inside[Int(e.a)] { tie[Int(e.b)] = max(tie[Int(e.b)], e.w) }
        }
        var removed: [Int32] = []
        var kept: [[Int32]] = []
        var changed: [Int] = []
        for (ci, c) in campaigns.enumerated() {
            let out = c.members.filter {
                campaignOf[Int($0)] >= 0 && !inside[Int($0)] && (paceOut[Int($0)] || tie[Int($0)] < cfg.peelLinkWeight)
            }
            guard !out.isEmpty else { continue }
            removed += out
            let drop = Set(out)
            kept.append(c.members.filter { !drop.contains($0) })
            changed.append(ci)
        }
        guard !removed.isEmpty else { return (campaigns, []) }
        var result = campaigns
        let dead = rescore(&result, changed: changed, kept: kept, edges: edges, linking: linking, profiles: profiles)
        for (k, ci) in changed.enumerated() where dead.contains(ci) { removed += kept[k] }
        result = result.enumerated().filter { !dead.contains($0.offset) }.map(\.element)
        // Removed accounts linked to one another (a second campaign lumped into the first) are scored on their own.
        var isRemoved = [Bool](repeating: false, count: n)
        for m in removed where !talker[Int(m)] { isRemoved[Int(m)] = true }
        var uf = UnionFind(count: n)
        let suspicious = profiles.map { $0.groupScore >= cfg.suspiciousBehaviour }
        for e in edges where isRemoved[Int(e.a)] && isRemoved[Int(e.b)] {
            let cohort = suspicious[Int(e.a)] && suspicious[Int(e.b)] && e.w >= cfg.suspiciousEdge
            if e.w >= cfg.strongEdge || cohort { uf.union(Int(e.a), Int(e.b)) }
        }
        var byRoot: [Int: [Int32]] = [:]
        for m in removed.sorted(by: { ids[Int($0)] < ids[Int($1)] }) where isRemoved[Int(m)] {
            byRoot[uf.find(Int(m)), default: []].append(m)
        }
        let groups = byRoot.values.filter { $0.count >= cfg.minCampaignSize }.sorted {
            ids[Int($0[0])] < ids[Int($1[0])]
        }
        var rest = Set(removed)
        if !groups.isEmpty {
            let ev = scoreClusters(groups, edges: edges, linking: linking, profiles: profiles).evidence
            for (k, g) in groups.enumerated() where ev[k].score >= config.scoring.campaignThreshold {
                result.append(
                    CampaignCandidate(members: g, score: ev[k].score, evidence: ev[k], component: firstOrigin + k))
                rest.subtract(g)
            }
        }
        return (result, rest.sorted { ids[Int($0)] < ids[Int($1)] })
    }
}
