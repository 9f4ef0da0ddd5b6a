import Bluetooth
import Testing
import VirtualSticks

/// The virtual controller's encrypted BTHome and atc1441/pvvx devices, decoded by the tracker
/// with the scenario's bindkeys (as the bridge does with `bluetooth.bindkeys`).
@Suite struct VirtualHCIEncryptionTests {
    static let scenario = """
    devices:
      - name: Bedroom
        address: "38:1F:8D:00:00:07"
        format: bthome
        interval: 1
        bindkey: "231d39c1d7cc1ab1aee224cd096db932"
        objects:
          - {id: 0x02, base: 19.25}
          - {id: 0x01, base: 93}
      - name: Kids room
        address: "A4:C1:38:00:00:06"
        format: pvvx
        interval: 1
        objects:
          - {id: 0x1a02, base: 20.57}
          - {id: 0x1a04, base: 52.5}
          - {id: 0x1a05, base: 64}
          - {id: 0x1a06, base: 2.871}
      - name: Hall
        address: "A4:C1:38:00:00:08"
        format: atc
        interval: 1
        objects:
          - {id: 0x1a01, base: -3.4}
          - {id: 0x1a03, base: 61}
    """

    /// Reports from a controller with legacy scanning on, at each time.
    static func reports(_ s: BLEScenario, at times: [Double]) -> [[LEAdvertisingReport]] {
        var c = VirtualHCIController(scenario: s)
        var d = H4Decoder()
        _ = c.receive(H4Packet.command(opcode: 0x200C, parameters: [0x01, 0x00]).encoded())
        return times.map { t in
            d.feed(c.tick(at: t)).flatMap { o -> [LEAdvertisingReport] in
                guard case .packet(.event(0x3E, let p)) = o else { return [] }
                return LEAdvertisingReport.parse(leMetaParameters: p) ?? []
            }
        }
    }

    static func tracker(_ s: BLEScenario) -> BLEDeviceTracker {
        var o = BLEDeviceTracker.Options()
        for (address, key) in s.bindkeys {
            let a = address.split(separator: ":").reduce(UInt64(0)) { $0 << 8 | UInt64($1, radix: 16)! }
            o.bindkeys[a] = BTHomeDecoderTests.hex(key)
        }
        o.minInterval = 0
        return BLEDeviceTracker(options: o)
    }

    @Test func encryptedAndThermometerDevicesDecode() throws {
        let s = try BLEScenario.parse(Self.scenario)
        #expect(s.bindkeys == ["38:1F:8D:00:00:07": "231d39c1d7cc1ab1aee224cd096db932"])
        let rounds = Self.reports(s, at: [0, 1.1, 2.2])
        #expect(rounds.allSatisfy { $0.count == 3 })
        var t = Self.tracker(s)
        var joined: [UInt64: [BLEDeviceTracker.Reading]] = [:]
        for r in rounds[0] { for case .joined(let d, let readings) in t.observe(r, at: 0) { joined[d.address] = readings } }
        #expect(joined[0x381F_8D00_0007] == [.init(objectID: 0x02, index: 0, value: .integer(1925)), .init(objectID: 0x01, index: 0, value: .integer(93))])
        #expect(t.devices[0x381F_8D00_0007]?.lastCounter == 1)
        #expect(joined[0xA4C1_3800_0006] == [.init(objectID: 0x1A02, index: 0, value: .integer(2057)), .init(objectID: 0x1A04, index: 0, value: .integer(5250)),
                                             .init(objectID: 0x1A05, index: 0, value: .integer(64)), .init(objectID: 0x1A06, index: 0, value: .integer(2871))])
        #expect(joined[0xA4C1_3800_0008]?.map(\.value) == [.integer(-34), .integer(61), .integer(100), .integer(3000)])
        // Later advertisements carry higher counters: accepted, never taken for replays.
        for (i, round) in rounds.dropFirst().enumerated() {
            for r in round {
                let out = t.observe(r, at: Double(i + 1))
                #expect(out.allSatisfy { if case .readings = $0 { true } else { false } }, "\(out)")
            }
        }
        #expect(t.devices[0x381F_8D00_0007]?.lastCounter == 3)
        // The same advertisement recorded and sent again later is a repeat, an older one a replay.
        let old = rounds[0].first { BLEDeviceTracker.address($0.address) == 0x381F_8D00_0007 }!
        #expect(t.observe(old, at: 5) == [.replayed(address: 0x381F_8D00_0007, counter: 1, last: 3)])
        // Without the bindkey the encrypted sensor is dropped, the others still join.
        var keyless = BLEDeviceTracker()
        let out = rounds[0].flatMap { keyless.observe($0, at: 0) }
        #expect(out.contains(.undecryptable(address: 0x381F_8D00_0007, .bthome, .noBindkey)))
        #expect(keyless.devices.count == 2)
    }

    @Test func demoHomeHasAnEncryptedSensorWithItsKeyAndAThermometer() throws {
        let home = BLEScenario.home
        #expect(home.bindkeys.count == 1)
        #expect(home.devices.contains { $0.format == .pvvx })
        let rounds = Self.reports(home, at: [0, 3, 6])
        var t = Self.tracker(home)
        var formats: Set<BLEDeviceTracker.Format> = []
        for (i, round) in rounds.enumerated() {
            for r in round {
                for o in t.observe(r, at: Double(i * 3)) {
                    if case .joined(let d, _) = o { formats.insert(d.format) }
                    if case .undecryptable = o { Issue.record("\(o)") }
                    if case .replayed = o { Issue.record("\(o)") }
                }
            }
        }
        #expect(formats == [.bthome, .mibeacon, .atc])
        #expect(t.devices.values.contains { $0.lastCounter != nil })
    }

    @Test func scenarioBindkeysAreChecked() {
        #expect(throws: BLEScenario.LoadError.self) {
            try BLEScenario.parse("devices:\n  - {name: X, address: '00:00:00:00:00:01', format: bthome, bindkey: '1234'}")
        }
        #expect(throws: BLEScenario.LoadError.self) {
            try BLEScenario.parse("devices:\n  - {name: X, address: '00:00:00:00:00:01', format: pvvx, bindkey: '231d39c1d7cc1ab1aee224cd096db932'}")
        }
        #expect((try? BLEScenario.parse("devices:\n  - {name: X, address: '00:00:00:00:00:01', format: atc}"))?.devices.first?.format == .atc)
    }
}
