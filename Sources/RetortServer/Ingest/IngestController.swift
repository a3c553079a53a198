import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus
import RetortCore

/// `POST /v1/events` (JSON Lines or a JSON array of events), `POST /v1/traces` (OTLP/HTTP JSON) and
/// `POST /v1/accounts` (account records, JSON Lines).
struct IngestController {
    let state: ServerState

    func addRoutes(to group: RouterGroup<RetortRequestContext>) {
        group.post("events", use: events)
        group.post("traces", use: traces)
        group.post("accounts", use: accounts)
    }

    @Sendable func events(_ request: Request, context: RetortRequestContext) async throws -> Response {
        let body = try await Self.collect(request, limit: state.config.maxBodyBytes)
        let decoded = try EventBatchDecoder().decode(body)
        state.metrics.eventsBad.increment(by: Int64(decoded.badRecords))
        let strict = request.uri.queryParameters.get("strict") == "true"
        if decoded.events.isEmpty && decoded.badRecords > 0 || strict && decoded.badRecords > 0 {
            let first = decoded.errors.first.map { Self.describe($0) } ?? "no events"
            throw ServerError(
                .badRequest, "\(decoded.badRecords) bad record(s), none accepted; first: \(first)")
        }
        if decoded.events.isEmpty && decoded.badRecords == 0 {
            throw ServerError(.badRequest, "body holds no events (JSON Lines or a JSON array expected)")
        }
        return try enqueue(decoded.events, bad: decoded.badRecords, errors: decoded.errors.map(Self.describe))
    }

    @Sendable func traces(_ request: Request, context: RetortRequestContext) async throws -> Response {
        if let type = request.headers[.contentType], type.contains("protobuf") {
            throw ServerError(
                .unsupportedMediaType, "OTLP protobuf is not supported; export with OTLP/HTTP JSON (application/json)")
        }
        let body = try await Self.collect(request, limit: state.config.maxBodyBytes)
        let header = HTTPField.Name(state.config.otlp.accountHeader).flatMap { request.headers[$0] }
        let mapped = try OTLPTraceMapper(accountAttributes: state.config.otlp.accountAttributes)
            .map(body, defaultAccount: header)
        state.metrics.spansReceived.increment(by: Int64(mapped.events.count + mapped.skipped + mapped.rejected.count))
        if !mapped.events.isEmpty {
            switch state.queue.offer(mapped.events) {
            case .full:
                state.metrics.ingestRejected.increment()
                throw ServerError(
                    .overloaded, "ingest queue full", retryAfterSeconds: state.config.queueRetryAfterSeconds)
            case .accepted(let n, _):
                state.metrics.eventsIngested.increment(by: Int64(n))
            }
        }
        var fields: [(String, JSONText)] = []
        if !mapped.rejected.isEmpty {
            fields.append(
                (
                    "partialSuccess",
                    .object([
                        ("rejectedSpans", .string(String(mapped.rejected.count))),
                        ("errorMessage", .string(mapped.rejected.prefix(5).joined(separator: "; "))),
                    ])
                ))
        }
        return Self.json(.ok, .object(fields))
    }

    @Sendable func accounts(_ request: Request, context: RetortRequestContext) async throws -> Response {
        let body = try await Self.collect(request, limit: state.config.maxBodyBytes)
        let reader = AccountReader()
        var good: [Account] = []
        var errors: [String] = []
        var line = 0
        body.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                var end = start
                while end < all.count, all[end] != UInt8(ascii: "\n") { end += 1 }
                line += 1
                let slice = UnsafeBufferPointer(rebasing: all[start..<end])
                if slice.contains(where: { !EventBatchDecoder.isSpace($0) }) {
                    do {
                        good.append(try reader.decodeJSON(slice))
                    } catch let error as RecordError {
                        var e = error
                        e.line = line
                        errors.append(Self.describe(e))
                    } catch {
                        errors.append("line \(line): \(error)")
                    }
                }
                start = end + 1
            }
        }
        if good.isEmpty {
            throw ServerError(
                .badRequest, errors.first.map { "no valid account record; first: \($0)" } ?? "no accounts")
        }
        state.addAccounts(good)
        return Self.json(
            .accepted,
            .object([
                ("accepted", .int(good.count)), ("bad_records", .int(errors.count)),
                ("errors", .array(errors.prefix(20).map { .string($0) })),
            ]))
    }

    func enqueue(_ events: [Event], bad: Int, errors: [String]) throws -> Response {
        switch state.queue.offer(events) {
        case .full:
            state.metrics.ingestRejected.increment()
            throw ServerError(
                .overloaded, "ingest queue full (\(state.queue.capacity) events); retry later",
                retryAfterSeconds: state.config.queueRetryAfterSeconds)
        case .accepted(let n, let dups):
            state.metrics.eventsIngested.increment(by: Int64(n))
            state.metrics.eventsDuplicate.increment(by: Int64(dups))
            state.metrics.queueDepth.set(Double(state.queue.pending))
            return Self.json(
                .accepted,
                .object([
                    ("accepted", .int(n)), ("duplicates", .int(dups)), ("bad_records", .int(bad)),
                    ("errors", .array(errors.map { .string($0) })),
                ]))
        }
    }

    static func describe(_ e: RecordError) -> String {
        let place = e.file == "element" ? "element \(e.line)" : "line \(e.line)"
        return "\(place): \(e.code.rawValue): \(e.message)"
    }

    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ServerError(.tooLarge, "body larger than \(limit) bytes")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: JSONText, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = "application/json"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: body.rendered)))
    }
}
