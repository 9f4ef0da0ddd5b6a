import Agent
@testable import Bridge
import DataModel
import Foundation
import Testing
import USPMessages

/// BinarySensor Sensitivity/HoldTime/RestTime backed by sibling radio units (shipped ZigBee
/// mappings: Occupancy Sensing PIR delay, IAS zone sensitivity level).
@Suite struct BridgeSettingTests {
    static let motionAddress = DeviceAddress.ieee(0x00158D00000A0B0C)
    static let motion = DeviceIdentity(address: motionAddress, manufacturer: "Acme", model: "PIR", power: .battery, kind: .endDevice)
    static let occupancy = UnitKey.zigbee(endpoint: 1, cluster: 0x0406, attribute: 0x0000)
    static let pirDelay = UnitKey.zigbee(endpoint: 1, cluster: 0x0406, attribute: 0x0010)
    static let motionUnits = [
        FunctionalUnit(key: occupancy, value: .int(0)),
        FunctionalUnit(key: pirDelay, value: .int(30)),
    ]
    static let sensor = "Device.ProxiedDevice.1.IoTCapability.1.BinarySensor."

    @Test func holdTimeReadsWritesAndFollowsReports() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        let created = await h.join(Self.motion, Self.motionUnits, expectCapabilities: 1)
        // The delay attribute is part of the occupancy capability, not a capability of its own.
        #expect(created.filter { $0.hasSuffix("IoTCapability.2.") }.isEmpty)
        var v = try await c.get([Self.sensor])
        #expect(v[Self.sensor]?["HoldTime"] == "30000")
        // Nothing behind Sensitivity and RestTime on this device: the schema default (and a Set fails with 7010).
        #expect(v[Self.sensor]?["Sensitivity"] == "0")
        #expect(v[Self.sensor]?["RestTime"] == "0")

        // Set: ms → whole seconds on the radio, the response waits for the device.
        h.fake.behave(.succeed(nil))
        var mark = await h.log.count
        let (updated, errs) = try await c.set(Self.sensor, [("HoldTime", "90000")])
        #expect(errs.isEmpty, "\(errs)")
        #expect(updated["HoldTime"] == "90000")
        #expect(h.fake.sent.last?.0 == .write(Self.pirDelay, .int(90)))
        #expect(await h.waitValue(Self.sensor + "HoldTime", "90000", from: mark))

        // Rounded to what the attribute can hold: 1 400 ms is 1 s.
        let (rounded, errs2) = try await c.set(Self.sensor, [("HoldTime", "1400")])
        #expect(errs2.isEmpty)
        #expect(h.fake.sent.last?.0 == .write(Self.pirDelay, .int(1)))
        v = try await c.get([Self.sensor + "HoldTime"])
        #expect(v[Self.sensor]?["HoldTime"] == "1000")
        _ = rounded

        // A report of the delay attribute (someone changed it on the device) updates HoldTime.
        mark = await h.log.count
        h.fake.emit(.report(Self.motionAddress, Self.pirDelay, .int(45), timestamp: Date()))
        #expect(await h.waitValue(Self.sensor + "HoldTime", "45000", from: mark))
        // … and does not touch Value.
        v = try await c.get([Self.sensor + "Value"])
        #expect(v[Self.sensor]?["Value"] == "false")
    }

    @Test func badSettingWritesAreRefusedWithCodes() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Self.motion, Self.motionUnits, expectCapabilities: 1)
        let before = h.fake.sent.count
        // Above what uint16 seconds can hold.
        var (_, errs) = try await c.set(Self.sensor, [("HoldTime", "65536000")])
        #expect(errs.first?.1 == 7012)
        #expect(errs.first?.2.contains("65535000") == true)
        // Not an unsignedInt (the agent's type check).
        (_, errs) = try await c.set(Self.sensor, [("HoldTime", "-5")])
        #expect(errs.first.map { [7011, 7012].contains($0.1) } == true)
        // No radio unit behind Sensitivity on this device (RestTime has none either, but the
        // bridge applies that one itself).
        (_, errs) = try await c.set(Self.sensor, [("RestTime", "1000")])
        #expect(errs.isEmpty)
        (_, errs) = try await c.set(Self.sensor, [("Sensitivity", "50")])
        #expect(errs.first?.1 == 7010)
        #expect(h.fake.sent.count == before, "nothing reached the radio")
        // The device refuses: the ZCL status comes back as a Set error and the value stays.
        h.fake.behave(.reject(0x87))
        (_, errs) = try await c.set(Self.sensor, [("HoldTime", "5000")])
        #expect(errs.first != nil)
        let v = try await c.get([Self.sensor + "HoldTime"])
        #expect(v[Self.sensor]?["HoldTime"] == "30000")
    }

    static let doorAddress = DeviceAddress.ieee(0x00158D00000D0D0D)
    static let door = DeviceIdentity(address: doorAddress, manufacturer: "Acme", model: "Door", power: .battery, kind: .endDevice)
    static func doorUnits(levels: Int64) -> [FunctionalUnit] {
        let props: [String: RadioValue] = ["0x0001": .int(0x0015), "0x0012": .int(levels)]
        return [
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0500, attribute: 0x0002), properties: props, value: .int(0)),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0500, attribute: 0x0013), properties: props, value: .int(1)),
        ]
    }

    @Test func iasSensitivityLevelsBecomePercent() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase())
        var c = h.controller
        defer { Task { await h.stop() } }
        _ = await h.join(Self.door, Self.doorUnits(levels: 5), expectCapabilities: 1)
        var v = try await c.get([Self.sensor])
        #expect(v[Self.sensor]?["Type"] == "DoorOpen")
        #expect(v[Self.sensor]?["Sensitivity"] == "25", "level 1 of 0…4")
        #expect(v[Self.sensor]?["HoldTime"] == "0")
        let (_, errs) = try await c.set(Self.sensor, [("Sensitivity", "100")])
        #expect(errs.isEmpty, "\(errs)")
        #expect(h.fake.sent.last?.0 == .write(.zigbee(endpoint: 1, cluster: 0x0500, attribute: 0x0013), .int(4)))
        // 60 % of 0…4 is level 2.4 → 2 → 50 %.
        _ = try await c.set(Self.sensor, [("Sensitivity", "60")])
        #expect(h.fake.sent.last?.0 == .write(.zigbee(endpoint: 1, cluster: 0x0500, attribute: 0x0013), .int(2)))
        v = try await c.get([Self.sensor + "Sensitivity"])
        #expect(v[Self.sensor]?["Sensitivity"] == "50")
        // Above the TR-181 range of Sensitivity (0…100).
        let (_, errs2) = try await c.set(Self.sensor, [("Sensitivity", "101")])
        #expect(errs2.first?.1 == 7012)
    }

    @Test func settingsSurviveRestart() async throws {
        let db = Harness.temporaryDatabase()
        do {
            let h = try await Harness.make(dbPath: db)
            var c = h.controller
            _ = await h.join(Self.motion, Self.motionUnits, expectCapabilities: 1)
            _ = try await c.set(Self.sensor, [("HoldTime", "120000")])
            await h.stop()
        }
        let h = try await Harness.make(dbPath: db)
        var c = h.controller
        defer { Task { await h.stop() } }
        let v = try await c.get([Self.sensor + "HoldTime"])
        #expect(v[Self.sensor]?["HoldTime"] == "120000")
    }

    /// A BLE motion sensor has no radio setting: HoldTime and RestTime are applied by the bridge.
    @Test func bridgeAppliesHoldTimeAndRestTimeWithoutARadioSetting() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase(), fake: FakeAdapter(.ble))
        var c = h.controller
        defer { Task { await h.stop() } }
        let addr = DeviceAddress.bluetooth(0xA4C1380000AA)
        let id = DeviceIdentity(address: addr, manufacturer: "Shelly", model: "BLU Motion", power: .battery, kind: .passiveBroadcaster)
        let motion = UnitKey.ble(objectID: 0x21, index: 0)
        _ = await h.join(id, [FunctionalUnit(key: motion, value: .int(0))], expectCapabilities: 1)
        var v = try await c.get([Self.sensor])
        #expect(v[Self.sensor]?["Type"] == "MotionDetected")
        #expect(v[Self.sensor]?["HoldTime"] == "0" && v[Self.sensor]?["RestTime"] == "0", "off until set")

        // Off: Value follows the device exactly.
        var mark = await h.log.count
        h.fake.emit(.report(addr, motion, .int(1), timestamp: Date()))
        #expect(await h.waitValue(Self.sensor + "Value", "true", from: mark))
        h.fake.emit(.report(addr, motion, .int(0), timestamp: Date()))
        #expect(await h.waitValue(Self.sensor + "Value", "false", from: mark))

        let (_, errs) = try await c.set(Self.sensor, [("HoldTime", "1500"), ("RestTime", "20000")])
        #expect(errs.isEmpty, "\(errs)")
        #expect(h.fake.sent.isEmpty, "a passive sensor gets no command; the bridge applies them")
        let (_, sens) = try await c.set(Self.sensor, [("Sensitivity", "50")])
        #expect(sens.first?.1 == 7010, "Sensitivity cannot be emulated")
        v = try await c.get([Self.sensor])
        #expect(v[Self.sensor]?["HoldTime"] == "1500" && v[Self.sensor]?["RestTime"] == "20000")

        // A detection that is never cleared by the device: the bridge clears it after HoldTime.
        mark = await h.log.count
        let start = ContinuousClock.now
        h.fake.emit(.report(addr, motion, .int(1), timestamp: Date()))
        #expect(await h.waitValue(Self.sensor + "Value", "true", from: mark))
        let cleared = await h.log.wait(from: mark, timeout: .seconds(15)) { $0 == .valueChanged(path: Self.sensor + "Value", value: "false") }
        #expect(cleared != nil)
        #expect(ContinuousClock.now - start >= .milliseconds(1400), "not before HoldTime")

        // Within RestTime of that detection, a new one is ignored.
        mark = await h.log.count
        h.fake.emit(.report(addr, motion, .int(1), timestamp: Date()))
        try await Task.sleep(for: .milliseconds(300))
        v = try await c.get([Self.sensor + "Value"])
        #expect(v[Self.sensor]?["Value"] == "false")
        #expect(await h.log.all.dropFirst(mark).contains { $0 == .valueChanged(path: Self.sensor + "Value", value: "true") } == false)

        // Not an unsignedInt.
        let (_, bad) = try await c.set(Self.sensor, [("HoldTime", "soon")])
        #expect(bad.first.map { [7011, 7012].contains($0.1) } == true)
    }

    /// A sensor restored as detected is cleared by the bridge-side HoldTime after a restart,
    /// without waiting for the device.
    @Test func restoredDetectionIsClearedAfterRestart() async throws {
        let db = Harness.temporaryDatabase()
        let addr = DeviceAddress.bluetooth(0xA4C1380000BB)
        let id = DeviceIdentity(address: addr, manufacturer: "Shelly", model: "BLU Motion", power: .battery, kind: .passiveBroadcaster)
        let motion = UnitKey.ble(objectID: 0x21, index: 0)
        do {
            let h = try await Harness.make(dbPath: db, fake: FakeAdapter(.ble))
            var c = h.controller
            _ = await h.join(id, [FunctionalUnit(key: motion, value: .int(0))], expectCapabilities: 1)
            _ = try await c.set(Self.sensor, [("HoldTime", "60000")])
            let mark = await h.log.count
            h.fake.emit(.report(addr, motion, .int(1), timestamp: Date()))
            #expect(await h.waitValue(Self.sensor + "Value", "true", from: mark))
            await h.stop()
        }
        // Restarted with a short HoldTime written into the registry: the restored "true" is
        // cleared once that much time has passed since its last change (here: at once).
        let h0 = try await Harness.make(dbPath: db, fake: FakeAdapter(.ble))
        var c0 = h0.controller
        _ = try await c0.set(Self.sensor, [("HoldTime", "1")])
        await h0.stop()
        let h = try await Harness.make(dbPath: db, fake: FakeAdapter(.ble))
        var c = h.controller
        defer { Task { await h.stop() } }
        var value = ""
        for _ in 0..<200 {
            value = try await c.get([Self.sensor + "Value"])[Self.sensor]?["Value"] ?? ""
            if value == "false" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(value == "false", "no report from the device was needed")
    }

    /// One unit rule with a `settings:` line; (protocol, capability lines, settings line,
    /// expected line or nil, words the message must contain).
    static let badSettings: [(String, String, String, Int?, String)] = [
        ("zigbee", "match: {cluster: 0x0406, attribute: 0x0000}\n    class: BinarySensor\n    type: MotionDetected",
         "settings: {Delay: {attribute: 0x0010}}", 6, "HoldTime"),
        ("zigbee", "match: {cluster: 0x0402, attribute: 0x0000}\n    class: LevelSensor\n    type: Temperature\n    unit: degC",
         "settings: {HoldTime: {attribute: 0x0010}}", 7, "no radio-backed settings"),
        ("ble", "match: {object_id: 0x21}\n    class: BinarySensor\n    type: MotionDetected",
         "settings: {HoldTime: {attribute: 1}}", 6, "BLE"),
        ("zigbee", "match: {cluster: 0x0500, attribute: 0x0002}\n    class: BinarySensor\n    type: DoorOpen",
         "settings: {Sensitivity: {attribute: 0x0013, max: 200}}", 6, "above the TR-181 limit 100"),
        ("zigbee", "match: {cluster: 0x0500, attribute: 0x0002}\n    class: BinarySensor\n    type: DoorOpen",
         "settings: {Sensitivity: {attribute: 0x0013, convert: {divisor_offset: -1}}}", 6, "divisor_offset needs 'divisor'"),
        ("zigbee", "match: {cluster: 0x0406, attribute: 0x0000}\n    class: BinarySensor\n    type: MotionDetected",
         "settings: {HoldTime: {cluster: 0x0406}}", 6, "missing field 'attribute'"),
    ]

    @Test(arguments: badSettings.indices) func settingMappingErrorsNameFileAndLine(_ i: Int) {
        let (proto, capability, settings, line, words) = Self.badSettings[i]
        let good = "protocol: zigbee\nunits:\n  - match: {cluster: 0x0006, attribute: 0x0000}\n    class: BinaryControl\n    type: Switch\n    set: write\n"
        let bad = "protocol: \(proto)\nunits:\n  - \(capability)\n    \(settings)\n"
        let catalog = MappingCatalog.load(layers: [(name: "user", files: [(path: "bad.yaml", text: bad), (path: "good.yaml", text: good)])])
        let e = catalog.errors.first
        #expect(catalog.errors.count == 1)
        #expect(e?.file == "bad.yaml")
        if let line { #expect(e?.line == line, "\(String(describing: e))") }
        #expect(e?.message.contains(words) == true, "\(String(describing: e))")
        #expect(catalog.loadedFiles == ["good.yaml"], "a bad file does not stop the others")
    }
}
