import Foundation
import Testing

@testable import RetortCore

@Suite struct DetInvestigationTests {
    /// Eight harvesters on four shared cards (batches of two) and a shared proxy /24, among casual users,
    /// an enterprise on one verified card and NAT IP, and a campus behind one IP.
    static func scenario() -> DetTestTraffic {
        var t = DetTestTraffic(seed: 42)
        for i in 0..<8 {
            t.harvester("h\(i)", card: "batch-\(i / 2)", created: DetTestTraffic.t0 - 3_600_000 + Int64(i) * 60_000)
        }
        for i in 0..<30 { t.casual("u\(i)") }
        for i in 0..<6 {
            t.casual("ent\(i)", ip: "192.0.2.10")
            t.accounts[t.accounts.count - 1].paymentFingerprint = "corp-card"
            t.accounts[t.accounts.count - 1].orgID = "org-acme"
            t.accounts[t.accounts.count - 1].verified = true
        }
        for i in 0..<12 { t.casual("campus\(i)", ip: "198.18.0.1") }
        t.sortByTime()
        return t
    }

    static func investigate(_ t: DetTestTraffic, batches: Int = 1, reverseAccounts: Bool = false) -> Findings {
        let inv = Investigation()
        let accounts = reverseAccounts ? Array(t.accounts.reversed()) : t.accounts
        for a in accounts { inv.add(a) }
        // Feed in batches, calling run() between them as the server would.
        let size = (t.events.count + batches - 1) / batches
        var i = 0
        while i < t.events.count {
            for e in t.events[i..<min(t.events.count, i + size)] { inv.add(e) }
            _ = inv.run(input: InputSummary(events: i))
            i += size
        }
        return inv.run(input: InputSummary(events: t.events.count))
    }

    @Test func findsTheCampaignAndSparesBenign() throws {
        let t = Self.scenario()
        let f = Self.investigate(t)
        let flagged = Set(f.campaigns.flatMap(\.accounts))
        let harvesters = Set((0..<8).map { "h\($0)" })
        #expect(harvesters.isSubset(of: flagged))
        #expect(flagged.subtracting(harvesters).isEmpty, "benign flagged: \(flagged.subtracting(harvesters).sorted())")
        let c = try #require(f.campaigns.first)
        #expect(c.id.hasPrefix("C-") && c.id.count == 12)
        #expect(c.exchanges == t.events.filter { $0.accountID.hasPrefix("h") }.count)
        #expect(c.signals.contains { $0.name == "shared_payment" })
        #expect(c.signals.contains { $0.name == "reasoning_elicitation" })
        #expect((c.capabilities["math"] ?? 0) > 0)
        for a in f.accounts { #expect(a.score >= 0 && a.score <= 1) }
    }

    @Test func resultIndependentOfBatchingAndOrder() throws {
        let t = Self.scenario()
        var a = Self.investigate(t)
        var b = Self.investigate(t, batches: 7, reverseAccounts: true)
        a.generatedAt = ""
        b.generatedAt = ""
        #expect(try a.jsonData() == b.jsonData())
        // Interleaving accounts differently (per-account order kept) gives the same findings too.
        var shuffled = t
        let byAccount = Dictionary(grouping: t.events, by: \.accountID)
        shuffled.events = byAccount.keys.sorted().flatMap { byAccount[$0]! }
        var c = Self.investigate(shuffled)
        c.generatedAt = ""
        #expect(c.campaigns.map(\.accounts) == a.campaigns.map(\.accounts))
        #expect(c.campaigns.map(\.id) == a.campaigns.map(\.id))
    }

    @Test func contentPairsInPassesGiveTheSameFindings() throws {
        // Harvesters share prompts; counting their pairs a few at a time must not change anything.
        let t = Self.scenario()
        var results: [Data] = []
        for perPass in [8_000_000, 5, 1] {
            let inv = Investigation()
            inv.contentPairsPerPass = perPass
            for a in t.accounts { inv.add(a) }
            for e in t.events { inv.add(e) }
            var f = inv.run(input: InputSummary(events: t.events.count))
            f.generatedAt = ""
            results.append(try f.jsonData())
            #expect((inv.latestContentPairPasses > 1) == (perPass < 8_000_000))
        }
        #expect(results[1] == results[0])
        #expect(results[2] == results[0])
    }

    @Test func declaredOrganisationExplainsSharedCard() {
        let t = Self.scenario()
        let f = Self.investigate(t)
        let flagged = Set(f.campaigns.flatMap(\.accounts))
        #expect(!flagged.contains { $0.hasPrefix("ent") })
        #expect(!flagged.contains { $0.hasPrefix("campus") })
    }

    /// Declaring an organisation costs nothing, so an unverified one with two or more suspicious accounts (a suspect
    /// organisation) explains none of their shared cards and networks; a verified organisation still explains them,
    /// and an unverified one whose accounts behave like people still explains what they share.
    @Test func unverifiedOrganisationExplainsNothingBetweenHarvesters() throws {
        func run(org: String?, verified: Bool, team: Bool = false, config: DetectionConfig = .default) throws -> (
            weight: Double, flagged: Set<String>
        ) {
            var t = Self.scenario()
            for i in t.accounts.indices {
                let id = t.accounts[i].accountID
                if id.hasPrefix("h") {
                    t.accounts[i].orgID = org
                    t.accounts[i].verified = verified
                } else if team && id.hasPrefix("ent") {
                    t.accounts[i].verified = false
                }
            }
            let inv = t.investigation(config: config)
            let f = inv.run(input: InputSummary(events: t.events.count))
            let row = try #require(inv.featureTable().split(separator: "\n").first { $0.hasPrefix("h0\t") })
            return (try #require(Double(row.split(separator: "\t")[6])), Set(f.campaigns.flatMap(\.accounts)))
        }
        let undeclared = try run(org: nil, verified: false)
        #expect(undeclared.weight > 0)
        let front = try run(org: "org-front", verified: false)
        #expect(front.weight == undeclared.weight)
        #expect(front.flagged == undeclared.flagged)
        #expect(try run(org: "org-front", verified: true).weight < undeclared.weight)
        // With suspect organisations off, the declared organisation explains the harvesters' cards away.
        var off = DetectionConfig.default
        off.clustering.suspectOrgMinSuspicious = 0
        #expect(try run(org: "org-front", verified: false, config: off).weight < undeclared.weight)
        // The enterprise's six people on one card and NAT IP, its organisation now unverified: still explained.
        let team = try run(org: "org-front", verified: false, team: true)
        #expect(!team.flagged.contains { $0.hasPrefix("ent") })
    }

    @Test func commonValueLinksNobody() {
        // Harvesters with unique cards, sharing only the campus NAT IP with many benign users: the IP is
        // too common to link them, and the cohort rule does not apply (mixed membership).
        var t = DetTestTraffic(seed: 7)
        for i in 0..<3 { t.harvester("h\(i)", card: "own-\(i)", ip: "198.18.0.1") }
        for i in 0..<120 { t.casual("campus\(i)", ip: "198.18.0.1") }
        t.sortByTime()
        let f = Self.investigate(t)
        #expect(!f.campaigns.flatMap(\.accounts).contains { $0.hasPrefix("campus") })
    }

    @Test func hashOnlyInputWorks() {
        var t = Self.scenario()
        for i in t.events.indices {
            if let p = t.events[i].prompt {
                t.events[i].promptSHA256 = String(Hash64.string(p), radix: 16)
                t.events[i].prompt = nil
            }
        }
        let f = Self.investigate(t)
        let flagged = Set(f.campaigns.flatMap(\.accounts))
        #expect(flagged.isSubset(of: Set((0..<8).map { "h\($0)" })))
        #expect(!flagged.isEmpty)
    }

    @Test func accountScoresAndExplanations() {
        let t = Self.scenario()
        let inv = t.investigation()
        #expect(inv.accountScore("h0") == nil)
        let f = inv.run(input: InputSummary(events: t.events.count))
        let h = inv.accountScore("h0") ?? 0
        let u = inv.accountScore("u0") ?? 1
        #expect(h >= 0.5 && u < 0.5)
        #expect(inv.explain("h0").contains { $0.contains("member of campaign") })
        #expect(f.accounts.contains { $0.accountID == "h0" && $0.campaign != nil })
        // No raw prompt text in findings.
        let json = String(decoding: (try? f.jsonData()) ?? Data(), as: UTF8.self)
        #expect(!json.contains("Fibonacci"))
    }

    @Test func campaignIDStable() {
        #expect(Investigation.campaignID(members: ["b", "a"]) == Investigation.campaignID(members: ["a", "b"]))
        #expect(Investigation.campaignID(members: ["a", "b"]) != Investigation.campaignID(members: ["a", "c"]))
    }

    @Test func findingsFieldNames() throws {
        let f = Self.investigate(Self.scenario())
        let obj = try #require(try JSONSerialization.jsonObject(with: f.jsonData()) as? [String: Any])
        #expect(Set(obj.keys) == ["schema_version", "generated_at", "window", "input", "campaigns", "accounts"])
        let input = try #require(obj["input"] as? [String: Any])
        #expect(Set(input.keys) == ["events", "bad_records", "duplicates", "accounts"])
        let c = try #require((obj["campaigns"] as? [[String: Any]])?.first)
        #expect(
            Set(c.keys) == [
                "id", "accounts", "exchanges", "exchanges_estimate", "input_tokens", "output_tokens", "first_seen",
                "last_seen", "score", "capabilities", "signals",
            ])
        let acct = try #require((obj["accounts"] as? [[String: Any]])?.first)
        #expect(Set(acct.keys) == ["account_id", "score", "campaign", "reasons"])
    }
}
