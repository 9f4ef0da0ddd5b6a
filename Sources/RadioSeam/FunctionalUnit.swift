/// One functional unit of a device in the radio's own terms: a ZigBee attribute of a cluster
/// on an endpoint, a Z-Wave command class property, a BLE advertisement object. The bridge
/// treats it as opaque except for finding its mapping.
public enum UnitKey: Sendable, Hashable, CustomStringConvertible {
    case zigbee(endpoint: UInt8, cluster: UInt16, attribute: UInt16)
    /// `property` names the value inside the command class (`currentValue`, a sensor type number …).
    case zwave(endpoint: UInt8, commandClass: UInt8, property: String)
    /// BTHome object ID (or another BLE format's numeric key) and its index when a device
    /// sends the same object more than once (0 = first).
    case ble(objectID: UInt16, index: UInt8)

    public var radioProtocol: RadioProtocol {
        switch self {
        case .zigbee: .zigbee
        case .zwave: .zwave
        case .ble: .ble
        }
    }

    /// Endpoint (ZigBee/Z-Wave) or index (BLE); decides the Node a capability belongs to.
    public var endpoint: UInt8 {
        switch self {
        case .zigbee(let e, _, _), .zwave(let e, _, _): e
        case .ble(_, let i): i
        }
    }

    /// Canonical text form, the registry key of a capability within its device:
    /// `zigbee/1/0x0006/0x0000`, `zwave/0/0x25/currentValue`, `ble/0x02/0`.
    public var description: String {
        switch self {
        case .zigbee(let e, let c, let a): "zigbee/\(e)/\(Self.hex(UInt64(c), 4))/\(Self.hex(UInt64(a), 4))"
        case .zwave(let e, let cc, let p): "zwave/\(e)/\(Self.hex(UInt64(cc), 2))/\(p)"
        case .ble(let o, let i): "ble/\(Self.hex(UInt64(o), 2))/\(i)"
        }
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        func num<T: FixedWidthInteger>(_ s: String, _: T.Type) -> T? {
            s.hasPrefix("0x") ? T(s.dropFirst(2), radix: 16) : T(s)
        }
        switch (parts.first, parts.count) {
        case ("zigbee", 4):
            guard let e = num(parts[1], UInt8.self), let c = num(parts[2], UInt16.self), let a = num(parts[3], UInt16.self) else { return nil }
            self = .zigbee(endpoint: e, cluster: c, attribute: a)
        case ("zwave", 4):
            guard let e = num(parts[1], UInt8.self), let cc = num(parts[2], UInt8.self), !parts[3].isEmpty else { return nil }
            self = .zwave(endpoint: e, commandClass: cc, property: parts[3])
        case ("ble", 3):
            guard let o = num(parts[1], UInt16.self), let i = num(parts[2], UInt8.self) else { return nil }
            self = .ble(objectID: o, index: i)
        default:
            return nil
        }
    }

    public static func hex(_ v: UInt64, _ digits: Int) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}

/// A value as the radio carries it, before any mapping conversion.
public enum RadioValue: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// A raw enumeration value (ZCL enum8/16, a Z-Wave mode, a BTHome event code).
    case enumeration(UInt32)
    /// Several values reported together (colour xy, acceleration axes …).
    case list([RadioValue])

    /// The value as a number, when it is one.
    public var number: Double? {
        switch self {
        case .bool(let b): b ? 1 : 0
        case .int(let i): Double(i)
        case .double(let d): d.isFinite ? d : nil
        case .enumeration(let e): Double(e)
        case .string(let s): Double(s)
        case .list: nil
        }
    }

    public var description: String {
        switch self {
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .enumeration(let e): "enum(\(e))"
        case .list(let l): "[" + l.map(\.description).joined(separator: ",") + "]"
        }
    }
}

/// One functional unit a device exposes, with what the adapter learned about it during the
/// interview (e.g. ZCL IAS `zone_type`, metering `multiplier`/`divisor`), and its current value
/// when known.
public struct FunctionalUnit: Sendable, Hashable {
    public var key: UnitKey
    /// Descriptors read during the interview, by name; mappings may refer to them.
    public var properties: [String: RadioValue]
    public var value: RadioValue?

    public init(key: UnitKey, properties: [String: RadioValue] = [:], value: RadioValue? = nil) {
        self.key = key; self.properties = properties; self.value = value
    }
}
