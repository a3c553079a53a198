import ArgumentParser
import Foundation
import RetortCore

/// `retort evaluate`: account-level precision/recall/F1 of findings against ground truth.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare findings.json with a ground-truth file.")

    @Option(name: .long, help: "findings.json written by `retort investigate`.")
    var findings: String

    @Option(name: .long, help: "Ground truth (JSON Lines: account_id, campaign, kind, harvest_exchanges).")
    var truth: String

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        for p in [findings, truth] where !FileManager.default.fileExists(atPath: p) {
            throw ValidationError("no such file: \(p)")
        }
    }

    func run() async throws {
        let f = try Findings.load(path: findings)
        let t = try TruthSet.load(path: truth)
        let report = evaluate(findings: f, truth: t)
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try e.encode(report), as: UTF8.self))
        } else {
            print(report.table())
        }
    }
}
