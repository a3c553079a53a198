import Foundation
import Testing

@testable import RetortCore

/// Disposable fleets: accounts each opened shortly before use, used for minutes and dropped, one after another,
/// tied by nothing rare (each has its own card and proxy exits) but marked by the one script that uses them all.
/// Judged together they are a campaign; genuine accounts that are fresh and brief (people trying the API, a
/// hackathon) are not.
@Suite struct DetFleetTests {
    /// The system prompt of the fleet's script (the quick-start's, for the tryers).
    static let script = "You are a senior engineer. Answer completely, showing every step of your reasoning."
    static let quickStart = "You are a helpful assistant."

    /// `count` accounts `prefix`0..., one starting every `every` hours from `t0` (the next taking over as the last
    /// stops), each created `createdBefore` hours before its first request and sending `requests` requests
    /// `gap` seconds apart (with jitter) with `system`; harvesting (max_tokens 32,000, thinking, one proxy exit
    /// each) or trying (a short conversation, varied parameters, one home address,
    /// daytime). Each account pays with its own card `card-PREFIX-i`.
    static func disposable(
        _ t: inout DetTestTraffic, _ prefix: String, count: Int, every: Double, requests: ClosedRange<Int>,
        gap: Double, system: String, harvesting: Bool, createdBefore: Double = 0.5
    ) {
        for i in 0..<count {
            let id = "\(prefix)\(i)"
            var start = DetTestTraffic.t0 + Int64(Double(i) * every * 3_600_000)
            if !harvesting {
                // People try it in their daytime.
                let hour = (start / 3_600_000) % 24
                if hour < 9 || hour >= 18 { start += (24 - hour + 10) % 24 * 3_600_000 }
            }
            var a = Account(accountID: id)
            a.createdAt = start - Int64(createdBefore * 3_600_000)
            a.paymentFingerprint = "card-\(prefix)-\(i)"
            a.emailLocal = "user\(t.next() % 100_000)"
            a.emailDomain = "mail\(t.next() % 7).example"
            t.accounts.append(a)
            let n = requests.lowerBound + Int(t.next() % UInt64(requests.count))
            var ts = start
            var turn = 0
            var conv = 0
            for _ in 0..<n {
                var e = t.event(id, ts: ts)
                e.system = system
                e.model = "model-large"
                if harvesting {
                    // Nothing that marks one account on its own: no turn numbers, varied temperatures, one proxy
                    // exit for the account's whole short life.
                    e.prompt = DetTestTraffic.questions[Int(t.next() % 10)] + " (item \(t.next() % 100_000))"
                    e.maxTokens = 32_000
                    e.temperature = [0.3, 0.7, 1.0][Int(t.next() % 3)]
                    e.thinking = true
                    e.userAgent = "Python/3.11 aiohttp/3.11"
                    e.ip = IPAddress("203.0.\(i / 250).\(i % 250 + 1)")
                } else {
                    t.nextTurn(&turn, &conv, newOneIn: 3)
                    e.prompt = "Could you help me with my \(t.everydayText())?"
                    e.conversationID = "\(id)-\(conv)"
                    e.turn = turn
                    e.maxTokens = [256, 1024, 2048][Int(t.next() % 3)]
                    e.temperature = [0.2, 0.7, 1.0][Int(t.next() % 3)]
                    e.userAgent = "Mozilla/5.0"
                    e.ip = IPAddress("198.51.\(i / 250).\(i % 250 + 1)")
                }
                t.events.append(e)
                ts += Int64(gap * (0.5 + t.uniform()) * 1000)
            }
        }
    }

    /// Accounts in a fleet: more than any content or client kind's `common_at`, so that what they share links
    /// none of them.
    static let size = 320

    /// Forty casual users, the fleet of ``disposable(_:_:count:every:requests:gap:system:harvesting:createdBefore:)``
    /// (``size`` harvesting accounts f0..., one every 1.5 hours over 20 days, 20-60 requests each 2 s apart) unless
    /// `fleet` is false, and what `build` adds.
    static func world(
        config: DetectionConfig = .default, fleet: Bool = true, _ build: (inout DetTestTraffic) -> Void = { _ in }
    ) -> (Investigation, Findings) {
        var t = DetTestTraffic(seed: 29)
        for i in 0..<40 { t.casual("u\(i)", days: 20) }
        if fleet {
            disposable(
                &t, "f", count: size, every: 1.5, requests: 20...60, gap: 2, system: script, harvesting: true)
        }
        build(&t)
        t.sortByTime()
        let inv = t.investigation(config: config)
        return (inv, inv.run(input: InputSummary(events: t.events.count)))
    }

    static func found(_ f: Findings, prefix: String) -> Int {
        Set(f.campaigns.flatMap(\.accounts)).filter { $0.hasPrefix(prefix) && Int($0.dropFirst(prefix.count)) != nil }
            .count
    }

    @Test func aFleetOfDisposableAccountsIsOneCampaign() throws {
        var off = DetectionConfig.default
        off.clustering.fleetMinMembers = 0
        // Each account alone is too brief to judge and shares nothing rare: without the rule, nobody is found.
        #expect(Self.found(Self.world(config: off).1, prefix: "f") == 0)
        let f = Self.world().1
        let campaign = try #require(f.campaigns.first { $0.accounts.contains("f0") })
        #expect(Self.found(f, prefix: "f") >= Self.size * 95 / 100)
        #expect(campaign.accounts.allSatisfy { $0.hasPrefix("f") })
        let signal = try #require(campaign.signals.first { $0.name == "disposable_fleet" })
        #expect(signal.detail.contains("first used on 20 different days"))
        #expect(signal.detail.contains("one system prompt"))
        // Each member's reasons say how it was judged.
        let member = try #require(f.accounts.first { $0.accountID == "f3" })
        #expect(member.reasons.contains { $0.contains("disposable accounts sending its system prompt") })
        #expect(Self.found(f, prefix: "u") == 0)
    }

    @Test func peopleTryingTheAPIOnceAreNoFleet() {
        // Fresh accounts, each trying the quick-start's system prompt for a few minutes and never coming back,
        // spread over 20 days: fresh and brief like a fleet, but a handful of requests each.
        let f = Self.world(fleet: false) { t in
            Self.disposable(
                &t, "try", count: Self.size, every: 1.5, requests: 2...8, gap: 40, system: Self.quickStart,
                harvesting: false)
        }.1
        #expect(Self.found(f, prefix: "try") == 0)
    }

    @Test func briefPeopleWithManyRequestsAreJudgedByWhatTheySend() {
        // Fresh accounts, each an afternoon's prototype (20-60 requests a minute apart) and then abandoned, one
        // every 1.5 hours: a fleet by the rule's shape, but what they send together is people's traffic.
        let (inv, f) = Self.world(fleet: false) { t in
            Self.disposable(
                &t, "proto", count: Self.size, every: 1.5, requests: 20...60, gap: 60, system: Self.quickStart,
                harvesting: false)
        }
        #expect(Self.found(f, prefix: "proto") == 0)
        #expect(f.campaigns.isEmpty)
        // They take nothing a distiller wants (`fleet_min_harvest`) and send at a person's pace: no fleet.
        let judgedByDefault = Self.fleets(inv).count
        #expect(judgedByDefault == 0)
        // Without those bars they are still none: what they send together scores as people's traffic (below
        // `suspicious_behaviour`), and their profiles are given back as they were.
        var open = DetectionConfig.default
        open.clustering.fleetMinHarvest = 0
        open.clustering.fleetMaxGapSeconds = 0
        let (judged, g) = Self.world(config: open, fleet: false) { t in
            Self.disposable(
                &t, "proto", count: Self.size, every: 1.5, requests: 20...60, gap: 60, system: Self.quickStart,
                harvesting: false)
        }
        #expect(g.campaigns.isEmpty)
        let judgedOpen = Self.fleets(judged).count
        #expect(judgedOpen == 0)
        #expect(judged.latestProfiles.allSatisfy { $0.pooledFleet == nil })
    }

    /// The fleets of a run investigation, found again over all its accounts.
    static func fleets(_ inv: Investigation) -> [(members: [Int32], score: Double, before: [(Int32, BehaviourProfile)])]
    {
        var profiles = inv.latestProfiles
        let order = inv.ids.indices.sorted { inv.ids[$0] < inv.ids[$1] }.map { Int32($0) }
        var rank = [Int32](repeating: 0, count: inv.ids.count)
        for (r, i) in order.enumerated() { rank[Int(i)] = Int32(r) }
        let groups = inv.linkGroups(profiles: profiles, order: order, rank: rank)
        return inv.poolDisposableFleets(&profiles, groups: groups, product: inv.productExclusivity())
    }

    /// A documentation example that asks for thinking at a high max_tokens, copied by fresh accounts around the
    /// world, each trying it ten to thirty times in an hour with questions of their own and never coming back.
    static func docTryers(_ t: inout DetTestTraffic) { docTryers(&t, system: Self.quickStart) }

    /// ``docTryers(_:)`` with the example's system prompt, or none (and then no shared words around the question).
    static func docTryers(_ t: inout DetTestTraffic, system: String?) {
        for i in 0..<Self.size {
            let id = "doc\(i)"
            let start = DetTestTraffic.t0 + Int64(Double(i) * 1.5 * 3_600_000)
            var a = Account(accountID: id)
            a.createdAt = start - 600_000
            a.paymentFingerprint = "card-\(id)"
            t.accounts.append(a)
            var ts = start
            for _ in 0..<(10 + Int(t.next() % 21)) {
                var e = t.event(id, ts: ts)
                e.system = system
                e.prompt = system == nil ? t.everydayText() : "Could you help me with my \(t.everydayText())?"
                e.model = "model-large"
                e.maxTokens = 16_000
                e.temperature = 1
                e.thinking = true
                e.turn = 1
                e.userAgent = "sdk-python/1.0"
                e.ip = IPAddress("198.51.\(i / 250).\(i % 250 + 1)")
                t.events.append(e)
                ts += Int64(30_000 + t.next() % 150_000)
            }
        }
    }

    @Test func peopleTryingAThinkingExampleAreNoCampaign() {
        // With the example's system prompt: judged together they score low (one template on every request) and
        // send at a person's pace.
        let (inv, f) = Self.world(fleet: false, Self.docTryers)
        #expect(Self.found(f, prefix: "doc") == 0)
        #expect(inv.latestProfiles.allSatisfy { $0.pooledFleet == nil })
        // Without one, what they send together looks like a harvester's (fresh, single-turn, thinking at a high
        // max_tokens, fixed parameters, around the clock); a person's pace between requests keeps them out.
        let bare = { (t: inout DetTestTraffic) in Self.docTryers(&t, system: nil) }
        #expect(Self.found(Self.world(fleet: false, bare).1, prefix: "doc") == 0)
        var anyPace = DetectionConfig.default
        anyPace.clustering.fleetMaxGapSeconds = 0
        let (paced, _) = Self.world(config: anyPace, fleet: false, bare)
        let scores = Self.fleets(paced).map(\.score)
        #expect(scores.count == 1 && scores.allSatisfy { $0 >= anyPace.clustering.suspiciousBehaviour })
    }

    @Test func aCohortStartingTogetherIsNoFleet() {
        // A hackathon: fresh accounts sending the same system prompt and parameters, fast, all starting within a
        // day: not staggered one after another over many days.
        var c = DetectionConfig.default
        c.clustering.fleetMinDays = 7
        let f = Self.world(config: c, fleet: false) { t in
            Self.disposable(
                &t, "hack", count: Self.size, every: 0.07, requests: 20...60, gap: 2, system: Self.script,
                harvesting: true)
        }.1
        #expect(Self.found(f, prefix: "hack") == 0)
        // The same accounts spread over 20 days are one fleet.
        let spread = Self.world(config: c, fleet: false) { t in
            Self.disposable(
                &t, "hack", count: Self.size, every: 1.5, requests: 20...60, gap: 2, system: Self.script,
                harvesting: true)
        }.1
        #expect(Self.found(spread, prefix: "hack") >= Self.size * 95 / 100)
    }

    @Test func aValueMostlyHeldByLastingAccountsMakesNoFleet() {
        // The fleet's script, client and parameters also used by 160 lasting accounts (a popular open-source
        // harness, two requests a day for 20 days): two thirds of its holders are disposable, fewer than
        // `fleet_share`.
        let (inv, f) = Self.world { t in
            for i in 0..<160 {
                let id = "keep\(i)"
                var a = Account(accountID: id)
                a.createdAt = DetTestTraffic.t0 - 200 * 86_400_000
                a.paymentFingerprint = "card-\(id)"
                t.accounts.append(a)
                for d in 0..<20 {
                    for k in 0..<2 {
                        var e = t.event(id, ts: DetTestTraffic.t0 + Int64(d) * 86_400_000 + Int64(10 + k) * 3_600_000)
                        e.system = Self.script
                        e.prompt = DetTestTraffic.questions[Int(t.next() % 10)] + " (item \(t.next() % 100_000))"
                        e.maxTokens = 32_000
                        e.temperature = [0.3, 0.7, 1.0][Int(t.next() % 3)]
                        e.thinking = true
                        e.model = "model-large"
                        e.userAgent = "Python/3.11 aiohttp/3.11"
                        e.ip = IPAddress("192.0.\(i / 200).\(i % 200 + 1)")
                        t.events.append(e)
                    }
                }
            }
        }
        #expect(inv.latestProfiles.allSatisfy { $0.pooledFleet == nil })
        #expect(!f.campaigns.contains { $0.signals.contains { $0.name == "disposable_fleet" } })
        // With `fleet_share` below two thirds, the fleet is one again.
        var loose = DetectionConfig.default
        loose.clustering.fleetShare = 0.6
        let (_, again) = Self.world(config: loose) { t in
            for i in 0..<160 {
                var a = Account(accountID: "keep\(i)")
                a.createdAt = DetTestTraffic.t0 - 200 * 86_400_000
                t.accounts.append(a)
                var e = t.event("keep\(i)", ts: DetTestTraffic.t0 + Int64(i) * 3_600_000)
                e.system = Self.script
                e.userAgent = "Python/3.11 aiohttp/3.11"
                e.maxTokens = 32_000
                t.events.append(e)
            }
        }
        #expect(again.campaigns.contains { $0.signals.contains { $0.name == "disposable_fleet" } })
    }

    /// Three accounts that never sent a request on each of the cards of fleet accounts f0-f19 (one fleet account
    /// a card), and a person who uses f19's card.
    static func reserves(_ t: inout DetTestTraffic) {
        for c in 0..<20 {
            for k in 0..<3 {
                var a = Account(accountID: "reserve\(c * 3 + k)")
                a.createdAt = DetTestTraffic.t0 - 86_400_000
                a.paymentFingerprint = "card-f-\(c)"
                t.accounts.append(a)
            }
        }
        var person = Account(accountID: "person")
        person.createdAt = DetTestTraffic.t0 - 100 * 86_400_000
        person.paymentFingerprint = "card-f-19"
        t.accounts.append(person)
        for d in 0..<10 {
            var e = t.event("person", ts: DetTestTraffic.t0 + Int64(d) * 86_400_000 + 12 * 3_600_000)
            e.prompt = "Could you help me with my \(t.everydayText())?"
            e.model = "model-large"
            t.events.append(e)
        }
    }

    @Test func accountsOpenedAheadOnTheFleetsCardsJoinIt() throws {
        let f = Self.world(Self.reserves).1
        let inCampaign = Set(f.campaigns.flatMap(\.accounts))
        // One found member on a card is enough when nobody else on it sent a request.
        let reserves = Self.found(f, prefix: "reserve")
        #expect(reserves >= 54 && reserves <= 57)
        // f19's card has a person's own requests against it.
        #expect(!inCampaign.contains("reserve57") && !inCampaign.contains("person"))
        let reserve = try #require(f.accounts.first { $0.accountID == "reserve0" })
        #expect(reserve.campaign == f.campaigns.first { $0.accounts.contains("f0") }?.id)
        #expect(reserve.reasons.contains { $0.contains("by 2 other accounts that never sent a request either") })
        var off = DetectionConfig.default
        off.clustering.fleetReserveCards = false
        // The card-mate rule alone needs two found members on a card.
        #expect(Self.found(Self.world(config: off, Self.reserves).1, prefix: "reserve") == 0)
    }
}
