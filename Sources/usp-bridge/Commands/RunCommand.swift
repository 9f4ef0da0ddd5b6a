import ArgumentParser
import Foundation
import Logging
import Bridge
import Runtime

/// `usp-bridge run --config FILE`: the agent and bridge as a long-running service.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the USP agent and the radio bridge.",
        discussion: """
        Reads the YAML configuration (see docs/configuration.md), opens or creates the SQLite
        database in its data directory, connects to the MQTT broker and serves USP controllers
        until SIGINT or SIGTERM, when it shuts down gracefully.
        The configuration's controllers and roles are factory defaults: they are applied when the
        database is new (or after --factory-reset); later changes made over USP are kept.
        """)

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevelArgument = .init(.info)

    @Flag(name: .long, help: "Forget the database's state and apply the configuration's factory defaults again.")
    var factoryReset = false

    func run() async throws {
        let cfg: BridgeConfiguration
        do {
            cfg = try ConfigurationLoader.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("usp-bridge: \(error)\n".utf8))
            throw ExitCode(78)   // EX_CONFIG
        }
        let logger = makeLogger(logLevel.level)
        if factoryReset { try FactoryReset.reset(dataDirectory: cfg.dataDirectory, logger: logger) }
        let adapters: [any RadioAdapter]
        do {
            adapters = try RadioFactory.adapters(for: cfg, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("usp-bridge: \(config): \(error)\n".utf8))
            throw ExitCode(78)
        }
        let runtime = try await BridgeRuntime.make(config: cfg, adapters: adapters, logger: logger)
        for e in runtime.mappingErrors { logger.error("mapping rejected: \(e)") }
        try await runtime.run()
    }
}

struct LogLevelArgument: ExpressibleByArgument {
    let level: Logger.Level
    init(_ level: Logger.Level) { self.level = level }
    init?(argument: String) {
        guard let l = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        level = l
    }
    static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
    var defaultValueDescription: String { level.rawValue }
}

/// Logs to stderr with the given level.
func makeLogger(_ level: Logger.Level, label: String = "usp-bridge") -> Logger {
    LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    var l = Logger(label: label)
    l.logLevel = level
    return l
}
