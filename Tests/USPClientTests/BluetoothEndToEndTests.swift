import Bridge
import Foundation
import Logging
import MosquittoTestSupport
import Runtime
import Testing
import USPClient
import USPMessages

/// The whole path with real parts: the virtual HCI controller on a pseudo-terminal (H4 bytes),
/// the Bluetooth adapter, the bridge and agent, a real mosquitto, and a USP controller.
@Suite(.serialized) struct BluetoothEndToEndTests {
    actor Notifications {
        var items: [Usp_Notify] = []
        func add(_ n: Usp_Notify) { items.append(n) }
        func wait(seconds: Double, _ ok: @Sendable (Usp_Notify) -> Bool) async -> Usp_Notify? {
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while ContinuousClock.now < deadline {
                if let hit = items.first(where: ok) { return hit }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
    }

    static let scenario = """
    devices:
      - name: Living room
        address: "A4:C1:38:00:00:01"
        format: bthome
        interval: 0.2
        objects:
          - {id: 0x02, base: 23.45}
          - {id: 0x01, base: 77}
      - name: Front door
        address: "3C:2E:F5:00:00:02"
        format: bthome
        interval: 0.2
        objects:
          - {id: 0x1a, toggle_every: 1}
      - name: Kitchen button
        address: "3C:2E:F5:00:00:04"
        format: bthome
        interval: 0.2
        objects:
          - {id: 0x3a, press_every: 1}
      - name: Flower care
        address: "C4:7C:8D:00:00:05"
        format: mibeacon
        product_id: 0x0098
        interval: 0.2
        objects:
          - {id: 0x1004, base: 19.8}
      - name: Phone
        address: "5D:11:22:33:44:55"
        format: bthome
        rotate_every: 0.5
        interval: 0.2
        objects:
          - {id: 0x01, base: 50}
      - name: Bedroom
        address: "38:1F:8D:00:00:07"
        format: bthome
        interval: 0.2
        bindkey: "231d39c1d7cc1ab1aee224cd096db932"
        objects:
          - {id: 0x02, base: 18.76}
      - name: Kids room
        address: "A4:C1:38:00:00:06"
        format: pvvx
        interval: 0.2
        objects:
          - {id: 0x1a02, base: 20.57}
          - {id: 0x1a04, base: 52.57}
    """

    static func values(_ resp: Usp_GetResp) -> [String: String] {
        var out: [String: String] = [:]
        for r in resp.reqPathResults {
            for p in r.resolvedPathResults {
                for (k, v) in p.resultParams { out[p.resolvedPath + k] = v }
            }
        }
        return out
    }

    @Test func sensorsAppearWithLiveValuesChangesAndButtonEvents() async throws {
        let broker = try MosquittoBroker()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ble-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.scenario.write(toFile: dir + "/home.yaml", atomically: true, encoding: .utf8)

        var config = BridgeConfiguration()
        config.agent.endpointID = "proto::ble-e2e"
        config.dataDirectory = dir + "/data"
        config.mqtt?.port = broker.port
        config.mqtt?.agentTopic = "usp/agent/ble-e2e"
        config.controllers = [.init(endpointID: Harness.controllerID)]
        config.radios = [.init(protocol: "bluetooth", stack: "hci", port: "virtual", scenario: dir + "/home.yaml")]
        config.bluetooth.bindkeys = ["38:1F:8D:00:00:07": "231d39c1d7cc1ab1aee224cd096db932"]
        var logger = Logger(label: "ble-e2e")
        logger.logLevel = .warning
        let adapters = try RadioFactory.adapters(for: config, logger: logger)
        let runtime = try await BridgeRuntime.make(config: config, adapters: adapters, logger: logger)
        let run = Task { try await runtime.run() }

        let controller = USPController(configuration: USPControllerConfiguration(
            brokerHost: "127.0.0.1", brokerPort: broker.port, mqttVersion: .v5, endpointID: Harness.controllerID,
            replyTopic: "usp/controller/ble-e2e", agentEndpointID: "proto::ble-e2e", agentTopic: "usp/agent/ble-e2e"))
        try await controller.connect()
        let log = Notifications()
        let consumer = Task { for await n in controller.notifications { await log.add(n) } }

        // The six sensors appear (the phone's rotating address does not), with their values.
        var values: [String: String] = [:]
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            // The first requests may go out before the agent has subscribed to its topic.
            guard let resp = try? await controller.get(["Device.ProxiedDevice.*.IoTCapability.*."], timeout: .seconds(2)) else { continue }
            values = Self.values(resp)
            // The button joins with its first press (its idle "none" is not a reading).
            if values.values.contains("23.45"), values.values.contains("19.8"), values.values.contains("77"),
               values.values.contains("18.76"), values.values.contains("20.57"),
               values.keys.contains(where: { $0.hasSuffix("EnumSensor.Value") }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(values.contains { $0.key.hasSuffix("LevelSensor.Value") && $0.value == "23.45" }, "BTHome temperature 0x02")
        #expect(values.contains { $0.key.hasSuffix("LevelSensor.Unit") && $0.value == "degC" })
        #expect(values.contains { $0.key.hasSuffix("LevelSensor.Value") && $0.value == "19.8" }, "MiBeacon temperature 0x1004")
        #expect(values.contains { $0.key.hasSuffix("LevelSensor.Value") && $0.value == "18.76" }, "encrypted BTHome temperature, decrypted with its bindkey")
        #expect(values.contains { $0.key.hasSuffix("LevelSensor.Value") && $0.value == "20.57" }, "pvvx temperature 0x1a02")
        #expect(values.contains { $0.key.hasSuffix("LevelSensor.Value") && $0.value == "52.57" }, "pvvx humidity 0x1a04")
        #expect(!values.keys.contains { $0.contains("BlobSensor") }, "only the capability's own class object exists")
        // A search path down to one parameter of the class object.
        let levels = Self.values(try await controller.get(["Device.ProxiedDevice.*.IoTCapability.*.LevelSensor.Value"]))
        #expect(levels.values.contains("23.45") && levels.values.contains("77") && levels.values.contains("19.8"), "\(levels)")
        #expect(levels.keys.allSatisfy { $0.hasSuffix(".LevelSensor.Value") })
        let devices = Self.values(try await controller.get(["Device.ProxiedDevice.*.ProxyProtocol", "Device.ProxiedDevice.*.Online"]))
        #expect(devices.filter { $0.key.hasSuffix("ProxyProtocol") }.count == 6, "\(devices)")
        #expect(devices.filter { $0.key.hasSuffix("Online") }.allSatisfy { $0.value == "true" })

        // The door toggles every second: ValueChange. The button presses: an Event.
        for (id, type, ref) in [("door", "ValueChange", "Device.ProxiedDevice.*.IoTCapability.*.BinarySensor.Value"),
                                ("button", "Event", "Device.ProxiedDevice.*.IoTCapability.*.X_USPBRIDGE_Triggered!")] {
            let added = try await controller.add("Device.LocalAgent.Subscription.", [
                ParameterSetting("ID", id), ParameterSetting("NotifType", type),
                ParameterSetting("ReferenceList", ref), ParameterSetting("Enable", "true"),
            ])
            #expect(added.createdObjResults.first?.operStatus.operSuccess.instantiatedPath.isEmpty == false, "\(added)")
        }
        let change = await log.wait(seconds: 15) { $0.subscriptionID == "door" }
        #expect(change?.valueChange.paramPath.hasSuffix("BinarySensor.Value") == true)
        #expect(["true", "false"].contains(change?.valueChange.paramValue ?? ""))
        let press = await log.wait(seconds: 15) { $0.subscriptionID == "button" }

        #expect(press?.event.eventName == "X_USPBRIDGE_Triggered!")
        #expect(press?.event.params["Value"] == "press")

        consumer.cancel()
        await controller.close()
        run.cancel()
        _ = try? await run.value
    }
}
