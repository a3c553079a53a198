import Foundation
import Testing

@testable import RetortCore

/// Attachment keeps the campaign's pace: an evaluation harness that asks for step-by-step answers in the same
/// common wrapper a campaign uses, behaving enough like its members to count as a look-alike, does not join it,
/// because it sends hundreds of items an hour where the members send one.
@Suite struct DetAttachTests {
    /// Three benchmark runs of 300 items two seconds apart, on different days: single-turn, temperature 0, a
    /// fixed max_tokens, each item wrapped in the harvesters' chain-of-thought wrapper.
    static func harness(_ t: inout DetTestTraffic, _ id: String) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - 200 * 86_400_000
        a.paymentFingerprint = "card-\(id)"
        t.accounts.append(a)
        for run in 0..<3 {
            t.evaluationRun(
                id, items: (0..<300).map { DetTestTraffic.questions[$0 % 10] + " (item \($0))" },
                start: DetTestTraffic.t0 + Int64(run * 2 + 1) * 86_400_000 + 10 * 3_600_000)
        }
    }

    /// The accounts attached to a campaign of `h0`-`h12` by one prompt frame that they, `late` and the three
    /// harness accounts hold, under `config`.
    static func attached(_ config: DetectionConfig) throws -> (attached: Set<String>, lookAlikes: Set<String>) {
        var t = DetTestTraffic(seed: 5)
        for i in 0..<13 { t.harvester("h\(i)", days: 6) }
        t.harvester("late", days: 2)
        for i in 0..<3 { Self.harness(&t, "eval\(i)") }
        t.sortByTime()
        let inv = t.investigation(config: config)
        _ = inv.run(input: InputSummary(events: t.events.count))
        let profiles = inv.latestProfiles
        let cfg = config.clustering
        let members = try (0..<13).map { try #require(inv.index["h\($0)"]) }
        let others = try (["late"] + (0..<3).map { "eval\($0)" }).map { try #require(inv.index[$0]) }
        let lookAlikes = others.filter {
            let p = profiles[Int($0)]
            return p.score >= cfg.attachBehaviour && CampaignEvidence.harvest(p) >= cfg.attachHarvest
        }
        let evidence = inv.scoreClusters([members], edges: [], linking: [], profiles: profiles).evidence[0]
        var campaigns = [CampaignCandidate(members: members, score: 0.9, evidence: evidence, component: 0)]
        let group = LinkGroup(kind: .frame, key: 1, members: members + others, sharedBy: 17)
        inv.attach(to: &campaigns, groups: [group], profiles: profiles, cohortBaseline: Investigation.CohortBaseline())
        return (Set(campaigns[0].attached.keys.map { inv.ids[Int($0)] }), Set(lookAlikes.map { inv.ids[Int($0)] }))
    }

    @Test func harnessSharingTheWrapperDoesNotJoinButAShortLivedMemberDoes() throws {
        let all: Set<String> = ["late", "eval0", "eval1", "eval2"]
        let paced = try Self.attached(.default)
        // The harness accounts behave enough like the members to count as look-alikes ...
        #expect(paced.lookAlikes == all)
        // ... but only the short-lived harvester keeps the members' pace.
        #expect(paced.attached == ["late"])
        var off = DetectionConfig.default
        off.clustering.attachPaceFactor = 0
        #expect(try Self.attached(off).attached == all)
    }
}
