import Bridge
import Foundation
import LocalProcess
import Logging
import MosquittoTestSupport
import Runtime
import Testing
import USPClient
import USPMessages

/// The Bluetooth path against an independent controller: Google's Bumble (PyPI `bumble`,
/// installed by `scripts/setup.sh --test`) emulates the controller on a pseudo-terminal and a
/// Bumble device advertises BTHome v2 (`Fixtures/bumble_bthome_sensor.py`). Our HCI host
/// starts it up, scans, and the sensor reaches a USP controller over a real mosquitto.
@Suite(.serialized) struct BluetoothBumbleEndToEndTests {
    static func python() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func bumbleControllerAndBTHomeSensorReachAUSPController() async throws {
        let python = try #require(Self.python(), "python3 is needed")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bumble_bthome_sensor.py").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bumble-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let link = dir + "/bt0"
        let bumble = try ChildProcess(python, [script, link], output: dir + "/bumble.log")
        defer { bumble.stop() }
        var ready = false
        for _ in 0..<200 where !ready {
            ready = ((try? String(contentsOfFile: dir + "/bumble.log", encoding: .utf8)) ?? "").contains("ready")
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        let bumbleLog = (try? String(contentsOfFile: dir + "/bumble.log", encoding: .utf8)) ?? ""
        try #require(ready, "Bumble did not start (pip install -r scripts/requirements-test.txt): \(bumbleLog)")

        let broker = try MosquittoBroker()
        var config = BridgeConfiguration()
        config.agent.endpointID = "proto::bumble-e2e"
        config.dataDirectory = dir + "/data"
        config.mqtt?.port = broker.port
        config.mqtt?.agentTopic = "usp/agent/bumble-e2e"
        config.controllers = [.init(endpointID: Harness.controllerID)]
        config.radios = [.init(protocol: "bluetooth", stack: "hci", port: link)]
        var logger = Logger(label: "bumble-e2e")
        logger.logLevel = .warning
        let adapters = try RadioFactory.adapters(for: config, logger: logger)
        let runtime = try await BridgeRuntime.make(config: config, adapters: adapters, logger: logger)
        let run = Task { try await runtime.run() }
        defer { run.cancel() }

        let controller = USPController(configuration: USPControllerConfiguration(
            brokerHost: "127.0.0.1", brokerPort: broker.port, mqttVersion: .v5, endpointID: Harness.controllerID,
            replyTopic: "usp/controller/bumble-e2e", agentEndpointID: "proto::bumble-e2e", agentTopic: "usp/agent/bumble-e2e"))
        try await controller.connect()

        // The sensor appears with the values Bumble advertises: battery 77 %, humidity 51.2 %,
        // a temperature from 20.00 to 22.25 °C that changes every second.
        var values: [String: String] = [:]
        var temperatures: Set<String> = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let resp = try? await controller.get(["Device.ProxiedDevice.*."], timeout: .seconds(2)) {
                values = BluetoothEndToEndTests.values(resp)
                if let t = values.first(where: { $0.key.hasSuffix("LevelSensor.Value") && $0.value.hasPrefix("2") && $0.value != "77" })?.value {
                    temperatures.insert(t)
                }
                if temperatures.count >= 2 { break }
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(values.values.contains("77"), "battery 0x01: \(values)")
        #expect(values.values.contains("51.2"), "humidity 0x03")
        #expect(values.contains { $0.key.hasSuffix(".Name") && $0.value.contains("Bumble BTHome") }, "the advertised name")
        #expect(values.contains { $0.key.hasSuffix(".ProxyProtocol") && $0.value == "X_USPBRIDGE_Bluetooth" }, "\(values)")
        #expect(values.contains { $0.key.hasSuffix(".X_USPBRIDGE_Address") && $0.value == "ble:f4bb0a112233" }, "Bumble's random static address")
        #expect(temperatures.count >= 2, "the temperature changes as Bumble advertises new values: \(temperatures)")
        for t in temperatures { #expect((Double(t) ?? 0) >= 20 && (Double(t) ?? 0) <= 22.25, "temperature \(t)") }
        #expect(values.contains { $0.key.hasSuffix("Online") && $0.value == "true" })

        await controller.close()
        run.cancel()
        _ = try? await run.value
    }
}
