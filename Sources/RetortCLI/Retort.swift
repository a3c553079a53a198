import ArgumentParser

@main
struct Retort: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retort",
        abstract: "Find model-distillation campaigns in API request logs.",
        subcommands: [
            DemoCommand.self, InvestigateCommand.self, EvaluateCommand.self, StatsCommand.self, SimulateCommand.self,
            ServeCommand.self,
        ]
    )
}
