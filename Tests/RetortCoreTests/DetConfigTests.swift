import Foundation
import Testing

@testable import RetortCore

@Suite struct DetConfigTests {
    @Test func partialConfigMergesOverDefaults() throws {
        let c = try DetectionConfig.load(
            data: Data(#"{"scoring": {"campaign_threshold": 0.7}, "behaviour": {"weights": {"thinking": 2.0}}}"#.utf8))
        #expect(c.scoring.campaignThreshold == 0.7)
        #expect(c.scoring.reportThreshold == DetectionConfig.default.scoring.reportThreshold)
        #expect(c.behaviour.weights["thinking"] == 2.0)
        #expect(c.behaviour.weights["single_turn"] == DetectionConfig.default.behaviour.weights["single_turn"])
    }

    @Test func unknownKeyIsAnError() {
        #expect(throws: DetectionError.self) {
            try DetectionConfig.load(data: Data(#"{"scoring": {"campain_threshold": 0.7}}"#.utf8))
        }
    }

    @Test func fingerprintShapeIsChecked() throws {
        for bad in [#"{"content": {"min_hash_bins": 64, "band_rows": 4}}"#, #"{"content": {"band_rows": 0}}"#] {
            #expect(throws: DetectionError.self) { try DetectionConfig.load(data: Data(bad.utf8)) }
        }
        let ok = try DetectionConfig.load(data: Data(#"{"content": {"min_hash_bins": 32, "band_rows": 4}}"#.utf8))
        #expect(ok.content.minHashBins / ok.content.bandRows == BandKeys.capacity)
    }

    @Test func contentMemberCapIsChecked() throws {
        for bad in [0, 65_537] {
            #expect(throws: DetectionError.self) {
                try DetectionConfig.load(data: Data(#"{"links": {"content_key_member_cap": \#(bad)}}"#.utf8))
            }
        }
        let ok = try DetectionConfig.load(data: Data(#"{"links": {"content_key_member_cap": 65536}}"#.utf8))
        #expect(ok.links.contentKeyMemberCap == 65_536)
    }

    @Test func shippedConfigIsTheDefault() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/detection.json")
        let c = try DetectionConfig.load(path: url.path)
        #expect(c == DetectionConfig.default)
    }
}
