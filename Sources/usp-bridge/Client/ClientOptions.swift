import ArgumentParser
import Foundation
import Logging
import USPClient
import USPMessages

extension USPControllerConfiguration.MQTTVersion: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "5", "5.0", "v5": self = .v5
        case "3.1.1", "311", "v3.1.1": self = .v311
        default: return nil
        }
    }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Options every controller command shares: where the broker (or the agent's UNIX socket) and
/// the agent are, how long to wait, how to print.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The agent's UNIX domain socket, used instead of MQTT (default: $USP_BRIDGE_SOCKET or the demo file).",
                               valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("MQTT broker as host:port (default: $USP_BRIDGE_BROKER, the demo file, or 127.0.0.1:1883).",
                               valueName: "host:port"))
    var broker: String?

    @Option(name: .customLong("mqtt-version"), help: "MQTT protocol version: 5.0 or 3.1.1 (default 5.0).")
    var mqttVersion: USPControllerConfiguration.MQTTVersion?

    @Option(help: ArgumentHelp("The agent's USP endpoint ID (default: $USP_BRIDGE_AGENT or the demo file ~/.usp-bridge/demo.env).",
                               valueName: "endpoint-id"))
    var agent: String?

    @Option(name: .customLong("agent-topic"),
            help: "The topic the agent listens on (default: $USP_BRIDGE_AGENT_TOPIC, the demo file, or usp/agent/<endpoint id, ':' as '_'>).")
    var agentTopic: String?

    @Option(name: .customLong("endpoint-id"),
            help: "This controller's endpoint ID (default: $USP_BRIDGE_CONTROLLER or self::usp-bridge-cli-<pid>).")
    var endpointID: String?

    @Option(name: .customLong("reply-topic"),
            help: "The topic this controller listens on (default: $USP_BRIDGE_CONTROLLER_TOPIC or usp/controller/<instance>).")
    var replyTopic: String?

    // Longer than the agent's own wait for a sleepy device on a Set (10 s for it to wake, then
    // 5 s for the command), so that the agent's 7002 reaches the user instead of a timeout.
    @Option(help: "Seconds to wait for the broker and for each answer (a Set to a sleepy device can take 15 s).")
    var timeout: Double = 20

    @Flag(help: "Print JSON (sorted keys) instead of tables.")
    var json = false

    @Flag(name: [.short, .long], help: "Log MTP and USP details to standard error.")
    var verbose = false

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
        if let broker, BrokerAddress(parsing: broker) == nil {
            throw ValidationError("--broker must be host:port, e.g. 127.0.0.1:1883 (got '\(broker)')")
        }
        if socket != nil && broker != nil { throw ValidationError("--socket and --broker exclude each other: pick one MTP") }
        if let socket, socket.isEmpty { throw ValidationError("--socket needs a path") }
        _ = try configuration()
    }

    var format: USPResultFormatter.Format { json ? .json : .text }
    var requestTimeout: Duration { .milliseconds(Int64(timeout * 1000)) }

    /// The controller configuration from these options, the environment and the demo file.
    func configuration(environment env: ClientEnvironment = .load()) throws -> USPControllerConfiguration {
        // An explicit --socket, or the environment's socket unless --broker asks for MQTT.
        if let path = socket ?? (broker == nil ? env.socket : nil) {
            // The agent's Handshake names it; a configured ID is used only when it goes with this socket.
            let agentID = agent ?? (socket == nil ? env.agent : nil) ?? ""
            return .unixSocket(path: path, endpointID: endpointID ?? env.controller ?? USPControllerConfiguration.defaultEndpointID(),
                               agentEndpointID: agentID, connectTimeout: requestTimeout, failFast: true)
        }
        let brokerText = broker ?? env.broker ?? "127.0.0.1:1883"
        guard let address = BrokerAddress(parsing: brokerText) else {
            throw ValidationError("broker address '\(brokerText)' is not host:port")
        }
        guard let agentID = agent ?? env.agent else {
            throw ValidationError("no agent: pass --agent ENDPOINT_ID (or --socket PATH), set USP_BRIDGE_AGENT, or start `usp-bridge demo` (it writes \(ClientEnvironment.demoFilePath()))")
        }
        // The file's topic belongs to the file's agent: not to another one named with --agent.
        let envTopic = (agent == nil || agent == env.agent) ? env.agentTopic : nil
        let topic = agentTopic ?? envTopic ?? USPControllerConfiguration.defaultAgentTopic(agentEndpointID: agentID)
        var version = mqttVersion ?? .v5
        if mqttVersion == nil, let v = env.mqttVersion {
            guard let parsed = USPControllerConfiguration.MQTTVersion(argument: v) else {
                throw ValidationError("USP_BRIDGE_MQTT_VERSION must be 5.0 or 3.1.1 (got '\(v)')")
            }
            version = parsed
        }
        let endpoint = endpointID ?? env.controller ?? USPControllerConfiguration.defaultEndpointID()
        let reply = replyTopic ?? (endpointID == nil ? env.controllerTopic : nil)
        return USPControllerConfiguration(
            brokerHost: address.host, brokerPort: address.port, mqttVersion: version,
            endpointID: endpoint, replyTopic: reply, agentEndpointID: agentID, agentTopic: topic,
            connectTimeout: requestTimeout, failFast: true)
    }

    /// Connects, runs `body`, prints what it returns and maps failures to exit codes:
    /// 0 success, 1 USP error in the answer (printed), 2 connection or timeout problem.
    func run(_ body: (USPController) async throws -> ClientOutput) async throws {
        Self.bootstrapLogging(verbose: verbose)
        let config = try configuration()
        let controller = USPController(configuration: config, logger: Logger(label: "usp-bridge.client"))
        let status: Int32
        do {
            try await controller.connect()
            let output = try await body(controller)
            if !output.text.isEmpty { Self.printOut(output.text) }
            status = output.failed ? 1 : 0
        } catch let e as USPResponseError {
            Self.printOut(USPResultFormatter.render(e, as: format))
            status = 1
        } catch let e as USPControllerError {
            Self.printError("usp-bridge: \(e.message)")
            status = 2
        } catch is CancellationError {
            Self.printError("usp-bridge: cancelled")
            status = 2
        }
        await controller.close()
        if status != 0 { throw ExitCode(status) }
    }

    /// A response rendered in the chosen format, failing when the agent reported any failure.
    func output(_ response: Usp_Response.OneOf_RespType) -> ClientOutput {
        ClientOutput(text: USPResultFormatter.render(response, as: format),
                     failed: !USPResultFormatter.failures(of: response).isEmpty)
    }

    nonisolated(unsafe) static var loggingBootstrapped = false

    static func bootstrapLogging(verbose: Bool) {
        guard !loggingBootstrapped else { return }
        loggingBootstrapped = true
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = verbose ? .debug : .error
            return h
        }
    }

    static func printOut(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// What a client command prints, and whether the agent reported a failure.
struct ClientOutput {
    var text: String
    var failed: Bool
}

/// `NAME=VALUE` command-line arguments.
enum KeyValueArguments {
    static func parse(_ items: [String], what: String) throws -> [(name: String, value: String)] {
        try items.map { item in
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("\(what) must be NAME=VALUE (got '\(item)')")
            }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }
}
