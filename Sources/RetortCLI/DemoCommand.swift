import ArgumentParser
import Foundation
import RetortCore
import RetortSimulator

/// `retort demo`: the whole path on a small simulated scenario, with no server to install.
///
/// Simulates about 200k events with genuine populations and distillation campaigns, investigates them
/// exactly as `retort investigate` would, then scores the findings against the simulator's ground truth.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Simulate a small scenario, investigate it and print the campaigns found.",
        discussion: """
            Writes the simulated log, findings.json and signed evidence under --out (a new temporary \
            folder by default) and prints the investigation summary and its evaluation against the \
            simulator's ground truth.
            """)

    @Option(name: .long, help: "Simulator preset (\(Scenario.presetNames.joined(separator: ", "))).")
    var preset = "small"

    @Option(name: .long, help: "Random seed for the simulation.")
    var seed: UInt64 = 2026

    @Option(name: .long, help: "Output folder (default: a new temporary folder).")
    var out: String?

    @Option(name: .long, help: "Explain why this account scored as it did.")
    var explain: String?

    func validate() throws {
        guard Scenario.presetNames.contains(preset), preset != "seed-scale" else {
            throw ValidationError("--preset must be one of the small presets, not '\(preset)'.")
        }
    }

    func run() async throws {
        let dir =
            out
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("retort-demo-\(ProcessInfo.processInfo.processIdentifier)").path
        let data = (dir as NSString).appendingPathComponent("data")
        let results = (dir as NSString).appendingPathComponent("findings")
        let clock = ContinuousClock.now

        print("== 1. Simulating the '\(preset)' scenario (seed \(seed)) into \(data)")
        try SimulateCommand.parse(["--preset", preset, "--seed", String(seed), "--out", data]).run()

        print("\n== 2. Investigating")
        var investigate = ["\(data)/events.jsonl.gz", "--accounts", "\(data)/accounts.jsonl", "--out", results]
        if let explain { investigate += ["--explain", explain] }
        let command = try InvestigateCommand.parse(investigate)
        try await command.run()

        print("\n== 3. Scoring the findings against the simulator's ground truth")
        let evaluate = try EvaluateCommand.parse(
            ["--findings", "\(results)/findings.json", "--truth", "\(data)/truth.jsonl"])
        try await evaluate.run()

        let elapsed = ContinuousClock.now - clock
        print("\nDone in \(elapsed.components.seconds) s. Files are in \(dir).")
    }
}
