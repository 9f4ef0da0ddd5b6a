import Bluetooth
import Testing

/// Encrypted MiBeacon v5 against a recorded LYWSD03MMC advertisement published with its
/// bindkey in the ble_monitor test suite (custom-components/ble_monitor,
/// custom_components/ble_monitor/test/test_xiaomi_parser.py, test_Xiaomi_LYWSD03MMC_encrypted:
/// key e9ea895fac7cca6d30532432a516f3a8, MAC A4:C1:38:02:83:F4, frame counter 80, humidity 46.7 %).
@Suite struct MiBeaconEncryptionTests {
    static let hex = BTHomeDecoderTests.hex
    static let bindkey = hex("e9ea895fac7cca6d30532432a516f3a8")
    static let address: UInt64 = 0xA4C1_3802_83F4
    /// Service data after the UUID: frame control 0x5858 (v5, encrypted, MAC, object), product
    /// 0x055B, counter 0x50, MAC, ciphertext 95ef58763c, extended counter 260000, MIC 97e2abb5.
    static let frame = hex("58585b0550f4830238c1a495ef58763c26000097e2abb5")

    @Test func recordedFrameDecrypts() throws {
        let f = try MiBeaconDecoder.decode(Self.frame, address: Self.address, bindkey: Self.bindkey)
        #expect(f.version == 5 && f.encrypted && f.productID == 0x055B && f.frameCounter == 80)
        #expect(f.mac == "A4:C1:38:02:83:F4")
        #expect(f.stopped == nil)
        #expect(f.counter == 0x0000_2650)
        #expect(f.readings.map(\.objectID) == [0x1006])
        #expect(f.readings.first?.raw == 467)
        #expect(f.readings.first?.value == .number(46.7, unit: "%"))
    }

    @Test func nonceIsMacProductCounterAndExtendedCounter() {
        let n = MiBeaconDecoder.nonce(mac: Self.hex("f4830238c1a4"), productID: [0x5B, 0x05], frameCounter: 0x50, extendedCounter: [0x26, 0, 0])
        #expect(n == Self.hex("f4830238c1a45b055026 0000".filter { $0 != " " }))
        #expect(n.count == 12)
    }

    @Test func frameWithoutMacUsesTheAdvertiserAddress() throws {
        // The same payload re-sealed through AES-CCM without the MAC in the frame (frame control
        // 0x5848): the nonce takes the advertiser's address instead.
        let ccm = try AESCCM(key: Self.bindkey, tagLength: 4)
        let object: [UInt8] = [0x04, 0x10, 0x02, 0xE2, 0x00] // 0x1004 temperature 22.6 °C
        let nonce = MiBeaconDecoder.nonce(mac: Self.hex("f4830238c1a4"), productID: [0x5B, 0x05], frameCounter: 7, extendedCounter: [1, 0, 0])
        let sealed = try ccm.seal(object, nonce: nonce, authenticating: [0x11])
        let frame: [UInt8] = [0x48, 0x58, 0x5B, 0x05, 7] + sealed.ciphertext + [1, 0, 0] + sealed.tag
        let f = try MiBeaconDecoder.decode(frame, address: Self.address, bindkey: Self.bindkey)
        #expect(f.readings.first?.value == .number(22.6, unit: "°C"))
        #expect(f.counter == 0x107)
    }

    @Test func failuresAreTypedNeverFatal() throws {
        var wrong = Self.bindkey
        wrong[0] ^= 1
        #expect(throws: MiBeaconDecoder.Failure.authenticationFailed) { try MiBeaconDecoder.decode(Self.frame, address: Self.address, bindkey: wrong) }
        #expect(throws: MiBeaconDecoder.Failure.bindkeyMissing) { try MiBeaconDecoder.decode(Self.frame, address: Self.address, bindkey: nil) }
        #expect(throws: MiBeaconDecoder.Failure.invalidBindkey) { try MiBeaconDecoder.decode(Self.frame, address: Self.address, bindkey: Array(Self.bindkey.prefix(12))) }
        #expect(throws: MiBeaconDecoder.Failure.truncated) { try MiBeaconDecoder.decode(Array(Self.frame.prefix(16)), address: Self.address, bindkey: Self.bindkey) }
        // Version 3 encryption (another scheme) is recognised, not decrypted.
        var v3 = Self.frame
        v3[1] = 0x38
        #expect(throws: MiBeaconDecoder.Failure.unsupportedEncryption(version: 3)) { try MiBeaconDecoder.decode(v3, address: Self.address, bindkey: Self.bindkey) }
        // Without a key, the plain decoder still reports the header only.
        let plain = try MiBeaconDecoder.decode(Self.frame)
        #expect(plain.encrypted && plain.readings.isEmpty && plain.stopped != nil)
        var state: UInt64 = 5
        for _ in 0..<5000 {
            var bytes: [UInt8] = [0x58, 0x58]
            for _ in 0..<Int(state % 30) { state = state &* 6364136223846793005 &+ 1442695040888963407; bytes.append(UInt8(truncatingIfNeeded: state >> 33)) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            _ = try? MiBeaconDecoder.decode(bytes, address: Self.address, bindkey: Self.bindkey)
        }
    }
}
