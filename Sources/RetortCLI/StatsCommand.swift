import ArgumentParser
import RetortCore

/// `retort stats`: a quick profile of one or more event logs.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Profile event logs: events, accounts, window, bad records, top models, tokens."
    )

    @Argument(help: "Event files (JSON Lines, plain or gzip).")
    var files: [String]

    @Option(help: "An accounts file (JSON Lines or CSV) to count as well.")
    var accounts: String?

    @Option(help: "How many models to list.")
    var top = 5

    @OptionGroup var ingest: IngestArguments

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one event file.") }
        guard top > 0 else { throw ValidationError("--top must be positive.") }
    }

    func run() throws {
        var profile = LogProfile()
        let reader = EventReader(options: ingest.options)
        for file in files {
            let bar = ProgressBar(
                label: file.split(separator: "/").last.map(String.init) ?? file,
                enabled: !ingest.noProgress)
            try reader.read(
                path: file,
                progress: { done, total in
                    bar.update(done: done, total: total, items: reader.report.records)
                }
            ) { profile.add($0) }
            bar.finish()
        }
        var accountRecords: Int?
        var accountReport: IngestReport?
        if let accounts {
            let ar = AccountReader(options: ingest.options)
            var n = 0
            try ar.read(path: accounts) { _ in n += 1 }
            accountRecords = n
            accountReport = ar.report
        }
        print(profile.render(report: reader.report, accountRecords: accountRecords, top: top))
        if let accountReport, accountReport.badRecords > 0 || !accountReport.fileErrors.isEmpty {
            print(accountReport.renderProblems(title: "Account records"))
        }
    }
}
