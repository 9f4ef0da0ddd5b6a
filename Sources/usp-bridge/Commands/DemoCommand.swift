import ArgumentParser
import Bridge
import Foundation
import LocalProcess
import Logging
import Runtime
import USPClient
import VirtualSticks

/// `usp-bridge demo`: everything on this machine, no hardware and no configuration.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a self-contained demo: the agent with a private MQTT broker (or its UNIX socket), and the virtual radio sticks this build has.",
        discussion: """
        Starts mosquitto on a free loopback port (install it with `apt-get install mosquitto`); \
        without mosquitto, or with --mtp uds, the agent listens on a UNIX domain socket in the \
        demo directory instead. Runs the agent with a fresh database in a temporary directory, \
        and writes ~/.usp-bridge/demo.env so that `usp-bridge get …` in another terminal finds it. \
        Stop it with Ctrl-C.
        """)

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevelArgument = .init(.notice)

    @Option(name: .long, help: "MQTT version for the agent: 5.0 or 3.1.1.")
    var mqttVersion: String = "5.0"

    @Option(name: .long, help: "The MTP: mqtt (a private mosquitto) or uds (the agent's UNIX domain socket). Default: mqtt when mosquitto is installed, else uds.")
    var mtp: DemoMTP?

    enum DemoMTP: String, ExpressibleByArgument, CaseIterable { case mqtt, uds }

    static let mosquittoPaths = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]

    func run() async throws {
        let logger = makeLogger(logLevel.level)
        let mosquitto = Self.mosquittoPaths.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        let chosen = mtp ?? (mosquitto == nil ? .uds : .mqtt)
        if chosen == .mqtt && mosquitto == nil {
            FileHandle.standardError.write(Data("usp-bridge demo: mosquitto is not installed; run scripts/demo.sh, apt-get install mosquitto, or use --mtp uds\n".utf8))
            throw ExitCode(69)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-bridge-demo-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])

        var config = BridgeConfiguration()
        config.agent.endpointID = "proto::usp-bridge-demo"
        config.dataDirectory = dir + "/data"
        config.radios = VirtualRadios.demoRadios(directory: dir)
        var broker: ChildProcess?
        defer { broker?.stop() }
        var env: String
        var transportLines: String
        switch chosen {
        case .mqtt:
            guard let mosquitto, let port = Loopback.freePort() else { throw ExitCode(71) }
            try """
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence false
            set_tcp_nodelay true
            """.write(toFile: dir + "/mosquitto.conf", atomically: true, encoding: .utf8)
            broker = try ChildProcess(mosquitto, ["-c", dir + "/mosquitto.conf"], output: dir + "/mosquitto.log")
            let deadline = Date().addingTimeInterval(5)
            while !Loopback.accepts(port) && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            config.mqtt?.port = port
            config.mqtt?.version = mqttVersion
            config.mqtt?.agentTopic = "usp/agent/demo"
            config.controllers = [.init(endpointID: "self::usp-bridge-cli", topic: "usp/controller/cli")]
            env = """
            USP_BRIDGE_BROKER=127.0.0.1:\(port)
            USP_BRIDGE_AGENT=\(config.agent.endpointID!)
            USP_BRIDGE_AGENT_TOPIC=\(AgentAssembly.agentTopic(config, endpointID: config.agent.endpointID!))
            USP_BRIDGE_MQTT_VERSION=\(mqttVersion)
            USP_BRIDGE_CONTROLLER=self::usp-bridge-cli
            USP_BRIDGE_CONTROLLER_TOPIC=usp/controller/cli

            """
            transportLines = """
              agent      \(config.agent.endpointID!)  (MQTT \(mqttVersion), topic \(AgentAssembly.agentTopic(config, endpointID: config.agent.endpointID!)))
              broker     mosquitto on 127.0.0.1:\(port)
            """
        case .uds:
            let socket = dir + "/agent.sock"
            config.mqtt = nil
            config.uds = .init(path: socket, mode: "server", permissions: "0660")
            config.controllers = [.init(endpointID: "self::usp-bridge-cli")]
            env = """
            USP_BRIDGE_SOCKET=\(socket)
            USP_BRIDGE_AGENT=\(config.agent.endpointID!)
            USP_BRIDGE_CONTROLLER=self::usp-bridge-cli

            """
            let why = mosquitto == nil ? "mosquitto is not installed" : "--mtp uds"
            transportLines = """
              agent      \(config.agent.endpointID!)  (UNIX domain socket MTP)
              socket     \(socket)  (\(why))
            """
        }
        // The virtual home's encrypted BTHome sensor is read with its bindkey, as a real one would be.
        config.bluetooth.bindkeys.merge(BLEScenario.home.bindkeys) { configured, _ in configured }
        let adapters = try RadioFactory.adapters(for: config, logger: logger)
        let runtime = try await BridgeRuntime.make(config: config, adapters: adapters, logger: logger)

        // Where the CLI looks for it: $HOME first, as `ClientEnvironment.load` does.
        let envPath = ClientEnvironment.demoFilePath(home: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory())
        try FileManager.default.createDirectory(atPath: (envPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try env.write(toFile: envPath, atomically: true, encoding: .utf8)
        let radios = config.radios.isEmpty ? "none (this build has no virtual radio stick yet)" :
            config.radios.map { "\($0.protocol)/\($0.stack) on \($0.port)" }.joined(separator: ", ")
        print("""
        USPBridge demo is running.
        \(transportLines)
          radios     \(radios)
          data       \(dir)

        In another terminal (the CLI reads \(envPath)):
          usp-bridge get 'Device.ProxiedDevice.*.IoTCapability.*.'
          usp-bridge get Device.LocalAgent.
          usp-bridge supported-dm Device.ProxiedDevice. --all
          usp-bridge subscribe ValueChange 'Device.ProxiedDevice.*.IoTCapability.*.'
          usp-bridge set 'Device.ProxiedDevice.*.IoTCapability.*.BinaryControl.' Value=true   # every light and plug on
          usp-bridge operate 'Device.X_USPBRIDGE_Radio.1.PermitJoin()' Duration=60        # the coffee machine plug joins

        Ctrl-C stops the demo.
        """)
        fflush(nil)
        try await runtime.run()
    }
}

/// The virtual sticks the demo starts, one per stack this build has.
enum VirtualRadios {
    static func demoRadios(directory: String) -> [BridgeConfiguration.RadioSection] {
        RadioFactory.virtualCapable.compactMap { key in
            let parts = key.split(separator: "/")
            guard parts.count == 2 else { return nil }
            return .init(name: "virtual \(parts[1])", protocol: String(parts[0]), stack: String(parts[1]), port: "virtual")
        }
    }
}
