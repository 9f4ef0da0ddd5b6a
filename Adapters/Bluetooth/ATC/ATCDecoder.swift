/// Decodes the thermometer formats of the custom firmwares for Xiaomi LYWSD03MMC-style sensors
/// (service data UUID 0x181A, "Environmental Sensing"), told apart by length:
///
/// - atc1441 (13 bytes, big-endian): MAC (most significant byte first), temperature sint16
///   × 0.1 °C, humidity uint8 %, battery uint8 %, battery uint16 mV, frame counter uint8.
/// - pvvx "custom" (15 bytes, little-endian): MAC (least significant byte first), temperature
///   sint16 × 0.01 °C, humidity uint16 × 0.01 %, battery uint16 mV, battery uint8 %, frame
///   counter uint8, flags uint8.
///
/// Other lengths (pvvx's encrypted variants among them) are not decoded. Readings are keyed in
/// their own object-id space (0x1A01…, see `ATCDecoder.Object`) so that their mappings
/// (`Mappings/bluetooth/atc.yaml`) do not collide with BTHome's or MiBeacon's. Pure; never traps.
public enum ATCDecoder {
    public static let serviceUUID: UInt16 = 0x181A

    public enum Layout: String, Sendable, Hashable { case atc1441, pvvx }

    /// Object ids of the readings, one per quantity and resolution.
    public enum Object {
        /// sint16 × 0.1 °C (atc1441).
        public static let temperatureDeci: UInt16 = 0x1A01
        /// sint16 × 0.01 °C (pvvx).
        public static let temperatureCenti: UInt16 = 0x1A02
        /// uint8 % (atc1441).
        public static let humidityPercent: UInt16 = 0x1A03
        /// uint16 × 0.01 % (pvvx).
        public static let humidityCenti: UInt16 = 0x1A04
        /// uint8 %.
        public static let battery: UInt16 = 0x1A05
        /// uint16 mV.
        public static let batteryVoltage: UInt16 = 0x1A06
    }

    public struct Packet: Sendable, Hashable {
        public var layout: Layout
        /// The MAC carried in the payload (48-bit, as `UInt64`).
        public var mac: UInt64
        /// Increases with every measurement; repeated advertisements of one measurement share it.
        public var counter: UInt8
        public var readings: [BTHomeDecoder.Reading]
    }

    public enum Failure: Error, Sendable, Hashable {
        /// Neither 13 (atc1441) nor 15 (pvvx) bytes.
        case unsupportedLength(Int)
    }

    /// `data` is the service data after the UUID.
    public static func decode(_ data: some Collection<UInt8>) throws(Failure) -> Packet {
        let b = Array(data)
        func be(_ o: Int, _ n: Int) -> UInt32 { (0..<n).reduce(UInt32(0)) { $0 << 8 | UInt32(b[o + $1]) } }
        func le(_ o: Int, _ n: Int) -> UInt32 { (0..<n).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32(b[o + $1]) } }
        func reading(_ key: String, _ id: UInt16, _ raw: Int64, _ factor: Double, _ unit: String) -> BTHomeDecoder.Reading {
            BTHomeDecoder.Reading(key: key, objectID: id, index: 0, value: .number(BTHomeDecoder.scaled(Double(raw), factor), unit: unit), raw: raw)
        }
        switch b.count {
        case 13:
            let mac = (0..<6).reduce(UInt64(0)) { $0 << 8 | UInt64(b[$1]) }
            let t = Int64(Int16(bitPattern: UInt16(be(6, 2))))
            return Packet(layout: .atc1441, mac: mac, counter: b[12], readings: [
                reading("temperature", Object.temperatureDeci, t, 0.1, "°C"),
                reading("humidity", Object.humidityPercent, Int64(b[8]), 1, "%"),
                reading("battery", Object.battery, Int64(b[9]), 1, "%"),
                reading("voltage", Object.batteryVoltage, Int64(be(10, 2)), 0.001, "V"),
            ])
        case 15:
            let mac = (0..<6).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(b[$1]) }
            let t = Int64(Int16(bitPattern: UInt16(le(6, 2))))
            return Packet(layout: .pvvx, mac: mac, counter: b[13], readings: [
                reading("temperature", Object.temperatureCenti, t, 0.01, "°C"),
                reading("humidity", Object.humidityCenti, Int64(le(8, 2)), 0.01, "%"),
                reading("battery", Object.battery, Int64(b[12]), 1, "%"),
                reading("voltage", Object.batteryVoltage, Int64(le(10, 2)), 0.001, "V"),
            ])
        default:
            throw .unsupportedLength(b.count)
        }
    }

    /// Service data (after the UUID) in `layout` — what the firmware sends; for the virtual
    /// controller and tests. Values in the layout's resolution (see `Object`).
    public static func encode(_ layout: Layout, mac: UInt64, temperature: Int16, humidity: UInt16, battery: UInt8,
                              millivolts: UInt16, counter: UInt8, flags: UInt8 = 0) -> [UInt8] {
        let t = UInt16(bitPattern: temperature)
        switch layout {
        case .atc1441:
            let macBytes = (0..<6).reversed().map { UInt8(truncatingIfNeeded: mac >> (8 * UInt64($0))) }
            return macBytes + [UInt8(t >> 8), UInt8(t & 0xFF), UInt8(clamping: humidity), battery,
                               UInt8(millivolts >> 8), UInt8(millivolts & 0xFF), counter]
        case .pvvx:
            let macBytes = (0..<6).map { UInt8(truncatingIfNeeded: mac >> (8 * UInt64($0))) }
            return macBytes + [UInt8(t & 0xFF), UInt8(t >> 8), UInt8(humidity & 0xFF), UInt8(humidity >> 8),
                               UInt8(millivolts & 0xFF), UInt8(millivolts >> 8), battery, counter, flags]
        }
    }
}
