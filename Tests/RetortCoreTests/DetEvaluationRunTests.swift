import Foundation
import Testing

@testable import RetortCore

/// Evaluation runs: a customer whose accounts (paid, months old) send a benchmark in bursts of hundreds of
/// items an hour, in the chain-of-thought wrapper harvesters also use, sharing a card and an IP, is not a
/// campaign; the same content and links from fresh accounts sending one request an hour are.
@Suite struct DetEvaluationRunTests {
    /// A customer's evaluation harness on three accounts 200 days old, on `tier`, one card and one IP: each
    /// account runs the same 400-item dataset (distinct questions, each in the chain-of-thought wrapper
    /// harvesters also use) twice, on different days, one item every two seconds; single-turn, temperature 0,
    /// a fixed max_tokens.
    static func traffic(tier: String?) -> DetTestTraffic {
        var t = DetTestTraffic(seed: 11)
        let items = (0..<400).map { k in DetTestTraffic.questions[k % 10] + " Context: " + t.everydayText() }
        for i in 0..<3 {
            var a = Account(accountID: "eval\(i)")
            a.createdAt = DetTestTraffic.t0 - 200 * 86_400_000
            a.paymentFingerprint = "card-shared"
            a.tier = tier
            t.accounts.append(a)
            for run in 0..<2 {
                t.evaluationRun(
                    a.accountID, items: items,
                    start: DetTestTraffic.t0 + Int64(i * 2 + run * 7 + 1) * 86_400_000 + 10 * 3_600_000)
            }
        }
        for i in 0..<40 { t.casual("casual\(i)") }
        t.sortByTime()
        return t
    }

    static func run(_ t: DetTestTraffic, _ config: DetectionConfig) -> (Investigation, Findings) {
        let inv = t.investigation(config: config)
        return (inv, inv.run(input: InputSummary(events: t.events.count)))
    }

    static func flagged(_ f: Findings) -> Set<String> { Set(f.campaigns.flatMap(\.accounts)) }

    @Test func burstsFromPaidAgedAccountsLowerTheCampaignScore() throws {
        let t = Self.traffic(tier: "tier-2")
        var off = DetectionConfig.default
        off.scoring.evaluationDiscount = 0
        let (invOff, fOff) = Self.run(t, off)
        let (inv, f) = Self.run(t, .default)
        // Without the rule the customer is a campaign of three; with it, nobody is flagged.
        #expect(Self.flagged(fOff) == ["eval0", "eval1", "eval2"])
        #expect(Self.flagged(f).isEmpty)
        let members = try (0..<3).map { try #require(inv.index["eval\($0)"]) }
        let evOff = invOff.scoreClusters([members], edges: [], linking: [], profiles: invOff.latestProfiles).evidence[0]
        let ev = inv.scoreClusters([members], edges: [], linking: [], profiles: inv.latestProfiles).evidence[0]
        #expect(ev.evaluationShare == 1)
        #expect(evOff.evaluationShare == 0)
        #expect(evOff.score > 0)
        // Half the score, and said so in words.
        #expect(abs(ev.score - evOff.score * 0.5) < 1e-3)
        let signal = try #require(ev.signals.first { $0.name == "evaluation_runs" })
        #expect(signal.strength == -0.5)
        #expect(signal.detail.contains("3 of 3 accounts"))
        #expect(!evOff.signals.contains { $0.name == "evaluation_runs" })
        // More accounts than a customer's few: no discount.
        var few = DetectionConfig.default
        few.scoring.evaluationMaxMembers = 2
        let (invFew, fFew) = Self.run(t, few)
        let evFew = invFew.scoreClusters([members], edges: [], linking: [], profiles: invFew.latestProfiles).evidence[0]
        #expect(evFew.evaluationShare == 0)
        #expect(evFew.score == evOff.score)
        #expect(Self.flagged(fFew) == ["eval0", "eval1", "eval2"])
    }

    @Test func aFreeTierOrAFreshAccountIsNoEvaluator() throws {
        let cfg = DetectionConfig.default.scoring
        for tier in ["free", nil] {
            let (inv, _) = Self.run(Self.traffic(tier: tier), .default)
            let i = try #require(inv.index["eval0"])
            #expect(!CampaignEvidence.isEvaluationRun(inv.latestProfiles[Int(i)], inv.states[Int(i)], cfg))
        }
        var t = Self.traffic(tier: "tier-2")
        t.accounts[0].createdAt = DetTestTraffic.t0 - 3_600_000
        let (inv, _) = Self.run(t, .default)
        let fresh = try #require(inv.index["eval0"])
        let aged = try #require(inv.index["eval1"])
        #expect(!CampaignEvidence.isEvaluationRun(inv.latestProfiles[Int(fresh)], inv.states[Int(fresh)], cfg))
        #expect(CampaignEvidence.isEvaluationRun(inv.latestProfiles[Int(aged)], inv.states[Int(aged)], cfg))
    }

    /// An aged paid account at an evaluation's pace that sweeps logit biases over every request is probing the
    /// model, not evaluating it: no evaluation run, while its card mates running the plain harness stay ones.
    @Test func anAccountProbingTheAPISurfaceIsNoEvaluator() throws {
        var t = Self.traffic(tier: "tier-2")
        for k in t.events.indices where t.events[k].accountID == "eval0" { t.events[k].logitBiasSize = 40 }
        let cfg = DetectionConfig.default.scoring
        let (inv, _) = Self.run(t, .default)
        let prober = try #require(inv.index["eval0"])
        let harness = try #require(inv.index["eval1"])
        #expect(inv.latestProfiles[Int(prober)].value(.apiExtraction) >= cfg.evaluationMaxExtraction)
        #expect(!CampaignEvidence.isEvaluationRun(inv.latestProfiles[Int(prober)], inv.states[Int(prober)], cfg))
        #expect(CampaignEvidence.isEvaluationRun(inv.latestProfiles[Int(harness)], inv.states[Int(harness)], cfg))
        // With the bar at 1.01 no signal reaches it and the prober counts as an evaluator again.
        var lax = cfg
        lax.evaluationMaxExtraction = 1.01
        #expect(CampaignEvidence.isEvaluationRun(inv.latestProfiles[Int(prober)], inv.states[Int(prober)], lax))
    }

    /// The same bursts from accounts opened an hour before: fresh accounts running a dataset through a CoT
    /// wrapper are what a burst-and-discard harvest looks like, and stay a campaign.
    @Test func freshAccountsBurstingStayACampaign() {
        var t = Self.traffic(tier: "tier-2")
        for i in 0..<3 { t.accounts[i].createdAt = DetTestTraffic.t0 + Int64(i * 2 + 1) * 86_400_000 }
        let (_, f) = Self.run(t, .default)
        #expect(Self.flagged(f) == ["eval0", "eval1", "eval2"])
    }

    @Test func harvestersAtAnHourlyPaceAreNoEvaluators() throws {
        var t = DetTestTraffic(seed: 3)
        for i in 0..<6 {
            t.harvester("h\(i)", days: 6, card: "card-shared", created: DetTestTraffic.t0 - 200 * 86_400_000)
        }
        for i in t.accounts.indices { t.accounts[i].tier = "tier-2" }
        t.sortByTime()
        let (inv, f) = Self.run(t, .default)
        let members = try (0..<6).map { try #require(inv.index["h\($0)"]) }
        let ev = inv.scoreClusters([members], edges: [], linking: [], profiles: inv.latestProfiles).evidence[0]
        #expect(ev.evaluationShare == 0)
        #expect(Self.flagged(f).isSuperset(of: (0..<6).map { "h\($0)" }))
    }

    /// A campaign of twelve harvesters at about one request an hour on one card and one IP, and on the same card
    /// and IP one evaluation runner (two of its accounts' runs, ``traffic(tier:)``): the runner is tied to the
    /// campaign as strongly as its members are, but sends hundreds of items an hour, and leaves it.
    @Test func anEvaluationRunnerTiedToASlowCampaignLeavesIt() throws {
        func world() -> DetTestTraffic {
            var t = Self.traffic(tier: "tier-2")
            t.accounts.removeAll { $0.accountID != "eval0" && $0.accountID.hasPrefix("eval") }
            t.events.removeAll { $0.accountID != "eval0" && $0.accountID.hasPrefix("eval") }
            for i in 0..<12 { t.harvester("h\(i)", days: 6, card: "card-shared", ip: "192.0.2.77") }
            t.sortByTime()
            return t
        }
        var off = DetectionConfig.default
        off.clustering.attachPaceFactor = 0
        let members = Set((0..<12).map { "h\($0)" })
        let (_, fOff) = Self.run(world(), off)
        let (_, f) = Self.run(world(), .default)
        // Without the pace test the runner is a member; with it, the campaign is the twelve harvesters.
        #expect(Self.flagged(fOff) == members.union(["eval0"]))
        #expect(Self.flagged(f) == members)
    }
}
