import Foundation
import RetortCore
import Testing

@testable import RetortServer

@Suite struct WebhookSignerTests {
    /// The example of the Standard Webhooks specification.
    @Test func standardWebhooksExample() {
        let signer = WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let sig = signer.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func signatureChangesWithBody() {
        let signer = WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let a = signer.signature(id: "m", timestamp: 1, body: Array("a".utf8))
        let b = signer.signature(id: "m", timestamp: 1, body: Array("b".utf8))
        #expect(a != b)
    }
}

@Suite struct SignupScorerTests {
    func snapshot() -> RiskSnapshot {
        var accounts: [String: Account] = [:]
        for i in 0..<4 {
            var a = Account(accountID: "c\(i)")
            a.paymentFingerprint = "card_shared"
            a.cardBIN = "411111"
            a.signupIP = IPAddress("203.0.113.\(i + 1)")
            a.emailDomain = "mail.example"
            a.emailLocal = "user\(1000 + i)"
            accounts[a.accountID] = a
        }
        let c = CampaignRisk(
            id: "C-9", score: 0.9, accounts: ["c0", "c1", "c2", "c3"], exchanges: 1, inputTokens: 0, outputTokens: 0,
            signals: [])
        return RiskSnapshot(
            generatedAt: 0, accounts: [:], campaigns: ["C-9": c],
            identity: IdentityIndex(accounts: accounts, campaigns: [c]))
    }

    @Test func reusedCardIsBlocked() {
        let s = SignupScorer(config: SignupConfig(), allowOrgs: [])
        var r = SignupScorer.Request()
        r.paymentFingerprint = "card_shared"
        r.signupIP = "203.0.113.77"
        let out = s.score(r, snapshot: snapshot(), now: 0)
        #expect(out.action == .block)
        #expect(out.campaign == "C-9")
        #expect(out.reasons.count == 2)
    }

    @Test func emailPatternAndBinAloneAskForVerification() {
        let s = SignupScorer(config: SignupConfig(), allowOrgs: [])
        var r = SignupScorer.Request()
        r.emailDomain = "mail.example"
        r.emailLocal = "user5555"
        r.cardBIN = "411111"
        let out = s.score(r, snapshot: snapshot(), now: 0)
        #expect(out.action == .verify)
    }

    @Test func unrelatedSignupIsAllowedUntilABurst() {
        let s = SignupScorer(config: SignupConfig(), allowOrgs: [])
        var r = SignupScorer.Request()
        r.signupIP = "198.51.100.7"
        r.emailDomain = "gmail.com"
        r.emailLocal = "someone"
        var last = s.score(r, snapshot: snapshot(), now: 1_000)
        #expect(last.action == .allow && last.score == 0)
        for i in 1..<5 { last = s.score(r, snapshot: snapshot(), now: 1_000 + Int64(i) * 60_000) }
        #expect(last.score > 0)
        #expect(last.reasons.first?.contains("sign-ups from 198.51.100.0/24") == true)
        // Outside the window the burst is forgotten.
        let later = s.score(r, snapshot: snapshot(), now: 1_000 + 10 * 3_600_000)
        #expect(later.score == 0)
    }

    @Test func allowlistedOrganisation() {
        let s = SignupScorer(config: SignupConfig(), allowOrgs: ["org_ok"])
        var r = SignupScorer.Request()
        r.paymentFingerprint = "card_shared"
        r.orgID = "org_ok"
        #expect(s.score(r, snapshot: snapshot(), now: 0).action == .allow)
    }
}

@Suite struct ProxyParsingTests {
    @Test func openAIChatRequest() throws {
        let body = """
            {"model": "gpt-x", "max_completion_tokens": 64, "temperature": 0, "n": 2, "logprobs": true,
             "top_logprobs": 5, "logit_bias": {"1": 10, "2": -10}, "stream": true, "user": "eu1",
             "messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "q1"},
                          {"role": "assistant", "content": "a1"},
                          {"role": "user", "content": [{"type": "text", "text": "q2"}]}]}
            """
        let i = try ProviderRequestInfo.parse(Array(body.utf8))
        #expect(i.model == "gpt-x" && i.maxTokens == 64 && i.temperature == 0 && i.n == 2)
        #expect(i.logprobs == true && i.topLogprobs == 5 && i.logitBiasSize == 2 && i.stream)
        #expect(i.endUserID == "eu1" && i.system == "sys" && i.prompt == "q2" && i.turn == 2)
    }

    @Test func anthropicRequestWithThinking() throws {
        let body = """
            {"model": "claude-x", "max_tokens": 1024, "system": "be brief", "thinking": {"type": "enabled",
             "budget_tokens": 512}, "metadata": {"user_id": "u7"}, "messages": [{"role": "user", "content": "hi"}]}
            """
        let i = try ProviderRequestInfo.parse(Array(body.utf8))
        #expect(i.thinking == true && i.endUserID == "u7" && i.system == "be brief" && i.turn == 1)
        #expect(throws: ServerError.self) { try ProviderRequestInfo.parse(Array("[1]".utf8)) }
    }

    @Test func usageFromBodiesAndStreams() {
        let chat = #"{"usage": {"prompt_tokens": 3, "completion_tokens": 5}}"#
        #expect(UsageExtractor.extract(Array(chat.utf8), streamed: false) == .init(input: 3, output: 5))
        let sse = """
            event: message_start
            data: {"type": "message_start", "message": {"usage": {"input_tokens": 9, "output_tokens": 1}}}

            data: {"type": "message_delta", "usage": {"output_tokens": 12}}

            data: [DONE]
            """
        #expect(UsageExtractor.extract(Array(sse.utf8), streamed: true) == .init(input: 9, output: 12))
    }

    @Test func upstreamURLJoining() {
        #expect(ProxyController.join("http://h:1", "/v1/messages", query: nil) == "http://h:1/v1/messages")
        #expect(
            ProxyController.join("http://h:1/v1/", "/v1/chat/completions", query: "a=b")
                == "http://h:1/v1/chat/completions?a=b")
    }
}

@Suite struct ConfigFileTests {
    /// The documented default configuration in config/serve.json decodes and means what docs/serve.md says.
    @Test func shippedConfigDecodes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let config = try ServeConfig.load(path: root.appendingPathComponent("config/serve.json").path)
        #expect(config.policy.shadowMode)
        #expect(config.policy.campaignAction == .block)
        #expect(config.engine == "investigation")
        #expect(config.port == 8700)
    }

    @Test func emptyObjectIsAValidConfigAndBadValuesAreNamed() throws {
        let empty = try JSONDecoder().decode(ServeConfig.self, from: Data("{}".utf8))
        #expect(empty == ServeConfig())
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ServeConfig.self, from: Data(#"{"policy": {"campaign_action": "nuke"}}"#.utf8))
        }
    }
}
