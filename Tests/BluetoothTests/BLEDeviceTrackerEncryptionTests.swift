import Bluetooth
import Testing

/// The tracker with bindkeys: encrypted BTHome and MiBeacon advertisements become readings,
/// counters guard against replays, missing or wrong keys drop the advertisement with a typed
/// reason; the atc1441/pvvx formats join like any other sensor.
@Suite struct BLEDeviceTrackerEncryptionTests {
    static let hex = BTHomeDecoderTests.hex
    static let bindkey = BTHomeEncryptionTests.bindkey
    static let address = BTHomeEncryptionTests.address

    /// A legacy report from `address` with one service-data structure.
    static func report(_ address: UInt64, uuid: UInt16, _ serviceData: [UInt8]) -> LEAdvertisingReport {
        let sd = [UInt8(uuid & 0xFF), UInt8(uuid >> 8)] + serviceData
        let ad: [UInt8] = [0x02, 0x01, 0x06, UInt8(sd.count + 1), 0x16] + sd
        let le = (0..<6).map { UInt8(truncatingIfNeeded: address >> (8 * UInt64($0))) }
        return LEAdvertisingReport(eventType: .nonConnectable, addressType: 0, address: le, data: ad, rssi: -70)
    }

    static func encrypted(_ objects: [UInt8], counter: UInt32, key: [UInt8] = bindkey) throws -> LEAdvertisingReport {
        report(address, uuid: 0xFCD2, try BTHomeDecoder.encrypt(objects: objects, address: address, counter: counter, bindkey: key))
    }

    static func keyed() -> BLEDeviceTracker {
        var o = BLEDeviceTracker.Options()
        o.bindkeys = [address: bindkey]
        o.minInterval = 0
        return BLEDeviceTracker(options: o)
    }

    @Test func publishedEncryptedAdvertisementJoins() {
        var t = Self.keyed()
        let out = t.observe(Self.report(Self.address, uuid: 0xFCD2, BTHomeEncryptionTests.serviceData), at: 0)
        guard case .joined(let d, let readings)? = out.first else { Issue.record("no join: \(out)"); return }
        #expect(d.format == .bthome && d.lastCounter == 0x3322_1100)
        #expect(readings == [.init(objectID: 0x02, index: 0, value: .integer(2506)), .init(objectID: 0x03, index: 0, value: .integer(5055))])
    }

    @Test func countersMustIncrease() throws {
        var t = Self.keyed()
        _ = t.observe(try Self.encrypted([0x02, 0xC4, 0x09], counter: 10), at: 0)
        // The advertiser repeats the same packet: a duplicate.
        #expect(t.observe(try Self.encrypted([0x02, 0xC4, 0x09], counter: 10), at: 0.1) == [.ignored("repeated packet")])
        // An older packet recorded and sent again, even with other values: a replay.
        #expect(t.observe(try Self.encrypted([0x02, 0x00, 0x10], counter: 9), at: 0.2) == [.replayed(address: Self.address, counter: 9, last: 10)])
        // A newer one passes.
        let next = t.observe(try Self.encrypted([0x02, 0xC5, 0x09], counter: 11), at: 0.3)
        #expect(next == [.readings(address: Self.address, [.init(objectID: 0x02, index: 0, value: .integer(2501))])])
        #expect(t.devices[Self.address]?.lastCounter == 11)
        #expect(t.observe(try Self.encrypted([0x02, 0xC5, 0x09], counter: 3), at: 0.4) == [.replayed(address: Self.address, counter: 3, last: 11)])
    }

    @Test func missingWrongAndUnexpectedlyPlainAreDroppedWithAReason() throws {
        var none = BLEDeviceTracker()
        #expect(none.observe(try Self.encrypted([0x02, 0xC4, 0x09], counter: 1), at: 0) == [.undecryptable(address: Self.address, .bthome, .noBindkey)])
        var wrongKey = Self.bindkey
        wrongKey[15] ^= 0xFF
        var t = Self.keyed()
        #expect(t.observe(try Self.encrypted([0x02, 0xC4, 0x09], counter: 1, key: wrongKey), at: 0)
                == [.undecryptable(address: Self.address, .bthome, .wrongBindkey)])
        // Plain BTHome under an address that has a bindkey may be forged: dropped.
        #expect(t.observe(Self.report(Self.address, uuid: 0xFCD2, [0x40, 0x02, 0xC4, 0x09]), at: 1)
                == [.undecryptable(address: Self.address, .bthome, .notEncrypted)])
        #expect(t.devices.isEmpty && t.decoded == 0 && t.seen == 2)
        // A truncated encrypted payload is ignored.
        guard case .ignored? = t.observe(Self.report(Self.address, uuid: 0xFCD2, [0x41, 1, 2, 3]), at: 2).first else { Issue.record("not ignored"); return }
    }

    @Test func encryptedMiBeaconJoinsWithItsKey() {
        var o = BLEDeviceTracker.Options()
        o.bindkeys = [MiBeaconEncryptionTests.address: MiBeaconEncryptionTests.bindkey]
        var t = BLEDeviceTracker(options: o)
        let r = Self.report(MiBeaconEncryptionTests.address, uuid: 0xFE95, MiBeaconEncryptionTests.frame)
        guard case .joined(let d, let readings)? = t.observe(r, at: 0).first else { Issue.record("no join"); return }
        #expect(d.format == .mibeacon && d.productID == 0x055B && d.lastCounter == 0x2650)
        #expect(readings == [.init(objectID: 0x1006, index: 0, value: .integer(467))])
        #expect(t.observe(r, at: 1) == [.ignored("repeated packet")])
        var keyless = BLEDeviceTracker()
        #expect(keyless.observe(r, at: 0) == [.undecryptable(address: MiBeaconEncryptionTests.address, .mibeacon, .noBindkey)])
    }

    @Test func atcAndPvvxThermometersJoinAndRepeatsAreDropped() {
        var t = BLEDeviceTracker()
        let atc = Self.report(0xA4C1_3802_83F4, uuid: 0x181A, Self.hex("a4c1380283f400a22f5f0bf819"))
        guard case .joined(let d, let readings)? = t.observe(atc, at: 0).first else { Issue.record("no join"); return }
        #expect(d.format == .atc)
        #expect(readings.map(\.objectID) == [0x1A01, 0x1A03, 0x1A05, 0x1A06])
        #expect(readings.map(\.value) == [.integer(162), .integer(47), .integer(95), .integer(3064)])
        #expect(t.observe(atc, at: 1) == [.ignored("repeated packet")])
        let pvvx = Self.report(0xA4C1_3800_0009, uuid: 0x181A, Self.hex("090000 38c1a4a9066911b60b58f70d".filter { $0 != " " }))
        guard case .joined(_, let pr)? = t.observe(pvvx, at: 0).first else { Issue.record("no pvvx join"); return }
        #expect(pr.map(\.value) == [.integer(1705), .integer(4457), .integer(88), .integer(2998)])
        // Some other 0x181A layout: skipped, nothing tracked.
        guard case .ignored? = t.observe(Self.report(0xA4C1_3800_000A, uuid: 0x181A, [1, 2, 3, 4, 5, 6, 7, 8]), at: 0).first else {
            Issue.record("odd layout not ignored"); return
        }
        #expect(t.devices.count == 2)
    }
}
