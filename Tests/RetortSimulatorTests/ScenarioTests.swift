import Foundation
import Testing

@testable import RetortSimulator

@Suite struct ScenarioTests {
    @Test func presetsRoundTripThroughJSON() throws {
        for name in Scenario.presetNames {
            let s = try #require(Scenario.preset(name, seed: 7))
            let back = try Scenario.load(json: try s.jsonData())
            #expect(back == s, "preset \(name)")
        }
    }

    @Test func missingKeysTakeDefaults() throws {
        let s = try Scenario.load(json: Data(#"{"seed": 9, "campaigns": [{"id": "C-9", "rate": 2}]}"#.utf8))
        #expect(s.seed == 9)
        #expect(s.weeks == 13)
        #expect(s.campaigns.first?.rate == 2)
        #expect(s.campaigns.first?.cardBatch == [12, 14])
    }

    @Test func seedsChangeTheAdversary() throws {
        let a = try #require(Scenario.preset("small", seed: 1))
        let b = try #require(Scenario.preset("small", seed: 2))
        #expect(a.campaigns != b.campaigns)
    }
}

@Suite struct ScenarioValidationTests {
    @Test func presetsAreValid() throws {
        for name in Scenario.presetNames {
            let s = try #require(Scenario.preset(name, seed: 3))
            #expect(s.problems().isEmpty, "\(name): \(s.problems())")
        }
    }

    @Test func unknownNamesAndBadRangesAreReportedByKey() throws {
        let json = #"""
            {"populations": [{"kind": "benign-robot"}],
             "campaigns": [{"id": "C-1", "scheduling": "roundrobin", "cot_share": 2, "prompt_mix": {"poetry": 1}}]}
            """#
        let problems = try Scenario.load(json: Data(json.utf8)).problems()
        #expect(problems.contains { $0.hasPrefix("populations[0].kind") })
        #expect(problems.contains { $0.hasPrefix("campaigns[0].scheduling") })
        #expect(problems.contains { $0.hasPrefix("campaigns[0].cot_share") })
        #expect(problems.contains { $0.hasPrefix("campaigns[0].prompt_mix key") })
    }
}

@Suite struct IdentifierTests {
    @Test(arguments: [51 as UInt64, 56])
    func scrambleIsABijectionOnItsRange(bits: UInt64) {
        // Distinct inputs map to distinct outputs inside the range (checked on a dense and a sparse sample).
        var seen = Set<UInt64>()
        var largest: UInt64 = 0
        for i in 0..<200_000 as Range<UInt64> {
            let x = SimContext.scramble(i, bits: bits)
            largest = max(largest, x)
            seen.insert(x)
        }
        #expect(largest < (1 << bits))
        for i in 0..<1000 as Range<UInt64> {
            seen.insert(SimContext.scramble(i &* 0x1234_5678_9AB + 999_999, bits: bits))
        }
        #expect(seen.count == 201_000)
    }
}
