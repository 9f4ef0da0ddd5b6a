import Bluetooth
import Testing

@Suite struct MiBeaconDecoderTests {
    /// The MiBeacon frame of the recorded advertisement in H4DecoderTests (`hcidump --raw`,
    /// public gist): frame control 0x2050 (MAC and object present), product 0x01AA, counter 9,
    /// object 0x100D temperature 0x00D5 = 21.3 °C and humidity 0x0228 = 55.2 %.
    static let frame: [UInt8] = [0x50, 0x20, 0xAA, 0x01, 0x09, 0x7C, 0xC2, 0xDB, 0xA8, 0x65, 0x4C, 0x0D, 0x10, 0x04, 0xD5, 0x00, 0x28, 0x02]

    @Test func recordedTemperatureAndHumidityFrame() throws {
        let f = try MiBeaconDecoder.decode(Self.frame)
        #expect(f.productID == 0x01AA && f.frameCounter == 9 && !f.encrypted)
        #expect(f.mac == "4C:65:A8:DB:C2:7C")
        #expect(f.stopped == nil)
        #expect(f.readings.map(\.key) == ["temperature", "humidity"])
        guard case .number(let t, _) = f.readings[0].value, case .number(let h, _) = f.readings[1].value else { Issue.record("values"); return }
        #expect(abs(t - 21.3) < 1e-9 && abs(h - 55.2) < 1e-9)
    }

    @Test func singleObjectsAndBadFrames() throws {
        // Temperature alone (0x1004), -5.0 °C, without MAC.
        let t = try MiBeaconDecoder.decode([0x40, 0x20, 0x5B, 0x04, 0x01, 0x04, 0x10, 0x02, 0xCE, 0xFF])
        #expect(t.readings.first?.value == .number(-5, unit: "°C"))
        let battery = try MiBeaconDecoder.decode([0x40, 0x20, 0x5B, 0x04, 0x02, 0x0A, 0x10, 0x01, 0x5D])
        #expect(battery.readings.first?.value == .number(93, unit: "%"))
        let encrypted = try MiBeaconDecoder.decode([0x58, 0x30, 0x5B, 0x05, 0x03, 1, 2, 3, 4, 5, 6, 0xAA, 0xBB])
        #expect(encrypted.encrypted && encrypted.readings.isEmpty && encrypted.stopped != nil)
        #expect(throws: MiBeaconDecoder.Failure.truncated) { try MiBeaconDecoder.decode([0x50, 0x20, 0xAA]) }
        #expect(throws: MiBeaconDecoder.Failure.truncated) { try MiBeaconDecoder.decode([0x50, 0x20, 0xAA, 0x01, 0x09, 0x7C]) }
        let cut = try MiBeaconDecoder.decode(Array(Self.frame.dropLast(2)))
        #expect(cut.readings.isEmpty && cut.stopped?.contains("truncated") == true)
        var state: UInt64 = 3
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 30) { state = state &* 6364136223846793005 &+ 1442695040888963407; bytes.append(UInt8(truncatingIfNeeded: state >> 33)) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            _ = try? MiBeaconDecoder.decode(bytes)
        }
    }
}
