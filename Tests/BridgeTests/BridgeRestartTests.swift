import Agent
@testable import Bridge
import DataModel
import Foundation
import GRDB
import Testing
import USPMessages

/// The registry in the agent's SQLite file: stable numbers, last values, user names, bad rows.
@Suite struct BridgeRestartTests {
    @Test func restartKeepsInstanceNumbersNamesAndLastValues() async throws {
        let db = Harness.temporaryDatabase()
        do {
            let h = try await Harness.make(dbPath: db)
            var c = h.controller
            _ = await h.join(Devices.bulb, Devices.bulbUnits, expectCapabilities: 2)
            _ = await h.join(Devices.sensor, Devices.sensorUnits, expectCapabilities: 3)
            let mark = await h.log.count
            h.fake.emit(.report(Devices.sensorAddress, .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0), .int(1975), timestamp: Date()))
            #expect(await h.waitValue("Device.ProxiedDevice.2.IoTCapability.2.LevelSensor.Value", "19.75", from: mark))
            _ = try await c.set("Device.ProxiedDevice.2.", [("Name", "Bathroom")])
            _ = try await c.set("Device.ProxiedDevice.2.IoTCapability.2.", [("Name", "Air")])
            _ = try await c.set("Device.ProxiedDevice.1.IoTCapability.2.LevelControl.", [("StepValue", "5")])
            // The bulb leaves: its number stays reserved for it.
            let m2 = await h.log.count
            h.fake.emit(.deviceLeft(Devices.bulbAddress))
            _ = await h.log.wait(from: m2) { $0 == .objectDeleted(path: "Device.ProxiedDevice.1.") }
            await h.stop()
        }
        // A new agent and bridge on the same file.
        let h = try await Harness.make(dbPath: db)
        var c = h.controller
        defer { Task { await h.stop() } }
        #expect(await h.agent.instances(ofTable: "Device.ProxiedDevice.") == [2])
        // Restored devices existed before: no ObjectCreation for them after the restart.
        #expect(await h.log.all.allSatisfy { change in
            if case .objectCreated(let p, _) = change { return !p.hasPrefix("Device.ProxiedDevice.") }
            return true
        })
        let v = try await c.get(["Device.ProxiedDevice.2."])
        #expect(v["Device.ProxiedDevice.2."]?["Name"] == "Bathroom")
        #expect(v["Device.ProxiedDevice.2."]?["X_USPBRIDGE_Stale"] == "true")
        #expect(v["Device.ProxiedDevice.2.IoTCapability.2."]?["Name"] == "Air")
        #expect(v["Device.ProxiedDevice.2.IoTCapability.2.LevelSensor."]?["Value"] == "19.75")
        // The device reports again: no longer stale.
        let mark = await h.log.count
        h.fake.emit(.report(Devices.sensorAddress, .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0), .int(2000), timestamp: Date()))
        #expect(await h.waitValue("Device.ProxiedDevice.2.X_USPBRIDGE_Stale", "false", from: mark))
        #expect(await h.waitValue("Device.ProxiedDevice.2.IoTCapability.2.LevelSensor.Value", "20", from: mark))
        // A new device takes the next free number; the bulb re-joining gets its old one back.
        let other = DeviceIdentity(address: .ieee(0xFEED), manufacturer: "Acme", model: "Plug", power: .mains, kind: .router)
        let created = await h.join(other, [FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 6, attribute: 0))], expectCapabilities: 1)
        #expect(created.first == "Device.ProxiedDevice.3.")
        let again = await h.join(Devices.bulb, Devices.bulbUnits, expectCapabilities: 2)
        #expect(again == ["Device.ProxiedDevice.1.", "Device.ProxiedDevice.1.IoTCapability.1.", "Device.ProxiedDevice.1.IoTCapability.2."])
        let step = try await c.get(["Device.ProxiedDevice.1.IoTCapability.2.LevelControl.StepValue"])
        #expect(step["Device.ProxiedDevice.1.IoTCapability.2.LevelControl."]?["StepValue"] == "5")
    }

    @Test func badRegistryRowsAreSkippedNotFatal() async throws {
        let db = Harness.temporaryDatabase()
        do {
            let h = try await Harness.make(dbPath: db)
            _ = await h.join(Devices.sensor, Devices.sensorUnits, expectCapabilities: 3)
            await h.stop()
        }
        // Damage the tables behind the bridge's back.
        let (adb, _) = try AgentDatabase.open(path: db)
        try await adb.databaseQueue.write { d in
            try d.execute(sql: "INSERT INTO bridge_device(address, instance, radio, identity, units, mapping, present, online, nodes) VALUES ('garbage', 7, 0, '{}', '[]', '', 1, 1, '{}')")
            try d.execute(sql: "INSERT INTO bridge_device(address, instance, radio, identity, units, mapping, present, online, nodes) VALUES ('zigbee:00000000000000aa', 8, 0, 'not json', '[]', '', 1, 1, '{}')")
            try d.execute(sql: "INSERT INTO bridge_device(address, instance, radio, identity, units, mapping, present, online, nodes) VALUES ('zigbee:00000000000000bb', -3, 0, '{}', '[]', '', 1, 1, '{}')")
            try d.execute(sql: "UPDATE bridge_capability SET unit_key = 'zigbee/x/y/z' WHERE unit_key LIKE '%0x0405%'")
            try d.execute(sql: "UPDATE bridge_device SET units = '[{\"key\": 5}]' WHERE address = 'zigbee:00158d0000112233'")
        }
        let h = try await Harness.make(dbPath: db)
        var c = h.controller
        defer { Task { await h.stop() } }
        #expect(await h.agent.instances(ofTable: "Device.ProxiedDevice.") == [1])
        let v = try await c.get(["Device.ProxiedDevice.1.Name"])
        #expect(v["Device.ProxiedDevice.1."]?["Name"] == "Acme TH Sensor")
        // Its units were unreadable, so it shows no capabilities until the adapter re-announces it.
        let created = await h.join(Devices.sensor, Devices.sensorUnits, expectCapabilities: 3)
        #expect(Set(created).isSuperset(of: ["Device.ProxiedDevice.1.IoTCapability.1.", "Device.ProxiedDevice.1.IoTCapability.2."]))
        #expect(!created.contains("Device.ProxiedDevice.1."))
    }

    @Test func corruptDatabaseFileDoesNotStopTheBridge() async throws {
        let db = Harness.temporaryDatabase()
        try Data("this is not sqlite at all, just garbage bytes".utf8).write(to: URL(fileURLWithPath: db))
        let h = try await Harness.make(dbPath: db)
        defer { Task { await h.stop() } }
        let created = await h.join(Devices.bulb, Devices.bulbUnits, expectCapabilities: 2)
        #expect(created.first == "Device.ProxiedDevice.1.")
    }
}
