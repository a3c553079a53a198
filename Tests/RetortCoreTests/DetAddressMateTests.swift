import Foundation
import Testing

@testable import RetortCore

/// Address mates: an account in no campaign sharing a rare IP address or sign-up IP with a campaign's members
/// joins it when it asks for harvest-like requests itself; a neighbour on the same address asking for what
/// people ask for, a value many accounts hold, or an address the campaign holds only a minority of attaches
/// nobody.
@Suite struct DetAddressMateTests {
    /// Twelve harvesters on two cards of six, plus `extra` accounts.
    static func traffic(_ extra: (inout DetTestTraffic) -> Void = { _ in }) -> DetTestTraffic {
        DetTestTraffic.operation(seed: 17, extra)
    }

    /// A person's chat account over six days (a night's rest, varied parameters, conversations) from `ip`, with
    /// about `traceShare` of its requests asking for the reasoning in its own words (not the harvesters' wrapper).
    static func person(_ t: inout DetTestTraffic, _ id: String, ip: String, traceShare: Double, org: String? = nil) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - 86_400_000 * 200
        a.paymentFingerprint = "card-\(id)"
        a.orgID = org
        t.accounts.append(a)
        var k = 0
        for d in 0..<6 {
            for session in 0..<2 {
                var ts =
                    DetTestTraffic.t0 + Int64(d) * 86_400_000 + Int64(9 + 5 * session) * 3_600_000
                    + Int64(t.next() % 3_600_000)
                for turn in 1...3 {
                    k += 1
                    var e = t.event(id, ts: ts)
                    e.prompt =
                        Double(k % 10) < traceShare * 10
                        ? t.everydayText() + ", \(DetTestTraffic.questions[k % DetTestTraffic.questions.count]) "
                            + "Please show your work."
                        : t.everydayText()
                    e.turn = turn
                    e.conversationID = "c\(id)-\(d)-\(session)"
                    e.model = "model-large"
                    e.ip = IPAddress(ip)
                    e.userAgent = "Mozilla/5.0"
                    e.temperature = turn % 2 == 0 ? 1.0 : 0.3
                    e.maxTokens = [512, 1024, 2048][Int(t.next() % 3)]
                    t.events.append(e)
                    ts += Int64(60_000 + t.next() % 600_000)
                }
            }
        }
    }

    static let harvesters = (0..<12).map { "h\($0)" }

    /// The accounts `attachAddressMates` adds to one campaign of the twelve harvesters, given IP groups.
    static func mates(
        _ t: DetTestTraffic, groups: [[String]], _ config: DetectionConfig = .default
    ) throws -> (added: Set<String>, campaign: CampaignCandidate, signals: [Findings.Signal]) {
        let one = try t.oneCampaign(of: harvesters, config: config)
        let inv = one.inv
        var (campaigns, campaignOf) = (one.campaigns, one.campaignOf)
        let linkGroups = try groups.enumerated().map { k, holders in
            let h = try holders.map { try #require(inv.index[$0]) }.sorted()
            return LinkGroup(kind: .ip, key: UInt64(k + 1), members: h, sharedBy: h.count)
        }
        inv.attachAddressMates(
            to: &campaigns, campaignOf: &campaignOf, groups: linkGroups, profiles: inv.latestProfiles,
            windows: [nil], cohortBaseline: Investigation.CohortBaseline())
        let added = Set(campaigns[0].addressMates.keys.map { inv.ids[Int($0)] })
        #expect(Set(campaigns[0].members.map { inv.ids[Int($0)] }) == Set(harvesters).union(added))
        return (added, campaigns[0], inv.attachmentSignals(campaigns[0]))
    }

    @Test func harvestingAccountOnAMembersAddressJoins() throws {
        let t = Self.traffic { t in
            Self.person(&t, "mate", ip: "192.0.2.10", traceShare: 0.4)
            Self.person(&t, "neighbour", ip: "192.0.2.11", traceShare: 0)
            Self.person(&t, "orgMate", ip: "192.0.2.12", traceShare: 0.4, org: "org-1")
            Self.person(&t, "minority", ip: "192.0.2.13", traceShare: 0.4)
            Self.person(&t, "crowded", ip: "192.0.2.14", traceShare: 0.4)
        }
        let groups = [
            ["h0", "mate"], ["h1", "neighbour"], ["h2", "orgMate"],
            // The campaign holds one of four accounts on this address: not its address.
            ["h3", "minority", "neighbour", "orgMate"],
            // Nine holders, above the IP kind's `rare_at` (8): a shared exit, not a rare address.
            ["h4", "h5", "h6", "h7", "h8", "h9", "h10", "h11", "crowded"],
        ]
        let (added, campaign, signals) = try Self.mates(t, groups: groups)
        #expect(added == ["mate"])
        #expect(campaign.addressMates.values.allSatisfy { $0.kind == .ip && $0.members == 1 && $0.holders == 2 })
        let signal = try #require(signals.first { $0.name == "address_mates" })
        #expect(
            signal.detail
                == "1 further accounts share IP addresses held by a few accounts with this campaign's members and "
                + "ask for harvest-like requests on 41.7%-41.7% of theirs")

        // The rule off: nobody joins.
        var off = DetectionConfig.default
        off.clustering.addressMateMinShare = 0
        #expect(try Self.mates(t, groups: groups, off).added.isEmpty)
    }

    @Test func ordinaryShareOfReasoningIsNotHarvesting() throws {
        // One request in twenty in the wrapper: below `address_mate_min_share`.
        let t = Self.traffic { t in Self.person(&t, "mate", ip: "192.0.2.10", traceShare: 0.05) }
        #expect(try Self.mates(t, groups: [["h0", "mate"]]).added.isEmpty)
        let harvesting = Self.traffic { t in Self.person(&t, "mate", ip: "192.0.2.10", traceShare: 0.3) }
        #expect(try Self.mates(harvesting, groups: [["h0", "mate"]]).added == ["mate"])
    }

    @Test func investigationAttachesAPersonLikeHarvesterOnAMembersSignupIP() throws {
        // End to end: the mate signed up from the machine h0 signed up from; its own behaviour (a person's) does
        // not keep it in the cluster past the peel, the address and its trace asking bring it in.
        let t = Self.traffic { t in
            Self.person(&t, "mate", ip: "192.0.2.50", traceShare: 0.4)
            Self.person(&t, "neighbour", ip: "192.0.2.60", traceShare: 0)
            for k in t.accounts.indices where ["h0", "mate"].contains(t.accounts[k].accountID) {
                t.accounts[k].signupIP = IPAddress("198.18.7.7")
            }
            for k in t.accounts.indices where ["h1", "neighbour"].contains(t.accounts[k].accountID) {
                t.accounts[k].signupIP = IPAddress("198.18.7.8")
            }
        }
        func run(_ config: DetectionConfig) -> Findings {
            let inv = t.investigation(config: config)
            return inv.run(input: InputSummary(events: t.events.count))
        }
        let f = run(.default)
        let campaign = try #require(f.campaigns.first { $0.accounts.contains("h0") })
        #expect(campaign.accounts.contains("mate"))
        #expect(!f.campaigns.contains { $0.accounts.contains("neighbour") })
        let mate = try #require(f.accounts.first { $0.accountID == "mate" })
        #expect(mate.reasons.contains { $0.hasPrefix("attached: shares one of the campaign's sign-up IPs (2 holders") })
        #expect(campaign.signals.contains { $0.name == "address_mates" })
        var off = DetectionConfig.default
        off.clustering.addressMateMinShare = 0
        #expect(!run(off).campaigns.contains { $0.accounts.contains("mate") })
    }

    /// An account sending what the harvesters send, at their pace and with their fixed parameters, but without
    /// their reasoning wrapper: it behaves like a member and asks for nothing harvest-like of its own.
    static func sweeper(_ t: inout DetTestTraffic, _ id: String) {
        let first = t.events.count
        t.harvester(id)
        for k in first..<t.events.count {
            t.events[k].prompt = DetTestTraffic.questions[k % DetTestTraffic.questions.count] + " (item \(k))"
        }
    }

    @Test func accountHoldingSeveralOfTheCampaignsAddressesJoins() throws {
        let t = Self.traffic { t in
            for id in ["sweeper", "single", "outvoted"] { Self.sweeper(&t, id) }
            Self.person(&t, "person", ip: "192.0.2.20", traceShare: 0)
            Self.person(&t, "p1", ip: "192.0.2.21", traceShare: 0)
            Self.person(&t, "p2", ip: "192.0.2.22", traceShare: 0)
        }
        let groups = [
            // Two addresses, each held mostly by members, one of them by nine accounts (above `rare_at`).
            ["h0", "h1", "sweeper"], ["h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "sweeper"],
            // One address only.
            ["h3", "single"],
            // Three addresses, but a person's conduct.
            ["h4", "person"], ["h5", "person"], ["h6", "person"],
            // Two addresses, on one of which the members are outnumbered.
            ["h10", "outvoted"], ["h11", "outvoted", "p1", "p2"],
        ]
        let one = try t.oneCampaign(of: Self.harvesters)
        for id in ["sweeper", "single", "outvoted", "person"] {
            let i = try #require(one.inv.index[id])
            let p = one.inv.latestProfiles[Int(i)]
            let behavesLikeAMember =
                p.score >= DetectionConfig.default.clustering.attachBehaviour
                && CampaignEvidence.harvest(p) >= DetectionConfig.default.clustering.attachHarvest
            // The sweepers behave like members and do not harvest on their own; the person does neither.
            #expect(behavesLikeAMember == (id != "person"), "\(id)")
            #expect(Investigation.harvestShare(one.inv.states[Int(i)]) < 0.1, "\(id)")
        }
        let (added, with, signals) = try Self.mates(t, groups: groups)
        #expect(added == ["sweeper"])
        let sweeper = try #require(one.inv.index["sweeper"])
        let mate = try #require(with.addressMates[sweeper])
        #expect(mate.addresses == 2 && mate.holders == 9 && mate.members == 8)
        let signal = try #require(signals.first { $0.name == "address_set_mates" })
        #expect(signal.detail.hasPrefix("1 further accounts each hold 2-2 of this campaign's IP addresses"))
        #expect(!signals.contains { $0.name == "address_mates" })

        var off = DetectionConfig.default
        off.clustering.addressMateMinAddresses = 0
        #expect(try Self.mates(t, groups: groups, off).added.isEmpty)
    }
}
