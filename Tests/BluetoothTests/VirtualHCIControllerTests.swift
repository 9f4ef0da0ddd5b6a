import Bluetooth
import Foundation
import Logging
import RadioSeam
import SerialPort
import Testing
import VirtualSticks

@Suite struct VirtualHCIControllerTests {
    static let fixed = BLEScenario(devices: [
        .init(name: "T", address: [0xA4, 0xC1, 0x38, 0x00, 0x00, 0x01], format: .bthome, interval: 1, objects: [
            .init(id: 0x02, signal: .wave(base: 23.45, amplitude: 0, period: 60)),
            .init(id: 0x01, signal: .wave(base: 77, amplitude: 0, period: 60)),
        ]),
        .init(name: "Plant", address: [0xC4, 0x7C, 0x8D, 0x00, 0x00, 0x05], format: .mibeacon, interval: 1, productID: 0x0098, objects: [
            .init(id: 0x1004, signal: .wave(base: 19.8, amplitude: 0, period: 60)),
        ]),
    ])

    /// Our host state machine against the virtual controller, in memory: start-up completes,
    /// scanning starts, and the scenario's values come back out of the decoders.
    @Test func hostStartsUpAndDecodesTheScenario() {
        var controller = VirtualHCIController(scenario: Self.fixed)
        var host = HCIHost()
        var decoder = H4Decoder()
        var pending = host.handle(.start)
        var reports: [LEAdvertisingReport] = []
        var ready = false
        var rounds = 0
        while !pending.isEmpty && rounds < 50 {
            rounds += 1
            var next: [HCIHost.Action] = []
            for a in pending {
                switch a {
                case .send(let p):
                    for o in decoder.feed(controller.receive(p.encoded())) { if case .packet(let e) = o { next += host.handle(.packet(e)) } }
                case .ready: ready = true
                case .advertisement(let r): reports.append(r)
                default: break
                }
            }
            pending = next
        }
        #expect(ready && controller.scanning && controller.extendedScanning)
        #expect(controller.receivedOpcodes == [0x0C03, 0x1001, 0x1009, 0x0C01, 0x2003, 0x2001, 0x2041, 0x2042])
        for o in decoder.feed(controller.tick(at: 0.5)) {
            if case .packet(let e) = o { for case .advertisement(let r) in host.handle(.packet(e)) { reports.append(r) } }
        }
        #expect(reports.count == 2)
        var tracker = BLEDeviceTracker()
        var joined: [UInt64: [BLEDeviceTracker.Reading]] = [:]
        for r in reports { for case .joined(let d, let readings) in tracker.observe(r, at: 0) { joined[d.address] = readings } }
        #expect(joined[0xA4C1_3800_0001] == [.init(objectID: 0x02, index: 0, value: .integer(2345)), .init(objectID: 0x01, index: 0, value: .integer(77))])
        #expect(joined[0xC47C_8D00_0005] == [.init(objectID: 0x1004, index: 0, value: .integer(198))])
        // Nothing more is due until a device's interval has passed.
        #expect(controller.tick(at: 0.9).isEmpty)
        #expect(!controller.tick(at: 1.6).isEmpty)
    }

    @Test func unknownCommandsGetUnknownCommandStatusAndLegacyScanWorks() {
        var c = VirtualHCIController(scenario: Self.fixed)
        var d = H4Decoder()
        let vendor = d.feed(c.receive(H4Packet.command(opcode: 0xFC01, parameters: [1, 2]).encoded()))
        #expect(vendor == [.packet(.event(code: 0x0E, parameters: [0x01, 0x01, 0xFC, 0x01]))])
        // Byte-by-byte delivery of LE Set Scan Enable (01 0C 20 02 01 00).
        var out: [UInt8] = []
        for b in [0x01, 0x0C, 0x20, 0x02, 0x01, 0x00] as [UInt8] { out += c.receive([b]) }
        #expect(out == [0x04, 0x0E, 0x04, 0x01, 0x0C, 0x20, 0x00])
        #expect(c.scanning && !c.extendedScanning)
        let legacy = d.feed(c.tick(at: 0))
        guard case .packet(.event(0x3E, let p))? = legacy.first else { Issue.record("no report"); return }
        #expect(p.first == 0x02)
        #expect(LEAdvertisingReport.parse(leMetaParameters: p)?.first?.addressText == "A4:C1:38:00:00:01")
        // Muted (fault injection): no answers, no reports.
        c.mute = true
        #expect(c.receive(H4Packet.command(opcode: 0x0C03, parameters: []).encoded()).isEmpty)
        #expect(c.tick(at: 10).isEmpty)
    }

    @Test func scenarioFilesLoadAndReportErrors() throws {
        let s = try BLEScenario.parse("""
        devices:
          - name: Door
            address: "3C:2E:F5:00:00:02"
            format: bthome
            interval: 0.5
            objects:
              - {id: 0x1a, toggle_every: 3}
              - {id: 0x02, base: 20, amplitude: 1, period: 60}
          - name: Phone
            address: "5D:11:22:33:44:55"
            format: bthome
            rotate_every: 30
            objects: [{id: 1, base: 50}]
        """)
        #expect(s.devices.count == 2 && s.devices[0].objects.count == 2 && s.devices[0].interval == 0.5)
        #expect(s.devices[1].addressType == 1 && s.devices[1].rotateEvery == 30)
        #expect(throws: BLEScenario.LoadError.self) { try BLEScenario.parse("devices:\n  - {name: X, address: nope, format: bthome}") }
        #expect(throws: BLEScenario.LoadError.self) { try BLEScenario.parse("devices:\n  - {name: X, address: '00:00:00:00:00:01', format: zigbee}") }
        #expect(throws: BLEScenario.LoadError.self) { try BLEScenario.parse("[1, 2") }
    }
}

/// The Bluetooth adapter against the virtual controller over a real pseudo-terminal.
@Suite struct BluetoothAdapterPtyTests {
    static func link() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("usp-bridge-hci-\(UUID().uuidString.prefix(8))").path
    }

    /// Every event the adapter sends, consumed by one long-lived task.
    actor EventLog {
        var events: [AdapterEvent] = []
        func append(_ e: AdapterEvent) { events.append(e) }
        /// Waits (bounded) until `ok` holds for the events after `from`; returns them.
        func wait(from: Int = 0, seconds: Double, _ ok: @Sendable ([AdapterEvent]) -> Bool) async -> [AdapterEvent] {
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while ContinuousClock.now < deadline {
                if ok(Array(events.dropFirst(from))) { break }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return Array(events.dropFirst(from))
        }
        var count: Int { events.count }
    }

    @Test func joinsReportsAndRecoversWhenTheStickComesBack() async throws {
        let path = Self.link()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let stick = try VirtualHCIStick(link: path, scenario: VirtualHCIControllerTests.fixed, timeScale: 4, logger: logger)
        let stickTask = Task { await stick.run() }
        var conf = BluetoothAdapter.Configuration(port: .serial(.device(path: path)), serial: SerialSettings())
        conf.reopenInterval = .milliseconds(200)
        conf.tracker.minInterval = 0
        let adapter = BluetoothAdapter(configuration: conf, logger: logger)
        let log = EventLog()
        let consumer = Task { for await e in adapter.events { await log.append(e) } }
        let run = Task { try await adapter.run() }
        let first = await log.wait(seconds: 15) { seen in
            seen.filter { if case .deviceJoined = $0 { true } else { false } }.count == 2
                && seen.contains { if case .report(.bluetooth(0xA4C1_3800_0001), _, _, _) = $0 { true } else { false } }
        }
        let joins = first.compactMap { e -> DeviceIdentity? in if case .deviceJoined(let i, _) = e { i } else { nil } }
        #expect(Set(joins.map(\.address)) == [.bluetooth(0xA4C1_3800_0001), .bluetooth(0xC47C_8D00_0005)])
        #expect(joins.allSatisfy { $0.kind == .passiveBroadcaster })
        #expect(joins.first { $0.address == .bluetooth(0xC47C_8D00_0005) }?.model == "HHCCJCY01 Flower Care")
        #expect(first.contains(.stateChanged(.running)))
        #expect(first.contains { e in
            if case .deviceJoined(let i, let units) = e, i.address == .bluetooth(0xA4C1_3800_0001) {
                return units.contains(FunctionalUnit(key: .ble(objectID: 0x02, index: 0), value: .int(2345)))
            }
            return false
        })
        #expect(await adapter.info.firmware.contains("manufacturer 0x05F1"))
        // Commands are refused with a typed error.
        do {
            _ = try await adapter.send(.write(.ble(objectID: 2, index: 0), .int(1)), to: .bluetooth(0xA4C1_3800_0001), timeout: .seconds(1))
            Issue.record("a broadcaster took a command")
        } catch { #expect(error.code == .unsupported) }

        // The stick vanishes: the adapter fails, then a new stick at the same path brings it back.
        // Mark before the stick goes: the adapter may notice before `stickTask.value` returns.
        var mark = await log.count
        stickTask.cancel()
        _ = await stickTask.value
        let down = await log.wait(from: mark, seconds: 10) { $0.contains(.stateChanged(.failed)) }
        #expect(down.contains(.stateChanged(.failed)))
        #expect(down.contains(.availability(.bluetooth(0xA4C1_3800_0001), online: false)))
        let again = try VirtualHCIStick(link: path, scenario: VirtualHCIControllerTests.fixed, timeScale: 4, logger: logger)
        let againTask = Task { await again.run() }
        mark = await log.count
        let back = await log.wait(from: mark, seconds: 15) { seen in
            seen.contains(.stateChanged(.running)) && seen.contains(.availability(.bluetooth(0xA4C1_3800_0001), online: true))
        }
        #expect(back.contains(.stateChanged(.running)))
        #expect(back.contains(.availability(.bluetooth(0xA4C1_3800_0001), online: true)))
        // Known devices do not join again.
        #expect(!back.contains { if case .deviceJoined = $0 { true } else { false } })
        run.cancel()
        againTask.cancel()
        _ = try? await run.value
        _ = await againTask.value
        _ = await consumer.value
    }
}
