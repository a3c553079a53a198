import Foundation
import Testing

@testable import RetortCore

@Suite struct DetEvaluationTests {
    func campaign(_ id: String, _ accounts: [String], est: Int = 0) -> Findings.Campaign {
        .init(
            id: id, accounts: accounts, exchanges: 100,
            exchangesEstimate: .init(value: est, low: est - 5, high: est + 5),
            inputTokens: 0, outputTokens: 0, firstSeen: "", lastSeen: "", score: 0.9, capabilities: [:], signals: [])
    }

    @Test func countsPerCampaignAndKind() {
        let findings = Findings(
            generatedAt: "", window: .init(from: "", to: ""),
            input: .init(events: 0, badRecords: 0, duplicates: 0, accounts: 0),
            campaigns: [
                campaign("C-1", ["a1", "a2", "b1"]), campaign("C-2", ["e1", "e2", "e3"]),
                campaign("C-3", ["r1"], est: 40),
            ],
            accounts: [])
        let truth = TruthSet(
            records: [
                .init(accountID: "a1", campaign: "camp-a", kind: "campaign-x"),
                .init(accountID: "a2", campaign: "camp-a", kind: "campaign-x"),
                .init(accountID: "a3", campaign: "camp-a", kind: "campaign-x"),
                .init(accountID: "b1", campaign: "camp-b", kind: "campaign-y"),
                .init(accountID: "r1", campaign: "camp-r", kind: "campaign-hydra"),
                .init(accountID: "e1", campaign: nil, kind: "benign-enterprise"),
                .init(accountID: "e2", campaign: nil, kind: "benign-enterprise"),
                .init(accountID: "e3", campaign: nil, kind: "benign-enterprise"),
                .init(accountID: "e4", campaign: nil, kind: "benign-enterprise"),
                .init(accountID: "u1", campaign: nil, kind: "benign-casual"),
            ],
            harvestExchanges: ["r1": 50])
        let r = evaluate(findings: findings, truth: truth)
        #expect(r.overall.truePositives == 4)
        #expect(r.overall.falsePositives == 3)
        #expect(r.overall.falseNegatives == 1)
        #expect(r.campaigns.first { $0.campaign == "camp-a" }?.recall == 2.0 / 3)
        #expect(r.benign.first { $0.kind == "benign-enterprise" }?.falsePositives == 3)
        #expect(r.wholeFalseCampaigns == 1)
        #expect(r.found.first { $0.id == "C-2" }?.benignKind == "benign-enterprise")
        #expect(abs((r.found.first { $0.id == "C-1" }?.purity ?? 0) - 2.0 / 3) < 1e-9)
        #expect(abs((r.harvestRelativeError ?? 0) - 0.2) < 1e-9)
        #expect(abs(r.benignFalsePositiveRate - 3.0 / 5) < 1e-9)
        #expect(r.table().contains("camp-a"))
    }

    @Test func resellerTruthCountsBenignMembersAsNoHarvest() {
        let findings = Findings(
            generatedAt: "", window: .init(from: "", to: ""),
            input: .init(events: 0, badRecords: 0, duplicates: 0, accounts: 0),
            campaigns: [campaign("C-1", ["r1", "u1"], est: 90), campaign("C-2", ["r2", "p1"], est: 70)],
            accounts: [])
        let truth = TruthSet(
            records: [
                .init(accountID: "r1", campaign: "camp-r", kind: "campaign-hydra"),
                .init(accountID: "r2", campaign: "camp-r", kind: "campaign-hydra"),
                .init(accountID: "p1", campaign: "camp-p", kind: "campaign-distill"),
                .init(accountID: "u1", campaign: nil, kind: "benign-power"),
            ],
            harvestExchanges: ["r1": 100, "r2": 60])
        let r = evaluate(findings: findings, truth: truth)
        // A benign member harvests nothing: the truth is the reseller's own count.
        #expect(r.found.first { $0.id == "C-1" }?.trueHarvest == 100)
        // A pool member's harvest is not in the truth: unknown, not guessed.
        #expect(r.found.first { $0.id == "C-2" }?.trueHarvest == nil)
        #expect(abs((r.harvestRelativeError ?? 0) - 0.1) < 1e-9)
    }
}
