import ArgumentParser
import RetortCore

/// Options shared by every command that reads event or account files.
struct IngestArguments: ParsableArguments {
    @Flag(help: "Stop at the first bad record instead of counting it and going on.")
    var strict = false

    @Option(name: .customLong("max-errors"), help: "How many bad records to show with their file and line.")
    var maxErrors = 10

    @Flag(name: .customLong("no-progress"), help: "Do not draw progress on standard error.")
    var noProgress = false

    var options: IngestOptions { IngestOptions(strict: strict, maxReportedErrors: maxErrors) }

    func validate() throws {
        guard maxErrors >= 0 else { throw ValidationError("--max-errors must be zero or more.") }
    }
}
