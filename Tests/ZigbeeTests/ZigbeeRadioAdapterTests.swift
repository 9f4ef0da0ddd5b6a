import Foundation
import Logging
import RadioSeam
import Testing
import VirtualSticks
import Zigbee
import ZigbeeCore

/// The ZigBee radio adapter over the simulated network (no stick protocol in between):
/// joins and interviews, units and their properties, commands and their outcomes, reports,
/// IAS zones, leaves.
@Suite(.serialized) struct ZigbeeRadioAdapterTests {
    actor Log {
        var events: [AdapterEvent] = []
        func add(_ e: AdapterEvent) { events.append(e) }
        func wait(seconds: Double = 10, _ ok: @Sendable (AdapterEvent) -> Bool) async -> AdapterEvent? {
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while ContinuousClock.now < deadline {
                if let e = events.first(where: ok) { return e }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return nil
        }
        func joined() -> [DeviceIdentity: [FunctionalUnit]] {
            var out: [DeviceIdentity: [FunctionalUnit]] = [:]
            for e in events { if case .deviceJoined(let i, let u) = e { out[i] = u } }
            return out
        }
    }

    static let lamp = IEEEAddress(0xA4C1_3800_0000_0001), door = IEEEAddress(0xA4C1_3800_0000_0003), plug = IEEEAddress(0xA4C1_3800_0000_0004)

    static func start(timeScale: Double = 1) async -> (ZigbeeRadioAdapter, VirtualZigbeeStack, Log, Task<Void, Never>, Task<Void, Never>) {
        let network = VirtualZigbeeNetwork(devices: [
            VirtualZigbeeDevice(name: "Lamp", ieee: lamp, networkAddress: 0x1001, kind: .colorLight),
            VirtualZigbeeDevice(name: "Climate", ieee: IEEEAddress(0xA4C1_3800_0000_0002), networkAddress: 0x1002, kind: .temperatureHumiditySensor),
            VirtualZigbeeDevice(name: "Door", ieee: door, networkAddress: 0x1003, kind: .doorContact, period: 10),
            VirtualZigbeeDevice(name: "Plug", ieee: plug, networkAddress: 0x1004, kind: .smartPlug),
        ])
        let stack = VirtualZigbeeStack(network: network, timeScale: timeScale, tick: .milliseconds(50))
        var logger = Logger(label: "zigbee-test")
        logger.logLevel = .warning
        var config = ZigbeeRadioAdapter.Configuration(stackName: "virtual", port: "virtual")
        config.requestTimeout = .seconds(2)
        let adapter = ZigbeeRadioAdapter(stack: stack, configuration: config, logger: logger)
        let log = Log()
        let consumer = Task { for await e in adapter.events { await log.add(e) } }
        let run = Task { do { try await adapter.run() } catch {} }
        _ = await log.wait { if case .stateChanged(.running) = $0 { true } else { false } }
        return (adapter, stack, log, consumer, run)
    }

    @Test func joinsAreInterviewedIntoUnitsWithPropertiesAndValues() async throws {
        let (adapter, _, log, consumer, run) = await Self.start()
        defer { run.cancel(); consumer.cancel() }
        try await adapter.permitJoin(seconds: 60)
        #expect(await adapter.info.state == .permitJoin)
        var joined: [DeviceIdentity: [FunctionalUnit]] = [:]
        for _ in 0..<200 where joined.count < 4 {
            joined = await log.joined()
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(joined.count == 4)
        let lamp = try #require(joined.first { $0.key.address == .ieee(Self.lamp.rawValue) })
        #expect(lamp.key.manufacturer == "USPBridge Virtual" && lamp.key.model == "VL-COLOR" && lamp.key.kind == .router && lamp.key.power == .mains)
        #expect(lamp.key.nodeID == 0x1001)
        #expect(Set(lamp.value.map(\.key)) == Set([.zigbee(endpoint: 1, cluster: 0x0006, attribute: 0), .zigbee(endpoint: 1, cluster: 0x0008, attribute: 0)]
                                                   + [0, 1, 3, 4, 7].map { UnitKey.zigbee(endpoint: 1, cluster: 0x0300, attribute: $0) }),
                "on/off, level, hue, saturation, x, y and colour temperature")
        #expect(lamp.value.first { $0.key == .zigbee(endpoint: 1, cluster: 0x0008, attribute: 0) }?.value == .int(254))
        let door = try #require(joined.first { $0.key.address == .ieee(Self.door.rawValue) })
        #expect(door.key.isSleepy, "a battery contact sensor is a sleepy end device")
        let zone = try #require(door.value.first { $0.key == .zigbee(endpoint: 1, cluster: 0x0500, attribute: 2) })
        #expect(zone.properties["0x0001"] == .enumeration(0x0015), "the zone type read during the interview")
        let plug = try #require(joined.first { $0.key.address == .ieee(Self.plug.rawValue) })
        let energy = try #require(plug.value.first { $0.key == .zigbee(endpoint: 1, cluster: 0x0702, attribute: 0) })
        #expect(energy.properties["0x0301"] == .int(1) && energy.properties["0x0302"] == .int(1000))
        #expect(plug.value.contains { $0.key == .zigbee(endpoint: 1, cluster: 0x0b04, attribute: 0x050b) })
        #expect(!plug.value.contains { $0.key == .zigbee(endpoint: 1, cluster: 0x0b04, attribute: 0x0505) }, "the plug has no RMS voltage")
    }

    @Test func commandsReachTheDeviceAndAnswerWithItsStatus() async throws {
        let (adapter, stack, log, consumer, run) = await Self.start()
        defer { run.cancel(); consumer.cancel() }
        try await adapter.permitJoin(seconds: 60)
        _ = await log.wait { if case .deviceJoined(let i, _) = $0 { i.address == .ieee(Self.plug.rawValue) } else { false } }
        _ = await log.wait { if case .deviceJoined(let i, _) = $0 { i.address == .ieee(Self.lamp.rawValue) } else { false } }
        let lamp = DeviceAddress.ieee(Self.lamp.rawValue)
        let onOff = UnitKey.zigbee(endpoint: 1, cluster: 0x0006, attribute: 0)
        let outcome = try await adapter.send(.invoke(onOff, action: .toggle, args: [:]), to: lamp, timeout: .seconds(2))
        #expect(outcome == .success(nil))
        #expect(await stack.device(named: "Lamp")?.value(cluster: 0x0006, attribute: 0) == .bool(true))
        let report = await log.wait { if case .report(lamp, onOff, .bool(true), _) = $0 { true } else { false } }
        #expect(report != nil, "the bound, configured light reports its new state")
        _ = try await adapter.send(.invoke(.zigbee(endpoint: 1, cluster: 0x0008, attribute: 0), action: .named("move_to_level_with_on_off"),
                                           args: ["value": .int(100), "transition_time": .int(0)]), to: lamp, timeout: .seconds(2))
        #expect(await stack.device(named: "Lamp")?.value(cluster: 0x0008, attribute: 0) == .unsigned(100, .bits8))
        _ = try await adapter.send(.write(onOff, .bool(false)), to: lamp, timeout: .seconds(2))
        #expect(await stack.device(named: "Lamp")?.commandLog.suffix(2) == ["level 100", "off"])
        _ = try await adapter.send(.invoke(.zigbee(endpoint: 1, cluster: 0x0300, attribute: 7), action: .named("move_to_color_temperature"),
                                           args: ["value": .int(250)]), to: lamp, timeout: .seconds(2))
        #expect(await stack.device(named: "Lamp")?.value(cluster: 0x0300, attribute: 7) == .unsigned(250, .bits16))
        // A sensor unit takes no command; an unknown device is unreachable.
        await #expect(throws: AdapterError.self) {
            try await adapter.send(.invoke(.zigbee(endpoint: 1, cluster: 0x0402, attribute: 0), action: .toggle, args: [:]), to: lamp, timeout: .seconds(1))
        }
        do {
            _ = try await adapter.send(.invoke(onOff, action: .toggle, args: [:]), to: .ieee(0x1234), timeout: .seconds(1))
            Issue.record("an unknown device took a command")
        } catch { #expect(error.code == .unreachable) }
    }

    @Test func zoneNotificationsLeavesAndRemovals() async throws {
        let (adapter, stack, log, consumer, run) = await Self.start(timeScale: 20)
        defer { run.cancel(); consumer.cancel() }
        try await adapter.permitJoin(seconds: 60)
        let door = DeviceAddress.ieee(Self.door.rawValue), plug = DeviceAddress.ieee(Self.plug.rawValue), lamp = DeviceAddress.ieee(Self.lamp.rawValue)
        _ = await log.wait { if case .deviceJoined(let i, _) = $0 { i.address == door } else { false } }
        #expect(await stack.device(named: "Door")?.commandLog.contains { $0.hasPrefix("enrolled") } == true, "the IAS zone was enrolled")
        let open = await log.wait(seconds: 15) { if case .report(door, .zigbee(1, 0x0500, 2), .int(1), _) = $0 { true } else { false } }
        #expect(open != nil, "the door's zone status change notification becomes a report")
        _ = await log.wait { if case .deviceJoined(let i, _) = $0 { i.address == plug } else { false } }
        await stack.leave(deviceNamed: "Plug")
        #expect(await log.wait { $0 == .deviceLeft(plug) } != nil)
        do {
            _ = try await adapter.send(.write(.zigbee(endpoint: 1, cluster: 6, attribute: 0), .bool(true)), to: plug, timeout: .seconds(1))
            Issue.record("a device that left took a command")
        } catch { #expect(error.code == .unreachable) }
        _ = await log.wait { if case .deviceJoined(let i, _) = $0 { i.address == lamp } else { false } }
        try await adapter.remove(device: lamp)
        #expect(await log.wait { $0 == .deviceLeft(lamp) } != nil)
        #expect(await adapter.knownDevices[Self.lamp] == nil)
    }
}
