import Bluetooth
import Testing

@Suite struct AdvertisingDataTests {
    /// The advertising data of a recorded LE Advertising Report (`hcidump --raw` of a Xiaomi
    /// thermometer, published in a public gist): flags 0x06, then MiBeacon service data (UUID 0xFE95).
    @Test func recordedMiBeaconAdvertisement() {
        let ad: [UInt8] = [0x02, 0x01, 0x06,
                           0x15, 0x16, 0x95, 0xFE, 0x50, 0x20, 0xAA, 0x01, 0x09, 0x7C, 0xC2, 0xDB, 0xA8, 0x65, 0x4C,
                           0x0D, 0x10, 0x04, 0xD5, 0x00, 0x28, 0x02]
        let parsed = AdvertisingData(parsing: ad)
        #expect(!parsed.malformed)
        #expect(parsed.structures.map(\.type) == [0x01, 0x16])
        #expect(parsed.flagsValue == 0x06)
        let mi = parsed.serviceData(uuid16: 0xFE95)
        #expect(mi?.count == 18, "21-byte structure: type, UUID (2), 18 bytes of MiBeacon frame")
        #expect(mi?.suffix(4) == [0xD5, 0x00, 0x28, 0x02], "temperature 0x00D5 = 21.3 °C, humidity 0x0228 = 55.2 %")
        #expect(parsed.serviceData(uuid16: 0xFCD2) == nil)
    }

    @Test func bthomeServiceDataAndName() throws {
        let ad: [UInt8] = [0x02, 0x01, 0x06, 0x05, 0x09, 0x54, 0x48, 0x2D, 0x31, 0x0A, 0x16, 0xD2, 0xFC, 0x40, 0x02, 0xCA, 0x09, 0x03, 0xBF, 0x13]
        let parsed = AdvertisingData(parsing: ad)
        #expect(parsed.localName == "TH-1")
        let data = try #require(parsed.serviceData(uuid16: BTHomeDecoder.serviceUUID))
        let decoded = try BTHomeDecoder.decode(data)
        #expect(decoded.readings.map(\.key) == ["temperature", "humidity"])
    }

    @Test func malformedLengthsKeepWhatCameBefore() {
        let p = AdvertisingData(parsing: [0x02, 0x01, 0x06, 0x09, 0xFF, 0x01])
        #expect(p.malformed)
        #expect(p.structures.count == 1)
        let z = AdvertisingData(parsing: [0x02, 0x01, 0x06, 0x00, 0xAB, 0xCD])
        #expect(!z.malformed && z.structures.count == 1, "a zero length ends the data")
        #expect(AdvertisingData(parsing: [UInt8]()).structures.isEmpty)
        var state: UInt64 = 99
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 40) { state = state &* 6364136223846793005 &+ 1442695040888963407; bytes.append(UInt8(truncatingIfNeeded: state >> 33)) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            _ = AdvertisingData(parsing: bytes).serviceData(uuid16: 0xFCD2)
        }
    }
}
