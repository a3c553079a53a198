import Foundation
import Testing

@testable import RetortCore

/// A campaign spread thin over unique cards, IPs and clients, each account chatting in daytime like a heavy
/// individual user but asking for reasoning traces on a quarter of its requests through the operators' shared
/// wrappers: reported as one campaign (a harvest cohort). Not when the share is ordinary, and not when the same
/// trace-heavy accounts share nothing (individual users who like step-by-step answers).
@Suite struct DetCohortTests {
    static let agents = [
        "Mozilla/5.0 (Windows NT 10.0)", "Mozilla/5.0 (Macintosh)", "python-requests/2.31", "node-fetch/3.3",
        "Mozilla/5.0 (X11; Linux x86_64)", "okhttp/4.12",
    ]

    /// Thirty days of one account: ~0.7 requests an hour from 08:00 to 22:00 UTC, fewer at night, multi-turn
    /// chats about everyday topics; `traceShare` of its requests wrap a question in a chain-of-thought wrapper:
    /// the operators' (`ownWrapper` nil) or the account's own phrasing.
    static func account(
        _ t: inout DetTestTraffic, _ id: String, traceShare: Double, ownWrapper: String? = nil
    ) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - Int64(20 + t.next() % 200) * 86_400_000
        a.paymentFingerprint = "card-\(id)"
        a.emailLocal = "\(id).\(t.next() % 1000)"
        a.emailDomain = "mail\(t.next() % 3).example"
        t.accounts.append(a)
        let wrappers = [
            "Think step by step and show your full reasoning before you answer:"
        ]
        let agent = agents[Int(t.next() % UInt64(agents.count))]
        let ip = IPAddress("198.18.\(t.next() % 250).\(t.next() % 250 + 1)")
        var ts = DetTestTraffic.t0 + Int64(t.next() % 86_400_000)
        let end = DetTestTraffic.t0 + 30 * 86_400_000
        var turn = 1
        var conv = 0
        var k = Int(t.next() % 1000)
        while ts < end {
            var e = t.event(id, ts: ts)
            k += 1
            e.model = "model-large"
            e.userAgent = agent
            e.ip = ip
            e.maxTokens = 2048
            e.temperature = [0.2, 0.7, 1.0][Int(t.next() % 3)]
            let text = t.everydayText()
            let openers = [
                "Could you help me with my", "I need some fresh ideas for my", "What is a good way to plan my",
                "Give me practical tips on my", "Can you review and improve my",
            ]
            let chat = openers[Int(t.next() % UInt64(openers.count))] + " \(text)?"
            if t.uniform() < traceShare {
                // The operators' wrappers carry items of their shared question list; a person wraps their own chat.
                e.prompt =
                    ownWrapper.map { $0 + " " + chat }
                    ?? (wrappers[Int(t.next() % UInt64(wrappers.count))] + "\n\n"
                        + DetTestTraffic.questions[k % DetTestTraffic.questions.count] + " (case \(k))")
                turn = 1
                conv += 1
            } else {
                e.prompt = chat
                t.nextTurn(&turn, &conv, newOneIn: 2)
            }
            e.turn = turn
            e.conversationID = "\(id)-c\(conv)"
            t.events.append(e)
            let hour = (ts / 3_600_000) % 24
            let perHour = hour >= 8 && hour < 22 ? 0.7 : 0.1
            ts += Int64(-log(max(1e-9, t.uniform())) * 3_600_000 / perHour)
        }
    }

    /// One person's own way of asking for reasoning: its first words differ from everyone else's.
    static func ownWrapper(_ i: Int) -> String {
        let w = DetTestTraffic.everydayWords
        return "\(w[i % w.count]) and \(w[(i * 7 + 1) % w.count]) again: step by step please."
    }

    /// Account ids in no meaningful order (link groups are chained in id order, as with real random ids).
    static func id(_ name: String, _ i: Int) -> String {
        String(Hash64.mix(UInt64(i) &* 7919 &+ UInt64(name.utf8.count)) % 1_000_000_007, radix: 36) + "-\(name)\(i)"
    }

    /// Findings for 14 cohort accounts (`traceShare`, operators' wrappers or each its own), 30 heavy ordinary
    /// users (1% step-by-step requests in their own words) and 40 casual users.
    static func investigate(traceShare: Double, ownWrappers: Bool = false) -> (Findings, Investigation) {
        var t = DetTestTraffic(seed: 23)
        for i in 0..<14 {
            account(
                &t, Self.id("cohort", i), traceShare: traceShare,
                ownWrapper: ownWrappers ? Self.ownWrapper(i) : nil)
        }
        for i in 0..<30 {
            account(&t, Self.id("heavy", i), traceShare: 0.01, ownWrapper: Self.ownWrapper(20 + i))
        }
        for i in 0..<40 { t.casual(Self.id("user", i), days: 30) }
        t.sortByTime()
        let inv = Investigation()
        for a in t.accounts { inv.add(a) }
        for e in t.events { inv.add(e) }
        return (inv.run(input: InputSummary(events: t.events.count)), inv)
    }

    @Test func thinCampaignIsOneCohort() throws {
        let (f, inv) = Self.investigate(traceShare: 0.25)
        // Each member on its own looks like a heavy individual: no infrastructure ties, behaviour below the
        // suspicious bar.
        for i in 0..<14 {
            let idx = Int(inv.index[Self.id("cohort", i)]!)
            #expect(inv.latestProfiles[idx].score < DetectionConfig.default.clustering.suspiciousBehaviour)
        }
        let c = try #require(f.campaigns.first { $0.signals.contains { $0.name == "harvest_cohort" } })
        #expect(c.accounts.allSatisfy { $0.contains("-cohort") })
        #expect(c.accounts.count >= 12)
        let signal = try #require(c.signals.first { $0.name == "harvest_cohort" })
        #expect(signal.detail.contains("reasoning trace"))
        #expect(f.campaigns.allSatisfy { $0.accounts.allSatisfy { $0.contains("-cohort") } })
    }

    @Test func ordinaryShareIsNotACohort() {
        let (f, _) = Self.investigate(traceShare: 0.03)
        #expect(f.campaigns.isEmpty)
    }

    @Test func traceHeavyUsersSharingNothingAreNotACohort() {
        let (f, inv) = Self.investigate(traceShare: 0.25, ownWrappers: true)
        #expect(f.campaigns.isEmpty)
        // They do ask for traces far more often than the others: the share alone would have flagged them.
        let st = inv.states[Int(inv.index[Self.id("cohort", 0)]!)]
        #expect(Double(st.traceHarvest) >= 0.15 * Double(st.events))
    }

    @Test func chanceTiesFollowTheConfigurationModel() {
        // Ten ties in all; accounts 0 and 1 hold 4 and 6 of the 20 ends: (4 + 6)^2 / (4 * 10) = 2.5 expected.
        let ties: [Int32] = [4, 6, 10]
        #expect(abs(Investigation.chanceTies([0, 1], ties: ties, allTies: 10) - 2.5) < 1e-12)
        #expect(Investigation.chanceTies([0], ties: ties, allTies: 0) == 0)
    }
}
