import Foundation
import RetortCore
import Testing

@testable import RetortServer

@Suite struct EventBatchDecoderTests {
    @Test func jsonLinesWithBlankAndBadLines() throws {
        let body = """
            {"ts": 1700000000000, "account_id": "a", "request_id": "r1"}

            {"ts": "2023-11-14T22:13:20Z", "account_id": "b", "request_id": "r2", "model": "m"}
            not json
            {"ts": 1, "request_id": "r3"}
            """
        let r = try EventBatchDecoder().decode(Array(body.utf8))
        #expect(r.events.map(\.requestID) == ["r1", "r2"])
        #expect(r.events[1].ts == 1_700_000_000_000)
        #expect(r.badRecords == 2)
        #expect(r.errors.map(\.line) == [4, 5])
        #expect(r.errors[1].message.contains("account_id"))
    }

    @Test func jsonArrayWithTrickyStrings() throws {
        let body = """
            [ {"ts": 1, "account_id": "a,]", "request_id": "r1", "prompt": "say \\"[1, 2]\\" {ok}"},
              {"ts": 2, "account_id": "b", "request_id": "r2"} ]
            """
        let r = try EventBatchDecoder().decode(Array(body.utf8))
        #expect(r.isArray)
        #expect(r.events.map(\.accountID) == ["a,]", "b"])
        #expect(r.events[0].prompt == "say \"[1, 2]\" {ok}")
    }

    @Test func unterminatedArrayIsABadRequest() {
        #expect(throws: ServerError.self) {
            try EventBatchDecoder().decode(Array("[{\"ts\": 1}".utf8))
        }
        #expect(throws: ServerError.self) {
            try EventBatchDecoder().decode(Array("[] trailing".utf8))
        }
    }
}

@Suite struct IngestQueueTests {
    func events(_ ids: [String]) -> [Event] {
        ids.map { Event(ts: 1, accountID: "a", requestID: $0) }
    }

    @Test func duplicatesCountOnceAcrossAndWithinBatches() {
        let q = IngestQueue(capacity: 100)
        #expect(q.offer(events(["a", "b", "a"])) == .accepted(events: 2, duplicates: 1))
        #expect(q.offer(events(["b", "c"])) == .accepted(events: 1, duplicates: 1))
        #expect(q.pending == 3)
    }

    @Test func fullQueueRefusesWithoutRecordingIDs() {
        let q = IngestQueue(capacity: 2)
        #expect(q.offer(events(["a", "b", "c"])) == .full)
        #expect(q.offer(events(["a", "b"])) == .accepted(events: 2, duplicates: 0))
        q.done(2)
        #expect(q.offer(events(["c"])) == .accepted(events: 1, duplicates: 0))
    }
}

@Suite struct OTLPTraceMapperTests {
    let body = """
        {"resourceSpans": [{"resource": {"attributes": [{"key": "enduser.id", "value": {"stringValue": "res_acct"}}]},
          "scopeSpans": [{"spans": [
            {"traceId": "t1", "spanId": "s1", "startTimeUnixNano": "1700000000123000000",
             "endTimeUnixNano": "1700000001123000000", "attributes": [
               {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
               {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-x"}},
               {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "12"}},
               {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 34}},
               {"key": "gen_ai.request.max_tokens", "value": {"intValue": "256"}},
               {"key": "gen_ai.request.temperature", "value": {"doubleValue": 0.2}},
               {"key": "gen_ai.conversation.id", "value": {"stringValue": "conv9"}},
               {"key": "retort.account_id", "value": {"stringValue": "span_acct"}}]},
            {"traceId": "t1", "spanId": "s2", "startTimeUnixNano": "1700000000000000000",
             "attributes": [{"key": "gen_ai.request.model", "value": {"stringValue": "m"}}]},
            {"traceId": "t1", "spanId": "s3", "startTimeUnixNano": "1", "attributes": [
               {"key": "http.route", "value": {"stringValue": "/x"}}]}
          ]}]}]}
        """

    @Test func mapsGenAIAttributes() throws {
        let r = try OTLPTraceMapper(accountAttributes: OTLPConfig().accountAttributes)
            .map(Array(body.utf8), defaultAccount: nil)
        #expect(r.events.count == 2)
        #expect(r.skipped == 1)
        let e = r.events[0]
        #expect(e.accountID == "span_acct")
        #expect(e.requestID == "t1:s1")
        #expect(e.ts == 1_700_000_000_123)
        #expect(e.model == "gpt-x")
        #expect(e.inputTokens == 12 && e.outputTokens == 34 && e.maxTokens == 256)
        #expect(e.temperature == 0.2)
        #expect(e.conversationID == "conv9")
        #expect(e.endpoint == "chat.completions")
        #expect(e.latencyMs == 1000)
        // The second span has no account attribute of its own: the resource's enduser.id applies.
        #expect(r.events[1].accountID == "res_acct")
    }

    @Test func spansWithoutAnyAccountAreRejectedWithAReason() throws {
        let noAccount = body.replacingOccurrences(of: "enduser.id", with: "service.name")
        let r = try OTLPTraceMapper(accountAttributes: ["retort.account_id"])
            .map(Array(noAccount.utf8), defaultAccount: nil)
        #expect(r.events.count == 1)
        #expect(r.rejected.count == 1)
        #expect(r.rejected[0].contains("s2"))
        let withHeader = try OTLPTraceMapper(accountAttributes: ["retort.account_id"])
            .map(Array(noAccount.utf8), defaultAccount: "hdr")
        #expect(withHeader.events.map(\.accountID) == ["span_acct", "hdr"])
    }
}
