/// Supported and instantiated paths of the bridge's part of the data model.
enum BridgePaths {
    static let deviceTable = "Device.ProxiedDevice."
    static let device = "Device.ProxiedDevice.{i}."
    static let node = "Device.ProxiedDevice.{i}.Node.{i}."
    static let deviceCapability = "Device.ProxiedDevice.{i}.IoTCapability.{i}."
    static let nodeCapability = "Device.ProxiedDevice.{i}.Node.{i}.IoTCapability.{i}."
    static let radioTable = "Device.X_USPBRIDGE_Radio."
    static let radio = "Device.X_USPBRIDGE_Radio.{i}."

    static func device(_ n: UInt32) -> String { "Device.ProxiedDevice.\(n)." }
    static func node(_ d: UInt32, _ n: UInt32) -> String { "Device.ProxiedDevice.\(d).Node.\(n)." }
    static func capabilityTable(_ d: UInt32, node: UInt32?) -> String {
        node.map { "Device.ProxiedDevice.\(d).Node.\($0).IoTCapability." } ?? "Device.ProxiedDevice.\(d).IoTCapability."
    }
    static func radio(_ n: Int) -> String { "Device.X_USPBRIDGE_Radio.\(n + 1)." }

    /// Where an instantiated object path points inside `Device.ProxiedDevice.`.
    enum Location: Equatable {
        case device(UInt32)
        case node(UInt32, UInt32)
        case capability(UInt32, node: UInt32?, UInt32)
        /// A capability's class sub-object (`BinaryControl.` …).
        case capabilityClass(UInt32, node: UInt32?, UInt32, String)
    }

    static func locate(_ path: String) -> Location? {
        guard path.hasPrefix(deviceTable) else { return nil }
        let comps = path.dropFirst(deviceTable.count).split(separator: ".").map(String.init)
        guard let first = comps.first, let d = UInt32(first) else { return nil }
        var i = 1
        var node: UInt32?
        if comps.count == 1 { return .device(d) }
        if comps[i] == "Node" {
            guard comps.count > i + 1, let n = UInt32(comps[i + 1]) else { return nil }
            node = n
            i += 2
            if comps.count == i { return .node(d, n) }
        }
        guard comps.count > i + 1, comps[i] == "IoTCapability", let c = UInt32(comps[i + 1]) else { return nil }
        i += 2
        if comps.count == i { return .capability(d, node: node, c) }
        if comps.count == i + 1 { return .capabilityClass(d, node: node, c, comps[i]) }
        return nil
    }
}
