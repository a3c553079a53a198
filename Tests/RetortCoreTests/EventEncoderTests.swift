import Testing

@testable import RetortCore

@Suite struct EventEncoderTests {
    static func fullEvent() -> Event {
        var e = Event(ts: 1_775_001_600_123, accountID: "acct \"quoted\" \\ back", requestID: "req_1")
        e.apiKeyID = "key_1"
        e.orgID = "org_é"
        e.endUserID = "user\u{1}\u{1F}"
        e.ip = IPAddress("2001:db8::1")
        e.asn = 64_512
        e.country = "DE"
        e.userAgent = "Mozilla/5.0 (X11)"
        e.tlsFingerprint = "abcdef0123456789"
        e.endpoint = "messages"
        e.model = "lumen-3"
        e.inputTokens = 1200
        e.outputTokens = 0
        e.reasoningTokens = 3000
        e.maxTokens = 1
        e.temperature = 0.7
        e.topP = 1
        e.n = 2
        e.logprobs = true
        e.topLogprobs = 20
        e.logitBiasSize = 300
        e.tools = 4
        e.thinking = false
        e.stream = true
        e.status = 429
        e.latencyMs = 15_000
        e.conversationID = "conv_9"
        e.turn = 3
        e.system = "line one\nline two\ttab\r\u{8}\u{C}"
        e.prompt = "emoji 😀, CJK 漢字, quote \" and backslash \\ and </script>"
        e.promptSHA256 = String(repeating: "ab", count: 32)
        return e
    }

    @Test(arguments: [JSONLineEncoder.TimeFormat.rfc3339, .epochMs])
    func everyFieldRoundTrips(format: JSONLineEncoder.TimeFormat) throws {
        let e = EventEncoderTests.fullEvent()
        let line = JSONLineEncoder.line(e, timeFormat: format)
        #expect(line.hasSuffix("}\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        let back = try EventDecoder().decode(String(line.dropLast()))
        #expect(back == e)
    }

    @Test func requiredFieldsOnlyAndNegativeValues() throws {
        var e = Event(ts: 0, accountID: "a", requestID: "r")
        #expect(
            JSONLineEncoder.line(e)
                == "{\"ts\":\"1970-01-01T00:00:00.000Z\",\"account_id\":\"a\",\"request_id\":\"r\"}\n")
        e.ts = -1
        e.asn = -5
        e.temperature = 1.5e-7
        let back = try EventDecoder().decode(String(JSONLineEncoder.line(e, timeFormat: .epochMs).dropLast()))
        #expect(back == e)
    }

    @Test func controlCharactersAreEscaped() {
        var e = Event(ts: 0, accountID: "a", requestID: "r")
        e.prompt = "\u{0}\u{7}x"
        let line = JSONLineEncoder.line(e)
        #expect(line.contains(#""prompt":"\u0000\u0007x""#))
    }

    @Test func accountRoundTrips() throws {
        var a = Account(accountID: "acct_\"1\"")
        a.createdAt = 1_775_001_600_000
        a.emailDomain = "uni.edu"
        a.emailLocal = "jane.doe\\1987"
        a.paymentFingerprint = "pm_x"
        a.cardBIN = "424242"
        a.signupIP = IPAddress("10.1.2.3")
        a.country = "GB"
        a.orgID = "org_1"
        a.verified = true
        a.tier = "enterprise"
        var bytes: [UInt8] = []
        JSONLineEncoder.append(a, to: &bytes)
        #expect(bytes.last == 0x0A)
        let back = try bytes.dropLast().withUnsafeBufferPointer { try AccountReader().decodeJSON($0) }
        #expect(back == a)
    }
}
