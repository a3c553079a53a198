import Testing

@testable import RetortCore

/// Community split and reseller estimates on small inputs whose right answer is known.
@Suite struct DetClusteringTests {
    /// Complete graph on `nodes` with weight `w`.
    func clique(_ nodes: Range<Int>, _ w: Double) -> [(a: Int, b: Int, w: Double)] {
        var out: [(a: Int, b: Int, w: Double)] = []
        for a in nodes { for b in nodes where b > a { out.append((a, b, w)) } }
        return out
    }

    @Test func louvainSeparatesTwoCampaignsJoinedByOneSharedProxy() {
        // Two dense groups of 8 (two campaigns) with one weak edge between them (a shared proxy IP).
        let edges = clique(0..<8, 1) + clique(8..<16, 1) + [(a: 3, b: 12, w: 0.3)]
        let label = Louvain().communities(nodeCount: 16, edges: edges)
        #expect(Set(label[0..<8]).count == 1)
        #expect(Set(label[8..<16]).count == 1)
        #expect(label[0] != label[8])
        // Numbered by lowest member: the group holding node 0 is community 0.
        #expect(label[0] == 0 && label[8] == 1)
    }

    @Test func louvainKeepsOneDenseGroupWhole() {
        let label = Louvain().communities(nodeCount: 10, edges: clique(0..<10, 1))
        #expect(Set(label).count == 1)
    }

    @Test func louvainIsDeterministicAndLeavesIsolatedNodesAlone() {
        let edges = clique(0..<5, 2) + clique(5..<9, 1) + [(a: 4, b: 5, w: 0.1)]
        let a = Louvain().communities(nodeCount: 11, edges: edges)
        let b = Louvain().communities(nodeCount: 11, edges: edges)
        #expect(a == b)
        // Nodes 9 and 10 have no edges: each its own community.
        #expect(a[9] != a[10])
        #expect(!a[0..<9].contains(a[9]) && !a[0..<9].contains(a[10]))
    }

    @Test func harvestEstimateCorrectsForMissesAndFalseFlags() {
        // 10,000 mixed requests, 60% of them harvesting; the test flags 70% of harvesting requests and 5%
        // of genuine ones: 0.6 * 0.7 + 0.4 * 0.05 = 0.44 flagged.
        let e = HarvestEstimate(
            flagged: 4_400, trials: 10_000, sensitivity: (7_000, 10_000), falsePositive: (500, 10_000),
            minCalibration: 1_000, sensitivityFloor: 0.3)
        #expect(e.calibrated)
        #expect(abs(e.value - 6_000) <= 10)
        #expect(e.low < 6_000 && e.high > 6_000)
        #expect(e.high - e.low < 800)
        // The raw flagged count would have said 4,400, outside the interval.
        #expect(e.low > 4_400)
    }

    @Test func harvestEstimateWidensForSensitivitySpreadBetweenCampaigns() {
        let narrow = HarvestEstimate(
            flagged: 4_400, trials: 10_000, sensitivity: (7_000, 10_000), falsePositive: (500, 10_000),
            minCalibration: 1_000, sensitivityFloor: 0.3)
        let wide = HarvestEstimate(
            flagged: 4_400, trials: 10_000, sensitivity: (7_000, 10_000), sensitivitySpread: (0.5, 0.9),
            falsePositive: (500, 10_000), minCalibration: 1_000, sensitivityFloor: 0.3)
        #expect(wide.value == narrow.value)
        #expect(wide.low < narrow.low && wide.high > narrow.high)
    }

    @Test func harvestEstimateWithoutCalibrationSpansTheAssumedRange() {
        // No pure harvesters: sensitivity unknown; anything from the flagged share up to all requests fits.
        let e = HarvestEstimate(
            flagged: 3_900, trials: 10_000, sensitivity: (0, 0), falsePositive: (0, 50_000), minCalibration: 1_000,
            sensitivityFloor: 0.3)
        #expect(!e.calibrated)
        #expect(e.high == 10_000)
        #expect(e.low <= 3_900 && e.low >= 3_700)
        #expect(e.value > 3_900 && e.value < 10_000)
    }

    @Test func harvestEstimateOfEmptyTrafficIsZero() {
        let e = HarvestEstimate(
            flagged: 0, trials: 0, sensitivity: (10, 10), falsePositive: (0, 10), minCalibration: 1,
            sensitivityFloor: 0.3)
        #expect(e.value == 0 && e.low == 0 && e.high == 0)
    }

    /// An investigation holding `count` accounts with one event each (the population for lift).
    func population(_ count: Int) -> Investigation {
        let inv = Investigation()
        for i in 0..<count { inv.add(Event(ts: DetTestTraffic.t0 + Int64(i), accountID: "a\(i)", requestID: "r\(i)")) }
        return inv
    }

    func table(_ members: [Int]) -> [Int32] { members.map { Int32($0) } }

    @Test func coOccurrenceLinksAccountsHoldingTwoCommonValuesTogether() {
        let inv = population(4_000)
        var perKind = [[UInt64: [Int32]]](repeating: [:], count: LinkKindID.allCases.count)
        // A system prompt used by 60 accounts and a set of active days shared by 60: each too common to
        // link anyone, but 30 accounts hold both, where chance would give 60 * 60 / 4000 = 0.9.
        perKind[LinkKindID.systemPrompt.rawValue][0x51] = table(Array(0..<60))
        perKind[LinkKindID.lockstep.rawValue][0x10] = table(Array(0..<30) + Array(1_000..<1_030))
        let order = (0..<4_000).map { Int32($0) }
        let groups = inv.coOccurrenceGroups(perKind, order: order)
        #expect(groups.count == 1)
        #expect(groups.first?.kind == .coOccurrence)
        #expect(groups.first?.members == table(Array(0..<30)))
    }

    @Test func coOccurrenceIgnoresIndependentValues() {
        let inv = population(4_000)
        var perKind = [[UInt64: [Int32]]](repeating: [:], count: LinkKindID.allCases.count)
        // Half the accounts use one system prompt, a third were active on the same days: 667 hold both,
        // as chance predicts (lift 1).
        perKind[LinkKindID.systemPrompt.rawValue][0x51] = table((0..<4_000).filter { $0 % 2 == 0 })
        perKind[LinkKindID.lockstep.rawValue][0x10] = table((0..<4_000).filter { $0 % 3 == 0 })
        // Rare values are linked by rarity already and do not enter: 8 accounts hold both.
        perKind[LinkKindID.frame.rawValue][0x20] = table(Array(3_000..<3_008))
        perKind[LinkKindID.userAgent.rawValue][0x30] = table(Array(3_000..<3_008))
        let order = (0..<4_000).map { Int32($0) }
        #expect(inv.coOccurrenceGroups(perKind, order: order).isEmpty)
    }

    @Test func loneExtractionProberIsACampaignOfOne() throws {
        // One account sweeping logit_bias with top_logprobs and one-token answers over a few target prompts,
        // around the clock for a week, among casual users; no other account is linked to it.
        var t = DetTestTraffic(seed: 11)
        for i in 0..<40 { t.casual("u\(i)") }
        var a = Account(accountID: "probe")
        a.createdAt = DetTestTraffic.t0 - 3_600_000
        t.accounts.append(a)
        var ts = DetTestTraffic.t0
        var k = 0
        while ts < DetTestTraffic.t0 + 7 * 86_400_000 {
            var e = t.event("probe", ts: ts)
            e.prompt = DetTestTraffic.questions[k % 3]
            e.maxTokens = 1
            e.logprobs = true
            e.topLogprobs = 20
            e.logitBiasSize = 1 + k % 50
            e.model = "model-large"
            e.temperature = 0
            e.turn = 1
            t.events.append(e)
            k += 1
            ts += 900_000
        }
        t.sortByTime()
        let inv = Investigation()
        for acc in t.accounts { inv.add(acc) }
        for e in t.events { inv.add(e) }
        let f = inv.run(input: InputSummary(events: t.events.count))
        let c = try #require(f.campaigns.first { $0.accounts == ["probe"] })
        #expect(c.signals.contains { $0.name == "api_extraction" })
        #expect(!f.campaigns.flatMap(\.accounts).contains { $0.hasPrefix("u") })
    }

    /// Lockstep groups of `inv` after one event an hour on each listed day of each account (a filler account
    /// spans days 0-60, the whole input).
    func lockstepMembers(_ days: [String: [Int]]) -> [[String]] {
        let inv = Investigation()
        var all = days
        all["filler"] = [0, 60]
        var k = 0
        for (id, ds) in all.sorted(by: { $0.key < $1.key }) {
            for d in ds {
                for h in [1, 7, 13, 19] {
                    k += 1
                    let ts = DetTestTraffic.t0 + Int64(d) * 86_400_000 + Int64(h) * 3_600_000
                    inv.add(Event(ts: ts, accountID: id, requestID: "r\(k)"))
                }
            }
        }
        let profiles = inv.states.indices.map {
            BehaviourProfile(state: inv.states[$0], meta: inv.metas[$0], config: inv.config)
        }
        let order = inv.ids.indices.sorted { inv.ids[$0] < inv.ids[$1] }.map { Int32($0) }
        var rank = [Int32](repeating: 0, count: order.count)
        for (r, i) in order.enumerated() { rank[Int(i)] = Int32(r) }
        return inv.linkGroups(profiles: profiles, order: order, rank: rank).filter { $0.kind == .lockstep }
            .map { g in g.members.map { inv.ids[Int($0)] } }
    }

    @Test func alwaysOnAccountsStillActiveAtTheEndAreNotInLockstep() {
        // Eight accounts active every day from their own start (days 30-37) to the end of the input: their
        // day sets overlap by 23-30 of 30 days, but all they share is having started within a week.
        var days: [String: [Int]] = [:]
        for i in 0..<8 { days["on\(i)"] = Array((30 + i)...60) }
        #expect(lockstepMembers(days).isEmpty)
        // The same runs from the first day of the input to their own stop day carry only that stop day.
        var early: [String: [Int]] = [:]
        for i in 0..<8 { early["on\(i)"] = Array(0...(30 + i)) }
        #expect(lockstepMembers(early).isEmpty)
    }

    @Test func accountsStartingAndStoppingTogetherAreInLockstep() {
        // Eight accounts active on the same ten days inside the input, and eight on the same days with gaps
        // that run to its end: both are sets of days that only an operation's accounts hold together.
        var days: [String: [Int]] = [:]
        for i in 0..<8 { days["run\(i)"] = Array(30...39) }
        let gaps = [40, 41, 44, 45, 48, 49, 52, 53, 56, 57, 60]
        for i in 0..<8 { days["gap\(i)"] = gaps }
        let groups = lockstepMembers(days)
        let runs = (0..<8).map { "run\($0)" }
        let gapped = (0..<8).map { "gap\($0)" }
        #expect(groups.contains { Set(runs).isSubset(of: $0) })
        #expect(groups.contains { Set(gapped).isSubset(of: $0) })
        #expect(!groups.contains { $0.contains("filler") })
    }
}
