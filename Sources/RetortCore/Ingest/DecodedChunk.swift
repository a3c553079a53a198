import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A record type that chunks of lines decode into: ``Event``, or the investigation's ``CompactEvent``.
protocol DecodedRecord: SendableMetatype {
    /// Decodes one line, and gives the key under which its request id is remembered (``requestKey(_:)``).
    static func decode(
        _ line: UnsafeBufferPointer<UInt8>, _ decoder: EventDecoder, interner: inout StringInterner,
        scratch: inout [UInt8]
    ) throws(RecordError) -> (record: Self, key: UInt64)
}

extension Event: DecodedRecord {
    @inline(__always)
    static func decode(
        _ line: UnsafeBufferPointer<UInt8>, _ decoder: EventDecoder, interner: inout StringInterner,
        scratch: inout [UInt8]
    ) throws(RecordError) -> (record: Event, key: UInt64) {
        let event = try decoder.decode(line, interner: &interner)
        return (event, requestKey(event.requestID))
    }
}

extension CompactEvent: DecodedRecord {
    @inline(__always)
    static func decode(
        _ line: UnsafeBufferPointer<UInt8>, _ decoder: EventDecoder, interner: inout StringInterner,
        scratch: inout [UInt8]
    ) throws(RecordError) -> (record: CompactEvent, key: UInt64) {
        var event = CompactEvent()
        try decoder.decode(line, into: &event, interner: &interner, scratch: &scratch)
        return (event, event.requestKey)
    }
}

/// One chunk of whole lines after decoding.
final class DecodedChunk<Record: DecodedRecord, Prepared>: @unchecked Sendable {
    var data: [UInt8] = []
    var events: [Record] = []
    var prepared: [Prepared] = []
    var keys: [UInt64] = []
    /// Bad records with their line relative to the chunk and the number of events decoded before them.
    var errors: [(position: Int, error: RecordError)] = []
    var lines = 0
    var blankLines = 0
    var bytesRead: Int64 = 0
    var failure: IngestError?
    let ready = DispatchSemaphore(value: 0)

    /// Empties the chunk for reuse, keeping its storage (allocating fresh multi-megabyte arrays for every
    /// chunk cost page faults and heap trimming, seen in the profile).
    func reset() {
        clearEvents()
        clearRecords()
    }

    /// Drops the decoded events. A worker does this before it decodes into a recycled chunk, so that the
    /// events' strings are freed by the decoding threads that allocate them: freed on the consumer's
    /// thread, they went back to the workers' heap arenas one lock at a time (`malloc_consolidate`,
    /// `_int_free` and `unlink_chunk` at ~8% of a run).
    func clearEvents() {
        events.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        prepared.removeAll(keepingCapacity: true)
    }

    /// Clears the line counts, bad records and failure.
    func clearRecords() {
        errors.removeAll(keepingCapacity: true)
        lines = 0
        blankLines = 0
        failure = nil
    }

    /// Splits `data` into lines and decodes them, then prepares the events (`prepare` appends one result
    /// per event, in order: all at once, so that it can start loading what it needs for later events
    /// before it works on earlier ones).
    func decode(prepare: (UnsafeBufferPointer<Record>, inout [Prepared]) -> Void) {
        clearEvents()
        let decoder = EventDecoder()
        var interner = StringInterner(slots: 1024)
        var scratch: [UInt8] = []
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
                    let (event, key) = try Record.decode(line, decoder, interner: &interner, scratch: &scratch)
                    keys.append(key)
                    events.append(event)
                } catch var error {
                    error.line = lines
                    errors.append((events.count, error))
                }
            }
        }
        events.withUnsafeBufferPointer { prepare($0, &prepared) }
    }
}
