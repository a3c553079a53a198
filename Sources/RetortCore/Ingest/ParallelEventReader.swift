import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams events like ``EventReader`` but decodes on several threads.
///
/// One thread reads (and inflates) the file and cuts it into chunks of whole lines; worker threads decode
/// the chunks (a file of sized gzip members, ``GzipMember``, is also inflated on the worker threads); the
/// calling thread takes the decoded chunks back in file order, drops repeated
/// `request_id`s, records bad records with their file and line, and calls `body` for each event. Results
/// (events handed on, their order, the ``IngestReport``) are the same as ``EventReader``'s for the same
/// input. Memory is bounded by the chunks in flight (about `4 × workers` chunks) plus 8 bytes per request.
public final class ParallelEventReader {
    public let options: IngestOptions
    /// Decoding threads.
    public let workers: Int
    /// Target size of one chunk of lines, in (decompressed) bytes.
    public let chunkSize: Int
    /// The report and the set of requests seen are touched per event, on the thread that called `read`
    /// alone, without the runtime's exclusivity checks (see ``Investigation``).
    @exclusivity(unchecked) public private(set) var report: IngestReport
    /// Inflates sized gzip members (``GzipMember``); libdeflate when the system has it.
    var inflater = MemberInflater.preferred
    @exclusivity(unchecked) private var seen = ShardedUInt64Set(capacity: 1 << 16)

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
    /// `lookahead`, when given, sees each prepared result a few events before `body` gets it (to start
    /// loading memory that `body` will touch); it must not change what `body` does.
    public func read<Prepared>(
        path: String,
        progress: ((Int64, Int64) -> Void)? = nil,
        prepare: @escaping @Sendable (Event) -> Prepared,
        lookahead: ((Prepared) -> Void)? = nil,
        _ body: (Event, Prepared) throws -> Void
    ) throws {
        try read(
            path: path, progress: progress, prepareBatch: { events, out in for e in events { out.append(prepare(e)) } },
            lookahead: lookahead, body)
    }

    /// Reads one file like ``read(path:progress:prepare:lookahead:_:)``, preparing the events of each chunk of
    /// lines at once: `prepareBatch` appends one result per event, in order.
    func read<Prepared>(
        path: String,
        progress: ((Int64, Int64) -> Void)? = nil,
        prepareBatch: @escaping @Sendable (UnsafeBufferPointer<Event>, inout [Prepared]) -> Void,
        lookahead: ((Prepared) -> Void)? = nil,
        _ body: (Event, Prepared) throws -> Void
    ) throws {
        let hints = lookahead.map { look in Lookahead<Event, Prepared>(near: { _, p in look(p.pointee) }) }
        try read(path: path, as: Event.self, progress: progress, prepareBatch: prepareBatch, lookahead: hints) {
            // Moved out of the chunk for the call and back after it: no reference counting, and the chunk
            // still owns (and its worker later frees) every string.
            slot, prepared in
            let event = slot.move()
            defer { slot.initialize(to: event) }
            try body(event, prepared.pointee)
        }
    }

    /// Reads one file like ``read(path:progress:prepareBatch:lookahead:_:)``, decoding each line into a
    /// `Record` (the same records are good, bad or duplicates whatever the type). `body` gets each record and
    /// its prepared result in place, in the chunk (a record of a few hundred bytes passed by value was copied
    /// out and back for every call); it must leave the record initialised.
    func read<Record: DecodedRecord, Prepared>(
        path: String,
        as: Record.Type,
        progress: ((Int64, Int64) -> Void)? = nil,
        prepareBatch: @escaping @Sendable (UnsafeBufferPointer<Record>, inout [Prepared]) -> Void,
        lookahead: Lookahead<Record, Prepared>? = nil,
        _ body: (UnsafeMutablePointer<Record>, UnsafePointer<Prepared>) throws -> Void
    ) throws {
        guard let reader = try report.open(path, strict: options.strict) else { return }
        let pipeline = ChunkPipeline<Record, Prepared>(
            reader: reader, workers: workers, chunkSize: chunkSize, inflater: inflater, prepare: prepareBatch)
        pipeline.start()
        defer { pipeline.stop() }
        var lineBase = 0
        var sinceProgress = 0
        while let chunk = pipeline.next() {
            try deliver(chunk, lineBase: lineBase, path: path, lookahead: lookahead, body)
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
            pipeline.release(chunk)
        }
        pipeline.stop()
        if let digest = reader.sha256 { report.digests[path] = digest }
        progress?(pipeline.bytesRead, reader.fileSize)
    }

    private func deliver<Record: DecodedRecord, Prepared>(
        _ chunk: DecodedChunk<Record, Prepared>, lineBase: Int, path: String, lookahead: Lookahead<Record, Prepared>?,
        _ body: (UnsafeMutablePointer<Record>, UnsafePointer<Prepared>) throws -> Void
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
        // Through buffer pointers, so that each event is lent to `body` rather than copied (a copy retains
        // and releases every string of the event).
        try chunk.events.withUnsafeMutableBufferPointer { events in
            try chunk.prepared.withUnsafeBufferPointer { prepared in
                try chunk.keys.withUnsafeBufferPointer { keys in
                    // Memory for the event `ahead` places on starts loading now (the duplicate set's slot
                    // and what `lookahead` asks for): at millions of accounts and keys, these tables are far
                    // larger than the CPU's caches and each lookup would otherwise wait for memory.
                    // The duplicate set needs two steps (its directory entry, then the keys it points to).
                    let ahead = 8
                    let far = 16
                    let e = UnsafeMutablePointer(events.baseAddress!)
                    let p = prepared.baseAddress!
                    for i in 0..<min(far, events.count) {
                        seen.prefetchDirectory(keys[i])
                        lookahead?.far?(e + i, p + i)
                    }
                    for i in 0..<min(ahead, events.count) {
                        seen.prefetch(keys[i])
                        lookahead?.near(e + i, p + i)
                    }
                    for i in 0..<events.count {
                        if i + far < events.count {
                            seen.prefetchDirectory(keys[i + far])
                            lookahead?.far?(e + i + far, p + i + far)
                        }
                        if i + ahead < events.count {
                            seen.prefetch(keys[i + ahead])
                            lookahead?.near(e + i + ahead, p + i + ahead)
                        }
                        if !chunk.errors.isEmpty { try flushErrors(upTo: i) }
                        guard seen.insert(keys[i]) else {
                            report.duplicates += 1
                            continue
                        }
                        report.records += 1
                        try body(events.baseAddress! + i, prepared.baseAddress! + i)
                    }
                }
            }
        }
        try flushErrors(upTo: Int.max)
    }
}

/// Hints that a record and its prepared result will be handed to the reader's consumer soon, so that it can
/// start loading the memory it will touch: `far` about 16 records ahead, `near` about 8 (a second step can read
/// what the first asked for: a table slot, then what the slot points to). They must not change what the
/// consumer does.
struct Lookahead<Record, Prepared> {
    var far: ((UnsafePointer<Record>, UnsafePointer<Prepared>) -> Void)?
    var near: (UnsafePointer<Record>, UnsafePointer<Prepared>) -> Void
}

/// The hash under which readers remember a `request_id`.
@inline(__always)
func requestKey(_ requestID: String) -> UInt64 {
    Hash64.string(requestID, seed: requestKeySeed)
}

let requestKeySeed: UInt64 = 0x7265_7175_6573_7400
