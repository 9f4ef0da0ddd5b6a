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
        abstract: "Run a self-contained demo: a private MQTT broker, the agent, and the virtual radio sticks this build has.",
        discussion: """
        Starts mosquitto on a free loopback port (install it with `apt-get install mosquitto`), \
        runs the agent with a fresh database in a temporary directory, and writes \
        ~/.usp-bridge/demo.env so that `usp-bridge get …` in another terminal finds it. \
        Stop it with Ctrl-C.
        """)

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevelArgument = .init(.notice)

    @Option(name: .long, help: "MQTT version for the agent: 5.0 or 3.1.1.")
    var mqttVersion: String = "5.0"

    func run() async throws {
        let logger = makeLogger(logLevel.level)
        guard let mosquitto = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            FileHandle.standardError.write(Data("usp-bridge demo: mosquitto is not installed; run scripts/demo.sh or apt-get install mosquitto\n".utf8))
            throw ExitCode(69)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-bridge-demo-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        guard let port = Loopback.freePort() else { throw ExitCode(71) }
        try """
        listener \(port) 127.0.0.1
        allow_anonymous true
        persistence false
        set_tcp_nodelay true
        """.write(toFile: dir + "/mosquitto.conf", atomically: true, encoding: .utf8)
        let broker = try ChildProcess(mosquitto, ["-c", dir + "/mosquitto.conf"], output: dir + "/mosquitto.log")
        defer { broker.stop() }
        let deadline = Date().addingTimeInterval(5)
        while !Loopback.accepts(port) && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }

        var config = BridgeConfiguration()
        config.agent.endpointID = "proto::usp-bridge-demo"
        config.dataDirectory = dir + "/data"
        config.mqtt?.port = port
        config.mqtt?.version = mqttVersion
        config.mqtt?.agentTopic = "usp/agent/demo"
        config.controllers = [.init(endpointID: "self::usp-bridge-cli", topic: "usp/controller/cli")]
        config.radios = VirtualRadios.demoRadios(directory: dir)
        // The virtual home's encrypted BTHome sensor is read with its bindkey, as a real one would be.
        config.bluetooth.bindkeys.merge(BLEScenario.home.bindkeys) { configured, _ in configured }
        let adapters = try RadioFactory.adapters(for: config, logger: logger)
        let runtime = try await BridgeRuntime.make(config: config, adapters: adapters, logger: logger)

        let env = """
        USP_BRIDGE_BROKER=127.0.0.1:\(port)
        USP_BRIDGE_AGENT=\(config.agent.endpointID!)
        USP_BRIDGE_AGENT_TOPIC=\(runtime.agentTopic)
        USP_BRIDGE_MQTT_VERSION=\(mqttVersion)
        USP_BRIDGE_CONTROLLER=self::usp-bridge-cli
        USP_BRIDGE_CONTROLLER_TOPIC=usp/controller/cli

        """
        let envPath = ClientEnvironment.demoFilePath()
        try FileManager.default.createDirectory(atPath: (envPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try env.write(toFile: envPath, atomically: true, encoding: .utf8)
        let radios = config.radios.isEmpty ? "none (this build has no virtual radio stick yet)" :
            config.radios.map { "\($0.protocol)/\($0.stack) on \($0.port)" }.joined(separator: ", ")
        print("""
        USPBridge demo is running.
          agent      \(config.agent.endpointID!)  (MQTT \(mqttVersion), topic \(runtime.agentTopic))
          broker     mosquitto on 127.0.0.1:\(port)
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
