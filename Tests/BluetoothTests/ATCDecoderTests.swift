import Bluetooth
import Testing

/// The atc1441 and pvvx "custom" thermometer formats (service data UUID 0x181A) against
/// recorded advertisements published in the ble_monitor test suite
/// (custom-components/ble_monitor, custom_components/ble_monitor/test/test_atc_parser.py:
/// test_atc_atc1441 and test_atc_custom), with the layouts of the firmware READMEs
/// (github.com/atc1441/ATC_MiThermometer, github.com/pvvx/ATC_MiThermometer "Custom format").
@Suite struct ATCDecoderTests {
    static let hex = BTHomeDecoderTests.hex

    func values(_ p: ATCDecoder.Packet) -> [UInt16: Double] {
        var out: [UInt16: Double] = [:]
        for r in p.readings { if case .number(let v, _) = r.value { out[r.objectID] = v } }
        return out
    }

    @Test func atc1441Example() throws {
        // MAC A4:C1:38:02:83:F4, 16.2 °C, 47 %, battery 95 %, 3064 mV, counter 25.
        let p = try ATCDecoder.decode(Self.hex("a4c1380283f400a22f5f0bf819"))
        #expect(p.layout == .atc1441 && p.mac == 0xA4C1_3802_83F4 && p.counter == 25)
        #expect(values(p) == [ATCDecoder.Object.temperatureDeci: 16.2, ATCDecoder.Object.humidityPercent: 47,
                              ATCDecoder.Object.battery: 95, ATCDecoder.Object.batteryVoltage: 3.064])
        #expect(p.readings.map(\.raw) == [162, 47, 95, 3064])
    }

    @Test func pvvxCustomExample() throws {
        // MAC A4:C1:38:02:83:F4 (least significant byte first), 17.05 °C, 44.57 %, 2998 mV, 88 %, counter 247.
        let p = try ATCDecoder.decode(Self.hex("f4830238c1a4a9066911b60b58f70d"))
        #expect(p.layout == .pvvx && p.mac == 0xA4C1_3802_83F4 && p.counter == 247)
        #expect(values(p) == [ATCDecoder.Object.temperatureCenti: 17.05, ATCDecoder.Object.humidityCenti: 44.57,
                              ATCDecoder.Object.battery: 88, ATCDecoder.Object.batteryVoltage: 2.998])
        #expect(p.readings.map(\.raw) == [1705, 4457, 88, 2998])
    }

    @Test func negativeTemperaturesAndEncodingRoundTrip() throws {
        for layout in [ATCDecoder.Layout.atc1441, .pvvx] {
            let sd = ATCDecoder.encode(layout, mac: 0xA4C1_3800_0007, temperature: -57, humidity: layout == .pvvx ? 6012 : 60,
                                       battery: 81, millivolts: 2950, counter: 9)
            let p = try ATCDecoder.decode(sd)
            #expect(p.layout == layout && p.mac == 0xA4C1_3800_0007 && p.counter == 9)
            #expect(p.readings.first?.raw == -57)
            #expect(p.readings.map(\.raw).suffix(2) == [81, 2950])
        }
    }

    @Test func otherLengthsAreSkipped() {
        for n in [0, 1, 11, 12, 14, 16, 20] {
            #expect(throws: ATCDecoder.Failure.unsupportedLength(n)) { try ATCDecoder.decode([UInt8](repeating: 0xAB, count: n)) }
        }
    }
}
