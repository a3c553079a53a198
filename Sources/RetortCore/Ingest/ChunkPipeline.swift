import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Producer thread, worker threads and the ordered hand-back of ``ParallelEventReader``.
final class ChunkPipeline<Record: DecodedRecord, Prepared>: @unchecked Sendable {
    private let reader: LineReader
    private let prepare: @Sendable (UnsafeBufferPointer<Record>, inout [Prepared]) -> Void
    private let workers: Int
    private let chunkSize: Int
    private let inflater: MemberInflater
    private let inFlight: Int
    private let free: DispatchSemaphore
    private let workerSlots: DispatchSemaphore
    private let available = DispatchSemaphore(value: 0)
    private let producerDone = DispatchSemaphore(value: 0)
    private let lock = DispatchQueue(label: "retort.ingest.pipeline")
    private var queue: [DecodedChunk<Record, Prepared>] = []
    /// Chunks and line buffers handed back for reuse.
    private var spareChunks: [DecodedChunk<Record, Prepared>] = []
    private var spareBuffers: [[UInt8]] = []
    private var head = 0
    private var cancelled = false
    private var started = false
    private var finished = false
    /// Bytes read from disk when the last chunk taken was cut.
    private(set) var bytesRead: Int64 = 0

    /// `prepare` appends the prepared result of each event of a decoded chunk, in order.
    init(
        reader: LineReader, workers: Int, chunkSize: Int, inflater: MemberInflater = .preferred,
        prepare: @escaping @Sendable (UnsafeBufferPointer<Record>, inout [Prepared]) -> Void
    ) {
        self.reader = reader
        self.inflater = inflater
        self.prepare = prepare
        self.workers = workers
        self.chunkSize = chunkSize
        self.inFlight = workers * 2 + 2
        self.free = DispatchSemaphore(value: inFlight)
        self.workerSlots = DispatchSemaphore(value: workers)
    }

    func start() {
        started = true
        let thread = DispatchQueue(label: "retort.ingest.reader", qos: .userInitiated)
        thread.async { self.produce() }
    }

    private var isCancelled: Bool { lock.sync { cancelled } }

    private func produce() {
        defer { producerDone.signal() }
        var pending: [UInt8] = []
        pending.reserveCapacity(chunkSize + (1 << 20))
        let work = DispatchQueue.global(qos: .userInitiated)
        func emit(_ data: [UInt8], failure: IngestError? = nil) -> Bool {
            free.wait()
            if isCancelled { return false }
            let chunk = lock.sync { spareChunks.popLast() } ?? DecodedChunk<Record, Prepared>()
            // The worker clears the previous events (see ``DecodedChunk/clearEvents()``); a chunk with no
            // lines is not decoded, so it is cleared here.
            chunk.clearRecords()
            if data.isEmpty { chunk.clearEvents() }
            chunk.data = data
            chunk.failure = failure
            chunk.bytesRead = reader.bytesRead
            lock.sync { queue.append(chunk) }
            available.signal()
            if data.isEmpty {
                chunk.ready.signal()
            } else {
                workerSlots.wait()
                work.async {
                    chunk.decode(prepare: self.prepare)
                    chunk.ready.signal()
                    self.workerSlots.signal()
                }
            }
            return true
        }
        // Cuts `pending` after its last newline once it holds a chunk; the rest starts the next chunk.
        func cut() throws {
            guard pending.count >= chunkSize else { return }
            var cut = pending.count
            while cut > 0, pending[cut - 1] != 0x0A { cut -= 1 }
            guard cut > 0 else { return }  // one long line: keep reading
            var rest = lock.sync { spareBuffers.popLast() } ?? []
            rest.removeAll(keepingCapacity: true)
            rest.reserveCapacity(chunkSize + (1 << 20))
            rest.append(contentsOf: pending[cut...])
            pending.removeSubrange(cut...)
            let full = pending
            pending = rest
            if !emit(full) { throw CancellationMarker() }
        }
        var stopped = false
        do {
            if reader.startsWithSizedMember() {
                // Members inflate on the workers. A member of whole lines (as Retort's simulator writes
                // them) becomes a chunk as it is, without a copy.
                try reader.forEachMember(
                    inflater: inflater, queue: work, window: workers + 2,
                    spare: { lock.sync { spareBuffers.popLast() } ?? [] }
                ) { content in
                    if pending.isEmpty, content.last == 0x0A, content.count >= chunkSize / 4 {
                        if !emit(content) { throw CancellationMarker() }
                        return
                    }
                    pending.append(contentsOf: content)
                    try cut()
                }
            } else {
                try reader.forEachBlock { block in
                    pending.append(contentsOf: block)
                    try cut()
                }
            }
            if !pending.isEmpty { stopped = !emit(pending) }
        } catch let error as IngestError {
            // Lines complete before the failure are kept, as the sequential reader keeps them.
            var cut = pending.count
            while cut > 0, pending[cut - 1] != 0x0A { cut -= 1 }
            stopped = !emit(Array(pending[..<cut]), failure: error)
        } catch {
            stopped = true
        }
        if !stopped { _ = emitEnd() }
    }

    private struct CancellationMarker: Error {}

    private func emitEnd() -> Bool {
        free.wait()
        if isCancelled { return false }
        lock.sync { finished = true }
        available.signal()
        return true
    }

    /// The next decoded chunk in file order, or nil at the end.
    func next() -> DecodedChunk<Record, Prepared>? {
        available.wait()
        let chunk: DecodedChunk<Record, Prepared>? = lock.sync {
            guard head < queue.count else { return nil }
            let c = queue[head]
            head += 1
            if head > 64 {
                queue.removeFirst(head)
                head = 0
            }
            return c
        }
        guard let chunk else { return nil }
        chunk.ready.wait()
        bytesRead = chunk.bytesRead
        return chunk
    }

    /// Frees the slot of `chunk` (the chunk last taken), keeping its storage (and, until it is reused, its
    /// events) for reuse.
    func release(_ chunk: DecodedChunk<Record, Prepared>) {
        var buffer: [UInt8] = []
        swap(&buffer, &chunk.data)
        lock.sync {
            if buffer.capacity > 0 && spareBuffers.count < inFlight { spareBuffers.append(buffer) }
            if spareChunks.count < inFlight { spareChunks.append(chunk) }
        }
        free.signal()
    }

    /// Stops the producer (if still running) and waits for it.
    func stop() {
        guard started else { return }
        started = false
        lock.sync { cancelled = true }
        for _ in 0..<(inFlight + 1) { free.signal() }
        producerDone.wait()
        // Let in-flight decoding finish before the chunks are dropped.
        for _ in 0..<workers { workerSlots.wait() }
        for _ in 0..<workers { workerSlots.signal() }
    }
}
