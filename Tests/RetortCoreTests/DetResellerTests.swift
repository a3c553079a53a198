import Foundation
import Testing

@testable import RetortCore

/// A reseller that mixes harvesting into its own customers' traffic and links to nobody: reported alone when
/// its harvest-like share is far above ordinary accounts'; not when the share is ordinary, and not when it is a
/// templated product whose reasoning requests come from its own template.
@Suite struct DetResellerTests {
    /// Forty days of a reseller fronting 60 end users in multi-turn daytime chats, ~6 requests an hour, with
    /// `harvestShare` of its requests harvesting (CoT wrapper, single turn, token ceiling). With `template`,
    /// every customer request goes through one fixed frame that itself asks for step-by-step reasoning.
    static func reseller(_ t: inout DetTestTraffic, _ id: String, harvestShare: Double, template: Bool = false) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - 200 * 86_400_000
        a.paymentFingerprint = "card-\(id)"
        a.emailLocal = "ops"
        a.emailDomain = "\(id).example"
        t.accounts.append(a)
        var ts = DetTestTraffic.t0
        let end = DetTestTraffic.t0 + 40 * 86_400_000
        var k = 0
        var turn = 1
        var conv = 0
        while ts < end {
            var e = t.event(id, ts: ts)
            k += 1
            e.model = "model-large"
            e.userAgent = "reseller-gateway/2.1"
            e.ip = IPAddress("192.0.2.\(k % 4 + 10)")
            e.maxTokens = 4096
            if t.uniform() < harvestShare {
                e.prompt =
                    "Solve the following problem. Think step by step and show your reasoning before the final answer.\n\n"
                    + DetTestTraffic.questions[k % DetTestTraffic.questions.count] + " (item \(k))"
                e.turn = 1
                e.endUserID = "eu-batch-\(k % 3)"
            } else {
                let text = t.everydayText()
                e.prompt =
                    template
                    ? "You are StudyPal. Explain step by step, showing your reasoning, for a student asking: " + text
                    : "Could you help me with my \(text)?"
                t.nextTurn(&turn, &conv, newOneIn: 3)
                e.turn = turn
                e.conversationID = "\(id)-c\(conv)"
                e.endUserID = "eu-\(id)-\(conv % 60)"
            }
            t.events.append(e)
            // Daytime-heavy: ~9 requests an hour from 08:00 to 22:00 UTC, ~1 at night.
            let hour = (ts / 3_600_000) % 24
            let perHour = hour >= 8 && hour < 22 ? 9.0 : 1.0
            ts += Int64(-log(max(1e-9, t.uniform())) * 3_600_000 / perHour)
        }
    }

    /// Findings, the investigation and the true number of harvesting requests.
    static func investigate(harvestShare: Double, template: Bool = false) -> (Findings, Investigation, Int) {
        var t = DetTestTraffic(seed: 11)
        for i in 0..<25 { t.casual("user\(i)", days: 40) }
        reseller(&t, "gateway", harvestShare: harvestShare, template: template)
        t.sortByTime()
        let inv = t.investigation()
        let harvested = t.events.filter { $0.endUserID?.hasPrefix("eu-batch") == true }.count
        return (inv.run(input: InputSummary(events: t.events.count)), inv, harvested)
    }

    @Test func harvestingResellerIsAOneAccountCampaign() throws {
        let (f, _, harvested) = Self.investigate(harvestShare: 0.3)
        let c = try #require(f.campaigns.first { $0.accounts == ["gateway"] })
        let signal = try #require(c.signals.first { $0.name == "reseller_harvest" })
        #expect(signal.detail.contains("end users"))
        #expect(f.campaigns.allSatisfy { !$0.accounts.contains { $0.hasPrefix("user") } })
        // Counted request by request: the estimate is a part of its traffic and its interval holds the truth.
        let est = c.exchangesEstimate
        #expect(est.value < c.exchanges)
        #expect(est.low <= harvested && harvested <= est.high)
    }

    @Test func ordinaryShareIsNotFlagged() {
        let (f, _, _) = Self.investigate(harvestShare: 0.02)
        #expect(f.campaigns.isEmpty)
    }

    @Test func templatedProductAskingForReasoningIsNotFlagged() {
        let (f, inv, _) = Self.investigate(harvestShare: 0, template: true)
        #expect(f.campaigns.isEmpty)
        // The product's own template makes nearly every request harvest-like one by one: the share alone
        // would have flagged it.
        let st = inv.states[Int(inv.index["gateway"]!)]
        #expect(Double(st.harvestLike) >= 0.5 * Double(st.events))
    }

    @Test func baselineIsAPercentileOfOtherAccounts() {
        var b = Investigation.HarvestBaseline()
        b.hits = 120
        b.trials = 1_000
        var st = AccountState()
        st.events = 500
        st.harvestLike = 100
        // Pooled over the other accounts: (120 - 100) / (1000 - 500).
        #expect(abs(b.rate(excluding: st) - 0.04) < 1e-12)
        b.percentile = 0.01
        #expect(b.rate(excluding: st) == 0.01)
    }
}
