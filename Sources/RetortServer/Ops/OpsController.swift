import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus
import Synchronization

/// Health, readiness, metrics and read-only views of the current snapshot.
struct OpsController {
    let state: ServerState
    let ready: ReadyFlag

    func addPublicRoutes(to router: Router<RetortRequestContext>) {
        router.get("health") { _, _ in IngestController.json(.ok, .object([("status", .string("ok"))])) }
        router.get("ready") { _, _ -> Response in
            let pending = state.queue.pending
            let ok = ready.isReady && pending < state.queue.capacity
            return IngestController.json(
                ok ? .ok : .serviceUnavailable,
                .object([
                    ("ready", .bool(ok)), ("queue_events", .int(pending)),
                    ("snapshot_events", .int(state.store.snapshot.events)),
                ]))
        }
    }

    func addRoutes(to group: RouterGroup<RetortRequestContext>, metricsGroup: RouterGroup<RetortRequestContext>) {
        metricsGroup.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            let bytes = state.metrics.registry.emitToBuffer()
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        group.post("recluster") { _, _ -> Response in
            // Let queued events reach the engine first (bounded wait: 60 s).
            for _ in 0..<6000 where state.queue.pending > 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            let s = try await state.reclusterer.runOffloaded()
            return IngestController.json(
                .ok, .object([("campaigns", .int(s.campaigns.count)), ("events", .int(s.events))]))
        }
        group.get("campaigns") { _, _ -> Response in
            IngestController.json(.ok, SnapshotWriter.json(state.store.snapshot))
        }
        group.get("accounts/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            let s = state.store.snapshot
            let a = s.accounts[id]
            return IngestController.json(
                .ok,
                .object([
                    ("account_id", .string(id)), ("score", .double(a?.score ?? 0)), ("campaign", .opt(a?.campaignID)),
                    ("reasons", .array((a?.reasons ?? []).map { .string($0) })),
                ]))
        }
    }
}

/// Set once the server has built its first snapshot.
final class ReadyFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isReady: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
