import Foundation
import Testing

@testable import RetortCore

/// Tie mates (`clustering.tie_mate_lift`): an account in no campaign, asking for reasoning traces as a harvest
/// cohort's members do and behaving like them, whose ties to the cohort are each too weak to have made it a member
/// but together hold `tie_mate_lift` times the weight chance gives, joins the cohort. One tie does not do it, nor do
/// ties to accounts paying with the account's own card, nor weak ties to the cohort among as many to everyone else,
/// nor the same ties from an account asking for traces no more than ordinary users do.
///
/// The accounts are those of ``DetCohortTests/investigateTraceHeavyPopulation(harvestingClient:lookAlikes:config:)``
/// (14 trace harvesters from a harvesting client, 30 heavy users asking for traces on 15% of their requests in their
/// own words, 40 casual users); the campaign and the edges are made by hand.
@Suite struct DetTieMateTests {
    struct World {
        let inv: Investigation
        let members: [Int32]
        let mates: [Int32]
        let others: [Int32]
        let profiles: [BehaviourProfile]
        let baseline: Investigation.CohortBaseline
    }

    static func world(config: DetectionConfig = .default) -> World {
        let (_, inv) = DetCohortTests.investigateTraceHeavyPopulation(harvestingClient: true, config: config)
        let cohort = (0..<14).map { inv.index[DetCohortTests.id("cohort", $0)]! }
        let others = (0..<Int32(inv.ids.count)).filter { !cohort.contains($0) }
        return World(
            inv: inv, members: Array(cohort.prefix(10)), mates: Array(cohort.suffix(4)), others: others,
            profiles: inv.latestProfiles,
            baseline: inv.cohortBaseline(outside: [Bool](repeating: false, count: inv.ids.count)))
    }

    /// The cohort's ten members in a ring of ties of 0.6, everyone else in a ring of 0.3 (ordinary weak ties), and
    /// the four candidates' ties: the first with two ties of 0.3 to members; the second with one of 0.45; the third
    /// with two of 0.3 to members and ten more to other accounts; the fourth with two of 0.3 to members that pay
    /// with its card. `heavyTies`: a heavy user (15% trace requests, an ordinary share here) also gets two ties of 0.3
    /// to members.
    static func edges(_ w: World, heavyTies: Int32? = nil) -> [(a: Int32, b: Int32, w: Double)] {
        var edges: [(a: Int32, b: Int32, w: Double)] = []
        let m = w.members
        for k in m.indices { edges.append((m[k], m[(k + 1) % m.count], 0.6)) }
        for k in w.others.indices { edges.append((w.others[k], w.others[(k + 1) % w.others.count], 0.3)) }
        edges += [(w.mates[0], m[0], 0.3), (w.mates[0], m[5], 0.3)]
        edges.append((w.mates[1], m[2], 0.45))
        edges += [(w.mates[2], m[1], 0.3), (w.mates[2], m[6], 0.3)]
        for o in w.others.prefix(10) { edges.append((w.mates[2], o, 0.3)) }
        edges += [(w.mates[3], m[3], 0.3), (w.mates[3], m[7], 0.3)]
        if let h = heavyTies { edges += [(h, m[4], 0.3), (h, m[8], 0.3)] }
        return edges
    }

    /// Runs the step on one campaign of the ten members (a harvest cohort unless told); returns the campaign.
    static func attach(
        _ w: World, edges: [(a: Int32, b: Int32, w: Double)], harvestCohort: Bool = true
    ) -> CampaignCandidate {
        let evidence = w.inv.scoreClusters([w.members], edges: [], linking: [], profiles: w.profiles).evidence[0]
        var campaigns = [
            CampaignCandidate(
                members: w.members, score: 0.8, evidence: evidence, component: 0, harvestCohort: harvestCohort)
        ]
        var campaignOf = [Int32](repeating: -1, count: w.inv.ids.count)
        for x in w.members { campaignOf[Int(x)] = 0 }
        let card = LinkGroup(kind: .payment, key: 9, members: [w.mates[3], w.members[3], w.members[7]], sharedBy: 3)
        w.inv.attachTieMates(
            to: &campaigns, campaignOf: &campaignOf, edges: edges, profiles: w.profiles, payGroups: [card],
            windows: [nil], cohortBaseline: w.baseline)
        return campaigns[0]
    }

    @Test func severalWeakTiesBeyondChanceJoinTheCohort() throws {
        let w = Self.world()
        // Preconditions: every candidate asks for traces as a harvester does and behaves like a member.
        for x in w.mates {
            #expect(w.inv.isTraceHarvester(Int(x), profile: w.profiles[Int(x)], baseline: w.baseline))
            #expect(w.inv.behavesLikeMember(w.profiles[Int(x)]))
        }
        let c = Self.attach(w, edges: Self.edges(w))
        // Only the first: two ties of 0.3, all its ties, far beyond what chance gives it.
        #expect(Set(c.tieMates.keys) == [w.mates[0]])
        #expect(c.members.contains(w.mates[0]))
        let t = try #require(c.tieMates[w.mates[0]])
        #expect(t.ties == 2)
        #expect(abs(t.weight - 0.6) < 1e-9)
        #expect(t.weight >= 3 * t.chance)
        let signal = try #require(w.inv.attachmentSignals(c).first { $0.name == "tie_mates" })
        #expect(signal.detail.hasPrefix("1 further accounts ask for reasoning traces"))
    }

    @Test func ordinarySharesDoNotJoinOnTheSameTies() {
        let w = Self.world()
        let heavy = w.inv.index[DetCohortTests.id("heavy", 3)]!
        #expect(!w.inv.isTraceHarvester(Int(heavy), profile: w.profiles[Int(heavy)], baseline: w.baseline))
        let c = Self.attach(w, edges: Self.edges(w, heavyTies: heavy))
        #expect(c.tieMates[heavy] == nil)
        #expect(!c.members.contains(heavy))
    }

    @Test func onlyHarvestCohortsAndOnlyWhenOn() {
        let w = Self.world()
        #expect(Self.attach(w, edges: Self.edges(w), harvestCohort: false).tieMates.isEmpty)
        var off = DetectionConfig.default
        off.clustering.tieMateLift = 0
        let wOff = Self.world(config: off)
        #expect(Self.attach(wOff, edges: Self.edges(wOff)).tieMates.isEmpty)
        // A lift far above what the first candidate's ties give (about 4.5x) leaves it out too.
        var strict = DetectionConfig.default
        strict.clustering.tieMateLift = 20
        let wStrict = Self.world(config: strict)
        #expect(Self.attach(wStrict, edges: Self.edges(wStrict)).tieMates.isEmpty)
    }
}
