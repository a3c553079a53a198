import Testing

@testable import RetortCore

/// `retort investigate` decodes lines into ``CompactEvent``s (strings hashed in place, prompts left in the
/// line). Everything it keeps must equal what the ``Event`` path computes from the same line.
@Suite struct CompactEventTests {
    /// Byte strings around every UTF-8 boundary case, then random ones.
    static func byteStrings() -> [[UInt8]] {
        var out: [[UInt8]] = [
            [], Array("plain ascii text, longer than eight bytes".utf8), Array("héllo wörld ✓ 𝄞 日本語".utf8),
            [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x9C], [0xF0, 0x9D, 0x84], [0x61, 0xE2, 0x9C, 0x93],
        ]
        var x: UInt64 = 77
        let pieces: [[UInt8]] = [[0x61], [0x20], Array("é".utf8), Array("✓".utf8), Array("𝄞".utf8), [0x80], [0xC3]]
        for _ in 0..<3000 {
            x = Hash64.mix(x)
            var b: [UInt8] = []
            for k in 0..<Int(x % 24) {
                let r = Hash64.mix(x &+ UInt64(k))
                if r % 5 == 0 {
                    b.append(UInt8(truncatingIfNeeded: r >> 8))
                } else {
                    b += pieces[Int(r >> 16) % (r % 7 == 0 ? pieces.count : pieces.count - 2)]
                }
            }
            out.append(b)
        }
        return out
    }

    @Test func utf8CheckAgreesWithString() {
        for b in Self.byteStrings() {
            let kept = Array(String(decoding: b, as: UTF8.self).utf8) == b
            let valid = b.withUnsafeBufferPointer { JSONScanner.isValidUTF8($0) }
            #expect(valid == kept, "\(b)")
        }
    }

    /// JSON string literals (with their quotes): escapes of every kind, surrogates, raw invalid bytes.
    static func literals() -> [[UInt8]] {
        var out: [[UInt8]] = [
            #""""#, #""plain""#, #""line\none\ttab \"quoted\" back\\slash \/ \b\f\r""#, #""\u00e9\u2713\ud834\udd1e""#,
            #""lone \ud834 high, lone \udd1e low, \uD834\uDD1E upper""#, #""\u0000 nul""#, #""é raw ✓ and \n""#,
        ].map { Array($0.utf8) }
        for b in byteStrings() {
            let s = b.filter { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }
            out.append([0x22] + s + [0x22])
            out.append([0x22] + s + Array(#"\n"#.utf8) + s + [0x22])
        }
        return out
    }

    @Test func textBytesAreTheStringsBytes() {
        var scratch: [UInt8] = []
        for literal in Self.literals() {
            literal.withUnsafeBufferPointer { buf in
                var s = JSONScanner(buf)
                let want = Array((try? s.readString())?.utf8 ?? "<bad>".utf8)
                var t = JSONScanner(buf)
                guard let (start, end, escaped) = try? t.scanStringSpan() else {
                    Issue.record("literal does not scan: \(literal)")
                    return
                }
                let got = JSONScanner.withText(
                    UnsafeBufferPointer(rebasing: buf[start..<end]), escaped: escaped, scratch: &scratch
                ) { Array($0) }
                #expect(got == want, "\(literal)")
                // The scan that also reports ASCII: exactly when every raw byte is; and trusting it to skip the
                // UTF-8 check still gives the string's bytes.
                var u = JSONScanner(buf)
                guard let (_, _, _, ascii) = try? u.scanTextSpan() else {
                    Issue.record("literal does not scan for its ASCII flag: \(literal)")
                    return
                }
                #expect(ascii == buf[start..<end].allSatisfy { $0 < 0x80 }, "\(literal)")
                let trusted = JSONScanner.withText(
                    UnsafeBufferPointer(rebasing: buf[start..<end]), escaped: escaped, ascii: ascii, scratch: &scratch
                ) { Array($0) }
                #expect(trusted == want, "\(literal)")
            }
        }
    }

    /// Lines with every kept field present, absent, null, repeated, escaped or empty.
    static func lines() -> [String] {
        var out = [
            #"{"ts":"2025-01-01T00:00:00Z","account_id":"a1","request_id":"r1"}"#,
            #"{"ts":1735689600000,"account_id":"acct_\u0031","request_id":"r\"2","api_key_id":"k1","org_id":"org_long_name_over_fifteen","end_user_id":"u","ip":"10.1.2.3","asn":64500,"country":"DE","user_agent":"python-httpx/0.27.0 (a long user agent)","tls_fingerprint":"t13d1516h2_8daaf6152771_02713d6af862","endpoint":"/v1/chat/completions","model":"m-large","input_tokens":12,"output_tokens":300,"reasoning_tokens":0,"max_tokens":4096,"temperature":0.7,"top_p":1,"n":2,"logprobs":true,"top_logprobs":5,"logit_bias_size":3,"tools":1,"thinking":true,"stream":false,"status":429,"latency_ms":812,"conversation_id":"c1","turn":3,"system":"You are a helpful assistant.\nBe brief.","prompt":"Think step by step: what is 2+2?","prompt_sha256":"ABCdef0123"}"#,
            #"{"ts":1,"account_id":"a2","request_id":"r3","system":"","prompt":"","prompt_sha256":""}"#,
            #"{"ts":1,"account_id":"a2","request_id":"r4","system":"first","system":"","model":"a","model":"b","conversation_id":"c","conversation_id":""}"#,
            #"{"ts":1,"account_id":"a2","request_id":"r5","user_agent":null,"model":null,"endpoint":null,"prompt":null}"#,
            #"{"ts":1,"account_id":"a3","request_id":"r6","prompt":"caf\u00e9 \ud83d\ude00 \ud800 lone","system":"sys \t tab"}"#,
            #"{"ts":1,"account_id":"a3","request_id":"r7","prompt_sha256":"\u00c9E","user_agent":"\u00e9"}"#,
            #"{"ts":1,"account_id":"a3","request_id":"r8","ip":"2001:db8::1","end_user_id":"","api_key_id":""}"#,
        ]
        for i in 0..<50 {
            var e = Event(ts: Int64(i) * 1000, accountID: "acct-\(i % 7)", requestID: "req-\(i)-abcdefghijklmnop")
            e.userAgent = i % 3 == 0 ? nil : "agent/\(i % 4) with some words"
            e.model = i % 5 == 0 ? nil : "model-\(i % 2)"
            e.system = i % 4 == 0 ? nil : "You are assistant number \(i % 3).\nAnswer in \"quotes\"."
            e.prompt = i % 6 == 0 ? nil : "Solve problem \(i % 9):\n\tx = \(i) — é ✓"
            e.maxTokens = i % 2 == 0 ? 16 : nil
            e.temperature = i % 3 == 0 ? 0.25 : nil
            e.conversationID = [nil, "", "conv-\(i % 5)", "conv \"\(i)\" é"][i % 4]
            out.append(JSONLineEncoder.line(e))
        }
        return out
    }

    static func decodeCompact(_ line: String) throws(RecordError) -> CompactEvent {
        var bytes = Array(line.utf8)
        var interner = StringInterner(slots: 64)
        var scratch: [UInt8] = []
        // The spans in `text` point into `bytes`; only the hashes are compared here.
        let result = bytes.withUnsafeMutableBufferPointer { buf in
            Result { () throws(RecordError) in
                try CompactEvent.decode(
                    UnsafeBufferPointer(buf), EventDecoder(), interner: &interner, scratch: &scratch
                ).record
            }
        }
        return try result.get()
    }

    @Test(arguments: lines())
    func decodedRecordMatchesTheEvent(line: String) throws {
        let event = try EventDecoder().decode(line)
        let c = try Self.decodeCompact(line)
        let e = CompactEvent(event)
        #expect(c.ts == e.ts && c.accountID == e.accountID && c.orgID == e.orgID)
        #expect(c.ip == e.ip && c.asn == e.asn && c.status == e.status && c.turn == e.turn)
        #expect(c.inputTokens == e.inputTokens && c.outputTokens == e.outputTokens)
        #expect(c.reasoningTokens == e.reasoningTokens && c.maxTokens == e.maxTokens && c.n == e.n)
        #expect(c.temperature == e.temperature && c.thinking == e.thinking && c.tools == e.tools)
        #expect(c.topLogprobs == e.topLogprobs && c.logitBiasSize == e.logitBiasSize)
        #expect(c.present == e.present)
        for (field, a, b) in [
            (CompactEvent.Present.userAgent, c.userAgent, e.userAgent),
            (.tlsFingerprint, c.tlsFingerprint, e.tlsFingerprint),
            (.apiKeyID, c.apiKeyID, e.apiKeyID), (.endUserID, c.endUserID, e.endUserID), (.model, c.model, e.model),
            (.endpoint, c.endpoint, e.endpoint), (.system, c.system, e.system),
            (.conversation, c.conversation, e.conversation),
        ] where e.present.contains(field) {
            #expect(a == b, "\(field)")
        }
        #expect(c.requestKey == requestKey(event.requestID))
        #expect((c.text.prompt.count > 0) == !(event.prompt ?? "").isEmpty)
        #expect((c.text.system.count > 0) == !(event.system ?? "").isEmpty)
        if let p = event.prompt, !p.isEmpty {
            #expect(c.text.promptLanes == Hash64.textStringPair(p, seeds: PromptInput.promptSeeds))
        }
        if let s = event.system, !s.isEmpty {
            #expect(c.text.systemLanes == Hash64.stringPair(s, seeds: PromptInput.systemSeeds))
        }
        let sha = event.promptSHA256.flatMap { $0.isEmpty ? nil : Hash64.string($0.lowercased(), seed: 0x736861) }
        #expect(c.text.sha == sha)
    }

    @Test func badRecordsFailTheSameWay() throws {
        let bad = [
            #"{"account_id":"a","request_id":"r"}"#, #"{"ts":1,"request_id":"r"}"#, #"{"ts":1,"account_id":"a"}"#,
            #"{"ts":1,"account_id":"","request_id":"r"}"#, #"{"ts":1,"account_id":"a","request_id":""}"#,
            #"{"ts":1,"account_id":"a","request_id":"r","model":3}"#, #"{"ts":1,"account_id":"a","request_id":"r""#,
            #"{"ts":1,"account_id":"a","request_id":"r","prompt":"bad \x"}"#, "[1]", "",
            #"{"ts":1,"account_id":"a","request_id":"r","ip":"999.1.1.1"}"#,
            #"{"ts":"yesterday","account_id":"a","request_id":"r","max_tokens":1.5}"#,
        ]
        for line in bad {
            var want: RecordError?
            do { _ = try EventDecoder().decode(line) } catch { want = error }
            var got: RecordError?
            do { _ = try Self.decodeCompact(line) } catch { got = error }
            #expect(want != nil, "\(line)")
            #expect(got?.code == want?.code && got?.message == want?.message && got?.field == want?.field, "\(line)")
        }
    }

    @Test func batchAnalysisMatchesTheAnalyser() throws {
        let analyzer = ContentAnalyzer()
        var lines = Self.lines()
        for r in AnalysisCacheTests.events(1500) { lines.append(JSONLineEncoder.line(r)) }
        let events = try lines.map { try EventDecoder().decode($0) }
        let want = events.map { analyzer.analyze($0) }
        // One buffer of all lines, as a chunk holds them, so that the records' spans stay valid.
        let data = Array(lines.joined(separator: "\n").utf8)
        for capacity in [0, 64, 1 << 12] {
            let cache = AnalysisCache(analyzer: analyzer, capacity: capacity)
            var got: [PromptAnalysis] = []
            data.withUnsafeBufferPointer { buf in
                var records: [CompactEvent] = []
                var interner = StringInterner(slots: 64)
                var scratch: [UInt8] = []
                var start = 0
                while start < buf.count {
                    var end = start
                    while end < buf.count && buf[end] != 0x0A { end += 1 }
                    let line = UnsafeBufferPointer(rebasing: buf[start..<end])
                    if let r = try? CompactEvent.decode(line, EventDecoder(), interner: &interner, scratch: &scratch) {
                        records.append(r.record)
                    }
                    start = end + 1
                }
                var from = 0
                for size in [1, 9, 700, 0, 3000] where from < records.count {
                    let to = min(records.count, from + size)
                    records[from..<to].withUnsafeBufferPointer { cache.analyze($0, into: &got) }
                    from = to
                }
            }
            #expect(got.count == want.count)
            for (a, b) in zip(got, want) { #expect(a == b) }
            if capacity > 0 { #expect(cache.counts.hits > 0 && cache.counts.misses > 0) }
        }
    }

    @Test func accountsSharingAKeyStayApart() {
        // Two ids under one key (a 64-bit collision, forced here): the first keeps the key, the second is
        // found through the dictionary; ids added by account records are found by key later.
        let inv = Investigation()
        inv.add(Account(accountID: "from-record"))
        let a = inv.intern("a", key: 1)
        let b = inv.intern("b", key: 1)
        #expect(a != b)
        #expect(inv.intern("a", key: 1) == a && inv.intern("b", key: 1) == b)
        #expect(inv.intern("a", key: Investigation.accountKey("a")) == a)
        let r = inv.intern("from-record", key: Investigation.accountKey("from-record"))
        #expect(r == 0 && inv.intern("from-record", key: Investigation.accountKey("from-record")) == 0)
        #expect(inv.accountCount == 3)
    }
}
