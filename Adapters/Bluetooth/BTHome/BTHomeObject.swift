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
        /// Dimmer events (0x3C): event byte (0 none, 1 rotate left, 2 rotate right), then steps.
        case dimmerEvent
        /// Length-prefixed text (0x53) or raw bytes (0x54): skipped, but their length is known.
        case lengthPrefixed
        /// Device information (0xF0 device type, 0xF1/0xF2 firmware version): not a reading.
        case deviceInfo
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
            BTHomeObject(id: 0x3C, key: "dimmer", encoding: .unsigned(bytes: 2), kind: .dimmerEvent),
            m(0x44, "speed", .unsigned(bytes: 2), 0.01, "m/s"),
            m(0x46, "uv_index", .unsigned(bytes: 1), 0.1, ""),
            m(0x47, "volume", .unsigned(bytes: 2), 0.1, "L"),
            m(0x48, "volume_ml", .unsigned(bytes: 2), 1, "mL"),
            m(0x49, "volume_flow_rate", .unsigned(bytes: 2), 0.001, "m³/h"),
            m(0x4A, "voltage", .unsigned(bytes: 2), 0.1, "V"),
            m(0x4E, "volume", .unsigned(bytes: 4), 0.001, "L"),
            m(0x4F, "water", .unsigned(bytes: 4), 0.001, "L"),
            m(0x50, "timestamp", .unsigned(bytes: 4), 1, "s"),
            m(0x51, "acceleration", .unsigned(bytes: 2), 0.001, "m/s²"),
            m(0x52, "gyroscope", .unsigned(bytes: 2), 0.001, "°/s"),
            BTHomeObject(id: 0x53, key: "text", encoding: .unsigned(bytes: 0), kind: .lengthPrefixed),
            BTHomeObject(id: 0x54, key: "raw", encoding: .unsigned(bytes: 0), kind: .lengthPrefixed),
            m(0x55, "volume_storage", .unsigned(bytes: 4), 0.001, "L"),
            m(0x56, "conductivity", .unsigned(bytes: 2), 1, "µS/cm"),
            m(0x57, "temperature", .signed(bytes: 1), 1, "°C"),
            m(0x58, "temperature", .signed(bytes: 1), 0.35, "°C"),
            m(0x59, "count", .signed(bytes: 1), 1, ""),
            m(0x5A, "count", .signed(bytes: 2), 1, ""),
            m(0x5B, "count", .signed(bytes: 4), 1, ""),
            m(0x5C, "power", .signed(bytes: 4), 0.01, "W"),
            m(0x5D, "current", .signed(bytes: 2), 0.001, "A"),
            m(0x5E, "direction", .unsigned(bytes: 2), 0.01, "°"),
            m(0x5F, "precipitation", .unsigned(bytes: 2), 0.1, "mm"),
            m(0x60, "channel", .unsigned(bytes: 1), 1, ""),
            m(0x61, "rotational_speed", .unsigned(bytes: 2), 1, "rpm"),
            m(0x62, "speed", .signed(bytes: 4), 0.000001, "m/s"),
            m(0x63, "acceleration", .signed(bytes: 4), 0.000001, "m/s²"),
            m(0x64, "light_level", .unsigned(bytes: 1), 1, ""),
            BTHomeObject(id: 0xF0, key: "device_type_id", encoding: .unsigned(bytes: 2), kind: .deviceInfo),
            BTHomeObject(id: 0xF1, key: "firmware_version", encoding: .unsigned(bytes: 4), kind: .deviceInfo),
            BTHomeObject(id: 0xF2, key: "firmware_version", encoding: .unsigned(bytes: 3), kind: .deviceInfo),
        ]
        return Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }()

    /// Names of the 0x3C dimmer events by value.
    public static let dimmerEvents: [UInt8: String] = [0x00: "none", 0x01: "rotate_left", 0x02: "rotate_right"]

    /// Names of the 0x3A button events by value.
    public static let buttonEvents: [UInt8: String] = [
        0x00: "none", 0x01: "press", 0x02: "double_press", 0x03: "triple_press", 0x04: "long_press",
        0x05: "long_double_press", 0x06: "long_triple_press", 0x80: "hold_press", 0xFE: "hold_press",
    ]
}
