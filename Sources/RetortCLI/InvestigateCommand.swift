import ArgumentParser
import Crypto
import Foundation
import RetortCore

/// `retort investigate`: reads events (and accounts), finds campaigns, writes findings.json and signed
/// evidence, prints a summary.
struct InvestigateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "investigate",
        abstract: "Find distillation campaigns in request logs and write findings.json.")

    @Argument(help: "Event files (JSON Lines, plain or gzip).")
    var events: [String] = []

    @Option(name: .long, help: "Account records (JSON Lines or CSV).")
    var accounts: String?

    @Option(name: .long, help: "Output directory for findings.json and evidence.")
    var out: String = "findings"

    @Option(name: .long, help: "Detection config (JSON; any subset of config/detection.json).")
    var config: String?

    @Flag(name: .long, help: "Stop at the first bad record.")
    var strict = false

    @Option(name: .long, help: "Explain why this account scored as it did.")
    var explain: String?

    @Flag(name: .long, help: "Allow prompt text in the output (off by default).")
    var showPrompts = false

    @Option(name: .long, help: "Ed25519 signing key (32-byte seed, raw or base64). Generated if absent.")
    var signingKey: String?

    @Option(name: .long, help: "Write per-account features of the run as TSV to this file.")
    var features: String?

    @Option(
        name: .long,
        help: "Threads that decode events and analyse prompts (default: one per core; 1: all on one thread).")
    var workers: Int?

    @Flag(name: .long, help: "Print the default detection config (config/detection.json) and exit.")
    var printDefaultConfig = false

    func validate() throws {
        if printDefaultConfig { return }
        if events.isEmpty { throw ValidationError("give at least one events file") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        for p in events + [accounts, config, signingKey].compactMap({ $0 })
        where !FileManager.default.fileExists(atPath: p) {
            throw ValidationError("no such file: \(p)")
        }
    }

    func run() async throws {
        if printDefaultConfig {
            print(String(decoding: try DetectionConfig.default.encoded(), as: UTF8.self))
            return
        }
        let cfg: DetectionConfig
        var configData: Data
        if let config {
            cfg = try DetectionConfig.load(path: config)
            configData = try Data(contentsOf: URL(fileURLWithPath: config))
        } else {
            cfg = .default
            configData = try cfg.encoded()
        }
        let inv = Investigation(config: cfg)
        inv.showPrompts = showPrompts
        let options = IngestOptions(strict: strict)
        var accountCount: Int?
        if let accounts {
            let reader = AccountReader(options: options)
            var count = 0
            try reader.read(path: accounts) { a in
                inv.add(a)
                count += 1
            }
            accountCount = nil
            printBad(reader.report, what: "account")
            stderr("accounts: \(count) records from \(accounts)")
            _ = count
        }
        MemoryProbe.log("reading start")
        let start = Date()
        let cpuStart = (MemoryProbe.cpuSeconds(thisThreadOnly: true), MemoryProbe.cpuSeconds(thisThreadOnly: false))
        let report = try readEvents(into: inv, options: options)
        printBad(report, what: "event")
        let readSeconds = Date().timeIntervalSince(start)
        stderr(
            String(
                format: "read %d events in %.1f s; clustering %d accounts", inv.eventsAdded, readSeconds,
                inv.accountCount))
        if MemoryProbe.enabled {
            // The thread that adds events in file order, against all threads: which one bounds reading.
            stderr(
                String(
                    format: "reading: %.1f cpu-s adding events in order, %.1f cpu-s in all",
                    MemoryProbe.cpuSeconds(thisThreadOnly: true) - cpuStart.0,
                    MemoryProbe.cpuSeconds(thisThreadOnly: false) - cpuStart.1))
        }
        var summary = InputSummary(report)
        summary.accounts = accountCount
        let findings = inv.run(input: summary)
        MemoryProbe.log("run done")

        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let findingsData = try findings.jsonData()
        let findingsPath = (out as NSString).appendingPathComponent("findings.json")
        try findingsData.write(to: URL(fileURLWithPath: findingsPath))
        try writeEvidence(findings: findingsData, config: configData, digests: report.digests)

        if let features {
            try inv.featureTable().write(toFile: features, atomically: true, encoding: .utf8)
        }
        print(Summary.render(findings))
        print("findings: \(findingsPath)")
        if let explain {
            print("")
            print("Why \(explain):")
            let lines = inv.explain(explain)
            if lines.isEmpty { print("  unknown account") }
            for l in lines { print("  - \(l)") }
        }
    }

    /// Reads every events file into `inv`. With more than one worker, decoding and prompt analysis run on
    /// worker threads and the events are added on this thread in file order, which gives the same state as
    /// the one-thread path.
    func readEvents(into inv: Investigation, options: IngestOptions) throws -> IngestReport {
        let threads = workers ?? ParallelEventReader.processorCount
        if threads <= 1 {
            let reader = EventReader(options: options)
            for path in events {
                try reader.read(path: path, progress: progressPrinter(path, inv)) { e in inv.add(e) }
                doneReading(path, inv)
            }
            return reader.report
        }
        let reader = ParallelEventReader(options: options, workers: threads)
        for path in events {
            try inv.read(path: path, with: reader, progress: progressPrinter(path, inv))
            doneReading(path, inv)
        }
        return reader.report
    }

    func progressPrinter(_ path: String, _ inv: Investigation) -> (Int64, Int64) -> Void {
        var lastShown = Date.distantPast
        return { done, total in
            let now = Date()
            guard now.timeIntervalSince(lastShown) >= 1 else { return }
            lastShown = now
            let pct = total > 0 ? Double(done) / Double(total) * 100 : 0
            stderr(
                String(
                    format: "\r%@: %.0f%%, %d events", (path as NSString).lastPathComponent, pct, inv.eventsAdded),
                newline: false)
        }
    }

    func doneReading(_ path: String, _ inv: Investigation) {
        stderr(String(format: "\r%@: done, %d events so far", (path as NSString).lastPathComponent, inv.eventsAdded))
        if ProcessInfo.processInfo.environment["RETORT_DEBUG"] != nil {
            let (hits, misses) = inv.analysisCache.counts
            stderr("\nprompt analyses: \(hits) recalled, \(misses) computed\n")
            MemoryProbe.log("end of reading \((path as NSString).lastPathComponent)")
            stderr(inv.memoryReport())
        }
    }

    func writeEvidence(findings: Data, config: Data, digests: [String: String]) throws {
        let key: Curve25519.Signing.PrivateKey
        if let signingKey {
            key = try EvidenceBundle.loadKey(path: signingKey)
        } else {
            let keyPath = (out as NSString).appendingPathComponent("signing-key.b64")
            if let existing = try? EvidenceBundle.loadKey(path: keyPath) {
                key = existing
            } else {
                key = Curve25519.Signing.PrivateKey()
                try (key.rawRepresentation.base64EncodedString() + "\n").write(
                    toFile: keyPath, atomically: true, encoding: .utf8)
                stderr("warning: no --signing-key given; generated one and saved it to \(keyPath) (keep it private)")
            }
        }
        // Events files read to their end were hashed as they were read; any other input is read again here.
        var inputs: [EvidenceBundle.FileDigest] = []
        for p in events + [accounts].compactMap({ $0 }) {
            inputs.append(.init(path: p, sha256: try digests[p] ?? EvidenceBundle.digest(path: p)))
        }
        let bundle = EvidenceBundle(
            toolVersion: RetortVersion.current, inputs: inputs, config: config, findings: findings,
            publicKey: key.publicKey)
        let data = try bundle.canonicalJSON()
        let sig = try EvidenceBundle.sign(data, key: key)
        try data.write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent("evidence.json")))
        try (sig.base64EncodedString() + "\n").write(
            toFile: (out as NSString).appendingPathComponent("evidence.sig"), atomically: true, encoding: .utf8)
    }

    func printBad(_ report: IngestReport, what: String) {
        guard report.badRecords > 0 || !report.fileErrors.isEmpty else { return }
        stderr("\(report.badRecords) bad \(what) record(s); first ones:")
        for e in report.errors.prefix(10) { stderr("  \(e)") }
        for f in report.fileErrors { stderr("  \(f)") }
    }
}

/// The tool version written into evidence.
enum RetortVersion {
    static let current = "0.1.0"
}

func stderr(_ s: String, newline: Bool = true) {
    FileHandle.standardError.write(Data((s + (newline ? "\n" : "")).utf8))
}
