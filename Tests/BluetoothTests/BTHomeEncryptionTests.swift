import Bluetooth
import Testing

/// Encrypted BTHome v2 against the example published with the format (bthome.io "Encryption",
/// https://bthome.io/encryption/): bindkey 231d39c1d7cc1ab1aee224cd096db932, MAC
/// 54:48:E6:8F:80:A5, device information 0x41, counter bytes 00 11 22 33, objects
/// 02 CA09 03 BF13 (temperature 25.06 °C, humidity 50.55 %); the page gives the nonce
/// 5448e68f80a5d2fc4100112233 and the service data 41 a47266c95f73 00112233 78237214.
@Suite struct BTHomeEncryptionTests {
    static let hex = BTHomeDecoderTests.hex
    static let bindkey = hex("231d39c1d7cc1ab1aee224cd096db932")
    static let address: UInt64 = 0x5448_E68F_80A5
    static let serviceData = hex("41a47266c95f730011223378237214")

    @Test func nonceIsMacUUIDDeviceInfoAndCounter() {
        #expect(BTHomeDecoder.nonce(address: Self.address, deviceInfo: 0x41, counter: [0x00, 0x11, 0x22, 0x33])
                == Self.hex("5448e68f80a5d2fc4100112233"))
    }

    @Test func publishedExampleDecrypts() throws {
        let ad = try BTHomeDecoder.decode(Self.serviceData, address: Self.address, bindkey: Self.bindkey)
        #expect(ad.encrypted && ad.stopped == nil)
        // The counter is little-endian: bytes 00 11 22 33 are 0x33221100.
        #expect(ad.counter == 0x3322_1100)
        #expect(ad.readings.map(\.key) == ["temperature", "humidity"])
        #expect(ad.readings.map(\.raw) == [2506, 5055])
        #expect(ad.readings[0].value == .number(25.06, unit: "°C"))
        guard case .number(let h, _) = ad.readings[1].value else { Issue.record("humidity"); return }
        #expect(abs(h - 50.55) < 1e-9)
    }

    @Test func encryptingThePublishedInputGivesThePublishedServiceData() throws {
        let sd = try BTHomeDecoder.encrypt(objects: Self.hex("02CA0903BF13"), address: Self.address, counter: 0x3322_1100, bindkey: Self.bindkey)
        #expect(sd == Self.serviceData)
    }

    @Test func wrongKeyMissingKeyAndDamageAreFailuresNotCrashes() throws {
        var wrong = Self.bindkey
        wrong[5] ^= 0x40
        #expect(throws: BTHomeDecoder.Failure.authenticationFailed) { try BTHomeDecoder.decode(Self.serviceData, address: Self.address, bindkey: wrong) }
        // The MAC is part of the nonce: another address does not authenticate.
        #expect(throws: BTHomeDecoder.Failure.authenticationFailed) { try BTHomeDecoder.decode(Self.serviceData, address: Self.address + 1, bindkey: Self.bindkey) }
        #expect(throws: BTHomeDecoder.Failure.bindkeyMissing) { try BTHomeDecoder.decode(Self.serviceData, address: Self.address, bindkey: nil) }
        #expect(throws: BTHomeDecoder.Failure.invalidBindkey) { try BTHomeDecoder.decode(Self.serviceData, address: Self.address, bindkey: [1, 2, 3]) }
        #expect(throws: BTHomeDecoder.Failure.encryptedPayloadTruncated) {
            try BTHomeDecoder.decode(Array(Self.serviceData.prefix(8)), address: Self.address, bindkey: Self.bindkey)
        }
        for i in 1..<Self.serviceData.count {
            var damaged = Self.serviceData
            damaged[i] ^= 0x01
            #expect(throws: BTHomeDecoder.Failure.authenticationFailed) { try BTHomeDecoder.decode(damaged, address: Self.address, bindkey: Self.bindkey) }
        }
        // Unencrypted data decodes as before, key or not.
        #expect(try BTHomeDecoder.decode([0x40, 0x01, 0x50], address: Self.address, bindkey: Self.bindkey).readings.count == 1)
        // Random encrypted-looking data never traps.
        var state: UInt64 = 11
        for _ in 0..<5000 {
            var bytes: [UInt8] = [0x41]
            for _ in 0..<Int(state % 24) { state = state &* 6364136223846793005 &+ 1442695040888963407; bytes.append(UInt8(truncatingIfNeeded: state >> 33)) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            _ = try? BTHomeDecoder.decode(bytes, address: Self.address, bindkey: Self.bindkey)
        }
    }
}
