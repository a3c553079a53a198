import Foundation
import Testing

@testable import RetortCore

/// Conduct mates (`clustering.conduct_mate_window_share`): accounts of a harvest cohort's operation (or of a
/// campaign whose members harvest traces) that share no value with it (their own clients, addresses and words) but
/// ask for reasoning traces as often as its members, with max_tokens at the ceiling, only in the weeks the cohort
/// ran, join it. Genuine users asking for step-by-step answers as often, but living over the whole log, do not;
/// nor does anyone when the cohort's window covers most of the log.
@Suite struct DetConductMateTests {
    static let ceiling = DetectionConfig.default.behaviour.maxTokensCeiling

    /// An account sharing nothing with anyone: its own client software, address, temperature, e-mail and words
    /// (every word of its prompts, 20-30 of them, is made of syllables starting with its own), active in daytime
    /// on a random ~60% of the days from `startDay` for `days`, about half its requests continuing a chat,
    /// max_tokens at the ceiling; `traceShare` of its requests ask for the answer step by step. Signed up
    /// `signedUpDaysBefore` days before its first day.
    static func lone(
        _ t: inout DetTestTraffic, _ id: String, _ k: Int, traceShare: Double, startDay: Int, days: Int,
        signedUpDaysBefore: Int = 1
    ) {
        let syllables = ["ka", "lo", "mi", "nu", "pe", "ri", "su", "ta", "ve", "zo", "bi", "do", "fu", "ge", "ho"]
        func word(_ t: inout DetTestTraffic) -> String {
            syllables[k % syllables.count] + syllables[Int(t.next() % 15)] + syllables[Int(t.next() % 15)]
        }
        var a = Account(accountID: id)
        a.createdAt =
            DetTestTraffic.t0 + Int64(startDay - signedUpDaysBefore) * 86_400_000 - Int64(t.next() % 86_400_000)
        a.paymentFingerprint = "card-\(id)"
        a.emailLocal = String(repeating: word(&t), count: 1 + k % 3)
        a.emailDomain = "mail\(k).example"
        t.accounts.append(a)
        var conv = 0
        var turn = 1
        for d in startDay..<(startDay + days) where t.uniform() < 0.6 {
            // Daytime only, 08:00 to 22:00, ~1.5 requests an hour; about half the requests continue a chat.
            var ts = DetTestTraffic.t0 + Int64(d) * 86_400_000 + 8 * 3_600_000 + Int64(t.next() % 3_600_000)
            while ts < DetTestTraffic.t0 + Int64(d) * 86_400_000 + 22 * 3_600_000 {
                var e = t.event(id, ts: ts)
                e.model = "model-large"
                e.userAgent = "own-client-\(k)/1.\(k)"
                e.ip = IPAddress("100.\(64 + k).7.9")
                e.maxTokens = DetectionConfig.default.behaviour.maxTokensCeiling
                e.temperature = 0.3 + 0.01 * Double(k)
                var words = (0..<(20 + Int(t.next() % 10))).map { _ in word(&t) }
                if t.uniform() < traceShare {
                    words.insert("step by step", at: 6 + Int(t.next() % 10))
                    turn = 1
                    conv += 1
                } else {
                    t.nextTurn(&turn, &conv, newOneIn: 2)
                }
                e.turn = turn
                e.conversationID = "\(id)-c\(conv)"
                e.prompt = words.joined(separator: " ") + "?"
                t.events.append(e)
                ts += Int64(-log(max(1e-9, t.uniform())) * 2_400_000)
            }
        }
    }

    /// A 90-day log: 14 cohort accounts (operators' wrappers and questions, a harvesting client, resting at night)
    /// active from day `startDay` for `windowDays`; 5 mates (``lone(_:_:_:traceShare:startDay:days:signedUpDaysBefore:)``,
    /// a quarter of their requests asking for traces) in the same days, and 3 like them asking for traces on 2%;
    /// then ``everyoneElse(_:stepperShare:config:)`` with genuine users asking for traces as often as the mates.
    static func investigate(startDay: Int = 40, windowDays: Int = 20, config: DetectionConfig = .default) -> Findings {
        var t = cohortAndMates(startDay: startDay, windowDays: windowDays)
        return everyoneElse(&t, stepperShare: 0.25, config: config)
    }

    /// The cohort, mates and locals of ``investigate(startDay:windowDays:config:)``, without everyone else.
    static func cohortAndMates(startDay: Int, windowDays: Int) -> DetTestTraffic {
        var t = DetTestTraffic(seed: 41)
        for i in 0..<14 {
            DetCohortTests.account(
                &t, DetCohortTests.id("cohort", i), traceShare: 0.25, harvestingClient: true, restsAtNight: true,
                startDay: startDay, days: windowDays)
        }
        for i in 0..<5 {
            lone(&t, DetCohortTests.id("mate", i), i, traceShare: 0.25, startDay: startDay, days: windowDays)
        }
        for i in 0..<3 {
            lone(&t, DetCohortTests.id("local", i), 5 + i, traceShare: 0.02, startDay: startDay, days: windowDays)
        }
        return t
    }

    /// The rest of a 90-day log, added to `t`, and its findings: 3 genuine users (signed up long ago, own clients
    /// and words, ``lone(_:_:_:traceShare:startDay:days:signedUpDaysBefore:)``) asking for traces on `stepperShare`
    /// of their requests over all 90 days; 30 heavy ordinary users (1%) and 40 casual users over 90 days.
    static func everyoneElse(
        _ t: inout DetTestTraffic, stepperShare: Double, config: DetectionConfig = .default
    ) -> Findings {
        addEveryoneElse(&t, stepperShare: stepperShare)
        return t.investigation(config: config).run(input: InputSummary(events: t.events.count))
    }

    /// Adds the accounts of ``everyoneElse(_:stepperShare:config:)`` to `t` and sorts its events by time.
    static func addEveryoneElse(_ t: inout DetTestTraffic, stepperShare: Double) {
        for i in 0..<3 {
            lone(
                &t, DetCohortTests.id("stepper", i), 10 + i, traceShare: stepperShare, startDay: 0, days: 90,
                signedUpDaysBefore: 200)
        }
        for i in 0..<30 {
            DetCohortTests.account(
                &t, DetCohortTests.id("heavy", i), traceShare: 0.01, ownWrapper: DetCohortTests.ownWrapper(20 + i),
                days: 90)
        }
        for i in 0..<40 { t.casual(DetCohortTests.id("user", i), days: 90) }
        t.sortByTime()
    }

    static func cohort(_ f: Findings) -> Findings.Campaign? {
        f.campaigns.first { $0.signals.contains { $0.name == "harvest_cohort" } }
    }

    @Test func matesInTheCohortsWindowJoinIt() throws {
        let f = Self.investigate()
        let c = try #require(Self.cohort(f))
        let mates = c.accounts.filter { $0.contains("-mate") }
        #expect(mates.count == 5)
        #expect(c.accounts.allSatisfy { $0.contains("-cohort") || $0.contains("-mate") })

        let signal = try #require(c.signals.first { $0.name == "conduct_mates" })
        #expect(signal.detail.hasPrefix("5 further accounts"))
        let mate = try #require(f.accounts.first { $0.accountID == mates[0] })
        #expect(mate.reasons.contains { $0.hasPrefix("attached: asks for a reasoning trace") })
        // Genuine step-by-step users living over the whole log, and users of the same weeks asking for traces as
        // rarely as most people do, are in no campaign.
        #expect(
            f.campaigns.allSatisfy { $0.accounts.allSatisfy { !$0.contains("-stepper") && !$0.contains("-local") } })
    }

    @Test func ruleOffLeavesMatesOut() throws {
        var off = DetectionConfig.default
        off.clustering.conductMateWindowShare = 0
        let f = Self.investigate(config: off)
        let c = try #require(Self.cohort(f))
        #expect(!c.accounts.contains { $0.contains("-mate") })
        #expect(!c.signals.contains { $0.name == "conduct_mates" })
    }

    /// A cohort running over most of the log: living inside its window is what everyone does; nobody joins by
    /// conduct (the cohort itself still forms).
    @Test func windowCoveringTheLogJoinsNobody() throws {
        let f = Self.investigate(startDay: 0, windowDays: 90)
        let c = try #require(Self.cohort(f))
        #expect(!c.signals.contains { $0.name == "conduct_mates" })
        #expect(!c.accounts.contains { $0.contains("-mate") })
    }

    /// A campaign found by its infrastructure (`operators` harvesters on four shared cards, every request a
    /// reasoning trace, the first 10 days of a 90-day log) and 4 accounts sharing nothing with it that ask for
    /// traces on 30% of their requests in the same days; then ``everyoneElse(_:stepperShare:config:)`` with genuine
    /// users asking as often.
    static func investigateInfrastructureCampaign(operators: Int) -> Findings {
        var t = DetTestTraffic(seed: 43)
        for i in 0..<operators { t.harvester(DetCohortTests.id("op", i), days: 10, card: "op-card-\(i % 4)") }
        for i in 0..<4 { lone(&t, DetCohortTests.id("mate", i), i, traceShare: 0.3, startDay: 0, days: 10) }
        return everyoneElse(&t, stepperShare: 0.3)
    }

    /// What the infrastructure campaign's members do is harvest traces: accounts doing the same in its days join
    /// it by conduct, as they would a harvest cohort.
    @Test func matesOfATraceHarvestingCampaignJoinIt() throws {
        let f = Self.investigateInfrastructureCampaign(operators: 12)
        // The operators come out as communities of one component; the mates join them.
        let ops = f.campaigns.filter { $0.accounts.contains { $0.contains("-op") } }
        #expect(ops.allSatisfy { !$0.signals.contains { $0.name == "harvest_cohort" } })
        #expect(ops.flatMap(\.accounts).filter { $0.contains("-mate") }.count == 4)
        #expect(ops.contains { $0.signals.contains { $0.name == "conduct_mates" } })
        #expect(f.campaigns.allSatisfy { $0.accounts.allSatisfy { !$0.contains("-stepper") } })
    }

    /// An operation of fewer than `harvest_cohort_min_members` accounts that is no harvest cohort has no conduct
    /// mates: its members' median says too little about what an operation does.
    @Test func smallCampaignHasNoConductMates() throws {
        let f = Self.investigateInfrastructureCampaign(operators: 8)
        let ops = f.campaigns.filter { $0.accounts.contains { $0.contains("-op") } }
        #expect(!ops.isEmpty)
        #expect(ops.allSatisfy { c in !c.accounts.contains { $0.contains("-mate") } })
        #expect(ops.allSatisfy { c in !c.signals.contains { $0.name == "conduct_mates" } })
    }

    /// A campaign split from a component holding a second, longer operation (two operations sharing a few
    /// proxies): the component's window covers most of the log and says nothing; the campaign's own, its members'
    /// 20 days, does. The mates join by the campaign's own window; with only the component's, nobody joins.
    @Test func aCampaignsOwnWindowCountsWhereItsComponentsIsTooWide() throws {
        var t = Self.cohortAndMates(startDay: 40, windowDays: 20)
        Self.addEveryoneElse(&t, stepperShare: 0.25)
        let inv = t.investigation()
        _ = inv.run(input: InputSummary(events: t.events.count))
        let members = (0..<14).map { inv.index[DetCohortTests.id("cohort", $0)]! }
        let mates = Set((0..<5).map { inv.index[DetCohortTests.id("mate", $0)]! })
        let profiles = inv.latestProfiles
        let b = inv.cohortBaseline(outside: [Bool](repeating: false, count: inv.ids.count))
        let own = try #require(inv.operatingWindow(members))
        let log = try #require(inv.logWindow)
        let component = log.first...log.last
        func conductMates(windows: ClosedRange<Int64>, ownWindows: ClosedRange<Int64>) -> Set<Int32> {
            let evidence = inv.scoreClusters([members], edges: [], linking: [], profiles: profiles).evidence[0]
            var campaigns = [CampaignCandidate(members: members, score: 0.8, evidence: evidence, component: 0)]
            var campaignOf = [Int32](repeating: -1, count: inv.ids.count)
            for m in members { campaignOf[Int(m)] = 0 }
            inv.attachConductMates(
                to: &campaigns, campaignOf: &campaignOf, profiles: profiles, payGroups: [], windows: [windows],
                ownWindows: [ownWindows], cohortBaseline: b)
            return campaigns[0].conductMates
        }
        #expect(conductMates(windows: own, ownWindows: own) == mates)
        #expect(conductMates(windows: component, ownWindows: own) == mates)
        #expect(conductMates(windows: component, ownWindows: component).isEmpty)
    }
}
