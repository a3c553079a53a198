import Testing

@testable import RetortServer

@Suite struct PolicyEvaluatorTests {
    func snapshot() -> RiskSnapshot {
        let campaign = CampaignRisk(
            id: "C-1", score: 0.8, accounts: ["a1", "a2", "a3"], exchanges: 300, inputTokens: 1000,
            outputTokens: 9000, signals: ["shared_payment: 3 accounts share a card"])
        let weak = CampaignRisk(
            id: "C-2", score: 0.3, accounts: ["w1", "w2"], exchanges: 10, inputTokens: 10_000_000, outputTokens: 0,
            signals: [])
        return RiskSnapshot(
            generatedAt: 1,
            accounts: [
                "a1": AccountRisk(score: 0.8, campaignID: "C-1"), "w1": AccountRisk(score: 0.3, campaignID: "C-2"),
                "s95": AccountRisk(score: 0.95), "s75": AccountRisk(score: 0.75), "s55": AccountRisk(score: 0.55),
                "s10": AccountRisk(score: 0.1), "e1": AccountRisk(score: 0.99, campaignID: "C-1"),
            ],
            campaigns: ["C-1": campaign, "C-2": weak], accountOrgs: ["e1": "org_big"])
    }

    @Test func campaignMembersGetTheCampaignAction() {
        let d = PolicyEvaluator(policy: PolicyConfig()).evaluate(DecisionRequest(accountID: "a1"), snapshot: snapshot())
        #expect(d.action == .block)
        #expect(d.policy == "campaign")
        #expect(d.campaign == "C-1")
        #expect(d.reasons.first?.contains("C-1") == true)
    }

    @Test(arguments: [
        ("s95", DecisionAction.block), ("s75", .verify), ("s55", .throttle), ("s10", .allow), ("unknown", .allow),
    ])
    func scoreThresholds(account: String, expected: DecisionAction) {
        let d = PolicyEvaluator(policy: PolicyConfig()).evaluate(
            DecisionRequest(accountID: account), snapshot: snapshot())
        #expect(d.action == expected)
        #expect((d.retryAfterSeconds != nil) == (expected == .throttle))
    }

    @Test func tokenBudgetThrottlesAWeakCampaignThatTookTooMuch() {
        let d = PolicyEvaluator(policy: PolicyConfig()).evaluate(DecisionRequest(accountID: "w1"), snapshot: snapshot())
        #expect(d.action == .throttle)
        #expect(d.policy == "campaign_token_budget")
        var p = PolicyConfig()
        p.campaignTokenBudget = nil
        let off = PolicyEvaluator(policy: p).evaluate(DecisionRequest(accountID: "w1"), snapshot: snapshot())
        #expect(off.action == .allow)
    }

    @Test func allowlistedOrganisationWinsOverEverything() {
        var p = PolicyConfig()
        p.allowOrgs = ["org_big"]
        p.denyAccounts = ["e1"]
        let d = PolicyEvaluator(policy: p).evaluate(DecisionRequest(accountID: "e1"), snapshot: snapshot())
        #expect(d.action == .allow)
        #expect(d.policy == "allow_orgs")
        let other = PolicyEvaluator(policy: PolicyConfig()).evaluate(
            DecisionRequest(accountID: "e1"), snapshot: snapshot())
        #expect(other.action == .block)
    }

    @Test func shadowModeAllowsButKeepsThePolicyAnswer() {
        var p = PolicyConfig()
        p.shadowMode = true
        let d = PolicyEvaluator(policy: p).evaluate(DecisionRequest(accountID: "a1"), snapshot: snapshot())
        #expect(d.action == .allow)
        #expect(d.policyAction == .block)
        #expect(d.shadow)
        #expect(d.json.rendered.contains("\"would_action\":\"block\""))
    }

    @Test func denyAndThrottleLists() {
        var p = PolicyConfig()
        p.denyAccounts = ["bad"]
        p.throttleAccounts = ["slow", "a1"]
        let e = PolicyEvaluator(policy: p)
        #expect(e.evaluate(DecisionRequest(accountID: "bad"), snapshot: .empty).action == .block)
        #expect(e.evaluate(DecisionRequest(accountID: "slow"), snapshot: .empty).action == .throttle)
        // A stricter later policy still wins over the throttle list.
        #expect(e.evaluate(DecisionRequest(accountID: "a1"), snapshot: snapshot()).action == .block)
    }
}
