import Foundation
import Testing

@testable import RetortCore

/// Logs that do not record some optional fields (``LogCoverage``): the signals built on them measure nothing, and
/// the behaviour score weighs the others more.
@Suite struct DetCoverageTests {
    /// The investigation scenario's traffic (every field recorded) with `strip` applied to every event.
    static func stripped(_ strip: (inout Event) -> Void = { _ in }) -> DetTestTraffic {
        var t = DetInvestigationTests.scenario()
        for k in t.events.indices { strip(&t.events[k]) }
        return t
    }

    static func noTurnNoParameters(_ e: inout Event) {
        e.turn = nil
        e.conversationID = nil
        e.maxTokens = nil
        e.temperature = nil
    }

    @Test func completeLogScalesNothing() {
        let inv = Self.stripped().investigation()
        let c = inv.logCoverage
        #expect(c.unrecordedSignals.isEmpty)
        #expect(c.evidenceScale(inv.config.behaviour) == 1)
        let f = inv.run(input: InputSummary(events: inv.eventsAdded))
        #expect(!f.campaigns.isEmpty)
        #expect(!f.campaigns.contains { c in c.signals.contains { $0.name == "unrecorded_fields" } })
    }

    @Test func unrecordedFieldsAndTheirSignals() {
        let inv = Self.stripped(Self.noTurnNoParameters).investigation()
        let c = inv.logCoverage
        #expect(!c.records(.singleTurn) && !c.records(.datasetSweep))
        for s in [BehaviourSignal.parameterFixity, .maxTokensCeiling, .multipleCompletions, .thinking, .apiExtraction] {
            #expect(!c.records(s), "\(s.name)")
        }
        for s in [BehaviourSignal.noDiurnalRest, .dutyCycle, .regularTiming, .clientChurn, .ipRotation, .freshAccount] {
            #expect(c.records(s), "\(s.name)")
        }
        // Positive weights 13.9 in all; the log cannot show single_turn 0.8, parameter_fixity 0.7,
        // max_tokens_ceiling 0.5, multiple_completions 0.6, thinking 0.4, api_extraction 2.0, dataset_sweep 1.0.
        #expect(abs(c.evidenceScale(inv.config.behaviour) - 13.9 / 7.9) < 1e-9)
        var capped = DetectionConfig()
        capped.behaviour.unrecordedScaleCap = 1.5
        #expect(c.evidenceScale(capped.behaviour) == 1.5)
        capped.behaviour.unrecordedScaleCap = 1
        #expect(c.evidenceScale(capped.behaviour) == 1)
        #expect(c.unrecordedFields.first == "turn")
        // Without API keys and HTTP status too, key_rotation and rate_limit are unrecorded as well.
        let bare = Self.stripped {
            Self.noTurnNoParameters(&$0)
            $0.apiKeyID = nil
            $0.status = nil
        }.investigation().logCoverage
        #expect(bare.unrecordedSignals.contains(.keyRotation) && bare.unrecordedSignals.contains(.rateLimit))
        // 13.9 / 6.8 = 2.04: held at the cap.
        #expect(bare.evidenceScale(DetectionConfig().behaviour) == 2)
    }

    @Test func withoutAccountRecordsSignUpAgeIsUnrecorded() {
        var t = Self.stripped()
        t.accounts = []
        let inv = t.investigation()
        #expect(!inv.logCoverage.records(.freshAccount))
        #expect(abs(inv.logCoverage.evidenceScale(inv.config.behaviour) - 13.9 / 13.3) < 1e-9)
    }

    @Test func aFieldOnOneRequestInAHundredIsRecorded() {
        // 200 requests without turn; with turn on 2 of them the field is recorded, on 1 it is not.
        for (withTurn, recorded) in [(2, true), (1, false)] {
            let inv = Investigation()
            for i in 0..<200 {
                var e = Event(ts: DetTestTraffic.t0 + Int64(i) * 60_000, accountID: "a\(i % 7)", requestID: "r\(i)")
                if i < withTurn { e.turn = 1 }
                inv.add(e)
            }
            #expect(inv.logCoverage.records(.singleTurn) == recorded, "turn on \(withTurn) of 200")
        }
    }

    @Test func harvestersScoreHigherPeopleStayLow() {
        let t = Self.stripped(Self.noTurnNoParameters)
        let inv = t.investigation()
        let coverage = inv.logCoverage
        func score(_ id: String, _ cov: LogCoverage) -> Double {
            let i = Int(inv.index[id]!)
            return BehaviourProfile(state: inv.states[i], meta: inv.metas[i], config: inv.config, coverage: cov).score
        }
        for h in ["h0", "h3", "h7"] {
            #expect(score(h, coverage) > score(h, .complete), "\(h)")
            #expect(score(h, coverage) >= inv.config.clustering.suspiciousBehaviour, "\(h)")
        }
        // Accounts that show nothing of a harvester's shape stay below the attachment bar.
        for u in ["u0", "u5", "campus3", "ent2"] {
            #expect(score(u, coverage) < inv.config.clustering.attachBehaviour, "\(u): \(score(u, coverage))")
        }
    }

    @Test func findingsSayWhatTheLogDoesNotRecord() throws {
        let t = Self.stripped(Self.noTurnNoParameters)
        let f = t.investigation().run(input: InputSummary(events: t.events.count))
        let c = try #require(f.campaigns.first)
        let flagged = Set(f.campaigns.flatMap(\.accounts))
        #expect(Set((0..<8).map { "h\($0)" }) == flagged)
        let u = try #require(c.signals.first { $0.name == "unrecorded_fields" })
        #expect(u.detail.contains("turn") && u.detail.contains("max_tokens") && u.detail.contains("1.76x"))
        #expect(abs(u.strength - (1 - 7.9 / 13.9)) < 1e-4)
        var off = DetectionConfig()
        off.behaviour.unrecordedScaleCap = 1
        let g = t.investigation(config: off).run(input: InputSummary(events: t.events.count))
        #expect(!g.campaigns.contains { c in c.signals.contains { $0.name == "unrecorded_fields" } })
    }

    @Test func negativeEvidenceIsScaledToo() {
        // A templated product lowers suspicion by what it shows: the whole sum is scaled, so a product whose
        // positive signals grow with the scale is held down by its template in proportion.
        var signals = [Double](repeating: 0, count: BehaviourSignal.allCases.count)
        signals[BehaviourSignal.noDiurnalRest.rawValue] = 1
        signals[BehaviourSignal.dutyCycle.rawValue] = 1
        signals[BehaviourSignal.templatedProduct.rawValue] = 1
        let c = DetectionConfig().behaviour
        let one = BehaviourProfile.combine(signals, c)
        let two = BehaviourProfile.combine(signals, c, scale: 2)
        #expect(abs(one - 1 / (1 + exp(-(c.bias + 1.6 + 1.0 - 2.5)))) < 1e-12)
        #expect(abs(two - 1 / (1 + exp(-(c.bias + 2 * (1.6 + 1.0 - 2.5))))) < 1e-12)
    }
}
