import RetortCore
import Synchronization

/// A bounded queue of event batches between the HTTP handlers and the engine.
///
/// `offer` refuses a batch that would overflow the capacity (the caller answers 429) and drops events whose
/// request id was already accepted, so a retried delivery counts once.
public final class IngestQueue: Sendable {
    /// Outcome of an offer.
    public enum Outcome: Sendable, Equatable {
        case accepted(events: Int, duplicates: Int)
        case full
    }

    struct State {
        var pending = 0
        var seen = UInt64Set(capacity: 1 << 16)
        var closed = false
    }

    public let capacity: Int
    let stream: AsyncStream<[Event]>
    private let continuation: AsyncStream<[Event]>.Continuation
    private let state = Mutex(State())

    public init(capacity: Int) {
        self.capacity = capacity
        (stream, continuation) = AsyncStream.makeStream(of: [Event].self)
    }

    /// Events waiting for the engine.
    public var pending: Int { state.withLock { $0.pending } }

    /// Queues a batch unless it would overflow the queue.
    public func offer(_ events: [Event]) -> Outcome {
        state.withLock { s -> Outcome in
            if s.closed || s.pending + events.count > capacity { return .full }
            var fresh: [Event] = []
            fresh.reserveCapacity(events.count)
            for e in events where s.seen.insert(Self.key(e.requestID)) {
                fresh.append(e)
            }
            if !fresh.isEmpty {
                s.pending += fresh.count
                continuation.yield(fresh)
            }
            return .accepted(events: fresh.count, duplicates: events.count - fresh.count)
        }
    }

    /// Called by the consumer after a batch reached the engine.
    func done(_ count: Int) {
        state.withLock { $0.pending -= count }
    }

    /// Stops accepting; the consumer drains what is queued and ends.
    func close() {
        state.withLock { $0.closed = true }
        continuation.finish()
    }

    static func key(_ requestID: String) -> UInt64 {
        let h = Hash64.string(requestID)
        return h == 0 ? 1 : h
    }
}
