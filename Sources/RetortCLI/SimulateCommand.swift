import ArgumentParser
import Foundation
import RetortCore
import RetortSimulator

/// `retort simulate`: writes a simulated request log with accounts and ground truth.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate API traffic with distillation campaigns (events.jsonl.gz, accounts.jsonl, truth.jsonl).",
        discussion: "Presets: \(Scenario.presetNames.joined(separator: ", ")). See docs/scenario.md."
    )

    @Option(name: .long, help: "Built-in scenario (default: small).")
    var preset: String?

    @Option(name: .long, help: "Scenario file (JSON); see docs/scenario.md.")
    var scenario: String?

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64?

    @Option(name: .long, help: "Start of the window (RFC 3339).")
    var start: String?

    @Option(name: .long, help: "Length of the window in weeks.")
    var weeks: Int?

    @Option(name: .long, help: "Multiply population and campaign sizes by this factor.")
    var scale: Double?

    @Option(name: .long, help: "Output directory.")
    var out: String?

    @Option(name: .long, help: "Folder of the prompt corpora (default: $RETORT_PROMPTS or ../shared/data/prompts).")
    var prompts: String?

    @Flag(name: .long, help: "Print the effective scenario as JSON and exit.")
    var printScenario = false

    func validate() throws {
        if preset != nil && scenario != nil { throw ValidationError("Give --preset or --scenario, not both.") }
        if let preset, !Scenario.presetNames.contains(preset) {
            throw ValidationError(
                "Unknown preset '\(preset)'. Known: \(Scenario.presetNames.joined(separator: ", ")).")
        }
        if let start, Timestamp.parseRFC3339(start) == nil {
            throw ValidationError("--start must be an RFC 3339 date-time, e.g. 2026-04-01T00:00:00Z.")
        }
        if let weeks, weeks < 1 || weeks > 260 { throw ValidationError("--weeks must be between 1 and 260.") }
        if let scale, !(scale > 0 && scale <= 1000) { throw ValidationError("--scale must be in (0, 1000].") }
        if !printScenario && out == nil { throw ValidationError("Missing --out DIR.") }
    }

    func run() throws {
        var sc: Scenario
        if let scenario {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: scenario))
            } catch {
                throw ScenarioFileError(message: "\(scenario): cannot read: \(error.localizedDescription)")
            }
            do {
                sc = try Scenario.load(json: data)
            } catch {
                throw ScenarioFileError(message: "\(scenario): not a valid scenario: \(error)")
            }
            if let seed { sc.seed = seed }
        } else {
            sc = Scenario.preset(preset ?? "small", seed: seed ?? 1) ?? Scenario()
        }
        if let start { sc.start = start }
        if let weeks { sc.weeks = weeks }
        if let scale { sc.scale(by: scale) }
        let problems = sc.problems()
        if !problems.isEmpty {
            let source = scenario ?? "scenario"
            throw ScenarioFileError(message: "\(source): " + problems.joined(separator: "\n  "))
        }
        if printScenario {
            let data = try sc.jsonData()
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        guard let out else { return }
        let corpus = try PromptCorpus.load(folder: prompts ?? PromptCorpus.defaultFolder())
        if !corpus.isReal {
            FileHandle.standardError.write(
                Data(
                    "note: prompt corpora not found; using the small built-in prompt list\n".utf8))
        }
        let sim = Simulator(scenario: sc, corpus: corpus)
        let startClock = ContinuousClock.now
        let summary = try sim.run(directory: out) { fraction, events in
            let elapsed = ContinuousClock.now - startClock
            guard elapsed > .seconds(2) else { return }
            let pct = Int(fraction * 100)
            FileHandle.standardError.write(Data("\r  simulating: \(pct)%  \(events) events".utf8))
        }
        let rate = summary.seconds > 0 ? Double(summary.events) / summary.seconds : 0
        FileHandle.standardError.write(Data("\r".utf8))
        print(
            """
            wrote \(out)/events.jsonl.gz: \(summary.events) events (\(summary.campaignEvents) by campaign accounts), \
            \(summary.compressedBytes / 1_048_576) MiB compressed, \(summary.uncompressedBytes / 1_048_576) MiB raw
            wrote \(out)/accounts.jsonl and truth.jsonl: \(summary.accounts) accounts \
            (\(summary.campaignAccounts) in campaigns)
            \(String(format: "%.1f", summary.seconds)) s, \(Int(rate)) events/s; prompts: \(corpus.origin)
            """)
    }
}

/// A scenario that cannot be read or used; printed without the usage text.
struct ScenarioFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
