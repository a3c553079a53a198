import Foundation
import Testing

@testable import RetortCore

/// The operating-window rule on hand-made campaigns: long-lived bystanders leave a short campaign, its own
/// members and strongly tied or short-lived accounts stay.
@Suite struct DetWindowTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    @Test func activeShareCountsHoursInsideTheWindow() {
        var st = AccountState()
        // Active in hours 0-9 of day 100 and hours 0-9 of day 110.
        for h in 0..<10 {
            st.markActive(day: 100, hour: h)
            st.markActive(day: 110, hour: h)
        }
        let window = (100 * Self.day)...(101 * Self.day)
        #expect(Investigation.activeShare(st, in: window) == 0.5)
        #expect(Investigation.activeShare(st, in: (105 * Self.day)...(106 * Self.day)) == 0)
        // An hour overlapping the window's edge counts.
        #expect(Investigation.activeShare(st, in: (100 * Self.day + 9 * Self.hour + 1)...(105 * Self.day)) == 0.05)
        #expect(Investigation.activeShare(AccountState(), in: window) == 1)
    }

    /// Ten harvesters over 6 days; a heavy user active for 60 days around them; a short-lived account active
    /// for a day a week after the campaign stopped.
    static func traffic() -> DetTestTraffic {
        var t = DetTestTraffic(seed: 7)
        for i in 0..<10 { t.harvester("h\(i)", card: "batch-\(i / 5)") }
        t.casual("heavy", days: 60)
        for k in t.events.indices where t.events[k].accountID == "heavy" {
            t.events[k].ts -= 27 * Self.day
        }
        t.casual("late", days: 1)
        for k in t.events.indices where t.events[k].accountID == "late" { t.events[k].ts += 13 * Self.day }
        t.sortByTime()
        return t
    }

    /// Runs `dropTimeBystanders` on one candidate campaign holding all the accounts, with harvesters tied to each
    /// other at weight 3 and `extra` ties of the other accounts.
    static func drop(
        extra: [(String, String, Double)], traffic t: DetTestTraffic = traffic(), others: [String] = ["heavy", "late"],
        config: DetectionConfig = DetectionConfig()
    ) -> (kept: Set<String>, removed: Set<String>) {
        let inv = t.investigation(config: config)
        let profiles = (0..<inv.ids.count).map {
            BehaviourProfile(state: inv.states[$0], meta: inv.metas[$0], config: inv.config)
        }
        let id = { (s: String) in inv.index[s]! }
        var edges: [(a: Int32, b: Int32, w: Double)] = (0..<9).map { (id("h\($0)"), id("h\($0 + 1)"), 3.0) }
        edges += extra.map { (id($0.0), id($0.1), $0.2) }
        let members = (0..<10).map { id("h\($0)") } + others.map(id)
        let ev = inv.scoreClusters([members], edges: edges, linking: [], profiles: profiles).evidence[0]
        let c = CampaignCandidate(members: members, score: ev.score, evidence: ev, component: 0)
        let (out, removed) = inv.dropTimeBystanders(
            [c], edges: edges, linking: [], profiles: profiles, firstOrigin: 1)
        return (Set(out.flatMap(\.members).map { inv.ids[Int($0)] }), Set(removed.map { inv.ids[Int($0)] }))
    }

    /// `id`, tied to h3 at 0.6, leaves the ten harvesters' campaign and nobody else does (`staying`: more
    /// accounts with their ties, which stay); tied to h3 at 3.0, or under `off` (the rule turned off), it stays.
    static func expectLeavesUnlessTied(
        _ id: String, traffic t: DetTestTraffic, off: DetectionConfig, staying: [(String, String, Double)] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let others = [id] + staying.map(\.0)
        let r = drop(extra: [(id, "h3", 0.6)] + staying, traffic: t, others: others)
        #expect(r.removed == [id], sourceLocation: sourceLocation)
        #expect(r.kept == Set((0..<10).map { "h\($0)" } + staying.map(\.0)), sourceLocation: sourceLocation)
        let strong = drop(extra: [(id, "h3", 3.0)] + staying, traffic: t, others: others)
        #expect(strong.removed.isEmpty && strong.kept.contains(id), sourceLocation: sourceLocation)
        let kept = drop(extra: [(id, "h3", 0.6)] + staying, traffic: t, others: others, config: off)
        #expect(kept.removed.isEmpty && kept.kept.contains(id), sourceLocation: sourceLocation)
    }

    @Test func longLivedWeaklyTiedAccountLeaves() {
        let r = Self.drop(extra: [("heavy", "h3", 0.6), ("late", "h5", 0.6)])
        #expect(r.kept == Set((0..<10).map { "h\($0)" } + ["late"]))
        #expect(r.removed == ["heavy"])
    }

    @Test func resellerFrontingManyEndUsersIsNotABystander() {
        var t = Self.traffic()
        for k in t.events.indices where t.events[k].accountID == "heavy" {
            t.events[k].endUserID = "eu\(k % 40)"
        }
        let r = Self.drop(extra: [("heavy", "h3", 0.6), ("late", "h5", 0.6)], traffic: t)
        #expect(r.kept.contains("heavy"))
        #expect(r.removed.isEmpty)
    }

    @Test func strongTieKeepsALongLivedAccount() {
        let r = Self.drop(extra: [("heavy", "h3", 3.0), ("late", "h5", 0.6)])
        #expect(r.kept.contains("heavy"))
        #expect(r.removed.isEmpty)
    }

    /// Ten harvesters asking for a reasoning trace on every request; a script in the same six days sending about
    /// as many requests with the same fixed parameters and no trace requests (a power user's automation); an
    /// account with three such requests.
    static func harvestTraffic() -> DetTestTraffic {
        var t = DetTestTraffic(seed: 11)
        for i in 0..<10 { t.harvester("h\(i)", card: "batch-\(i / 5)") }
        t.harvester("script")
        t.harvester("thin", days: 1)
        var kept = 0
        t.events = t.events.compactMap { e in
            guard e.accountID == "script" || e.accountID == "thin" else { return e }
            if e.accountID == "thin" {
                kept += 1
                if kept > 3 { return nil }
            }
            var e = e
            e.prompt = DetTestTraffic.questions[Int(e.ts / 1000) % DetTestTraffic.questions.count]
            return e
        }
        return t
    }

    @Test func weaklyTiedMemberHarvestingFarLessLeaves() {
        // It leaves; tied strongly, or with the rule off, it stays.
        var off = DetectionConfig()
        off.clustering.harvestBystanderFactor = 0
        Self.expectLeavesUnlessTied("script", traffic: Self.harvestTraffic(), off: off, staying: [("thin", "h5", 0.6)])
    }

    /// Ten harvesters asking for a reasoning trace on every request; "busy" with the harvesters' client sending
    /// six times their requests in the same six days, `traceShare` of them asking for a trace.
    static func busyTraffic(traceShare: Double) -> DetTestTraffic {
        var t = DetTestTraffic(seed: 13)
        for i in 0..<10 { t.harvester("h\(i)", card: "batch-\(i / 5)") }
        t.harvester("busy")
        var extra: [Event] = []
        var n = 0
        for e in t.events where e.accountID == "busy" {
            for k in 0..<6 {
                var copy = e
                copy.requestID = "\(e.requestID)-\(k)"
                copy.ts = e.ts + Int64(k) * 300_000
                n += 1
                if Double(n % 100) >= traceShare * 100 {
                    copy.prompt = DetTestTraffic.questions[n % DetTestTraffic.questions.count] + " (\(n))"
                }
                extra.append(copy)
            }
        }
        t.events = t.events.filter { $0.accountID != "busy" } + extra
        t.sortByTime()
        return t
    }

    @Test func heavyWeaklyTiedMemberHarvestingLessLeaves() {
        // Half its requests ask for a trace: not far below the harvesters (the harvest-bystander rule keeps it),
        // but six times their volume at half their share.
        // It leaves; tied strongly, or with the rule off, it stays.
        var off = DetectionConfig()
        off.clustering.volumeBystanderFactor = 0
        Self.expectLeavesUnlessTied("busy", traffic: Self.busyTraffic(traceShare: 0.5), off: off)
    }

    @Test func heavyMemberHarvestingLikeTheOthersStays() {
        // A heavy account asking for traces as often as the rest (an operation's busiest account) is one of them.
        let t = Self.busyTraffic(traceShare: 1.0)
        let r = Self.drop(extra: [("busy", "h3", 0.6)], traffic: t, others: ["busy"])
        #expect(r.removed.isEmpty)
        #expect(r.kept.contains("busy"))
    }

    @Test func campaignHarvestingLittleJudgesNobodyByIt() {
        // Where the members ask for a trace on about one request in 20, below `harvest_bystander_min_share` (a
        // campaign replaying ordinary prompts), nobody's share is far below it in a way that means anything.
        var t = Self.harvestTraffic()
        for k in t.events.indices where t.events[k].accountID.hasPrefix("h") && k % 20 != 0 {
            t.events[k].prompt = DetTestTraffic.questions[k % DetTestTraffic.questions.count]
        }
        let inv = t.investigation()
        let members = (0..<10).map { inv.index["h\($0)"]! } + [inv.index["script"]!]
        #expect(inv.harvestBystanders(members).isEmpty)
        // With all its harvesters' trace requests, the script is one.
        let full = Self.harvestTraffic()
        let inv2 = full.investigation()
        let members2 = (0..<10).map { inv2.index["h\($0)"]! } + [inv2.index["script"]!, inv2.index["thin"]!]
        #expect(inv2.harvestBystanders(members2).map { inv2.ids[Int($0)] } == ["script"])
    }

    /// Ten single-turn harvesters; "talker" sends as many requests in the same days with the same client and
    /// parameters, but in conversations of three turns (a person automating a chat, or a chat product's user).
    /// With `everyone`, every account, the harvesters too, holds such conversations.
    static func conversationTraffic(everyone: Bool = false) -> DetTestTraffic {
        var t = DetTestTraffic(seed: 17)
        for i in 0..<10 { t.harvester("h\(i)", card: "batch-\(i / 5)") }
        t.harvester("talker")
        var k = 0
        for i in t.events.indices where everyone || t.events[i].accountID == "talker" {
            t.events[i].turn = 1 + k % 3
            k += 1
        }
        return t
    }

    @Test func weaklyTiedMemberHoldingConversationsLeaves() {
        let t = Self.conversationTraffic()
        // It leaves; tied strongly, or with the rule off, it stays.
        var off = DetectionConfig()
        off.clustering.conversationBystanderGap = 0
        Self.expectLeavesUnlessTied("talker", traffic: t, off: off)
        // Fronting many end users, it stays too.
        var fronting = t
        for i in fronting.events.indices where fronting.events[i].accountID == "talker" {
            fronting.events[i].endUserID = "eu\(i % 40)"
        }
        let reseller = Self.drop(extra: [("talker", "h3", 0.6)], traffic: fronting, others: ["talker"])
        #expect(reseller.removed.isEmpty && reseller.kept.contains("talker"))
    }

    @Test func campaignHoldingConversationsJudgesNobodyByThem() {
        // The conversation bystanders among the ten harvesters and the talker.
        func bystanders(_ t: DetTestTraffic) -> [String] {
            let inv = t.investigation()
            let members = ((0..<10).map { "h\($0)" } + ["talker"]).map { inv.index[$0]! }
            return inv.conversationBystanders(members).map { inv.ids[Int($0)] }
        }
        // An operation that mimics conversations on all its accounts: every member has the same shape.
        #expect(bystanders(Self.conversationTraffic(everyone: true)).isEmpty)
        // Requests without `turn` say nothing about conversations.
        var bare = Self.conversationTraffic()
        for i in bare.events.indices { bare.events[i].turn = nil }
        #expect(bystanders(bare).isEmpty)
        // With turns, the talker alone is one.
        #expect(bystanders(Self.conversationTraffic()) == ["talker"])
    }

    @Test func ruleCanBeTurnedOff() {
        var cfg = DetectionConfig()
        cfg.clustering.windowMinShare = 0
        let inv = Investigation(config: cfg)
        #expect(inv.operatingWindow((0..<8).map { Int32($0) }) == nil)
    }
}
