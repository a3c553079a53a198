import Foundation
import Testing

@testable import RetortCore

/// Accounts with a handful of requests each, which no per-account profile can judge (no time shape), tied to
/// each other by strong links (shared proxies, one card): judged as one actor, a harvesting group is a campaign
/// and a genuine team is not.
@Suite struct DetPoolTests {
    /// `count` requests of one account at random moments over `hours` hours from `start`; `office` hours only
    /// (09:00-17:00 UTC) when set, else around the clock.
    static func thin(
        _ t: inout DetTestTraffic, _ id: String, count: Int, hours: Int, harvesting: Bool, ips: [String],
        card: String
    ) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - Int64(30 + t.next() % 300) * 86_400_000
        a.paymentFingerprint = card
        a.emailLocal = "\(id).\(t.next() % 1000)"
        a.emailDomain = "mail\(t.next() % 5).example"
        t.accounts.append(a)
        var times: [Int64] = []
        while times.count < count {
            let ts = DetTestTraffic.t0 + Int64(t.uniform() * Double(hours) * 3_600_000)
            let hour = (ts / 3_600_000) % 24
            if harvesting || (9..<17).contains(hour) { times.append(ts) }
        }
        var conv = 0
        for (k, ts) in times.sorted().enumerated() {
            var e = t.event(id, ts: ts)
            e.ip = IPAddress(ips[Int(t.next() % UInt64(ips.count))])
            e.model = "model-large"
            e.userAgent = "client-\(t.next() % 40)"
            if harvesting {
                e.prompt = DetTestTraffic.questions[Int(t.next() % 10)] + " (item \(t.next() % 100_000))"
                e.maxTokens = 8192
                e.temperature = 0.7
                e.turn = 1
            } else {
                if k % 3 == 0 { conv += 1 }
                e.prompt = "Could you help me with my \(t.everydayText())?"
                e.maxTokens = [512, 1024, 2048][Int(t.next() % 3)]
                e.temperature = [0.2, 0.7, 1.0][Int(t.next() % 3)]
                e.conversationID = "\(id)-\(conv)"
                e.turn = k % 3 + 1
            }
            t.events.append(e)
        }
    }

    /// Forty casual users, so that the world is not only the group under test.
    static func world(
        config: DetectionConfig = .default, _ build: (inout DetTestTraffic) -> Void
    ) -> (Investigation, Findings) {
        var t = DetTestTraffic(seed: 11)
        for i in 0..<40 { t.casual("u\(i)", days: 6) }
        build(&t)
        t.sortByTime()
        let inv = t.investigation(config: config)
        return (inv, inv.run(input: InputSummary(events: t.events.count)))
    }

    /// The pool of 30 proxy IPs of ``proxyHarvesters(_:)``.
    static let proxies = (1...30).map { "203.0.113.\($0 * 7)" }

    /// 30 accounts h0-h29, 4-9 requests each over 60 hours around the clock, single-turn at the token ceiling,
    /// each with its own card, through ``proxies`` (a new one per request: about six accounts an IP).
    static func proxyHarvesters(_ t: inout DetTestTraffic) {
        for i in 0..<30 {
            Self.thin(
                &t, "h\(i)", count: 4 + Int(t.next() % 6), hours: 60, harvesting: true, ips: proxies,
                card: "card-h\(i)")
        }
    }

    @Test func thinHarvestersSharingProxiesAreJudgedTogether() throws {
        var off = DetectionConfig.default
        off.clustering.poolMinMembers = 0
        // Judged one by one, none of them is in a campaign.
        let alone = Self.world(config: off, Self.proxyHarvesters).1
        #expect(!alone.campaigns.contains { $0.accounts.contains { $0.hasPrefix("h") } })
        let (inv, f) = Self.world(Self.proxyHarvesters)
        let harvesters = (0..<30).map { "h\($0)" }
        // No account can be judged on its own: each is below the suspicious bar.
        for h in harvesters {
            let p = inv.latestProfiles[Int(try #require(inv.index[h]))]
            #expect(p.score < inv.config.clustering.suspiciousBehaviour)
            #expect((p.pooledRawScore ?? 0) >= inv.config.clustering.suspiciousBehaviour)
        }
        let c = try #require(f.campaigns.first { Set($0.accounts).isSuperset(of: harvesters.prefix(5)) })
        #expect(Set(c.accounts).intersection(harvesters).count >= 25)
        #expect(!c.accounts.contains { $0.hasPrefix("u") })
        let pooled = try #require(c.signals.first { $0.name == "pooled_behaviour" })
        #expect(pooled.detail.contains("too few to judge one by one"))
        let reasons = try #require(f.accounts.first { $0.accountID == "h0" }).reasons
        #expect(reasons.contains { $0.contains("judged together") })
    }

    /// Declaring an organisation costs nothing: the thin harvesters of ``thinHarvestersSharingProxiesAreJudgedTogether()``,
    /// all in one unverified organisation, are pooled all the same once two of its accounts are suspicious on their
    /// own (a suspect organisation); with none, the organisation still explains what its accounts share.
    @Test func aSuspectOrganisationVouchesForNoThinAccount() throws {
        func front(heavy: Int) -> (inout DetTestTraffic) -> Void {
            { (t: inout DetTestTraffic) in
                Self.proxyHarvesters(&t)
                for i in 0..<heavy { t.harvester("big\(i)") }
                for i in t.accounts.indices where !t.accounts[i].accountID.hasPrefix("u") {
                    t.accounts[i].orgID = "org-front"
                }
            }
        }
        let thin = Set((0..<30).map { "h\($0)" })
        let (inv, suspect) = Self.world(front(heavy: 2))
        #expect(inv.suspectOrganisations == ["org-front"])
        #expect(suspect.campaigns.contains { Set($0.accounts).intersection(thin).count >= 25 })
        let (vouching, vouched) = Self.world(front(heavy: 0))
        #expect(vouching.suspectOrganisations.isEmpty)
        #expect(!vouched.campaigns.contains { !Set($0.accounts).isDisjoint(with: thin) })
    }

    /// 30 thin harvesters of ``thinHarvestersSharingProxiesAreJudgedTogether()``, but each on one address of
    /// its own (a sticky proxy), all in one /24, and each signed up from another address of that /24 (or, with
    /// `signupSameBlock` false, from a /24 of its own): every value they share is held by the same 30 accounts.
    static func stickyBlock(_ t: inout DetTestTraffic, signupSameBlock: Bool = true) {
        for i in 0..<30 {
            Self.thin(
                &t, "s\(i)", count: 4 + Int(t.next() % 6), hours: 60, harvesting: true, ips: ["203.0.113.\(i + 1)"],
                card: "card-s\(i)")
            t.accounts[t.accounts.count - 1].signupIP = IPAddress(
                signupSameBlock ? "203.0.113.\(101 + i)" : "198.18.\(i).1")
            t.accounts[t.accounts.count - 1].emailLocal = nil  // no e-mail shape in common
        }
    }

    @Test func thinHarvestersOnOneAddressBlockArePooled() throws {
        let sticky = (0..<30).map { "s\($0)" }
        let (inv, f) = Self.world { Self.stickyBlock(&$0) }
        // Each shared value links the same 30 accounts: the pool's ties are one ring, not a chain whose two
        // ends (and then the next two) have one tie each and would be pruned until nothing is left.
        var profiles = inv.latestProfiles
        let org = [String?](repeating: nil, count: profiles.count)
        let groups = inv.linkGroups(profiles: profiles, order: order(inv), rank: rank(inv))
        let signup = try #require(groups.first { $0.kind == .signupNetwork && $0.members.count == 30 })
        #expect(signup.members.map { inv.ids[Int($0)] }.sorted() == sticky.sorted())
        let pools = inv.poolThinAccounts(&profiles, groups: groups, org: org)
        let pool = try #require(pools.first { inv.ids[$0.members[0]].hasPrefix("s") })
        #expect(pool.members.count == 30)
        let c = try #require(f.campaigns.first { Set($0.accounts).isSuperset(of: sticky.prefix(5)) })
        #expect(Set(c.accounts).intersection(sticky).count >= 25)
        #expect(!c.accounts.contains { $0.hasPrefix("u") })
        // The /24 of the requests alone (0.54 for 30 holders) is below `strong_edge`; the sign-up /24 adds
        // the rest. Signed up elsewhere, or with the kind's weight 0, they are not pooled.
        for (signupSameBlock, weight) in [(false, nil), (true, 0.0)] as [(Bool, Double?)] {
            var config = DetectionConfig.default
            if let weight { config.links.kinds["signup_network"]?.weight = weight }
            let (inv2, f2) = Self.world(config: config) { Self.stickyBlock(&$0, signupSameBlock: signupSameBlock) }
            #expect(!f2.campaigns.contains { $0.accounts.contains { $0.hasPrefix("s") } })
            var p2 = inv2.latestProfiles
            let g2 = inv2.linkGroups(profiles: p2, order: order(inv2), rank: rank(inv2))
            #expect(
                !inv2.poolThinAccounts(&p2, groups: g2, org: org).contains { inv2.ids[$0.members[0]].hasPrefix("s") })
        }
    }

    @Test func thinGenuineTeamOnOneCardIsNotACampaign() throws {
        // 30 colleagues on one card, 4-9 requests each in office hours over 60 hours, multi-turn chats with
        // varied settings, each from their home IP and one of five small office IPs (six colleagues each): as
        // thin, and sharing two rare values each (the card and an office IP), as the harvesters above.
        let (inv, f) = Self.world { t in
            for i in 0..<30 {
                Self.thin(
                    &t, "m\(i)", count: 4 + Int(t.next() % 6), hours: 60, harvesting: false,
                    ips: ["198.51.100.\(10 + i % 5)", "192.0.2.\(i + 1)"], card: "card-team")
            }
        }
        #expect(!f.campaigns.contains { $0.accounts.contains { $0.hasPrefix("m") } })
        // The team was pooled, and judged ordinary: a working day's rest, conversations, varied settings.
        var profiles = inv.latestProfiles
        let org = [String?](repeating: nil, count: profiles.count)
        let groups = inv.linkGroups(profiles: profiles, order: order(inv), rank: rank(inv))
        let pools = inv.poolThinAccounts(&profiles, groups: groups, org: org)
        let team = try #require(pools.first { inv.ids[$0.members[0]].hasPrefix("m") })
        #expect(team.members.count >= 25)
        #expect(team.score < inv.config.clustering.suspiciousBehaviour)
    }

    func order(_ inv: Investigation) -> [Int32] {
        inv.ids.indices.sorted { inv.ids[$0] < inv.ids[$1] }.map { Int32($0) }
    }

    func rank(_ inv: Investigation) -> [Int32] {
        var rank = [Int32](repeating: 0, count: inv.ids.count)
        for (r, i) in order(inv).enumerated() { rank[Int(i)] = Int32(r) }
        return rank
    }

    @Test func pooledProfileAddsRequestsUpAndLeavesGroupArtefactsOut() {
        // Three accounts of 20 requests each, one every hour at a different offset: together a flat day.
        var states = [AccountState](repeating: AccountState(), count: 3)
        for k in states.indices {
            for h in 0..<20 {
                var e = Event(
                    ts: DetTestTraffic.t0 + Int64(k * 20 + h) * 3_600_000, accountID: "a\(k)", requestID: "r\(k)-\(h)")
                e.maxTokens = 8192
                e.temperature = 0.7
                e.turn = 1
                e.userAgent = "ua-\(k)-\(h)"
                e.ip = IPAddress("203.0.113.\(k * 20 + h + 1)")
                states[k].update(e, analysis: PromptAnalysis(), config: .default)
            }
        }
        let one = BehaviourProfile(state: states[0], meta: nil, config: .default)
        let pooled = BehaviourProfile(pooling: states, freshShare: 0.5, config: .default)
        #expect(one.value(.noDiurnalRest) == 0)  // 20 requests: no shape of its own
        #expect(pooled.value(.noDiurnalRest) == 1)  // 60 hours around the clock together
        #expect(pooled.value(.singleTurn) == 1)
        #expect(pooled.value(.maxTokensCeiling) == 1)
        #expect(pooled.value(.freshAccount) == 0.5)
        // What a group shows only by being many accounts does not count.
        for s in [BehaviourSignal.dutyCycle, .regularTiming, .clientChurn, .ipRotation, .keyRotation] {
            #expect(pooled.value(s) == 0)
        }
        #expect(pooled.rawScore > one.rawScore)
    }
}
