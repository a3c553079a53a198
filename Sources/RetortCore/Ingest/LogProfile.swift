/// Running totals for `retort stats`: what a log holds, at a glance.
public struct LogProfile: Sendable {
    public private(set) var events = 0
    public private(set) var accounts = Set<String>()
    public private(set) var first: Int64?
    public private(set) var last: Int64?
    public private(set) var models: [String: Int] = [:]
    public private(set) var endpoints: [String: Int] = [:]
    public private(set) var inputTokens = 0
    public private(set) var outputTokens = 0
    public private(set) var withPrompt = 0
    public private(set) var withPromptHash = 0
    public private(set) var rateLimited = 0

    public init() {}

    public mutating func add(_ e: Event) {
        events += 1
        accounts.insert(e.accountID)
        first = min(first ?? e.ts, e.ts)
        last = max(last ?? e.ts, e.ts)
        models[e.model ?? "(none)", default: 0] += 1
        endpoints[e.endpoint ?? "(none)", default: 0] += 1
        inputTokens += e.inputTokens ?? 0
        outputTokens += e.outputTokens ?? 0
        if e.prompt != nil { withPrompt += 1 }
        if e.promptSHA256 != nil { withPromptHash += 1 }
        if e.status == 429 { rateLimited += 1 }
    }

    /// A human-readable report.
    public func render(report: IngestReport, accountRecords: Int?, top: Int) -> String {
        var lines: [String] = []
        lines.append("events        \(events)")
        lines.append(
            "accounts      \(accounts.count) in events" + (accountRecords.map { ", \($0) account records" } ?? ""))
        if let first, let last {
            let days = Double(last - first) / 86_400_000
            lines.append(
                "window        \(Timestamp.format(first, fractional: false)) to \(Timestamp.format(last, fractional: false)) (\(String(format1: days)) days)"
            )
        }
        lines.append("lines         \(report.lines) (\(report.blankLines) blank)")
        lines.append("bad records   \(report.badRecords)")
        lines.append("duplicates    \(report.duplicates)")
        lines.append("tokens        \(inputTokens) in, \(outputTokens) out")
        lines.append("prompt text   \(withPrompt) events; prompt hash only \(max(0, withPromptHash - withPrompt))")
        lines.append("rate limited  \(rateLimited) (HTTP 429)")
        lines.append("top models")
        for (model, n) in models.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(top) {
            let share = events > 0 ? 100 * Double(n) / Double(events) : 0
            lines.append("  \(model)  \(n)  (\(String(format1: share))%)")
        }
        lines.append("endpoints")
        for (endpoint, n) in endpoints.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(top) {
            lines.append("  \(endpoint)  \(n)")
        }
        if report.badRecords > 0 || !report.fileErrors.isEmpty {
            lines.append(report.renderProblems(title: "Event records"))
        }
        return lines.joined(separator: "\n")
    }
}

extension IngestReport {
    /// The bad records and file errors, one a line, with file and line number.
    public func renderProblems(title: String) -> String {
        var lines = ["\(title): \(badRecords) bad record(s)" + (duplicates > 0 ? ", \(duplicates) duplicate(s)" : "")]
        for (code, n) in badByCode.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            lines.append("  \(code.rawValue): \(n)")
        }
        if !errors.isEmpty {
            lines.append("  first \(errors.count):")
            for e in errors { lines.append("    \(e)") }
        }
        for f in fileErrors { lines.append("  file error: \(f)") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// One decimal place, without Foundation.
    init(format1 v: Double) {
        let r = (v * 10).rounded() / 10
        self = String(r)
    }
}
