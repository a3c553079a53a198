import Foundation
import Testing

@testable import RetortCore

/// Thin address mates: an account with too few requests to judge, using an IP address that almost only a
/// campaign's members use, while the campaign operates, is one of the operation's short-lived accounts and joins
/// it; an address with well-observed ordinary users, an address only one or two members use, an account living
/// outside the campaign's window and a vouched-for account do not join.
@Suite struct DetThinAddressMateTests {
    static let harvesters = (0..<12).map { "h\($0)" }
    static let proxy = "203.0.113.77"
    /// The rule is off by default (`thin_address_mate_min_members` 0); these tests turn it on at 3.
    static let on: DetectionConfig = {
        var c = DetectionConfig.default
        c.clustering.thinAddressMateMinMembers = 3
        return c
    }()

    /// `requests` casual requests from `ip`, two hours apart from `startHour` hours after `DetTestTraffic.t0`.
    static func thin(
        _ t: inout DetTestTraffic, _ id: String, requests: Int, ip: String = proxy, startHour: Int64 = 30,
        org: String? = nil
    ) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - 86_400_000
        a.paymentFingerprint = "card-\(id)"
        a.orgID = org
        t.accounts.append(a)
        for k in 0..<requests {
            var e = t.event(id, ts: DetTestTraffic.t0 + (startHour + 2 * Int64(k)) * 3_600_000)
            e.prompt = t.everydayText()
            e.turn = 1
            e.ip = IPAddress(ip)
            t.events.append(e)
        }
    }

    /// The accounts `attachThinAddressMates` adds to one campaign of the twelve harvesters, given the holders of
    /// one IP address, with the campaign's operating window as the detector computes it.
    static func mates(
        _ t: DetTestTraffic, holders: [String], _ config: DetectionConfig = on
    ) throws -> (added: Set<String>, campaign: CampaignCandidate, inv: Investigation) {
        let one = try t.oneCampaign(of: harvesters, config: config)
        let inv = one.inv
        var (campaigns, campaignOf) = (one.campaigns, one.campaignOf)
        let h = try holders.map { try #require(inv.index[$0]) }.sorted()
        let payment = LinkGroup(kind: .payment, key: 2, members: h, sharedBy: h.count)
        let group = LinkGroup(kind: .ip, key: 1, members: h, sharedBy: h.count)
        let windows = inv.componentWindows(campaigns)
        #expect(windows[0] != nil)
        // A payment group is not an address: this step leaves it to card mates.
        inv.attachThinAddressMates(to: &campaigns, campaignOf: &campaignOf, groups: [payment], windows: windows)
        #expect(campaigns[0].thinMates.isEmpty)
        inv.attachThinAddressMates(to: &campaigns, campaignOf: &campaignOf, groups: [group], windows: windows)
        let added = Set(campaigns[0].thinMates.keys.map { inv.ids[Int($0)] })
        #expect(Set(campaigns[0].members.map { inv.ids[Int($0)] }) == Set(harvesters).union(added))
        return (added, campaigns[0], inv)
    }

    @Test func aShortLivedAccountOnTheOperationsProxyJoins() throws {
        let t = DetTestTraffic.operation(seed: 23) { t in
            Self.thin(&t, "spare", requests: 3)
            Self.thin(&t, "orgSpare", requests: 2, org: "org-7")
        }
        let holders = ["h0", "h1", "h2", "h3", "spare", "orgSpare"]
        let (added, campaign, inv) = try Self.mates(t, holders: holders)
        // The vouched-for account is judged (it counts against purity) but does not join: 4 of 5 judged holders.
        #expect(added == ["spare"])
        let mate = try #require(campaign.thinMates.values.first)
        #expect(mate.kind == .ip && mate.members == 4 && mate.holders == 6)
        let signal = try #require(inv.attachmentSignals(campaign).first { $0.name == "thin_address_mates" })
        #expect(signal.detail.hasPrefix("1 further accounts with too few requests to judge on their own used IP"))
        #expect(!inv.attachmentSignals(campaign).contains { $0.name == "card_mates" })

        // Two members on the address are fewer than `thin_address_mate_min_members`; the rule off (the default):
        // nobody joins.
        #expect(try Self.mates(t, holders: ["h0", "h1", "spare"]).added.isEmpty)
        #expect(DetectionConfig.default.clustering.thinAddressMateMinMembers == 0)
        #expect(try Self.mates(t, holders: holders, .default).added.isEmpty)
    }

    @Test func anAddressWithWellObservedOrdinaryUsersAttachesNobody() throws {
        // Four members share an office IP with two people who use it every day, and one light user.
        let t = DetTestTraffic.operation(seed: 29) { t in
            t.casual("worker0", days: 60)
            t.casual("worker1", days: 60)
            Self.thin(&t, "light", requests: 2)
        }
        for w in ["worker0", "worker1"] {
            #expect(
                t.events.filter { $0.accountID == w }.count >= DetectionConfig.default.behaviour.minEventsForShape)
        }
        let holders = ["h0", "h1", "h2", "h3", "worker0", "worker1", "light"]
        // 4 of 6 judged holders are members: under the 0.8 share, nobody joins; the workers never.
        #expect(try Self.mates(t, holders: holders).added.isEmpty)
        var loose = Self.on
        loose.clustering.thinAddressMateShare = 0.5
        #expect(try Self.mates(t, holders: holders, loose).added == ["light"])
    }

    @Test func aNetworkOfManyLightUsersAttachesNobody() throws {
        // Three members behind a campus NAT with five light users: every judged holder is a member, but the light
        // users outnumber them, so the address is a shared network and nobody joins. With three light users the
        // members are half the holders and all three join.
        let t = DetTestTraffic.operation(seed: 37) { t in
            for i in 0..<5 { Self.thin(&t, "student\(i)", requests: 2 + i % 3) }
        }
        let students = (0..<5).map { "student\($0)" }
        #expect(try Self.mates(t, holders: ["h0", "h1", "h2"] + students).added.isEmpty)
        #expect(try Self.mates(t, holders: ["h0", "h1", "h2"] + students.prefix(3)).added == Set(students.prefix(3)))
    }

    @Test func anAccountLivingOutsideTheCampaignsWindowDoesNotJoin() throws {
        // The harvesters run for six days; this account used the address two months later (a reassigned IP).
        let t = DetTestTraffic.operation(seed: 31) { t in
            Self.thin(&t, "later", requests: 3, startHour: 24 * 60)
            Self.thin(&t, "during", requests: 3, startHour: 48)
        }
        #expect(try Self.mates(t, holders: ["h0", "h1", "h2", "later", "during"]).added == ["during"])
    }
}
