import Bridge
import Foundation
import Logging
import MosquittoTestSupport
import Runtime
import Testing
import USPClient
import USPMessages
import VirtualSticks
import Zigbee
import ZigbeeCore

/// ZigBee through the whole bridge: the radio adapter over the simulated network (in process,
/// no stick protocol), the shipped `Mappings/zigbee` files, the agent, a real mosquitto and a
/// USP controller. Pairing is driven from USP (PermitJoin), joins become ObjectCreation, a Set
/// switches the virtual light, reports become ValueChange, RemoveDevice becomes ObjectDeletion.
@Suite(.serialized) struct ZigbeeEndToEndTests {
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
        func all(_ ok: @Sendable (Usp_Notify) -> Bool) -> [Usp_Notify] { items.filter(ok) }
    }

    @Test func pairReadSwitchReportAndRemoveOverUSP() async throws {
        let broker = try MosquittoBroker()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zb-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let network = VirtualZigbeeNetwork(devices: [
            VirtualZigbeeDevice(name: "Lamp", ieee: IEEEAddress(0xA4C1_3800_0000_0001), networkAddress: 0x1001, kind: .colorLight),
            VirtualZigbeeDevice(name: "Climate", ieee: IEEEAddress(0xA4C1_3800_0000_0002), networkAddress: 0x1002, kind: .temperatureHumiditySensor, period: 4),
            VirtualZigbeeDevice(name: "Door", ieee: IEEEAddress(0xA4C1_3800_0000_0003), networkAddress: 0x1003, kind: .doorContact, period: 3),
        ])
        let stack = VirtualZigbeeStack(network: network, tick: .milliseconds(50))
        var logger = Logger(label: "zb-e2e")
        logger.logLevel = .warning
        var zc = ZigbeeRadioAdapter.Configuration(stackName: "virtual", port: "virtual")
        zc.requestTimeout = .seconds(2)
        let adapter = ZigbeeRadioAdapter(stack: stack, configuration: zc, logger: logger)

        var config = BridgeConfiguration()
        config.agent.endpointID = "proto::zb-e2e"
        config.dataDirectory = dir + "/data"
        config.mqtt?.port = broker.port
        config.mqtt?.agentTopic = "usp/agent/zb-e2e"
        config.controllers = [.init(endpointID: Harness.controllerID)]
        let runtime = try await BridgeRuntime.make(config: config, adapters: [adapter], logger: logger)
        let run = Task { try await runtime.run() }
        defer { run.cancel() }

        let controller = USPController(configuration: USPControllerConfiguration(
            brokerHost: "127.0.0.1", brokerPort: broker.port, mqttVersion: .v5, endpointID: Harness.controllerID,
            replyTopic: "usp/controller/zb-e2e", agentEndpointID: "proto::zb-e2e", agentTopic: "usp/agent/zb-e2e"))
        try await controller.connect()
        let log = Notifications()
        let consumer = Task { for await n in controller.notifications { await log.add(n) } }
        defer { consumer.cancel() }

        for (id, type, ref) in [("created", "ObjectCreation", "Device.ProxiedDevice."),
                                ("deleted", "ObjectDeletion", "Device.ProxiedDevice."),
                                ("changes", "ValueChange", "Device.ProxiedDevice.*.IoTCapability.*.")] {
            var added: Usp_AddResp?
            for _ in 0..<50 where added == nil {
                added = try? await controller.add("Device.LocalAgent.Subscription.", [
                    ParameterSetting("ID", id), ParameterSetting("NotifType", type),
                    ParameterSetting("ReferenceList", ref), ParameterSetting("Enable", "true")], timeout: .seconds(1))
            }
            #expect(added?.createdObjResults.first?.operStatus.operSuccess.instantiatedPath.isEmpty == false)
        }
        // Nobody is in the network until pairing is opened from USP.
        #expect(BluetoothEndToEndTests.values(try await controller.get(["Device.ProxiedDeviceNumberOfEntries"])).values.first == "0")
        let permit = try await controller.operate("Device.X_USPBRIDGE_Radio.1.PermitJoin()", ["Duration": "60"])
        #expect(permit?.operationResults.first?.operationResp != nil)
        var created: [Usp_Notify] = []
        for _ in 0..<300 where created.count < 3 {
            created = await log.all { $0.subscriptionID == "created" }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(created.count == 3, "three devices joined: \(created.map(\.objCreation.objPath))")

        // Values through the shipped mappings.
        var values: [String: String] = [:]
        for _ in 0..<100 {
            values = BluetoothEndToEndTests.values(try await controller.get(["Device.ProxiedDevice.*."]))
            if values.contains(where: { $0.key.hasSuffix("LevelSensor.Unit") && $0.value == "degC" }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let manufacturers = values.filter { $0.key.hasSuffix(".X_USPBRIDGE_Manufacturer") }.values
        #expect(manufacturers.count == 3 && manufacturers.allSatisfy { $0 == "USPBridge Virtual" }, "\(values.filter { $0.key.hasSuffix("Manufacturer") })")
        #expect(values.contains { $0.key.hasSuffix(".ProxyProtocol") && $0.value == "ZigBee" })
        let temperature = try #require(values.first { $0.key.hasSuffix("LevelSensor.Value") && values[$0.key.replacingOccurrences(of: ".Value", with: ".Unit")] == "degC" })
        #expect((Double(temperature.value) ?? 0) > 19 && (Double(temperature.value) ?? 0) < 24, "21.5 ± 1.5 °C, scaled by the mapping: \(temperature.value)")
        let brightness = try #require(values.first { $0.key.hasSuffix("LevelControl.Value") && values[$0.key.replacingOccurrences(of: ".Value", with: ".Type")] == "Brightness" })
        #expect(brightness.value == "100", "level 254 is 100 %")
        #expect(values.contains { $0.key.hasSuffix("BinarySensor.Type") && $0.value == "DoorOpen" }, "IAS zone type 0x0015 picks the type")

        // Set: the light turns on in the virtual network, and its report comes back as ValueChange.
        let switchValue = try #require(values.first { $0.key.hasSuffix("BinaryControl.Value") })
        let switchObject = String(switchValue.key.dropLast("Value".count))
        let set = try await controller.set(switchObject, [ParameterSetting("Value", "true")])
        #expect(set.updatedObjResults.first?.operStatus.operSuccess.updatedInstResults.isEmpty == false, "\(set)")
        #expect(await stack.device(named: "Lamp")?.value(cluster: 0x0006, attribute: 0) == .bool(true))
        #expect(await stack.device(named: "Lamp")?.commandLog.last == "on")
        let brightnessObject = String(brightness.key.dropLast("Value".count))
        _ = try await controller.set(brightnessObject, [ParameterSetting("Value", "50")])
        #expect(await stack.device(named: "Lamp")?.value(cluster: 0x0008, attribute: 0) == .unsigned(127, .bits8), "50 % is level 127")
        let change = await log.wait(seconds: 10) { $0.subscriptionID == "changes" && $0.valueChange.paramPath.hasSuffix("LevelSensor.Value") }
        #expect(change != nil, "the climate sensor's reports become ValueChange")

        // A radio-backed setting: the door's IAS sensitivity level (3 levels, 0…2) as 0…100 %.
        let doorSensor = try #require(values.first { $0.key.hasSuffix("BinarySensor.Type") && $0.value == "DoorOpen" }.map { String($0.key.dropLast("Type".count)) })
        #expect(values[doorSensor + "Sensitivity"] == "0")
        let sens = try await controller.set(doorSensor, [ParameterSetting("Sensitivity", "100")])
        #expect(sens.updatedObjResults.first?.operStatus.operSuccess.updatedInstResults.first?.updatedParams["Sensitivity"] == "100", "\(sens)")
        #expect(await stack.device(named: "Door")?.value(cluster: 0x0500, attribute: 0x0013) == .unsigned(2, .bits8), "100 % is the top level, 2")

        // RemoveDevice: the device is asked to leave, and its object is deleted.
        let doorPath = try #require(values.first { $0.key.hasSuffix("BinarySensor.Type") }?.key.components(separatedBy: "IoTCapability.").first)
        _ = try await controller.operate("Device.X_USPBRIDGE_Radio.1.RemoveDevice()", ["Device": String(doorPath.dropLast())])
        let deleted = await log.wait(seconds: 10) { $0.subscriptionID == "deleted" }
        #expect(deleted?.objDeletion.objPath == doorPath, "\(String(describing: deleted))")
        #expect(await stack.isMember(named: "Door") == false, "the door was told to leave the network")
        #expect(await stack.isMember(named: "Lamp"))

        await controller.close()
        run.cancel()
        _ = try? await run.value
    }
}
