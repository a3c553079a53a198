import Testing

@testable import RetortCore

@Suite struct EventDecoderTests {
    let decoder = EventDecoder()

    @Test func decodesEveryField() throws {
        var events: [Event] = []
        let reader = EventReader()
        try reader.read(path: Fixture.path("events-all-fields.jsonl")) { events.append($0) }
        #expect(reader.report.badRecords == 0)
        #expect(events.count == 3)
        let e = try #require(events.first)
        #expect(e.ts == 1_775_046_645_123)
        #expect(e.accountID == "acct_1")
        #expect(e.requestID == "r1")
        #expect(e.apiKeyID == "key_1")
        #expect(e.orgID == "org_9")
        #expect(e.endUserID == "eu_7")
        #expect(e.ip == IPAddress("203.0.113.7"))
        #expect(e.asn == 64500)
        #expect(e.country == "DE")
        #expect(e.userAgent == "openai-python/1.54.0")
        #expect(e.tlsFingerprint == "t13d1516h2_8daaf6152771_e5627efa2ab1")
        #expect(e.endpoint == "chat.completions")
        #expect(e.model == "model-large")
        #expect(e.inputTokens == 120)
        #expect(e.outputTokens == 800)
        #expect(e.reasoningTokens == 300)
        #expect(e.maxTokens == 4096)
        #expect(e.temperature == 0.7)
        #expect(e.topP == 0.95)
        #expect(e.n == 2)
        #expect(e.logprobs == true)
        #expect(e.topLogprobs == 5)
        #expect(e.logitBiasSize == 3)
        #expect(e.tools == 4)
        #expect(e.thinking == true)
        #expect(e.stream == false)
        #expect(e.status == 200)
        #expect(e.latencyMs == 5120)
        #expect(e.conversationID == "conv_1")
        #expect(e.turn == 2)
        #expect(e.system == "You are helpful.")
        #expect(e.prompt == "Explain \"quoted\" text,\nwith a newline and é and 😀.")
        #expect(e.promptSHA256 == "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    }

    @Test func bothTimeFormsAgree() throws {
        let a = try decoder.decode(#"{"ts":"2026-04-01T12:30:45.123Z","account_id":"a","request_id":"1"}"#)
        let b = try decoder.decode(#"{"ts":1775046645123,"account_id":"a","request_id":"1"}"#)
        let c = try decoder.decode(#"{"ts":"2026-04-01T14:30:45.123+02:00","account_id":"a","request_id":"1"}"#)
        let d = try decoder.decode(#"{"ts":"2026-04-01 12:30:45.123456z","account_id":"a","request_id":"1"}"#)
        #expect(a.ts == 1_775_046_645_123)
        #expect(b.ts == a.ts)
        #expect(c.ts == a.ts)
        #expect(d.ts == a.ts)
        let noFraction = try decoder.decode(#"{"ts":"2026-04-01T00:00:00Z","account_id":"a","request_id":"1"}"#)
        #expect(noFraction.ts == 1_775_001_600_000)
    }

    @Test func nullMeansAbsent() throws {
        let e = try decoder.decode(#"{"ts":0,"account_id":"a","request_id":"1","model":null,"ip":null}"#)
        #expect(e.model == nil)
        #expect(e.ip == nil)
    }

    @Test(arguments: [
        (#"{"account_id":"a","request_id":"1"}"#, RecordError.Code.missingField, "ts"),
        (#"{"ts":0,"request_id":"1"}"#, .missingField, "account_id"),
        (#"{"ts":0,"account_id":"a"}"#, .missingField, "request_id"),
        (#"{"ts":0,"account_id":"","request_id":"1"}"#, .missingField, "account_id"),
        (#"{"ts":true,"account_id":"a","request_id":"1"}"#, .wrongType, "ts"),
        (#"{"ts":"2026-13-01T00:00:00Z","account_id":"a","request_id":"1"}"#, .invalidValue, "ts"),
        (#"{"ts":"2026-02-30T00:00:00Z","account_id":"a","request_id":"1"}"#, .invalidValue, "ts"),
        (#"{"ts":"2026-04-01T00:00:00","account_id":"a","request_id":"1"}"#, .invalidValue, "ts"),
        (#"{"ts":1.5,"account_id":"a","request_id":"1"}"#, .invalidValue, "ts"),
        (#"{"ts":0,"account_id":7,"request_id":"1"}"#, .wrongType, "account_id"),
        (#"{"ts":0,"account_id":"a","request_id":"1","asn":"x"}"#, .wrongType, "asn"),
        (#"{"ts":0,"account_id":"a","request_id":"1","n":2.5}"#, .wrongType, "n"),
        (#"{"ts":0,"account_id":"a","request_id":"1","temperature":"hot"}"#, .wrongType, "temperature"),
        (#"{"ts":0,"account_id":"a","request_id":"1","stream":1}"#, .wrongType, "stream"),
        (#"{"ts":0,"account_id":"a","request_id":"1","ip":"1.2.3"}"#, .invalidValue, "ip"),
        (#"{"ts":0,"account_id":"a","request_id":"1","prompt":["x"]}"#, .wrongType, "prompt"),
    ])
    func rejectsBadFields(_ line: String, _ code: RecordError.Code, _ field: String) {
        #expect {
            _ = try decoder.decode(line)
        } throws: { error in
            let e = error as? RecordError
            return e?.code == code && e?.field == field
        }
    }

    @Test(arguments: [
        #"not json"#, #"[1,2]"#, #"{"ts":0,"account_id":"a","request_id":"1""#, #"{"ts":0,}"#,
        #"{"ts":0,"account_id":"a","request_id":"1"} extra"#, #"{"ts":01,"account_id":"a","request_id":"1"}"#,
        #"{"ts":0,"account_id":"a\x","request_id":"1"}"#, "{\"ts\":0,\"account_id\":\"a\tb\",\"request_id\":\"1\"}",
    ])
    func rejectsMalformedJSON(_ line: String) {
        #expect(throws: RecordError.self) { _ = try decoder.decode(line) }
    }

    @Test func errorDescriptionNeverShowsContent() throws {
        let secret = "my secret prompt text"
        do {
            _ = try decoder.decode(#"{"ts":0,"account_id":"a","request_id":"1","prompt":"\#(secret)","n":"two"}"#)
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains(secret))
            #expect(error.description.contains("\"n\""))
        }
    }

    @Test func timestampFormatRoundTrips() {
        for ms: Int64 in [0, 1_775_046_645_123, 951_782_400_000, 4_102_444_800_000, -1] {
            #expect(Timestamp.parseRFC3339(Timestamp.format(ms)) == ms)
        }
        #expect(Timestamp.format(1_775_001_600_000) == "2026-04-01T00:00:00.000Z")
    }
}
