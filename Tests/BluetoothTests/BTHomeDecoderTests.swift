import Bluetooth
import Testing

/// BTHome v2 objects against the examples published with the format (bthome.io "Data format"
/// table: object id + little-endian value → result), and whole service-data payloads from
/// published examples.
@Suite struct BTHomeDecoderTests {
    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
        return out
    }

    /// (object bytes as in the published table, expected value)
    static let objectExamples: [(String, Double)] = [
        ("0161", 97), ("12E204", 1250), ("0960", 96), ("3D0960", 24585), ("3E2A2C0960", 1611213866),
        ("434E34", 13.39), ("08CA06", 17.38), ("400C00", 12), ("414E00", 7.8), ("424E3400", 13.390),
        ("4d12138a14", 344593.170), ("0A138A14", 1346.067), ("4B138A14", 1346.067), ("4C41018A01", 25821.505),
        ("03BF13", 50.55), ("2E23", 35), ("05138A14", 13460.67), ("065E1F", 80.3), ("073E1D", 74.86),
        ("14020C", 30.74), ("2F23", 35), ("0D120C", 3090), ("0E021C", 7170), ("0B021B00", 69.14), ("04138A01", 1008.83),
    ]

    @Test(arguments: objectExamples)
    func publishedObjectExample(_ example: (String, Double)) throws {
        let ad = try BTHomeDecoder.decode([0x40] + Self.hex(example.0))
        #expect(ad.stopped == nil)
        #expect(ad.readings.count == 1)
        guard case .number(let v, _)? = ad.readings.first?.value else { Issue.record("not a number"); return }
        #expect(abs(v - example.1) < 0.0005, "\(example.0) → \(v)")
    }

    @Test func temperatureAndHumidityPacket() throws {
        // 40 02 CA09 03 BF13: temperature 25.06 °C, humidity 50.55 % (published example payload).
        let ad = try BTHomeDecoder.decode([64, 2, 202, 9, 3, 191, 19])
        #expect(ad.version == 2 && !ad.encrypted && !ad.triggerBased)
        #expect(ad.readings.map(\.key) == ["temperature", "humidity"])
        #expect(ad.readings[0].value == .number(25.06, unit: "°C"))
        guard case .number(let h, let unit) = ad.readings[1].value else { Issue.record("humidity"); return }
        #expect(abs(h - 50.55) < 1e-9 && unit == "%")
    }

    @Test func temperatureAndMotion() throws {
        // 40 02 2909 21 01: 23.45 °C and motion detected (published serializer example).
        let ad = try BTHomeDecoder.decode([64, 2, 41, 9, 33, 1])
        #expect(ad.readings.count == 2)
        guard case .number(let t, _) = ad.readings[0].value else { Issue.record("temperature"); return }
        #expect(abs(t - 23.45) < 1e-9)
        #expect(ad.readings[1] == .init(key: "motion", objectID: 0x21, index: 0, value: .bool(true), raw: 1))
    }

    @Test func shellyBluHTObjects() throws {
        // Shelly BLU H&T object set (Shelly BLE API docs): packet id, battery, humidity uint8,
        // button press 0x3A01, temperature sint16 × 0.1.
        let ad = try BTHomeDecoder.decode([0x44, 0x00, 0x2A, 0x01, 0x64, 0x2E, 0x37, 0x3A, 0x01, 0x45, 0xF6, 0xFF])
        #expect(ad.triggerBased)
        #expect(ad.packetID == 0x2A)
        #expect(ad.readings.map(\.key) == ["battery", "humidity", "button", "temperature"])
        #expect(ad.readings[0].value == .number(100, unit: "%"))
        #expect(ad.readings[2].value == .event("press"))
        guard case .number(let t, _) = ad.readings[3].value else { Issue.record("temperature"); return }
        #expect(abs(t - -1.0) < 1e-9, "0xFFF6 is -10 × 0.1")
    }

    @Test func repeatedObjectsAreIndexed() throws {
        let ad = try BTHomeDecoder.decode([0x40, 0x2D, 0x00, 0x2D, 0x01])
        #expect(ad.readings.map(\.index) == [0, 1])
        #expect(ad.readings.map(\.value) == [.bool(false), .bool(true)])
    }

    @Test func badInputStopsCleanly() throws {
        #expect(throws: BTHomeDecoder.Failure.empty) { try BTHomeDecoder.decode([UInt8]()) }
        #expect(throws: BTHomeDecoder.Failure.unsupportedVersion(1)) { try BTHomeDecoder.decode([0x20, 0x02, 0x00, 0x00]) }
        let truncated = try BTHomeDecoder.decode([0x40, 0x01, 0x50, 0x02, 0xCA])
        #expect(truncated.readings.count == 1)
        #expect(truncated.stopped?.contains("truncated") == true)
        let unknown = try BTHomeDecoder.decode([0x40, 0x01, 0x50, 0xF7, 0x00, 0x01, 0x10])
        #expect(unknown.readings.count == 1)
        #expect(unknown.stopped?.contains("unknown object id 0xf7") == true)
        let encrypted = try BTHomeDecoder.decode([0x41, 0xA4, 0x72, 0x66, 0xC9])
        #expect(encrypted.encrypted && encrypted.readings.isEmpty && encrypted.stopped != nil)
        // Random bytes never trap.
        var state: UInt64 = 7
        for _ in 0..<20000 {
            var bytes: [UInt8] = [0x40]
            for _ in 0..<Int(state % 24) { state = state &* 6364136223846793005 &+ 1442695040888963407; bytes.append(UInt8(truncatingIfNeeded: state >> 33)) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            _ = try? BTHomeDecoder.decode(bytes)
        }
    }

    /// The newer object ids, on payloads from the reference parser's test suite
    /// (Bluetooth-Devices/bthome-ble, tests/test_parser_v2.py, which follows bthome.io):
    /// (service data after the UUID, expected values in order).
    static let newerObjectExamples: [(String, [Double])] = [
        ("40444e34", [133.9]),                  // 0x44 speed, uint16 × 0.01 m/s
        ("40624099dfff", [-2.123456]),          // 0x62 speed, sint32 × 0.000001 m/s
        ("40451101", [27.3]),                   // 0x45 temperature, sint16 × 0.1 °C
        ("404632", [5.0]),                      // 0x46 UV index, uint8 × 0.1
        ("40478756", [2215.1]),                 // 0x47 volume, uint16 × 0.1 L
        ("4048dc87", [34780]),                  // 0x48 volume, uint16 mL
        ("4049dc87", [34.780]),                 // 0x49 volume flow rate, uint16 × 0.001 m³/h
        ("404a020c", [307.4]),                  // 0x4A voltage, uint16 × 0.1 V
        ("404e87562a01", [19551.879]),          // 0x4E volume, uint32 × 0.001 L
        ("404f87562a01", [19551.879]),          // 0x4F water, uint32 × 0.001 L
        ("44518756", [22.151]),                 // 0x51 acceleration, uint16 × 0.001 m/s²
        ("40630057d0ff", [-3.123456]),          // 0x63 acceleration, sint32 × 0.000001 m/s²
        ("44528756", [22.151]),                 // 0x52 gyroscope, uint16 × 0.001 °/s
        ("405587562a01", [19551.879]),          // 0x55 volume storage, uint32 × 0.001 L
        ("4056e803", [1000]),                   // 0x56 conductivity, uint16 µS/cm
        ("405e3f755f11d5", [300.15, 5454.5]),   // 0x5E direction × 0.01 °, 0x5F precipitation × 0.1 mm
        ("406001", [1]),                        // 0x60 channel, uint8
        ("44505d396164", [1684093277]),         // 0x50 timestamp, uint32 s (2023-05-14 19:41:17 UTC)
    ]

    @Test(arguments: newerObjectExamples)
    func newerObjectIDs(_ example: (String, [Double])) throws {
        let ad = try BTHomeDecoder.decode(Self.hex(example.0))
        #expect(ad.stopped == nil, "\(example.0): \(ad.stopped ?? "")")
        let numbers = ad.readings.compactMap { r -> Double? in if case .number(let v, _) = r.value { v } else { nil } }
        #expect(numbers.count == example.1.count, "\(example.0)")
        for (v, want) in zip(numbers, example.1) { #expect(abs(v - want) < 0.0000005, "\(example.0) → \(v), expected \(want)") }
    }

    @Test func textAndRawAreSkippedByTheirLengthAndParsingGoesOn() throws {
        // 0x53 text "Hello World!" (length 12, from the reference parser's tests), then 0x01 battery 97 %.
        let ad = try BTHomeDecoder.decode(Self.hex("4453" + "0c48656c6c6f20576f726c6421" + "0161"))
        #expect(ad.stopped == nil)
        #expect(ad.readings.map(\.key) == ["battery"])
        // A length byte running past the end stops cleanly.
        let bad = try BTHomeDecoder.decode(Self.hex("4454" + "0c4865"))
        #expect(bad.readings.isEmpty && bad.stopped?.contains("truncated") == true)
    }

    @Test func dimmerEventsAndDeviceInformation() throws {
        // 0x3C dimmer: rotate right (0x02) by 3 steps; 0xF0 device type id, 0xF2 firmware 1.2.3
        // (uint24): decoded past, not readings.
        let ad = try BTHomeDecoder.decode(Self.hex("44" + "3c0203" + "f00100" + "f2030201"))
        #expect(ad.stopped == nil)
        #expect(ad.readings.count == 1)
        #expect(ad.readings.first?.value == .event("rotate_right"))
        #expect(ad.readings.first?.raw == 2)
    }
}
