import Agent
@testable import Bridge
import DataModel
import Foundation
import Testing
import USPMessages

/// A Set or Operate that waits for a device must not hold up other controllers' messages.
@Suite struct BridgeConcurrencyTests {
    static let valuePath = "Device.ProxiedDevice.1.IoTCapability.1.BinaryControl."

    /// Reads `PendingCommands` of device 1 until it is `want` (at most `timeout`).
    static func waitPending(_ c: inout Controller, _ want: String, timeout: Duration = .seconds(5)) async throws -> String {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        var pending = ""
        while clock.now < end {
            let v = try await c.get(["Device.ProxiedDevice.1.X_USPBRIDGE_PendingCommands"])
            pending = v["Device.ProxiedDevice.1."]?["X_USPBRIDGE_PendingCommands"] ?? ""
            if pending == want { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        return pending
    }

    @Test func getAnswersWhileASetWaitsForASleepyDevice() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase(), fake: FakeAdapter(.zwave)) { o in
            o.setWakeTimeout = .seconds(10)
        }
        defer { Task { await h.stop() } }
        _ = await h.join(BridgeDeviceKindTests.sleepy, BridgeDeviceKindTests.sleepyUnits, expectCapabilities: 1)
        let agent = h.agent
        let setter = Task {
            var c = Controller(agent: agent, endpoint: "proto::setter")
            return try await c.set(Self.valuePath, [("Value", "true")])
        }
        var other = Controller(agent: agent, endpoint: "proto::reader")
        // The Set's command is queued for the sleeping device, and Gets still answer meanwhile.
        #expect(try await Self.waitPending(&other, "1") == "1")
        // (The device only wakes when the test says so: this Get answering at all shows it was not held up.)
        let before = try await other.get(["Device.ProxiedDevice."])
        #expect(before[Self.valuePath]?["Value"] == "false", "the Set is not done: the old value")
        #expect(h.fake.sent.isEmpty)
        // A second Set from another controller is not held up either; its write goes to the same queue.
        var third = Controller(agent: agent, endpoint: "proto::third")
        let (named, nameErrs) = try await third.set("Device.ProxiedDevice.1.", [("Name", "Hall switch")])
        #expect(nameErrs.isEmpty)
        #expect(named == ["Name": "Hall switch"])
        // The device wakes: the first Set completes with the device's answer.
        let mark = await h.log.count
        h.fake.emit(.awake(BridgeDeviceKindTests.sleepyAddress))
        let (ok, errs) = try await setter.value
        #expect(errs.isEmpty)
        #expect(ok == ["Value": "true"])
        #expect(h.fake.sent.count == 1)
        #expect(await h.waitValue(Self.valuePath + "Value", "true", from: mark))
        let after = try await other.get([Self.valuePath + "Value", "Device.ProxiedDevice.1.Name"])
        #expect(after[Self.valuePath]?["Value"] == "true")
        #expect(after["Device.ProxiedDevice.1."]?["Name"] == "Hall switch")
    }

    @Test func setToASleepyDeviceThatNeverWakesFailsWithoutBlockingOthers() async throws {
        let h = try await Harness.make(dbPath: Harness.temporaryDatabase(), fake: FakeAdapter(.zwave)) { o in
            o.setWakeTimeout = .seconds(2)
        }
        defer { Task { await h.stop() } }
        _ = await h.join(BridgeDeviceKindTests.sleepy, BridgeDeviceKindTests.sleepyUnits, expectCapabilities: 1)
        let agent = h.agent
        let setter = Task {
            var c = Controller(agent: agent, endpoint: "proto::setter")
            return try await c.set(Self.valuePath, [("Value", "true")])
        }
        var other = Controller(agent: agent, endpoint: "proto::reader")
        // A Get from another controller sees the Set's command still pending: it was answered
        // while the Set waited (after the wake timeout the count drops back to 0).
        #expect(try await Self.waitPending(&other, "1") == "1", "a Get answered while the Set waited for the device")
        let (_, errs) = try await setter.value
        #expect(errs.first?.1 == USPErrorCode.requestDenied.rawValue)
        #expect(try await Self.waitPending(&other, "0") == "0")
        let v = try await other.get([Self.valuePath + "Value"])
        #expect(v[Self.valuePath]?["Value"] == "false")
    }
}
