import ArgumentParser
import Logging
import RetortServer

/// `retort serve`: the real-time service (ingest, decisions, proxy, guardrail, metrics).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the real-time service: event ingest, decisions, OpenAI/Anthropic proxy, LiteLLM guardrail.",
        discussion: "Configuration is a JSON file (see config/serve.json and docs/serve.md). The API token comes "
            + "from the file or the RETORT_TOKEN environment variable."
    )

    @Option(name: .long, help: "Configuration file (JSON).")
    var config: String?

    @Option(name: .long, help: "Address to bind (overrides the config).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (overrides the config).")
    var port: Int?

    @Option(name: .long, help: "Upstream base URL for proxy mode (overrides the config).")
    var upstream: String?

    @Option(name: .long, help: "Audit log path (overrides the config).")
    var auditLog: String?

    @Flag(name: .long, help: "Shadow mode: log decisions but always allow.")
    var shadow = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0-65535") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level '\(logLevel)' is not a level") }
    }

    func run() async throws {
        var cfg = ServeConfig()
        if let config {
            do {
                cfg = try ServeConfig.load(path: config)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let host { cfg.host = host }
        if let port { cfg.port = port }
        if let upstream { cfg.proxy.upstream = upstream }
        if let auditLog { cfg.auditLog = auditLog }
        if shadow { cfg.policy.shadowMode = true }
        if cfg.effectiveToken() == nil {
            throw ValidationError("no API token: set 'token' in the config file or the RETORT_TOKEN variable")
        }
        try await RetortServe.run(config: cfg, logLevel: Logger.Level(rawValue: logLevel) ?? .info)
    }
}
