import Foundation

/// One capability of a device as the registry keeps it: where it sits (its stable instance
/// number), user settings and its last known value. Records stay when a unit stops being
/// mapped, so the number comes back with it.
struct CapabilityRecord: Sendable, Hashable {
    var unitKey: UnitKey
    /// Endpoint of the Node the capability sits under; nil = directly under the ProxiedDevice.
    var node: UInt8?
    var instance: UInt32
    /// True while the unit is mapped and the capability exists in the data model.
    var active: Bool
    var userName: String?
    var alias: String?
    /// Last known TR-181 value (already converted).
    var value: String?
    var lastChange: Date?
    /// Writable settings: StepValue, LowLevelThreshold, HighLevelThreshold.
    var settings: [String: String]
}

/// Everything the bridge remembers about one physical device.
struct DeviceRecord: Sendable, Hashable {
    var identity: DeviceIdentity
    var instance: UInt32
    /// The unit list of the last interview (so capabilities can be rebuilt at start-up).
    var units: [FunctionalUnit]
    var mappingID: String
    var userName: String?
    var alias: String?
    /// Joined: the device is in the data model.
    var present: Bool
    var online: Bool
    var lastContact: Date?
    /// Endpoint → Node instance number (stable, never reused for another endpoint).
    var nodes: [UInt8: UInt32]
    var nodeAliases: [UInt8: String]
    /// By unit key text.
    var capabilities: KeyedList<CapabilityRecord>
    /// Index of the radio (adapter) the device belongs to.
    var radio: Int

    var address: DeviceAddress { identity.address }
}
