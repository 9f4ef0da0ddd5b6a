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

    /// Parsed from the bytes of the path, without building substrings (a Get of the whole
    /// subtree locates every object it reads).
    static func locate(_ path: String) -> Location? {
        var path = path
        return path.withUTF8 { locate(utf8: $0) }
    }

    private static let deviceTableUTF8 = Array(deviceTable.utf8)
    private static let nodeUTF8 = Array("Node".utf8)
    private static let capabilityUTF8 = Array("IoTCapability".utf8)

    private static func locate(utf8 p: UnsafeBufferPointer<UInt8>) -> Location? {
        guard p.count > deviceTableUTF8.count, p.starts(with: deviceTableUTF8) else { return nil }
        // Components between dots (empty ones skipped), at most five are meaningful.
        var comps: [Range<Int>] = []
        comps.reserveCapacity(6)
        var start = deviceTableUTF8.count
        for i in start..<p.count where p[i] == UInt8(ascii: ".") {
            if i > start { comps.append(start..<i) }
            start = i + 1
            if comps.count > 6 { return nil }
        }
        if start < p.count { comps.append(start..<p.count) }
        func number(_ r: Range<Int>) -> UInt32? {
            var n: UInt64 = 0
            for i in r {
                let b = p[i]
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), n <= UInt64(UInt32.max) else { return nil }
                n = n * 10 + UInt64(b - UInt8(ascii: "0"))
            }
            return r.isEmpty || n > UInt64(UInt32.max) ? nil : UInt32(n)
        }
        func equals(_ r: Range<Int>, _ word: [UInt8]) -> Bool {
            r.count == word.count && word.indices.allSatisfy { p[r.lowerBound + $0] == word[$0] }
        }
        guard let first = comps.first, let d = number(first) else { return nil }
        if comps.count == 1 { return .device(d) }
        var i = 1
        var node: UInt32?
        if equals(comps[i], nodeUTF8) {
            guard comps.count > i + 1, let n = number(comps[i + 1]) else { return nil }
            node = n
            i += 2
            if comps.count == i { return .node(d, n) }
        }
        guard comps.count > i + 1, equals(comps[i], capabilityUTF8), let c = number(comps[i + 1]) else { return nil }
        i += 2
        if comps.count == i { return .capability(d, node: node, c) }
        if comps.count == i + 1 {
            return .capabilityClass(d, node: node, c, String(decoding: UnsafeBufferPointer(rebasing: p[comps[i]]), as: UTF8.self))
        }
        return nil
    }
}

extension BridgePaths.Location {
    /// The ProxiedDevice instance number the location is in.
    var device: UInt32 {
        switch self {
        case .device(let d), .node(let d, _), .capability(let d, _, _), .capabilityClass(let d, _, _, _): d
        }
    }
}
