import ArgumentParser

@main
struct Retort: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retort",
        abstract: "Find model-distillation campaigns in API request logs.",
        subcommands: [
            StatsCommand.self, SimulateCommand.self, InvestigateCommand.self, EvaluateCommand.self, ServeCommand.self,
        ]
    )
}
