import Foundation
import RetortCore

/// Generates a simulated request log with ground truth from a ``Scenario``.
///
/// The window is processed hour by hour: actors due in an hour emit their requests, the hour's requests
/// are sorted by time and encoded straight into a gzip stream, so memory stays bounded whatever the size.
public struct Simulator {
    public let scenario: Scenario
    public let corpus: PromptCorpus

    /// What a run wrote.
    public struct Summary: Sendable {
        public var events: Int = 0
        public var accounts: Int = 0
        public var campaignAccounts: Int = 0
        public var campaignEvents: Int = 0
        public var uncompressedBytes: Int64 = 0
        public var compressedBytes: Int64 = 0
        public var seconds: Double = 0
    }

    public init(scenario: Scenario, corpus: PromptCorpus) {
        self.scenario = scenario
        self.corpus = corpus
    }

    /// Writes `events.jsonl.gz`, `accounts.jsonl` and `truth.jsonl` into `directory` (created if needed).
    /// `progress` is called about once per simulated day with the fraction done and events so far.
    public func run(
        directory: String, progress: ((Double, Int) -> Void)? = nil
    ) throws -> Summary {
        let clock = ContinuousClock.now
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ctx = SimContext(scenario: scenario, corpus: corpus)
        let actors = ActorFactory.build(ctx: ctx)
        let hours = Int((ctx.endMs - ctx.startMs) / 3_600_000)
        var buckets = [[Int32]](repeating: [], count: hours)
        func schedule(_ i: Int, from hour: Int) {
            let t = actors[i].nextWake
            guard t < ctx.endMs else { return }
            let h = max(hour, Int((max(t, ctx.startMs) - ctx.startMs) / 3_600_000))
            if h < hours { buckets[h].append(Int32(i)) }
        }
        for i in actors.indices { schedule(i, from: 0) }

        let writer = try GzipWriter(
            path: directory + "/events.jsonl.gz", level: scenario.output.compressionLevel)
        var summary = Summary()
        var out: [UInt8] = []
        out.reserveCapacity(8 << 20)
        let timeFormat = scenario.output.timeFormat
        var ready: [Int] = []
        var times: [Int64] = []

        for h in 0..<hours {
            let hourEnd = ctx.startMs + Int64(h + 1) * 3_600_000
            let due = buckets[h]
            buckets[h] = []
            for i in due {
                actors[Int(i)].wake(until: hourEnd, ctx: ctx)
                schedule(Int(i), from: h + 1)
            }
            // Write this hour's events in time order (ties in generation order); keep later ones.
            ready.removeAll(keepingCapacity: true)
            times.removeAll(keepingCapacity: true)
            var pending = ctx.pending
            ctx.pending = []
            var laterCount = 0
            for k in pending.indices {
                let ts = pending[k].ts
                times.append(ts)
                if ts < hourEnd { ready.append(k) } else { laterCount += 1 }
            }
            times.withUnsafeBufferPointer { t in
                ready.sort { a, b in t[a] != t[b] ? t[a] < t[b] : a < b }
            }
            try pending.withUnsafeBufferPointer { events in
                for k in ready {
                    JSONLineEncoder.append(events[k], to: &out, timeFormat: timeFormat)
                    if out.count >= 4 << 20 {
                        try writer.write(out)
                        out = []
                        out.reserveCapacity(5 << 20)
                    }
                }
            }
            summary.events += ready.count
            if laterCount == 0 {
                pending.removeAll(keepingCapacity: true)
            } else {
                var later: [Event] = []
                later.reserveCapacity(max(laterCount, pending.count))
                for k in pending.indices where times[k] >= hourEnd { later.append(pending[k]) }
                pending = later
            }
            ctx.pending = pending
            if let progress, h % 24 == 23 { progress(Double(h + 1) / Double(hours), summary.events) }
        }
        try writer.write(out)
        try writer.finish()
        summary.uncompressedBytes = writer.bytesIn
        summary.compressedBytes = writer.bytesOut

        var accountBytes: [UInt8] = []
        for a in ctx.accounts { JSONLineEncoder.append(a, to: &accountBytes) }
        try Data(accountBytes).write(to: URL(fileURLWithPath: directory + "/accounts.jsonl"))
        var truthBytes: [UInt8] = []
        for t in ctx.truth {
            truthBytes.append(contentsOf: Array("{\"account_id\":".utf8))
            JSONLineEncoder.appendString(t.accountID, to: &truthBytes)
            truthBytes.append(contentsOf: Array(",\"campaign\":".utf8))
            if let c = t.campaign {
                JSONLineEncoder.appendString(c, to: &truthBytes)
                summary.campaignAccounts += 1
            } else {
                truthBytes.append(contentsOf: Array("null".utf8))
            }
            truthBytes.append(contentsOf: Array(",\"kind\":".utf8))
            JSONLineEncoder.appendString(t.kind, to: &truthBytes)
            if let n = t.harvestExchanges { truthBytes.append(contentsOf: Array(",\"harvest_exchanges\":\(n)".utf8)) }
            truthBytes.append(contentsOf: Array("}\n".utf8))
        }
        try Data(truthBytes).write(to: URL(fileURLWithPath: directory + "/truth.jsonl"))
        summary.accounts = ctx.accounts.count
        summary.campaignEvents = ctx.campaignEvents
        let d = ContinuousClock.now - clock
        summary.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return summary
    }
}
