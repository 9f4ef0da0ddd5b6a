import Agent
@testable import Bridge
import DataModel
import Foundation
import Testing
import USPMessages

/// Sleepy devices (queued commands), passive BLE broadcasters, multi-endpoint devices.
@Suite struct BridgeDeviceKindTests {
    static let sleepyAddress = DeviceAddress.zwave(homeID: 0xC0FFEE01, nodeID: 7)
    static let sleepy = DeviceIdentity(address: sleepyAddress, nodeID: 7, manufacturer: "Acme", model: "Battery Switch",
                                       power: .sleepy, kind: .sleepyEndDevice)
    static let sleepyUnits = [FunctionalUnit(key: .zwave(endpoint: 0, commandClass: 0x25, property: "currentValue"), value: .bool(false))]

    @Test func sleepyDeviceCommandWaitsForWakeUp() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase(), fake: FakeAdapter(.zwave))
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Self.sleepy, Self.sleepyUnits, expectCapabilities: 1)
        let mark = await h.log.count
        let r = try await c.operate("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Toggle()")
        #expect(r.cmdFailure.errCode == 0)
        try await Task.sleep(for: .milliseconds(100))
        #expect(h.fake.sent.isEmpty, "nothing goes out while the device sleeps")
        let pending = try await c.get(["Device.ProxiedDevice.1.X_USPBRIDGE_PendingCommands", "Device.ProxiedDevice.1.X_USPBRIDGE_PowerSource"])
        #expect(pending["Device.ProxiedDevice.1."] == ["X_USPBRIDGE_PendingCommands": "1", "X_USPBRIDGE_PowerSource": "Sleepy"])
        h.fake.emit(.awake(Self.sleepyAddress))
        let done = await h.waitOperationComplete("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", from: mark)
        #expect(done == .success([:]))
        // Toggle is emulated for this Z-Wave mapping: a write of the negated value.
        #expect(h.fake.sent.first?.0 == .write(.zwave(endpoint: 0, commandClass: 0x25, property: "currentValue"), .bool(true)))
        #expect(await h.waitValue("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Value", "true", from: mark))
    }

    @Test func sleepyDeviceCommandTimesOutCleanly() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase(), fake: FakeAdapter(.zwave)) { o in
            o.commandWakeTimeout = .milliseconds(150)
            o.setWakeTimeout = .milliseconds(100)
        }
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Self.sleepy, Self.sleepyUnits, expectCapabilities: 1)
        let mark = await h.log.count
        _ = try await c.operate("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Toggle()")
        let done = await h.waitOperationComplete("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", from: mark)
        guard case .failure(let e)? = done else { Issue.record("expected failure, got \(String(describing: done))"); return }
        #expect(e.code == .commandFailure)
        #expect(e.message.contains("asleep"))
        // Set waits (shortly) too, then fails with 7002; nothing reached the radio.
        let (_, errs) = try await c.set("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", [("Value", "true")])
        #expect(errs.first?.1 == 7002)
        #expect(errs.first?.2.contains("did not wake up") == true)
        #expect(h.fake.sent.isEmpty)
        // A late wake-up sends nothing stale.
        h.fake.emit(.awake(Self.sleepyAddress))
        try await Task.sleep(for: .milliseconds(50))
        #expect(h.fake.sent.isEmpty)
        let v = try await c.get(["Device.ProxiedDevice.1.X_USPBRIDGE_PendingCommands"])
        #expect(v["Device.ProxiedDevice.1."]?["X_USPBRIDGE_PendingCommands"] == "0")
    }

    static let bleAddress = DeviceAddress.bluetooth(0xA4C138001122)
    static let ble = DeviceIdentity(address: bleAddress, manufacturer: "Shelly", model: "BLU H&T", power: .battery, kind: .passiveBroadcaster)
    static let bleUnits = [FunctionalUnit(key: .ble(objectID: 0x01, index: 0)), FunctionalUnit(key: .ble(objectID: 0x3A, index: 0)),
                           FunctionalUnit(key: .ble(objectID: 0x45, index: 0))]

    @Test func passiveBroadcasterTakesNoCommandsButReportsAndTriggers() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase(), fake: FakeAdapter(.ble))
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Self.ble, Self.bleUnits, expectCapabilities: 3)
        let dev = try await c.get(["Device.ProxiedDevice.1."])
        #expect(dev["Device.ProxiedDevice.1."]?["ProxyProtocol"] == "X_USPBRIDGE_Bluetooth")
        #expect(dev["Device.ProxiedDevice.1."]?["Type"] == "Sensor")
        // Caps sorted by unit key: 1 battery (0x01), 2 button (0x3a), 3 temperature (0x45).
        #expect(dev["Device.ProxiedDevice.1.IoTCapability.2."]?["Class"] == "EnumSensor")
        #expect(dev["Device.ProxiedDevice.1.IoTCapability.2.EnumSensor."]?["Type"] == "X_USPBRIDGE_Button")
        let mark = await h.log.count
        h.fake.emit(.report(Self.bleAddress, .ble(objectID: 0x45, index: 0), .int(-45), timestamp: Date()))
        #expect(await h.waitValue("Device.ProxiedDevice.1.IoTCapability.3.LevelSensor.Value", "-4.5", from: mark))
        // Two identical presses: two events (the value itself changes once).
        for _ in 0..<2 { h.fake.emit(.report(Self.bleAddress, .ble(objectID: 0x3A, index: 0), .enumeration(1), timestamp: Date())) }
        let capPath = "Device.ProxiedDevice.1.IoTCapability.2."
        _ = await h.log.wait(from: mark) { c in
            if case .event(capPath, "X_USPBRIDGE_Triggered", _) = c { true } else { false }
        }
        try await Task.sleep(for: .milliseconds(50))
        let events = await h.log.all.dropFirst(mark).filter { if case .event(capPath, _, let a) = $0 { a["Value"] == "press" } else { false } }
        #expect(events.count == 2)
        // Sensors are read-only (7013 from the agent); the device takes no commands (7022).
        let (_, ro) = try await c.set("Device.ProxiedDevice.1.IoTCapability.3.LevelSensor.", [("Value", "20")])
        #expect(ro.first?.1 == 7013)
        let m2 = await h.log.count
        _ = try await c.operate("Device.ProxiedDevice.1.X_USPBRIDGE_Refresh()")
        let done = await h.waitOperationComplete("Device.ProxiedDevice.1.", from: m2)
        guard case .failure(let e)? = done else { Issue.record("expected failure"); return }
        #expect(e.code == .commandFailure)
        #expect(e.message.contains("only broadcasts"))
        #expect(h.fake.sent.isEmpty && h.fake.calls.isEmpty)
    }

    @Test func reinterviewIsAUSPCommand() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        let id = DeviceIdentity(address: .ieee(0xABCDEF), manufacturer: "Acme", model: "Plug", power: .mains, kind: .router)
        _ = await h.join(id, [FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 6, attribute: 0))], expectCapabilities: 1)
        let mark = await h.log.count
        _ = try await c.operate("Device.ProxiedDevice.1.X_USPBRIDGE_Reinterview()")
        let done = await h.waitOperationComplete("Device.ProxiedDevice.1.", from: mark)
        guard case .success? = done else { Issue.record("expected success, got \(String(describing: done))"); return }
        #expect(h.fake.calls.contains { $0.hasPrefix("reinterview") })
        // The radio refuses: the failure comes back as OperationComplete with 7022.
        h.fake.failNext = AdapterError(.unreachable, "no route")
        let m2 = await h.log.count
        _ = try await c.operate("Device.ProxiedDevice.1.X_USPBRIDGE_Reinterview()")
        let failed = await h.waitOperationComplete("Device.ProxiedDevice.1.", from: m2)
        guard case .failure(let e)? = failed else { Issue.record("expected failure"); return }
        #expect(e.code == .commandFailure)
    }

    @Test func multiEndpointDeviceGetsNodes() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        let id = DeviceIdentity(address: .ieee(0x1122334455667788), manufacturer: "Acme", model: "Double Relay", power: .mains, kind: .router)
        let units = [FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 6, attribute: 0)), FunctionalUnit(key: .zigbee(endpoint: 2, cluster: 6, attribute: 0)),
                     FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 1, attribute: 0x21))]
        let created = await h.join(id, units, expectCapabilities: 3)
        #expect(Set(created) == ["Device.ProxiedDevice.1.", "Device.ProxiedDevice.1.Node.1.", "Device.ProxiedDevice.1.Node.2.",
                                 "Device.ProxiedDevice.1.IoTCapability.1.", "Device.ProxiedDevice.1.Node.1.IoTCapability.1.",
                                 "Device.ProxiedDevice.1.Node.2.IoTCapability.1."])
        let v = try await c.get(["Device.ProxiedDevice.1."])
        #expect(v["Device.ProxiedDevice.1.IoTCapability.1.LevelSensor."]?["Type"] == "Battery")
        #expect(v["Device.ProxiedDevice.1.Node.2.IoTCapability.1."]?["Class"] == "BinaryControl")
        #expect(v["Device.ProxiedDevice.1."]?["NodeNumberOfEntries"] == "2")
        _ = try await c.set("Device.ProxiedDevice.1.Node.2.IoTCapability.1.BinaryControl.", [("Value", "true")])
        #expect(h.fake.sent.last?.0 == .write(.zigbee(endpoint: 2, cluster: 6, attribute: 0), .bool(true)))
    }

    @Test func getOverAThousandDevicesNeverWaitsForTheRadio() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        h.fake.behave(.hang)
        for i in 0..<1000 {
            let id = DeviceIdentity(address: .ieee(0xAA00_0000 + UInt64(i)), manufacturer: "Acme", model: "TH", power: .battery, kind: .endDevice)
            h.fake.emit(.deviceJoined(id, [FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0), value: .int(Int64(i)))]))
        }
        let last = "Device.ProxiedDevice.1000.IoTCapability.1."
        #expect(await h.log.wait(timeout: .seconds(60)) { if case .objectCreated(last, _) = $0 { true } else { false } } != nil)
        let clock = ContinuousClock()
        let start = clock.now
        let v = try await c.get(["Device.ProxiedDevice.*.IoTCapability.*.LevelSensor.Value"])
        let took = clock.now - start
        #expect(v.count == 1000)
        #expect(v["Device.ProxiedDevice.1000.IoTCapability.1.LevelSensor."]?["Value"] == "9.99")
        #expect(took < .seconds(5), "Get over 1000 devices took \(took)")
        #expect(h.fake.sent.isEmpty)
    }
}
