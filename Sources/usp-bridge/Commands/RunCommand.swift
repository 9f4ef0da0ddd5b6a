import ArgumentParser
import Foundation
import Logging
import Bridge
import Runtime
import UDSTransport

/// `usp-bridge run --config FILE`: the agent and bridge as a long-running service.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the USP agent and the radio bridge.",
        discussion: """
        Reads the YAML configuration (see docs/configuration.md), opens or creates the SQLite \
        database in its data directory, connects to the MQTT broker and/or listens on its UNIX \
        domain socket, and serves USP controllers \
        until SIGINT or SIGTERM, when it shuts down gracefully.

        The configuration's controllers and roles are factory defaults: they are applied when \
        the database is new (or after --factory-reset); later changes made over USP are kept. \
        The options below override the file's values.
        """)

    @Option(name: .long, help: "Configuration file (YAML). Without it, the defaults plus the options below.")
    var config: String?

    @Option(name: .long, help: "Agent endpoint ID (overrides agent.endpointID).")
    var endpointID: String?

    @Option(name: .long, help: "MQTT broker as host:port (overrides mqtt.host and mqtt.port).")
    var broker: String?

    @Option(name: .long, help: "MQTT version, 5.0 or 3.1.1 (overrides mqtt.version).")
    var mqttVersion: String?

    @Option(name: .long, help: "The agent's MQTT topic (overrides mqtt.agentTopic).")
    var agentTopic: String?

    @Option(name: .long, help: ArgumentHelp("Also listen on this UNIX domain socket (TR-369 UDS MTP; sets uds.path).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: "A controller as ENDPOINT_ID or ENDPOINT_ID=TOPIC; repeat for several (replaces controllers).")
    var controller: [String] = []

    @Option(name: .long, help: "Data directory for the database (overrides dataDirectory).")
    var dataDir: String?

    @Option(name: .long, help: "Directory of user mapping files (overrides mappingsDirectory).")
    var mappingsDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevelArgument = .init(.info)

    @Flag(name: .long, help: "Forget the database's state and apply the configuration's factory defaults again.")
    var factoryReset = false

    func run() async throws {
        var cfg = BridgeConfiguration()
        if let config {
            do {
                cfg = try ConfigurationLoader.load(path: config)
            } catch {
                FileHandle.standardError.write(Data("usp-bridge: \(error)\n".utf8))
                throw ExitCode(78)   // EX_CONFIG
            }
        }
        do {
            try applyOverrides(to: &cfg)
        } catch {
            FileHandle.standardError.write(Data("usp-bridge: \(error)\n".utf8))
            throw ExitCode(64)
        }
        let logger = makeLogger(logLevel.level)
        let config = self.config ?? "command line"
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

extension RunCommand {
    struct BadOption: Error, CustomStringConvertible { var description: String }

    /// The command-line equivalents of the configuration's factory defaults.
    func applyOverrides(to cfg: inout BridgeConfiguration) throws {
        if let endpointID { cfg.agent.endpointID = endpointID }
        if let dataDir { cfg.dataDirectory = dataDir }
        if let mappingsDir { cfg.mappingsDirectory = mappingsDir }
        if broker != nil || mqttVersion != nil || agentTopic != nil, cfg.mqtt == nil { cfg.mqtt = .init() }
        if let broker {
            let parts = broker.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
                throw BadOption(description: "--broker must be host:port, e.g. 127.0.0.1:1883 (got '\(broker)')")
            }
            cfg.mqtt?.host = String(parts[0]); cfg.mqtt?.port = port
        }
        if let mqttVersion {
            guard ["5.0", "3.1.1"].contains(mqttVersion) else { throw BadOption(description: "--mqtt-version must be 5.0 or 3.1.1") }
            cfg.mqtt?.version = mqttVersion
        }
        if let agentTopic { cfg.mqtt?.agentTopic = agentTopic }
        if let socket {
            guard socket.hasPrefix("/"), socket.utf8.count <= UDSSocket.maxPathLength else {
                throw BadOption(description: "--socket must be an absolute path of at most \(UDSSocket.maxPathLength) bytes (got '\(socket)')")
            }
            cfg.uds = .init(path: socket, mode: "server", permissions: cfg.uds?.permissions)
        }
        if !controller.isEmpty {
            cfg.controllers = try controller.map { spec in
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                guard let ep = parts.first, !ep.isEmpty else { throw BadOption(description: "--controller needs an endpoint ID") }
                return .init(endpointID: ep, topic: parts.count == 2 ? parts[1] : nil)
            }
        }
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
