import Foundation
import Testing

@testable import RetortCore

/// Card mates: accounts with too few requests to judge on their own, paying with a card the members of a campaign
/// use, are the operation's reserve or replacement accounts and join it; a card whose well-observed users are
/// mostly outside the campaign (a team's) attaches nobody.
@Suite struct DetCardMateTests {
    /// Twelve harvesters on two cards of six (an operation's card batches), plus `extra` accounts.
    static func traffic(_ extra: (inout DetTestTraffic) -> Void) -> DetTestTraffic {
        DetTestTraffic.operation(seed: 11, extra)
    }

    /// An account on `card` with `requests` casual requests (none for 0).
    static func thinAccount(_ t: inout DetTestTraffic, _ id: String, card: String, requests: Int, org: String? = nil) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - 86_400_000
        a.paymentFingerprint = card
        a.orgID = org
        t.accounts.append(a)
        for k in 0..<requests {
            var e = t.event(id, ts: DetTestTraffic.t0 + Int64(k + 1) * 7_200_000)
            e.prompt = t.everydayText()
            e.turn = 1
            e.ip = IPAddress("198.51.100.\(k + 10)")
            t.events.append(e)
        }
    }

    /// The accounts `attachCardMates` adds to a campaign of `members`, given one payment group of `holders`;
    /// with `halfOfAllHolders` false, the same rule without its bound on all holders.
    static func cardMates(
        _ t: DetTestTraffic, members: [String], holders: [String], _ config: DetectionConfig = .default,
        halfOfAllHolders: Bool = true
    ) throws -> (added: Set<String>, campaign: CampaignCandidate) {
        let one = try t.oneCampaign(of: members, config: config)
        let inv = one.inv
        var (campaigns, campaignOf) = (one.campaigns, one.campaignOf)
        let h = try holders.map { try #require(inv.index[$0]) }.sorted()
        let group = LinkGroup(kind: .payment, key: 1, members: h, sharedBy: h.count)
        if halfOfAllHolders {
            inv.attachCardMates(to: &campaigns, campaignOf: &campaignOf, payGroups: [group])
        } else {
            let cfg = config.clustering
            inv.attachThinMates(
                to: &campaigns, campaignOf: &campaignOf, groups: [group], minMembers: cfg.cardMateMinMembers,
                share: cfg.cardMateShare, windows: nil, halfOfAllHolders: false)
        }
        let added = Set(campaigns[0].thinMates.keys.map { inv.ids[Int($0)] })
        // Whoever is a card mate is a member, and every new member is one.
        #expect(Set(campaigns[0].members.map { inv.ids[Int($0)] }) == Set(members).union(added))
        return (added, campaigns[0])
    }

    static let harvesters = (0..<12).map { "h\($0)" }

    @Test func reserveAccountsOnTheOperationsCardJoin() throws {
        let t = Self.traffic { t in
            Self.thinAccount(&t, "reserve0", card: "op-card-1", requests: 0)
            Self.thinAccount(&t, "reserve1", card: "op-card-1", requests: 3)
            // Of a declared organisation, or verified: their card use is explained, they do not join.
            Self.thinAccount(&t, "orgReserve", card: "op-card-1", requests: 2, org: "org-1")
            Self.thinAccount(&t, "verifiedReserve", card: "op-card-1", requests: 2)
            t.accounts[t.accounts.count - 1].verified = true
        }
        let holders = (0..<6).map { "h\($0)" } + ["reserve0", "reserve1", "orgReserve", "verifiedReserve"]
        let (added, campaign) = try Self.cardMates(t, members: Self.harvesters, holders: holders)
        #expect(added == ["reserve0", "reserve1"])
        let signal = try #require(
            Investigation(config: .default).attachmentSignals(campaign).first { $0.name == "card_mates" })
        #expect(signal.detail.hasPrefix("2 further accounts with too few requests"))
        #expect(campaign.thinMates.values.allSatisfy { $0.members == 6 && $0.holders == 10 })

        // Fewer members on the card than `card_mate_min_members`, or the rule off: nobody joins.
        let one = ["h0", "reserve0", "reserve1"]
        #expect(try Self.cardMates(t, members: Self.harvesters, holders: one).added.isEmpty)
        var off = DetectionConfig.default
        off.clustering.cardMateMinMembers = 0
        #expect(try Self.cardMates(t, members: Self.harvesters, holders: holders, off).added.isEmpty)
    }

    @Test func aTeamsCardWithWellObservedUsersAttachesNobody() throws {
        // Two harvesters pay with a team's card, which four well-observed people and one light user also use.
        let t = Self.traffic { t in
            for i in 0..<2 { t.harvester("x\(i)", days: 6, card: "team-card") }
            for i in 0..<4 {
                t.casual("worker\(i)", days: 60)
                t.accounts[t.accounts.count - 1].paymentFingerprint = "team-card"
            }
            Self.thinAccount(&t, "light", card: "team-card", requests: 4)
        }
        for i in 0..<4 {
            // Each worker has enough requests to be judged on its own.
            #expect(
                t.events.filter { $0.accountID == "worker\(i)" }.count
                    >= DetectionConfig.default.behaviour.minEventsForShape)
        }
        let members = Self.harvesters + ["x0", "x1"]
        let holders = ["x0", "x1", "light"] + (0..<4).map { "worker\($0)" }
        #expect(try Self.cardMates(t, members: members, holders: holders).added.isEmpty)
        // With the share test off (any two members on the card) the light user still does not join: two members
        // are not half of the card's seven holders. Without that bound too it would; the workers never.
        var loose = DetectionConfig.default
        loose.clustering.cardMateShare = 0
        #expect(try Self.cardMates(t, members: members, holders: holders, loose).added.isEmpty)
        let unbounded = try Self.cardMates(t, members: members, holders: holders, loose, halfOfAllHolders: false)
        #expect(unbounded.added == ["light"])
    }

    /// A card used mostly by light accounts (an undeclared team whose people each send a few requests) on which
    /// two harvesters pay too: the two members are all of the holders that can be judged, but not half of all
    /// its holders, so nobody joins; without that bound every light user would.
    @Test func aCardHeldMostlyByLightAccountsAttachesNobody() throws {
        let t = Self.traffic { t in
            for i in 0..<2 { t.harvester("x\(i)", days: 6, card: "team-card") }
            for i in 0..<6 { Self.thinAccount(&t, "light\(i)", card: "team-card", requests: 2 + i % 3) }
        }
        let members = Self.harvesters + ["x0", "x1"]
        let lights = (0..<6).map { "light\($0)" }
        let holders = ["x0", "x1"] + lights
        #expect(try Self.cardMates(t, members: members, holders: holders).added.isEmpty)
        let unbounded = try Self.cardMates(t, members: members, holders: holders, halfOfAllHolders: false)
        #expect(unbounded.added == Set(lights))
    }
}

/// Team members: a campaign member whose card the team's well-observed, ordinary people also use is one of the
/// team, and leaves the campaign however it is tied; an operation's card, whose other holders are campaign
/// members, keeps its accounts.
@Suite struct DetTeamCardTests {
    /// Twelve harvesters on two cards, `x0` (a harvester too) on a team card with `workers` casual people, all
    /// investigated; returns the investigation and the team card's group.
    static func world(workers: Int, teamMinOthers: Int = 2) throws -> (Investigation, LinkGroup) {
        let t = DetCardMateTests.traffic { t in
            t.harvester("x0", days: 6, card: "team-card")
            for i in 0..<workers {
                t.casual("worker\(i)", days: 60)
                t.accounts[t.accounts.count - 1].paymentFingerprint = "team-card"
            }
        }
        var config = DetectionConfig.default
        config.clustering.teamCardMinOthers = teamMinOthers
        let inv = t.investigation(config: config)
        _ = inv.run(input: InputSummary(events: t.events.count))
        let holders = try (["x0"] + (0..<workers).map { "worker\($0)" }).map { try #require(inv.index[$0]) }
        for w in holders.dropFirst() {
            #expect(inv.states[Int(w)].events >= inv.config.behaviour.minEventsForShape)
        }
        return (inv, LinkGroup(kind: .payment, key: 9, members: holders.sorted(), sharedBy: holders.count))
    }

    /// The members left in a campaign of the twelve harvesters and `x0` after team members leave.
    static func kept(_ inv: Investigation, _ group: LinkGroup) throws -> Set<String> {
        let members = try (DetCardMateTests.harvesters + ["x0"]).map { try #require(inv.index[$0]) }
        let profiles = inv.latestProfiles
        let evidence = inv.scoreClusters([members], edges: [], linking: [], profiles: profiles).evidence[0]
        let campaigns = [CampaignCandidate(members: members, score: 0.9, evidence: evidence, component: 0)]
        let out = inv.dropTeamMembers(campaigns, edges: [], linking: [], profiles: profiles, payGroups: [group])
        return Set(out.flatMap(\.members).map { inv.ids[Int($0)] })
    }

    @Test func aHarvesterLikeMemberOfATeamLeaves() throws {
        let (inv, group) = try Self.world(workers: 3)
        let all = Set(DetCardMateTests.harvesters + ["x0"])
        #expect(try Self.kept(inv, group) == all.subtracting(["x0"]))
        let (off, offGroup) = try Self.world(workers: 3, teamMinOthers: 0)
        #expect(try Self.kept(off, offGroup) == all)
        // The workers are ordinary (in no campaign), so x0 is a team member; were they campaign members, not.
        let team = inv.teamCardMembers(payGroups: [group]) { _ in true }
        #expect(team[Int(inv.index["x0"]!)])
        let operation = inv.teamCardMembers(payGroups: [group]) { _ in false }
        #expect(!operation.contains(true))
    }

    @Test func oneOtherPersonOnTheCardIsNotATeam() throws {
        let (inv, group) = try Self.world(workers: 1)
        #expect(try Self.kept(inv, group).contains("x0"))
    }
}
