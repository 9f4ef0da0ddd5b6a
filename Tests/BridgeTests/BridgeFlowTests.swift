import Agent
@testable import Bridge
import DataModel
import Foundation
import Testing
import USPMessages

/// The bridge end to end: fake adapter events in, encoded USP records through the agent, real SQLite.
@Suite struct BridgeFlowTests {
    @Test func joinCreatesObjectsAndGetAnswersFromMemory() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        let created = await h.join(Devices.bulb, Devices.bulbUnits, expectCapabilities: 2)
        #expect(created == ["Device.ProxiedDevice.1.", "Device.ProxiedDevice.1.IoTCapability.1.", "Device.ProxiedDevice.1.IoTCapability.2."])
        let v = try await c.get(["Device.ProxiedDevice.1."])
        let dev = try #require(v["Device.ProxiedDevice.1."])
        #expect(dev["ProxyProtocol"] == "ZigBee")
        #expect(dev["Online"] == "true")
        #expect(dev["Type"] == "Light")
        #expect(dev["Name"] == "Acme Dimmable Bulb")
        #expect(dev["IoTCapabilityNumberOfEntries"] == "2")
        #expect(dev["InterfaceReference"] == "Device.X_USPBRIDGE_Radio.1")
        #expect(dev["X_USPBRIDGE_Address"] == "zigbee:00124b0001abcdef")
        #expect(dev["X_USPBRIDGE_Stale"] == "false")
        #expect(v["Device.ProxiedDevice.1.IoTCapability.1."]?["Class"] == "BinaryControl")
        #expect(v["Device.ProxiedDevice.1.IoTCapability.1."]?["Name"] == "Switch")
        #expect(v["Device.ProxiedDevice.1.IoTCapability.1.BinaryControl."] == ["Type": "Switch", "Description": "", "Value": "false"])
        let level = try #require(v["Device.ProxiedDevice.1.IoTCapability.2.LevelControl."])
        #expect(level["Value"] == "50")
        #expect(level["Unit"] == "%")
        #expect(level["MinValue"] == "0")
        #expect(level["MaxValue"] == "100")
        #expect(level["StepValue"] == "10")
        #expect(level["Type"] == "Brightness")
        let radio = try await c.get(["Device.X_USPBRIDGE_Radio.1."])
        #expect(radio["Device.X_USPBRIDGE_Radio.1."]?["Protocol"] == "ZigBee")
        #expect(radio["Device.X_USPBRIDGE_Radio.1."]?["Port"] == "/dev/ttyFAKE0")
        #expect(radio["Device.X_USPBRIDGE_Radio.1."]?["DeviceNumberOfEntries"] == "1")
    }

    @Test func reportGivesValueChangeAndLeaveDeletes() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Devices.sensor, Devices.sensorUnits, expectCapabilities: 3)
        let mark = await h.log.count
        h.fake.emit(.report(Devices.sensorAddress, .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0), .int(2150), timestamp: Date()))
        #expect(await h.waitValue("Device.ProxiedDevice.1.IoTCapability.2.LevelSensor.Value", "21.5", from: mark))
        h.fake.emit(.report(Devices.sensorAddress, .zigbee(endpoint: 1, cluster: 0x0001, attribute: 0x21), .int(150), timestamp: Date()))
        #expect(await h.waitValue("Device.ProxiedDevice.1.IoTCapability.1.LevelSensor.Value", "75", from: mark))
        let v = try await c.get(["Device.ProxiedDevice.1.IoTCapability.2.LevelSensor."])
        #expect(v["Device.ProxiedDevice.1.IoTCapability.2.LevelSensor."]?["Value"] == "21.5")
        #expect(v["Device.ProxiedDevice.1.IoTCapability.2.LevelSensor."]?["Unit"] == "degC")
        #expect(v["Device.ProxiedDevice.1.IoTCapability.2.LevelSensor."]?["LastChange"]?.hasPrefix("20") == true)
        // Same value again: no second notification.
        let before = await h.log.count
        h.fake.emit(.report(Devices.sensorAddress, .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0), .int(2150), timestamp: Date()))
        h.fake.emit(.availability(Devices.sensorAddress, online: false))
        #expect(await h.waitValue("Device.ProxiedDevice.1.Online", "false", from: before))
        let dupes = await h.log.all.dropFirst(before).filter { if case .valueChanged(let p, _) = $0 { p.hasSuffix("LevelSensor.Value") } else { false } }
        #expect(dupes.isEmpty)
        // Leave: ObjectDeletion for the capabilities and the device.
        let m2 = await h.log.count
        h.fake.emit(.deviceLeft(Devices.sensorAddress))
        let gone = await h.log.wait(from: m2) { $0 == .objectDeleted(path: "Device.ProxiedDevice.1.") }
        #expect(gone != nil)
        let deleted = await h.log.all.dropFirst(m2).compactMap { if case .objectDeleted(let p) = $0 { p } else { nil } }
        #expect(Set(deleted) == ["Device.ProxiedDevice.1.", "Device.ProxiedDevice.1.IoTCapability.1.",
                                 "Device.ProxiedDevice.1.IoTCapability.2.", "Device.ProxiedDevice.1.IoTCapability.3."])
        #expect(await h.agent.instances(ofTable: "Device.ProxiedDevice.").isEmpty)
    }

    @Test func setReachesTheRadioAndWaitsForItsAnswer() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Devices.bulb, Devices.bulbUnits, expectCapabilities: 2)
        let mark = await h.log.count
        let (ok, errs) = try await c.set("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", [("Value", "1")])
        #expect(errs.isEmpty)
        #expect(ok == ["Value": "true"])
        let last = try #require(h.fake.sent.last)
        #expect(last.0 == .write(.zigbee(endpoint: 1, cluster: 6, attribute: 0), .bool(true)))
        #expect(last.1 == Devices.bulbAddress)
        #expect(await h.waitValue("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Value", "true", from: mark))
        // Level: the mapping's invoke with the converted value.
        _ = try await c.set("Device.ProxiedDevice.1.IoTCapability.2.LevelControl.", [("Value", "100")])
        #expect(h.fake.sent.last?.0 == .invoke(.zigbee(endpoint: 1, cluster: 8, attribute: 0), action: .named("move_to_level_with_on_off"),
                                               args: ["transition_time": .int(0), "value": .int(254)]))
        // Out of range: refused before the radio.
        let count = h.fake.sent.count
        let (_, rangeErr) = try await c.set("Device.ProxiedDevice.1.IoTCapability.2.LevelControl.", [("Value", "150")])
        #expect(rangeErr.first?.1 == 7012)
        #expect(h.fake.sent.count == count)
        // Radio timeout → 7002 with a clear message; the value is unchanged.
        h.fake.behave(.fail(AdapterError(.timeout, "no APS ack")))
        let (_, timeoutErr) = try await c.set("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", [("Value", "false")])
        #expect(timeoutErr.first?.1 == 7002)
        #expect(timeoutErr.first?.2.contains("did not answer in time") == true)
        h.fake.behave(.reject(0x86))
        let (_, rejectErr) = try await c.set("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", [("Value", "false")])
        #expect(rejectErr.first?.1 == 7009)
        let v = try await c.get(["Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Value"])
        #expect(v["Device.ProxiedDevice.1.IoTCapability.1.BinaryControl."]?["Value"] == "true")
        // Names are kept by the bridge; duplicates within the table are refused.
        let (named, _) = try await c.set("Device.ProxiedDevice.1.IoTCapability.1.", [("Name", "Ceiling")])
        #expect(named == ["Name": "Ceiling"])
        let (_, dup) = try await c.set("Device.ProxiedDevice.1.IoTCapability.2.", [("Name", "Ceiling")])
        #expect(dup.first?.1 == 7025)
    }

    @Test func toggleAndStepsAreAsyncOperations() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Devices.bulb, Devices.bulbUnits, expectCapabilities: 2)
        let mark = await h.log.count
        let r = try await c.operate("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Toggle()")
        #expect(r.reqObjPath.hasPrefix("Device.LocalAgent.Request."))
        let done = await h.waitOperationComplete("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", from: mark)
        #expect(done == .success([:]))
        #expect(h.fake.sent.last?.0 == .invoke(.zigbee(endpoint: 1, cluster: 6, attribute: 0), action: .toggle, args: [:]))
        #expect(await h.waitValue("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Value", "true", from: mark))
        // StepUp is emulated: 50 % + StepValue 10 → Set 60 % (radio 152).
        let m2 = await h.log.count
        _ = try await c.operate("Device.ProxiedDevice.1.IoTCapability.2.LevelControl.StepUp()")
        #expect(await h.waitOperationComplete("Device.ProxiedDevice.1.IoTCapability.2.LevelControl.", from: m2) == .success([:]))
        #expect(await h.waitValue("Device.ProxiedDevice.1.IoTCapability.2.LevelControl.Value", "60", from: m2))
        #expect(h.fake.sent.last?.0 == .invoke(.zigbee(endpoint: 1, cluster: 8, attribute: 0), action: .named("move_to_level_with_on_off"),
                                               args: ["transition_time": .int(0), "value": .int(152)]))
        // A radio failure ends the operation with 7022.
        h.fake.behave(.fail(AdapterError(.unreachable, "no route")))
        let m3 = await h.log.count
        _ = try await c.operate("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Toggle()")
        let failed = await h.waitOperationComplete("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", from: m3)
        guard case .failure(let e)? = failed else { Issue.record("expected a failure, got \(String(describing: failed))"); return }
        #expect(e.code == .commandFailure)
        #expect(e.message.contains("unreachable"))
        #expect(await h.waitValue("Device.ProxiedDevice.1.Online", "false", from: m3))
    }

    @Test func radioCommands() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Devices.bulb, Devices.bulbUnits, expectCapabilities: 2)
        let r = try await c.operate("Device.X_USPBRIDGE_Radio.1.PermitJoin()", ["Duration": "60"])
        #expect(r.cmdFailure.errCode == 0)
        #expect(h.fake.calls.contains("permitJoin 60"))
        let mark = await h.log.count
        _ = try await c.operate("Device.X_USPBRIDGE_Radio.1.RemoveDevice()", ["Device": "Device.ProxiedDevice.1"])
        #expect(await h.log.wait(from: mark) { $0 == .objectDeleted(path: "Device.ProxiedDevice.1.") } != nil)
        #expect(h.fake.calls.contains("remove zigbee:00124b0001abcdef"))
    }
}
