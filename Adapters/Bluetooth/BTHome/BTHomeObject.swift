/// One BTHome v2 object id from the published format table (bthome.io "Data format"): how
/// many bytes its value has, how to read them, and what the value means.
public struct BTHomeObject: Sendable, Hashable {
    public enum Encoding: Sendable, Hashable {
        case unsigned(bytes: Int)
        case signed(bytes: Int)
    }

    public enum Kind: Sendable, Hashable {
        /// A number: raw value × factor, in `unit`.
        case measurement(unit: String, factor: Double)
        /// 0 = false, 1 = true.
        case binary
        /// Button events (0x3A): the value names the event.
        case buttonEvent
        /// The packet id used to drop repeated advertisements (0x00).
        case packetID
    }

    public var id: UInt8
    /// The key the bridge's mappings use (`Mappings/bluetooth`), e.g. `temperature`.
    public var key: String
    public var encoding: Encoding
    public var kind: Kind

    public var byteCount: Int {
        switch encoding { case .unsigned(let n), .signed(let n): n }
    }
}

extension BTHomeObject {
    static func m(_ id: UInt8, _ key: String, _ enc: Encoding, _ factor: Double, _ unit: String) -> BTHomeObject {
        BTHomeObject(id: id, key: key, encoding: enc, kind: .measurement(unit: unit, factor: factor))
    }
    static func b(_ id: UInt8, _ key: String) -> BTHomeObject {
        BTHomeObject(id: id, key: key, encoding: .unsigned(bytes: 1), kind: .binary)
    }

    /// The object ids this decoder knows, from the BTHome v2 format table. An unknown id ends
    /// the parse of that advertisement (its length is unknown, so nothing after it can be read).
    public static let table: [UInt8: BTHomeObject] = {
        let entries: [BTHomeObject] = [
            BTHomeObject(id: 0x00, key: "packet_id", encoding: .unsigned(bytes: 1), kind: .packetID),
            m(0x01, "battery", .unsigned(bytes: 1), 1, "%"),
            m(0x02, "temperature", .signed(bytes: 2), 0.01, "°C"),
            m(0x03, "humidity", .unsigned(bytes: 2), 0.01, "%"),
            m(0x04, "pressure", .unsigned(bytes: 3), 0.01, "hPa"),
            m(0x05, "illuminance", .unsigned(bytes: 3), 0.01, "lx"),
            m(0x06, "mass_kg", .unsigned(bytes: 2), 0.01, "kg"),
            m(0x07, "mass_lb", .unsigned(bytes: 2), 0.01, "lb"),
            m(0x08, "dewpoint", .signed(bytes: 2), 0.01, "°C"),
            m(0x09, "count", .unsigned(bytes: 1), 1, ""),
            m(0x0A, "energy", .unsigned(bytes: 3), 0.001, "kWh"),
            m(0x0B, "power", .unsigned(bytes: 3), 0.01, "W"),
            m(0x0C, "voltage", .unsigned(bytes: 2), 0.001, "V"),
            m(0x0D, "pm25", .unsigned(bytes: 2), 1, "µg/m³"),
            m(0x0E, "pm10", .unsigned(bytes: 2), 1, "µg/m³"),
            b(0x0F, "generic_boolean"), b(0x10, "power_on"), b(0x11, "opening"),
            m(0x12, "co2", .unsigned(bytes: 2), 1, "ppm"),
            m(0x13, "tvoc", .unsigned(bytes: 2), 1, "µg/m³"),
            m(0x14, "moisture", .unsigned(bytes: 2), 0.01, "%"),
            b(0x15, "battery_low"), b(0x16, "battery_charging"), b(0x17, "carbon_monoxide"), b(0x18, "cold"),
            b(0x19, "connectivity"), b(0x1A, "door"), b(0x1B, "garage_door"), b(0x1C, "gas"), b(0x1D, "heat"),
            b(0x1E, "light"), b(0x1F, "lock"), b(0x20, "moisture_detected"), b(0x21, "motion"), b(0x22, "moving"),
            b(0x23, "occupancy"), b(0x24, "plug"), b(0x25, "presence"), b(0x26, "problem"), b(0x27, "running"),
            b(0x28, "safety"), b(0x29, "smoke"), b(0x2A, "sound"), b(0x2B, "tamper"), b(0x2C, "vibration"), b(0x2D, "window"),
            m(0x2E, "humidity", .unsigned(bytes: 1), 1, "%"),
            m(0x2F, "moisture", .unsigned(bytes: 1), 1, "%"),
            BTHomeObject(id: 0x3A, key: "button", encoding: .unsigned(bytes: 1), kind: .buttonEvent),
            m(0x3D, "count", .unsigned(bytes: 2), 1, ""),
            m(0x3E, "count", .unsigned(bytes: 4), 1, ""),
            m(0x3F, "rotation", .signed(bytes: 2), 0.1, "°"),
            m(0x40, "distance_mm", .unsigned(bytes: 2), 1, "mm"),
            m(0x41, "distance_m", .unsigned(bytes: 2), 0.1, "m"),
            m(0x42, "duration", .unsigned(bytes: 3), 0.001, "s"),
            m(0x43, "current", .unsigned(bytes: 2), 0.001, "A"),
            m(0x45, "temperature", .signed(bytes: 2), 0.1, "°C"),
            m(0x4B, "gas", .unsigned(bytes: 3), 0.001, "m³"),
            m(0x4C, "gas", .unsigned(bytes: 4), 0.001, "m³"),
            m(0x4D, "energy", .unsigned(bytes: 4), 0.001, "kWh"),
        ]
        return Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }()

    /// Names of the 0x3A button events by value.
    public static let buttonEvents: [UInt8: String] = [
        0x00: "none", 0x01: "press", 0x02: "double_press", 0x03: "triple_press", 0x04: "long_press",
        0x05: "long_double_press", 0x06: "long_triple_press", 0x80: "hold_press", 0xFE: "hold_press",
    ]
}
