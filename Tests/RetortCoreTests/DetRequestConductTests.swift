import Foundation
import Testing

@testable import RetortCore

/// Request conduct (``RequestConduct``, `clustering.conduct_margin`): what one request shows on its own (opens a
/// conversation, sets no max_tokens or temperature, asks for the ceiling, ...), added up per account, and the test
/// built on it: an account whose requests look like everyone else's rather than like the group it is tied to does
/// not take the group's pooled score and is not held in its cluster by a shared address.
@Suite struct DetRequestConductTests {
    /// A made-up conduct: `requests` requests, `turnKnown` of them carrying a turn, and the count with each trait.
    static func conduct(
        requests: Int, singleTurn: Int, noMaxTokens: Int, noTemperature: Int, ceiling: Int, reasoning: Int = 0
    ) -> RequestConduct {
        var c = RequestConduct()
        let counts = [singleTurn, noMaxTokens, noTemperature, ceiling, 0, 0, reasoning, 0, 0]
        for i in 0..<RequestConduct.traitCount {
            c.yes[i] = counts[i]
            c.of[i] = requests
        }
        return c
    }

    /// A script: single-turn, at the ceiling, parameters set. A browser chat: mostly later turns, no parameters.
    static func script(_ n: Int) -> RequestConduct {
        conduct(requests: n, singleTurn: n, noMaxTokens: 0, noTemperature: 0, ceiling: n, reasoning: n / 2)
    }
    static func browser(_ n: Int) -> RequestConduct {
        conduct(requests: n, singleTurn: n / 3, noMaxTokens: n, noTemperature: n, ceiling: 0)
    }

    @Test func theRatioSidesWithTheGroupWhoseRequestsTheAccountsResemble() {
        var group = RequestConduct()
        for _ in 0..<20 { group += Self.script(6) }
        var everyone = ConductMix()
        for _ in 0..<50 { everyone.add(Self.browser(8)) }
        let margin = DetectionConfig.default.clustering.conductMargin
        #expect(Self.script(5).logLikelihoodRatio(group.shares, everyone.shares) > 10 * margin)
        #expect(Self.browser(5).logLikelihoodRatio(group.shares, everyone.shares) < -10 * margin)
        // An account that shows nothing weighs nothing either way; nor does a group like everyone else.
        #expect(RequestConduct().logLikelihoodRatio(group.shares, everyone.shares) == 0)
        var like = RequestConduct()
        for _ in 0..<20 { like += Self.browser(8) }
        #expect(abs(Self.browser(5).logLikelihoodRatio(like.shares, everyone.shares)) < 0.5)
        // Sums subtract: a group less one member is the rest of it.
        let rest = group - Self.script(6)
        #expect(rest.yes[0] == 19 * 6 && rest.of[0] == 19 * 6)
    }

    @Test func theMixWeighsAccountsNotRequests() {
        // One app with 100,000 requests at the ceiling and ten light accounts without: the typical account
        // is not at the ceiling.
        var mix = ConductMix()
        mix.add(Self.script(100_000))
        for _ in 0..<10 { mix.add(Self.browser(10)) }
        #expect(mix.shares.share[3] < 0.15)
        // Taking the app away again leaves the light accounts alone.
        mix.add(Self.script(100_000), sign: -1)
        #expect(mix.shares.share[3] < 0.05)
        #expect(mix.shares.share[1] > 0.9)
    }

    @Test func traitsAreReadFromTheAccountState() throws {
        var t = DetTestTraffic(seed: 3)
        t.harvester("h", days: 3)
        t.casual("c", days: 6)
        t.sortByTime()
        let inv = t.investigation()
        let h = RequestConduct(inv.states[Int(try #require(inv.index["h"]))])
        let c = RequestConduct(inv.states[Int(try #require(inv.index["c"]))])
        let hn = inv.states[Int(try #require(inv.index["h"]))].events
        // The harvester: every request single-turn, sets max_tokens (8192, over the ceiling) and temperature,
        // asks for a reasoning trace.
        #expect(h.yes[0] == hn && h.of[0] == hn)
        #expect(h.yes[1] == 0 && h.yes[2] == 0)
        #expect(h.yes[3] == hn)
        #expect(h.yes[6] == hn)
        // The casual user: turns past the first, never at the ceiling, no reasoning trace asked for.
        #expect(c.yes[0] < c.of[0])
        #expect(c.yes[3] == 0 && c.yes[6] == 0)
    }

    /// A thin genuine account using the proxy addresses that thin harvesters use (a home address that is also
    /// a proxy exit), but chatting as a person does (later turns, no parameters set): it is in their pool by
    /// its ties and, without the conduct test, takes the pool's score and lowers it (its own requests pooled
    /// in); with it, it is left out of the pool, which is judged without it, and is in no campaign.
    @Test func aPersonOnAProxyExitDoesNotTakeAThinPoolsScore() throws {
        let proxies = DetPoolTests.proxies
        func world(_ t: inout DetTestTraffic) {
            DetPoolTests.proxyHarvesters(&t)
            var a = Account(accountID: "person")
            a.createdAt = DetTestTraffic.t0 - 200 * 86_400_000
            a.paymentFingerprint = "card-person"
            t.accounts.append(a)
            for k in 0..<9 {
                var e = t.event("person", ts: DetTestTraffic.t0 + Int64(k) * 6 * 3_600_000 + 600_000)
                e.ip = IPAddress(proxies[k * 3])
                e.model = "model-large"
                e.userAgent = "client-\(t.next() % 40)"
                e.prompt = "Could you help me with my \(t.everydayText())?"
                e.conversationID = "person-\(k / 3)"
                e.turn = k % 3 + 1
                t.events.append(e)
            }
        }
        var off = DetectionConfig.default
        off.clustering.conductMargin = -1
        let (offInv, _) = DetPoolTests.world(config: off, world)
        let offPerson = offInv.latestProfiles[Int(try #require(offInv.index["person"]))]
        #expect(offPerson.pooledRawScore != nil)
        #expect(offPerson.pooledAccounts == 31)

        let (inv, f) = DetPoolTests.world(world)
        let person = inv.latestProfiles[Int(try #require(inv.index["person"]))]
        #expect(person.pooledRawScore == nil)
        let h0 = inv.latestProfiles[Int(try #require(inv.index["h0"]))]
        #expect(h0.pooledAccounts == 30)
        #expect(!f.campaigns.contains { $0.accounts.contains("person") })
        // The harvesters still are.
        #expect(f.campaigns.contains { Set($0.accounts).intersection((0..<30).map { "h\($0)" }).count >= 25 })
    }

    /// Twelve harvesters behind three proxy addresses and a casual user at home on one of them: the shared
    /// address (and its network) ties the user to the harvesters strongly enough to hold it in their cluster,
    /// but what it sends is not what they send, so it is peeled; without the conduct test it stays.
    @Test func aPersonSharingAnAddressWithACampaignIsPeeled() throws {
        let proxies = ["203.0.113.5", "203.0.113.6", "203.0.113.7"]
        func traffic() -> DetTestTraffic {
            var t = DetTestTraffic(seed: 21)
            for i in 0..<12 { t.harvester("h\(i)", days: 6, ip: proxies[i % 3]) }
            t.casual("home", days: 6, ip: proxies[0])
            for i in 0..<30 { t.casual("u\(i)", days: 6) }
            t.sortByTime()
            return t
        }
        let t = traffic()
        var off = DetectionConfig.default
        off.clustering.conductMargin = -1
        let kept = t.investigation(config: off).run(input: InputSummary(events: t.events.count))
        let peeled = t.investigation().run(input: InputSummary(events: t.events.count))
        let harvesters = Set((0..<12).map { "h\($0)" })
        for f in [kept, peeled] {
            #expect(Set(f.campaigns.flatMap(\.accounts)).isSuperset(of: harvesters))
        }
        #expect(kept.campaigns.contains { $0.accounts.contains("home") })
        #expect(!peeled.campaigns.contains { $0.accounts.contains("home") })
    }
}

/// Product exclusivity (`behaviour.product_rare_at`, `product_common_at`): a templated product lowers suspicion
/// when its template is one customer's, not when many unrelated customers send it.
@Suite struct DetProductExclusivityTests {
    /// `count` requests of `id`, an hour apart, each with `system` as system prompt and a varying question.
    static func product(
        _ t: inout DetTestTraffic, _ id: String, system: String, card: String, org: String? = nil, count: Int = 40,
        endUsers: Int = 0
    ) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - 100 * 86_400_000
        a.paymentFingerprint = card
        a.orgID = org
        t.accounts.append(a)
        for k in 0..<count {
            var e = t.event(id, ts: DetTestTraffic.t0 + Int64(k) * 3_600_000 + Int64(t.next() % 600_000))
            e.system = system
            e.prompt = t.everydayText()
            e.model = "model-large"
            e.maxTokens = 512
            if endUsers > 0 { e.endUserID = "\(id)-student-\(t.next() % UInt64(endUsers))" }
            t.events.append(e)
        }
    }

    static func exclusivity(_ build: (inout DetTestTraffic) -> Void) -> [String: Double] {
        var t = DetTestTraffic(seed: 5)
        build(&t)
        t.sortByTime()
        let inv = t.investigation()
        let x = inv.productExclusivity()
        return Dictionary(uniqueKeysWithValues: inv.ids.enumerated().map { ($0.element, x[$0.offset].exclusivity) })
    }

    static let support = "You are the support assistant of a garden shop. Answer politely and briefly."

    @Test func aTemplateOfOneCustomerIsItsOwn() {
        let x = Self.exclusivity { t in
            Self.product(&t, "shop", system: Self.support, card: "card-shop")
            // One organisation's twelve accounts, each with its own card, are one customer.
            for i in 0..<12 {
                Self.product(&t, "acme\(i)", system: "You are Acme's internal helper.", card: "card-a\(i)", org: "acme")
            }
        }
        #expect(x["shop"] == 1)
        #expect(x["acme0"] == 1 && x["acme11"] == 1)
    }

    @Test func aTemplateManyCustomersSendIsNoOnesProduct() throws {
        let common = DetectionConfig.default.behaviour.productCommonAt
        let rare = DetectionConfig.default.behaviour.productRareAt
        let x = Self.exclusivity { t in
            for i in 0..<common { Self.product(&t, "w\(i)", system: Self.support, card: "card-w\(i)") }
            // Five accounts on five cards: between the two bars.
            for i in 0..<5 { Self.product(&t, "f\(i)", system: "You are a wrapper.", card: "card-f\(i)") }
            // Six accounts on one card are one customer.
            for i in 0..<6 { Self.product(&t, "c\(i)", system: "You are a card's product.", card: "one-card") }
        }
        #expect(x["w0"] == 0 && x["w\(common - 1)"] == 0)
        let five = try #require(x["f0"])
        let expected = log(Double(common) / 5) / log(Double(common) / Double(rare))
        #expect(abs(five - expected) < 1e-9)
        #expect(x["c0"] == 1)
    }

    @Test func theDiscountFollowsExclusivity() throws {
        // The templated-product signal of an account scales with its exclusivity.
        var t = DetTestTraffic(seed: 9)
        Self.product(&t, "shop", system: Self.support, card: "card-shop")
        t.sortByTime()
        let inv = t.investigation()
        let st = inv.states[Int(try #require(inv.index["shop"]))]
        let own = BehaviourProfile(state: st, meta: nil, config: .default, product: ProductShare(exclusivity: 1))
        let shared = BehaviourProfile(state: st, meta: nil, config: .default, product: ProductShare(exclusivity: 0))
        #expect(own.signals[BehaviourSignal.templatedProduct.rawValue] > 0.9)
        #expect(shared.signals[BehaviourSignal.templatedProduct.rawValue] == 0)
        // Varying input in one template is no dataset sweep, whoever else sends the template.
        let sweep = BehaviourSignal.datasetSweep.rawValue
        #expect(own.signals[sweep] == shared.signals[sweep])
        #expect(shared.score > own.score)
    }

    /// A tutoring app asks for worked steps on every student's question: its template elicits reasoning, as a
    /// harvester's wrapper does. The template lowers suspicion as a product's when it is one customer's, sent by
    /// a production and a staging account fronting many students; not when six accounts on one card send it, nor
    /// when no end users are behind it.
    @Test func aTutorsReasoningTemplateIsStillItsProduct() throws {
        let tutor =
            "You are a patient maths tutor. Think step by step and show your reasoning before the final answer."
        func signal(_ build: (inout DetTestTraffic) -> Void, _ id: String) throws -> Double {
            var t = DetTestTraffic(seed: 13)
            build(&t)
            t.sortByTime()
            let inv = t.investigation()
            let i = Int(try #require(inv.index[id]))
            let x = inv.productExclusivity()
            let p = BehaviourProfile(state: inv.states[i], meta: inv.metas[i], config: .default, product: x[i])
            #expect(p.reasoningShare > 0.9)
            return p.signals[BehaviourSignal.templatedProduct.rawValue]
        }
        let app = try signal(
            { t in
                Self.product(&t, "prod", system: tutor, card: "card-tutor", org: "tutor-co", endUsers: 60)
                Self.product(&t, "staging", system: tutor, card: "card-tutor", org: "tutor-co", endUsers: 30)
            }, "prod")
        #expect(app > 0.9)
        let six = try signal(
            { t in
                for i in 0..<6 { Self.product(&t, "a\(i)", system: tutor, card: "one-card", endUsers: 60) }
            }, "a0")
        #expect(six == 0)
        let noUsers = try signal({ t in Self.product(&t, "prod", system: tutor, card: "card-tutor") }, "prod")
        #expect(noUsers == 0)
    }
}
