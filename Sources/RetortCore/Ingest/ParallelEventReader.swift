import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams events like ``EventReader`` but decodes on several threads.
///
/// One thread reads (and inflates) the file and cuts it into chunks of whole lines; worker threads decode
/// the chunks; the calling thread takes the decoded chunks back in file order, drops repeated
/// `request_id`s, records bad records with their file and line, and calls `body` for each event. Results
/// (events handed on, their order, the ``IngestReport``) are the same as ``EventReader``'s for the same
/// input. Memory is bounded by the chunks in flight (about `4 × workers` chunks) plus 8 bytes per request.
public final class ParallelEventReader {
    public let options: IngestOptions
    /// Decoding threads.
    public let workers: Int
    /// Target size of one chunk of lines, in (decompressed) bytes.
    public let chunkSize: Int
    public private(set) var report: IngestReport
    private var seen = UInt64Set(capacity: 1 << 16)

    /// - Parameters:
    ///   - workers: decoding threads (default: the number of online processors).
    ///   - chunkSize: bytes of lines per unit of work.
    public init(options: IngestOptions = IngestOptions(), workers: Int? = nil, chunkSize: Int = 1 << 21) {
        self.options = options
        self.workers = max(1, workers ?? ParallelEventReader.processorCount)
        self.chunkSize = max(1 << 12, chunkSize)
        self.report = IngestReport(maxReported: options.maxReportedErrors)
    }

    /// Online processors of this machine.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Reads one file, calling `body` (on the calling thread, in file order) for each good, first-seen event.
    /// `progress` gets (bytes read, file size). Errors are handled as ``EventReader/read(path:progress:_:)``
    /// handles them.
    public func read(
        path: String,
        progress: ((Int64, Int64) -> Void)? = nil,
        _ body: (Event) throws -> Void
    ) throws {
        try read(path: path, progress: progress, prepare: { _ in () }) { event, _ in try body(event) }
    }

    /// Reads one file like ``read(path:progress:_:)``, and also runs `prepare` on each decoded event on the
    /// worker threads (per-event work that needs no shared state, such as prompt fingerprints), handing its
    /// result to `body` with the event. `prepare` also runs for records later dropped as duplicates.
    public func read<Prepared>(
        path: String,
        progress: ((Int64, Int64) -> Void)? = nil,
        prepare: @escaping @Sendable (Event) -> Prepared,
        _ body: (Event, Prepared) throws -> Void
    ) throws {
        let reader: LineReader
        do {
            reader = try LineReader(path: path)
        } catch {
            if options.strict { throw error }
            report.fileErrors.append(error.description)
            return
        }
        let pipeline = ChunkPipeline(reader: reader, workers: workers, chunkSize: chunkSize, prepare: prepare)
        pipeline.start()
        defer { pipeline.stop() }
        var lineBase = 0
        var sinceProgress = 0
        while let chunk = pipeline.next() {
            try deliver(chunk, lineBase: lineBase, path: path, body)
            lineBase += chunk.lines
            sinceProgress += chunk.events.count
            if sinceProgress >= 65_536, let progress {
                sinceProgress = 0
                progress(chunk.bytesRead, reader.fileSize)
            }
            if var failure = chunk.failure {
                if failure.line != nil { failure.line = lineBase + 1 }
                if options.strict { throw failure }
                report.fileErrors.append(failure.description)
                break
            }
            pipeline.release()
        }
        progress?(pipeline.bytesRead, reader.fileSize)
    }

    private func deliver<Prepared>(
        _ chunk: DecodedChunk<Prepared>, lineBase: Int, path: String, _ body: (Event, Prepared) throws -> Void
    ) throws {
        report.lines += chunk.lines
        report.blankLines += chunk.blankLines
        var nextError = 0
        func flushErrors(upTo position: Int) throws {
            while nextError < chunk.errors.count, chunk.errors[nextError].position <= position {
                var error = chunk.errors[nextError].error
                nextError += 1
                error.file = path
                error.line += lineBase
                if options.strict {
                    throw IngestError(
                        code: .badRecord, message: error.message, file: path, line: error.line, cause: error)
                }
                report.recordBad(error)
            }
        }
        for i in chunk.events.indices {
            if !chunk.errors.isEmpty { try flushErrors(upTo: i) }
            guard seen.insert(chunk.keys[i]) else {
                report.duplicates += 1
                continue
            }
            report.records += 1
            try body(chunk.events[i], chunk.prepared[i])
        }
        try flushErrors(upTo: Int.max)
    }
}

/// The hash under which readers remember a `request_id`.
@inline(__always)
func requestKey(_ requestID: String) -> UInt64 {
    var id = requestID
    return id.withUTF8 { Hash64.bytes($0, seed: 0x7265_7175_6573_7400) }
}

/// One chunk of whole lines after decoding.
final class DecodedChunk<Prepared>: @unchecked Sendable {
    var data: [UInt8] = []
    var events: [Event] = []
    var prepared: [Prepared] = []
    var keys: [UInt64] = []
    /// Bad records with their line relative to the chunk and the number of events decoded before them.
    var errors: [(position: Int, error: RecordError)] = []
    var lines = 0
    var blankLines = 0
    var bytesRead: Int64 = 0
    var failure: IngestError?
    let ready = DispatchSemaphore(value: 0)

    /// Splits `data` into lines and decodes them.
    func decode(prepare: (Event) -> Prepared) {
        let decoder = EventDecoder()
        events.reserveCapacity(data.count / 256)
        keys.reserveCapacity(data.count / 256)
        prepared.reserveCapacity(data.count / 256)
        data.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var start = 0
            let n = buf.count
            while start < n {
                var end = n
                if let nl = memchr(base + start, 0x0A, n - start) {
                    end = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                }
                var e = end
                if e > start && buf[e - 1] == 0x0D { e -= 1 }
                lines += 1
                let line = UnsafeBufferPointer(rebasing: buf[start..<e])
                start = end + 1
                if isBlank(line) {
                    blankLines += 1
                    continue
                }
                do throws(RecordError) {
                    let event = try decoder.decode(line)
                    keys.append(requestKey(event.requestID))
                    prepared.append(prepare(event))
                    events.append(event)
                } catch var error {
                    error.line = lines
                    errors.append((events.count, error))
                }
            }
        }
        data = []
    }
}

/// Producer thread, worker threads and the ordered hand-back of ``ParallelEventReader``.
final class ChunkPipeline<Prepared>: @unchecked Sendable {
    private let reader: LineReader
    private let prepare: @Sendable (Event) -> Prepared
    private let workers: Int
    private let chunkSize: Int
    private let inFlight: Int
    private let free: DispatchSemaphore
    private let workerSlots: DispatchSemaphore
    private let available = DispatchSemaphore(value: 0)
    private let producerDone = DispatchSemaphore(value: 0)
    private let lock = DispatchQueue(label: "retort.ingest.pipeline")
    private var queue: [DecodedChunk<Prepared>] = []
    private var head = 0
    private var cancelled = false
    private var started = false
    private var finished = false
    /// Bytes read from disk when the last chunk taken was cut.
    private(set) var bytesRead: Int64 = 0

    init(reader: LineReader, workers: Int, chunkSize: Int, prepare: @escaping @Sendable (Event) -> Prepared) {
        self.reader = reader
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
            let chunk = DecodedChunk<Prepared>()
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
        var stopped = false
        do {
            try reader.forEachBlock { block in
                pending.append(contentsOf: block)
                guard pending.count >= chunkSize else { return }
                // Cut after the last newline; the rest starts the next chunk.
                var cut = pending.count
                while cut > 0, pending[cut - 1] != 0x0A { cut -= 1 }
                guard cut > 0 else { return }  // one long line: keep reading
                var rest: [UInt8] = []
                rest.reserveCapacity(chunkSize + (1 << 20))
                rest.append(contentsOf: pending[cut...])
                pending.removeSubrange(cut...)
                let full = pending
                pending = rest
                if !emit(full) { throw CancellationMarker() }
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
    func next() -> DecodedChunk<Prepared>? {
        available.wait()
        let chunk: DecodedChunk<Prepared>? = lock.sync {
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

    /// Frees the slot of the chunk last taken.
    func release() { free.signal() }

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
