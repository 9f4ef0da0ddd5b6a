/// A writable parameter of a capability object that lives on another radio unit of the same
/// endpoint: BinarySensor `HoldTime` on the ZCL Occupancy Sensing delay attribute, `Sensitivity`
/// on the IAS zone sensitivity level. The bridge reads it from that unit's reports and writes
/// it with a `write` command on that unit.
public struct SettingMapping: Sendable, Hashable {
    /// Where the setting's unit is, relative to the capability's own unit.
    public enum Target: Sendable, Hashable {
        /// Same endpoint; the capability's cluster when `cluster` is nil.
        case zigbee(cluster: UInt16?, attribute: UInt16)
        /// Same endpoint; the capability's command class when `commandClass` is nil.
        case zwave(commandClass: UInt8?, property: String)
    }

    /// The TR-181 parameter name (`Sensitivity`, `HoldTime`, `RestTime`).
    public var parameter: String
    public var target: Target
    /// Radio value ↔ TR-181 value, numeric (the linear part of a capability conversion).
    public var conversion: ValueConversion
    /// Bounds of the TR-181 value (inclusive); a Set outside them is refused with 7012.
    public var min: Double
    public var max: Double
    public var source: SourceLocation

    public init(parameter: String, target: Target, conversion: ValueConversion = ValueConversion(),
                min: Double = 0, max: Double = Double(UInt32.max), source: SourceLocation) {
        self.parameter = parameter; self.target = target; self.conversion = conversion
        self.min = min; self.max = max; self.source = source
    }

    /// The unit key of this setting on the device whose capability unit is `key`; nil when
    /// the target is for another radio protocol.
    public func unitKey(relativeTo key: UnitKey) -> UnitKey? {
        switch (target, key) {
        case (.zigbee(let c, let a), .zigbee(let ep, let own, _)): .zigbee(endpoint: ep, cluster: c ?? own, attribute: a)
        case (.zwave(let cc, let p), .zwave(let ep, let own, _)): .zwave(endpoint: ep, commandClass: cc ?? own, property: p)
        default: nil
        }
    }

    /// The TR-181 text (an unsignedInt) of a radio value; nil when it does not convert or
    /// falls outside 0…4294967295.
    public func tr181Value(_ value: RadioValue, properties: [String: RadioValue]) -> String? {
        guard let n = conversion.number(value, properties) else { return nil }
        let r = n.rounded()
        guard r >= 0, r <= Double(UInt32.max) else { return nil }
        return String(UInt32(r))
    }

    /// The radio value to write for a TR-181 value already checked against `min`…`max`.
    public func radioValue(_ value: UInt32, properties: [String: RadioValue]) -> RadioValue? {
        conversion.radioValue(String(value), class: .levelControl, properties: properties)
    }
}
