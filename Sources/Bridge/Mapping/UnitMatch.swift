/// Which functional units a mapping entry applies to.
public struct UnitMatch: Sendable, Hashable, CustomStringConvertible {
    public enum Selector: Sendable, Hashable {
        case zigbee(cluster: UInt16, attribute: UInt16)
        /// nil property: every property of the command class.
        case zwave(commandClass: UInt8, property: String?)
        /// nil index: every index of the object.
        case ble(objectID: UInt16, index: UInt8?)
    }
    /// nil: any endpoint.
    public var endpoint: UInt8?
    public var selector: Selector

    public init(endpoint: UInt8? = nil, selector: Selector) { self.endpoint = endpoint; self.selector = selector }

    public func matches(_ key: UnitKey) -> Bool {
        switch (selector, key) {
        case let (.zigbee(c, a), .zigbee(e, kc, ka)):
            return c == kc && a == ka && (endpoint == nil || endpoint == e)
        case let (.zwave(cc, p), .zwave(e, kcc, kp)):
            return cc == kcc && (p == nil || p == kp) && (endpoint == nil || endpoint == e)
        case let (.ble(o, i), .ble(ko, ki)):
            return o == ko && (i == nil || i == ki)
        default:
            return false
        }
    }

    /// More specific matches win over generic ones within a layer.
    public var specificity: Int {
        var s = endpoint == nil ? 0 : 2
        switch selector {
        case .zwave(_, let p): if p != nil { s += 1 }
        case .ble(_, let i): if i != nil { s += 1 }
        case .zigbee: s += 1
        }
        return s
    }

    public var description: String {
        let ep = endpoint.map { "endpoint \($0) " } ?? ""
        switch selector {
        case let .zigbee(c, a): return ep + "cluster \(UnitKey.hex(UInt64(c), 4)) attribute \(UnitKey.hex(UInt64(a), 4))"
        case let .zwave(cc, p): return ep + "command class \(UnitKey.hex(UInt64(cc), 2))" + (p.map { " property \($0)" } ?? "")
        case let .ble(o, i): return "object \(UnitKey.hex(UInt64(o), 2))" + (i.map { " index \($0)" } ?? "")
        }
    }
}

/// One entry of a mapping file: a unit match and its capability (nil: the unit is hidden).
public struct UnitRule: Sendable, Hashable {
    public var match: UnitMatch
    public var mapping: CapabilityMapping?
    public var source: SourceLocation
}

/// Device-specific overrides, keyed by manufacturer and model as the device reports them.
public struct DeviceRule: Sendable, Hashable {
    public var manufacturer: String
    public var models: [String]
    public var deviceType: String?
    public var description: String?
    public var rules: [UnitRule]
    public var source: SourceLocation

    public func matches(_ identity: DeviceIdentity) -> Bool {
        identity.manufacturer == manufacturer && models.contains(identity.model)
    }
}
