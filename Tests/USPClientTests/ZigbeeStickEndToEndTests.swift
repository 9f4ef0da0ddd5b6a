import Bridge
import Foundation
import Logging
import MosquittoTestSupport
import Runtime
import Testing
import USPClient
import USPMessages
import VirtualSticks
import ZigbeeCore

/// ZigBee through real stick protocols: the bridge's EZSP (ASH) and Z-Stack (MT) drivers open a
/// pseudo-terminal like a serial port, with the virtual EmberZNet NCP or the virtual Z-Stack
/// coordinator on the other side, and a USP controller drives everything over mosquitto:
/// pairing from USP, a Set that switches the light inside the stick's network, reports as
/// ValueChange, an NCP reset in the middle with the same instance numbers afterwards, and
/// RemoveDevice as ObjectDeletion.
@Suite(.serialized) struct ZigbeeStickEndToEndTests {
    /// One stick kind under test.
    struct Stick: Sendable, CustomTestStringConvertible {
        var stack: String
        var path: String
        var run: @Sendable () async -> Void
        var network: @Sendable () async -> VirtualZigbeeNetwork
        var reset: @Sendable () async -> Void
        var leave: @Sendable (String) async -> Void
        var testDescription: String { stack }
    }

    static func makeStick(_ kind: String, dir: String) throws -> Stick {
        var logger = Logger(label: "stick")
        logger.logLevel = .warning
        switch kind {
        case "ezsp":
            let s = try VirtualEZSPStick(link: dir + "/zb0", scenario: .home, logger: logger)
            return Stick(stack: "ezsp", path: s.path, run: { await s.run() }, network: { await s.network }, reset: { await s.resetUnsolicited() },
                         leave: { await s.leave(deviceNamed: $0) })
        default:
            let s = try VirtualZNPStick(link: dir + "/zb1", network: ZigbeeScenario.home.network(), logger: logger)
            return Stick(stack: "znp", path: s.path, run: { await s.run() }, network: { await s.network }, reset: { await s.resetUnsolicited() },
                         leave: { await s.leave(deviceNamed: $0) })
        }
    }

    static func values(_ r: Usp_GetResp) -> [String: String] { BluetoothEndToEndTests.values(r) }

    @Test(arguments: ["ezsp", "znp"])
    func pairSwitchReportResetAndRemove(_ kind: String) async throws {
        let broker = try MosquittoBroker()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zbstick-\(kind)-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stick = try Self.makeStick(kind, dir: dir)
        let stickTask = Task { await stick.run() }
        defer { stickTask.cancel() }

        var config = BridgeConfiguration()
        config.agent.endpointID = "proto::zbstick-\(kind)"
        config.dataDirectory = dir + "/data"
        config.mqtt?.port = broker.port
        config.mqtt?.agentTopic = "usp/agent/zbstick"
        config.controllers = [.init(endpointID: Harness.controllerID)]
        config.radios = [.init(protocol: "zigbee", stack: kind, port: stick.path)]
        var logger = Logger(label: "zbstick")
        logger.logLevel = .warning
        let runtime = try await BridgeRuntime.make(config: config, adapters: try RadioFactory.adapters(for: config, logger: logger), logger: logger)
        let run = Task { try await runtime.run() }
        defer { run.cancel() }
        let controller = USPController(configuration: USPControllerConfiguration(
            brokerHost: "127.0.0.1", brokerPort: broker.port, mqttVersion: .v5, endpointID: Harness.controllerID,
            replyTopic: "usp/controller/zbstick", agentEndpointID: "proto::zbstick-\(kind)", agentTopic: "usp/agent/zbstick"))
        try await controller.connect()
        let log = ZigbeeEndToEndTests.Notifications()
        let consumer = Task { for await n in controller.notifications { await log.add(n) } }
        defer { consumer.cancel() }
        for (id, type, ref) in [("created", "ObjectCreation", "Device.ProxiedDevice."), ("deleted", "ObjectDeletion", "Device.ProxiedDevice."),
                                ("changes", "ValueChange", "Device.ProxiedDevice.*.IoTCapability.*.LevelSensor.Value")] {
            var added: Usp_AddResp?
            for _ in 0..<50 where added == nil {
                added = try? await controller.add("Device.LocalAgent.Subscription.", [
                    ParameterSetting("ID", id), ParameterSetting("NotifType", type),
                    ParameterSetting("ReferenceList", ref), ParameterSetting("Enable", "true")], timeout: .seconds(1))
            }
            #expect(added != nil)
        }

        // The stick starts (forming its network), the five paired devices announce themselves
        // and are interviewed over the stick protocol.
        func count() async -> Int { Int(Self.values((try? await controller.get(["Device.ProxiedDeviceNumberOfEntries"])) ?? Usp_GetResp()).values.first ?? "") ?? -1 }
        var n = 0
        for _ in 0..<300 where n < 5 { n = await count(); if n < 5 { try await Task.sleep(for: .milliseconds(100)) } }
        #expect(n == 5, "\(kind): devices interviewed: \(n)")

        // Pairing from USP: the smart plug joins.
        _ = try await controller.operate("Device.X_USPBRIDGE_Radio.1.PermitJoin()", ["Duration": "60"])
        for _ in 0..<300 where n < 6 { n = await count(); if n < 6 { try await Task.sleep(for: .milliseconds(100)) } }
        #expect(n == 6, "\(kind): the plug joined")
        #expect(await log.wait(seconds: 5) { $0.subscriptionID == "created" && $0.objCreation.objPath.hasPrefix("Device.ProxiedDevice.") } != nil)

        var values = Self.values(try await controller.get(["Device.ProxiedDevice.*."]))
        let addresses = values.filter { $0.key.hasSuffix(".X_USPBRIDGE_Address") }
        // A sensor reads through the mapping: the climate sensor's temperature (21.5 ± 1.5 °C).
        let temperature = values.first { $0.key.hasSuffix("LevelSensor.Value") && values[$0.key.replacingOccurrences(of: ".Value", with: ".Unit")] == "degC" }
        #expect((Double(temperature?.value ?? "") ?? 0) > 19.9 && (Double(temperature?.value ?? "") ?? 0) < 23.1, "\(kind): temperature \(String(describing: temperature))")
        let lampPath = try #require(values.first { $0.key.hasSuffix(".X_USPBRIDGE_Model") && $0.value == "VL-COLOR" }?.key.components(separatedBy: "X_USPBRIDGE_Model").first)
        let lampSwitch = try #require(values.first { $0.key.hasPrefix(lampPath) && $0.key.hasSuffix("BinaryControl.Value") }?.key)
        let lampSwitchObject = String(lampSwitch.dropLast("Value".count))
        #expect(values.contains { $0.key.hasSuffix("ProxyProtocol") && $0.value == "ZigBee" })

        // Set: the light inside the stick's network turns on.
        _ = try await controller.set(lampSwitchObject, [ParameterSetting("Value", "true")])
        let lampOn = await stick.network().device(named: "Living room lamp")?.value(cluster: 0x0006, attribute: 0)
        #expect(lampOn == .bool(true), "\(kind): Set reached the device")
        #expect(await log.wait(seconds: 15) { $0.subscriptionID == "changes" } != nil, "\(kind): a sensor report became ValueChange")

        // The stick resets on its own: the bridge recovers, the network is restored, and the
        // devices keep their instance numbers.
        await stick.reset()
        var state = ""
        try await Task.sleep(for: .milliseconds(300))
        for _ in 0..<200 where state != "Running" {
            state = Self.values((try? await controller.get(["Device.X_USPBRIDGE_Radio.1.State"])) ?? Usp_GetResp()).values.first ?? ""
            if state != "Running" { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(state == "Running", "\(kind): the radio came back after the reset")
        var switched = false
        for _ in 0..<50 where !switched {
            switched = (try? await controller.set(lampSwitchObject, [ParameterSetting("Value", "false")])) != nil
            if !switched { try await Task.sleep(for: .milliseconds(200)) }
        }
        let lampAfter = await stick.network().device(named: "Living room lamp")?.value(cluster: 0x0006, attribute: 0)
        #expect(switched && lampAfter == .bool(false), "\(kind): commands work again after the reset")
        values = Self.values(try await controller.get(["Device.ProxiedDevice.*.X_USPBRIDGE_Address"]))
        #expect(values == addresses, "\(kind): same instance numbers after the reset")

        // RemoveDevice: the plug is told to leave and its object goes away.
        let plugPath = try #require(Self.values(try await controller.get(["Device.ProxiedDevice.*.X_USPBRIDGE_Model"]))
            .first { $0.value == "VP-PLUG" }?.key.components(separatedBy: "X_USPBRIDGE_Model").first)
        _ = try await controller.operate("Device.X_USPBRIDGE_Radio.1.RemoveDevice()", ["Device": String(plugPath.dropLast())])
        let deleted = await log.wait(seconds: 10) { $0.subscriptionID == "deleted" }
        #expect(deleted?.objDeletion.objPath == plugPath, "\(kind)")

        // A device leaves on its own (its reset button): ObjectDeletion as well.
        let motionPath = try #require(Self.values(try await controller.get(["Device.ProxiedDevice.*.X_USPBRIDGE_Model"]))
            .first { $0.value == "VS-MOTION" }?.key.components(separatedBy: "X_USPBRIDGE_Model").first)
        await stick.leave("Hall motion")
        let left = await log.wait(seconds: 10) { $0.subscriptionID == "deleted" && $0.objDeletion.objPath == motionPath }
        #expect(left != nil, "\(kind): the motion sensor's own leave became ObjectDeletion")

        await controller.close()
        run.cancel()
        _ = try? await run.value
    }
}
