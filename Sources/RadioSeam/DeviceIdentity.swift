/// Which radio technology an adapter drives.
public enum RadioProtocol: String, Sendable, Hashable, Codable, CaseIterable {
    case zigbee, zwave, ble
}

/// A device's address on its radio, in the radio's own terms. Stable for one physical device:
/// the bridge keys its registry (and so the device's instance number) on it.
public enum DeviceAddress: Sendable, Hashable, CustomStringConvertible {
    /// IEEE 802.15.4 extended address (EUI-64) of a ZigBee device.
    case ieee(UInt64)
    /// Z-Wave home ID and node ID.
    case zwave(homeID: UInt32, nodeID: UInt16)
    /// 48-bit Bluetooth device address.
    case bluetooth(UInt64)

    public var radioProtocol: RadioProtocol {
        switch self {
        case .ieee: .zigbee
        case .zwave: .zwave
        case .bluetooth: .ble
        }
    }

    /// Canonical text form, also the registry key: `zigbee:00124b0012345678`,
    /// `zwave:c0ffee01:5`, `ble:a4c138001122`.
    public var description: String {
        switch self {
        case .ieee(let v): "zigbee:" + Self.hex(v, digits: 16)
        case .zwave(let home, let node): "zwave:" + Self.hex(UInt64(home), digits: 8) + ":" + String(node)
        case .bluetooth(let v): "ble:" + Self.hex(v & 0xFFFF_FFFF_FFFF, digits: 12)
        }
    }

    /// Parses `description`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("zigbee", 2):
            guard parts[1].count == 16, let v = UInt64(parts[1], radix: 16) else { return nil }
            self = .ieee(v)
        case ("zwave", 3):
            guard parts[1].count == 8, let h = UInt32(parts[1], radix: 16), let n = UInt16(parts[2]) else { return nil }
            self = .zwave(homeID: h, nodeID: n)
        case ("ble", 2):
            guard parts[1].count == 12, let v = UInt64(parts[1], radix: 16) else { return nil }
            self = .bluetooth(v)
        default:
            return nil
        }
    }

    public static func hex(_ v: UInt64, digits: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}

/// How a device is powered; decides whether commands can be sent at any time.
public enum PowerSource: String, Sendable, Hashable, Codable {
    case mains, battery
    /// Battery powered and asleep most of the time: commands wait until it reports awake.
    case sleepy
    case unknown
}

/// The device's role on its network.
public enum DeviceKind: String, Sendable, Hashable, Codable {
    case coordinator, router, endDevice, sleepyEndDevice
    /// Only broadcasts (BLE advertisements): it takes no commands at all.
    case passiveBroadcaster
    case unknown
}

/// What an adapter knows about a device after its interview.
public struct DeviceIdentity: Sendable, Hashable {
    public var address: DeviceAddress
    /// Short network address (ZigBee NWK address, Z-Wave node ID), if the radio has one.
    public var nodeID: UInt16?
    public var manufacturer: String
    public var model: String
    public var firmware: String
    public var power: PowerSource
    public var kind: DeviceKind

    public init(address: DeviceAddress, nodeID: UInt16? = nil, manufacturer: String = "", model: String = "",
                firmware: String = "", power: PowerSource = .unknown, kind: DeviceKind = .unknown) {
        self.address = address; self.nodeID = nodeID; self.manufacturer = manufacturer; self.model = model
        self.firmware = firmware; self.power = power; self.kind = kind
    }

    /// True when commands must wait for the device to wake up.
    public var isSleepy: Bool { power == .sleepy || kind == .sleepyEndDevice }
    /// True when the device takes no commands at all.
    public var isPassive: Bool { kind == .passiveBroadcaster }
}
