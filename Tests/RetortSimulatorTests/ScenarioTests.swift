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
