import Bluetooth
import Testing

@Suite struct BLEDeviceTrackerTests {
    /// A legacy report from `address` (written MSB first) carrying BTHome v2 objects.
    static func bthome(_ address: [UInt8], type: UInt8 = 0, packet: UInt8, _ objects: [UInt8], name: String? = nil) -> LEAdvertisingReport {
        var ad: [UInt8] = [0x02, 0x01, 0x06]
        let sd: [UInt8] = [0xD2, 0xFC, 0x40, 0x00, packet] + objects
        ad += [UInt8(sd.count + 1), 0x16] + sd
        if let name { ad += [UInt8(name.utf8.count + 1), 0x09] + Array(name.utf8) }
        return LEAdvertisingReport(eventType: .nonConnectable, addressType: type, address: address.reversed(), data: ad, rssi: -60)
    }

    static let thermometer: [UInt8] = [0xA4, 0xC1, 0x38, 0x00, 0x00, 0x01]

    @Test func firstAdvertisementJoinsWithRawReadings() {
        var t = BLEDeviceTracker()
        // Temperature 0x02 sint16 = 0x09C4 (2500 → 25.00 °C), humidity 0x03 = 0x1388 (5000 → 50.00 %), battery 0x01 = 90.
        let out = t.observe(Self.bthome(Self.thermometer, packet: 1, [0x02, 0xC4, 0x09, 0x03, 0x88, 0x13, 0x01, 0x5A], name: "ATC_000001"), at: 0)
        guard case .joined(let d, let readings)? = out.first else { Issue.record("no join: \(out)"); return }
        #expect(d.address == 0xA4C1_3800_0001 && d.format == .bthome && d.name == "ATC_000001")
        #expect(readings.map(\.value) == [.integer(2500), .integer(5000), .integer(90)])
        #expect(readings.map(\.objectID) == [0x02, 0x03, 0x01])
    }

    @Test func repeatsAndUnchangedValuesAreFilteredChangesPass() {
        var t = BLEDeviceTracker()
        var o = BLEDeviceTracker.Options()
        o.minInterval = 10
        t.options = o
        _ = t.observe(Self.bthome(Self.thermometer, packet: 1, [0x02, 0xC4, 0x09]), at: 0)
        // The advertiser repeats the same packet: dropped.
        #expect(t.observe(Self.bthome(Self.thermometer, packet: 1, [0x02, 0xC4, 0x09]), at: 0.1) == [.ignored("repeated packet")])
        // A new packet with the same value inside the rate limit: dropped.
        #expect(t.observe(Self.bthome(Self.thermometer, packet: 2, [0x02, 0xC4, 0x09]), at: 1) == [.ignored("unchanged within the rate limit")])
        // A changed value passes at once.
        let changed = t.observe(Self.bthome(Self.thermometer, packet: 3, [0x02, 0xC5, 0x09]), at: 1.5)
        #expect(changed == [.readings(address: 0xA4C1_3800_0001, [.init(objectID: 0x02, index: 0, value: .integer(2501))])])
        // The same value after the rate limit passes again (keeps LastContact fresh upstream).
        #expect(t.observe(Self.bthome(Self.thermometer, packet: 4, [0x02, 0xC5, 0x09]), at: 12).count == 1)
        #expect(t.seen == 5 && t.decoded == 5 && t.accepted == 3)
    }

    @Test func buttonPressesAlwaysPassAndNoneIsNotAnEvent() {
        var t = BLEDeviceTracker()
        let button: [UInt8] = [0x3C, 0x2E, 0xF5, 0x00, 0x00, 0x04]
        _ = t.observe(Self.bthome(button, packet: 1, [0x01, 0x64, 0x3A, 0x00]), at: 0)
        let press = t.observe(Self.bthome(button, packet: 2, [0x01, 0x64, 0x3A, 0x01]), at: 0.5)
        #expect(press.contains(.readings(address: 0x3C2E_F500_0004, [.init(objectID: 0x01, index: 0, value: .integer(100)),
                                                                     .init(objectID: 0x3A, index: 0, value: .event(1))])))
        // A second press with identical bytes but a new packet id is a new event.
        let again = t.observe(Self.bthome(button, packet: 3, [0x01, 0x64, 0x3A, 0x01]), at: 0.6)
        #expect(again.contains { if case .readings = $0 { true } else { false } })
    }

    @Test func newObjectsAreNewUnits() {
        var t = BLEDeviceTracker()
        let door: [UInt8] = [0x3C, 0x2E, 0xF5, 0x00, 0x00, 0x02]
        _ = t.observe(Self.bthome(door, packet: 1, [0x1A, 0x00]), at: 0)
        let out = t.observe(Self.bthome(door, packet: 2, [0x1A, 0x01, 0x05, 0x10, 0x27, 0x00]), at: 1)
        guard case .unitsChanged(let d)? = out.first else { Issue.record("no unit change: \(out)"); return }
        #expect(d.units.count == 2)
        #expect(out.last == .readings(address: 0x3C2E_F500_0002, [.init(objectID: 0x1A, index: 0, value: .binary(true)),
                                                                 .init(objectID: 0x05, index: 0, value: .integer(10000))]))
    }

    @Test func rotatingPrivateAddressesAreIgnoredUnlessConfigured() {
        var t = BLEDeviceTracker()
        // Resolvable private address: top bits 01.
        let rpa: [UInt8] = [0x5D, 0x11, 0x22, 0x33, 0x44, 0x55]
        #expect(BLEDeviceTracker.isPrivateRandom(0x5D11_2233_4455))
        let out = t.observe(Self.bthome(rpa, type: 1, packet: 1, [0x01, 0x32]), at: 0)
        guard case .ignored(let why)? = out.first else { Issue.record("not ignored"); return }
        #expect(why.contains("private random address"))
        #expect(t.devices.isEmpty)
        // A random static address (top bits 11) is stable: tracked.
        let staticAddr: [UInt8] = [0xD5, 0x11, 0x22, 0x33, 0x44, 0x55]
        #expect(!BLEDeviceTracker.isPrivateRandom(0xD511_2233_4455))
        #expect(t.observe(Self.bthome(staticAddr, type: 1, packet: 1, [0x01, 0x32]), at: 0).count == 1)
        // A configured private address is tracked.
        var o = BLEDeviceTracker.Options()
        o.allowedAddresses = [0x5D11_2233_4455]
        t.options = o
        guard case .joined? = t.observe(Self.bthome(rpa, type: 1, packet: 2, [0x01, 0x32]), at: 1).first else { Issue.record("not joined"); return }
    }

    @Test func silenceTakesDevicesOfflineOnceAndAdvertisingBringsThemBack() {
        var t = BLEDeviceTracker()
        var o = BLEDeviceTracker.Options()
        o.silenceTimeout = 60
        t.options = o
        _ = t.observe(Self.bthome(Self.thermometer, packet: 1, [0x01, 0x50]), at: 0)
        #expect(t.checkSilence(at: 59).isEmpty)
        #expect(t.checkSilence(at: 61) == [.offline(address: 0xA4C1_3800_0001)])
        #expect(t.checkSilence(at: 120).isEmpty)
        #expect(t.observe(Self.bthome(Self.thermometer, packet: 2, [0x01, 0x50]), at: 130).first == .online(address: 0xA4C1_3800_0001))
    }

    @Test func garbageIsIgnoredNeverFatal() {
        var t = BLEDeviceTracker()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let n = Int.random(in: 0...40, using: &rng)
            var data = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Half of them pretend to be BTHome so the object parser sees garbage too.
            if Bool.random(using: &rng), data.count > 4 { data[0] = UInt8(data.count - 1); data[1] = 0x16; data[2] = 0xD2; data[3] = 0xFC }
            let r = LEAdvertisingReport(eventType: .nonConnectable, addressType: 0, address: [1, 2, 3, 4, 5, 6], data: data, rssi: -50)
            _ = t.observe(r, at: 0)
        }
        #expect(t.seen == 5000)
        // The device limit bounds memory.
        var small = BLEDeviceTracker()
        var o = BLEDeviceTracker.Options()
        o.maxDevices = 3
        small.options = o
        for i in 0..<10 { _ = small.observe(Self.bthome([0xA4, 0, 0, 0, 0, UInt8(i)], packet: 1, [0x01, 0x50]), at: 0) }
        #expect(small.devices.count == 3)
    }
}
