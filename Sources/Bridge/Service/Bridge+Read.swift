import Agent
import DataModel
import Foundation

extension Bridge {
    /// What a read needs about one device, looked up once for all of its objects (the agent
    /// asks for a device's objects one after the other).
    struct DeviceContext {
        var instance: UInt32
        var record: DeviceRecord
        var addr: String
        var texts: DeviceTexts?
        var stale: Bool
        var pendingCommands: Int
        /// Default capability names by unit key, computed when first needed.
        var names: [String: String]?
    }

    func context(_ d: UInt32, _ r: DeviceRecord) -> DeviceContext {
        let addr = r.address.description
        return DeviceContext(instance: d, record: r, addr: addr, texts: deviceMappings[addr], stale: stale.contains(addr),
                             pendingCommands: queues[addr]?.waiting.count ?? 0)
    }

    /// Parameter names turned into codes once per distinct parameter list: the agent asks for
    /// the same (shared) list for every object of a kind, and comparing a list with itself is
    /// immediate, so a Get matches names against the `switch` only a few times.
    struct ParameterCodes {
        private var entries: [(names: [String], codes: [ReadParameter])] = []
        mutating func codes(_ names: [String]) -> [ReadParameter] {
            if let e = entries.first(where: { $0.names == names }) { return e.codes }
            let codes = names.map { ReadParameter(rawValue: $0) ?? .other }
            entries.append((names, codes))
            return codes
        }
    }

    /// Values for a Get, from memory only: a Get over any number of devices never waits for a radio.
    func read(_ objects: [ObjectRead]) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        out.reserveCapacity(objects.count)
        let values = readObjects(objects)
        for (o, v) in zip(objects, values) where !v.isEmpty { out[o.path] = v }
        return out
    }

    /// Values for a Get, in the order of `objects` (empty where the object has none).
    func readObjects(_ objects: [ObjectRead]) -> [[String: String]] {
        var out: [[String: String]] = []
        out.reserveCapacity(objects.count)
        var ctx: DeviceContext?
        var codes = ParameterCodes()
        for o in objects {
            guard let loc = BridgePaths.locate(o.path) else { out.append([:]); continue }
            let d = loc.device
            if ctx?.instance != d {
                ctx = record(instance: d).flatMap { r in r.present ? context(d, r) : nil }
            }
            guard ctx != nil else { out.append([:]); continue }
            out.append(readObject(o, loc, &ctx!, &codes))
        }
        return out
    }

    func readObject(_ o: ObjectRead, _ loc: BridgePaths.Location, _ ctx: inout DeviceContext,
                    _ codes: inout ParameterCodes) -> [String: String] {
        var vals: [String: String] = [:]
        vals.reserveCapacity(o.parameters.count)
        switch loc {
        case .device:
            for (p, code) in zip(o.parameters, codes.codes(o.parameters)) {
                if let v = deviceValue(ctx, code) { vals[p] = v }
            }
        case .node(_, let n):
            let r = ctx.record
            guard let ep = r.nodes.first(where: { $0.value == n })?.key else { return [:] }
            for p in o.parameters {
                switch p {
                case "Alias": vals[p] = r.nodeAliases[ep] ?? "cpe-node-\(n)"
                case "Type": vals[p] = ctx.texts?.deviceType ?? ""
                case "Description": vals[p] = "endpoint \(ep)"
                default: break
                }
            }
        case .capability(_, let node, let c):
            guard let (key, rc) = activeCapability(ctx.record, node: node, instance: c), let cap = resolved[ctx.addr]?[key] else { return [:] }
            for p in o.parameters {
                switch p {
                case "Alias": vals[p] = rc.alias ?? "cpe-cap-\(rc.instance)"
                case "Name":
                    if let u = rc.userName { vals[p] = u; break }
                    if ctx.names == nil { ctx.names = defaultCapabilityNames(ctx.addr, ctx.record) }
                    vals[p] = ctx.names?[key] ?? ""
                case "Class": vals[p] = cap.mapping.capabilityClass.rawValue
                case "X_USPBRIDGE_Source": vals[p] = key
                default: break
                }
            }
        case .capabilityClass(_, let node, let c, let cls):
            guard let (key, rc) = activeCapability(ctx.record, node: node, instance: c), let cap = resolved[ctx.addr]?[key],
                  cap.mapping.capabilityClass.rawValue == cls else { return [:] }
            for (p, code) in zip(o.parameters, codes.codes(o.parameters)) {
                if let v = classValue(ctx.record, rc, cap, code, p) { vals[p] = v }
            }
        }
        return vals
    }

    /// The active capability at a location of a present device: (unit key text, record).
    func activeCapability(_ r: DeviceRecord, node: UInt32?, instance: UInt32) -> (String, CapabilityRecord)? {
        for (key, c) in r.capabilities where c.active && c.instance == instance {
            let nodeInstance = c.node.flatMap { r.nodes[$0] }
            if nodeInstance == node { return (key, c) }
        }
        return nil
    }

    func deviceValue(_ r: DeviceRecord, _ p: String) -> String? {
        deviceValue(context(r.instance, r), ReadParameter(rawValue: p) ?? .other)
    }

    func deviceValue(_ ctx: DeviceContext, _ p: ReadParameter) -> String? {
        let r = ctx.record
        switch p {
        case .alias: return r.alias ?? "cpe-" + String(r.instance)
        case .type: return ctx.texts?.deviceType ?? ""
        case .description: return ctx.texts?.description ?? Self.makerAndModel(r)
        case .name: return r.userName ?? defaultDeviceName(r)
        case .online: return r.online ? "true" : "false"
        case .lastTimeContacted: return r.lastContact.map(Self.render) ?? "0001-01-01T00:00:00Z"
        case .interfaceReference: return radios.indices.contains(r.radio) ? "Device.X_USPBRIDGE_Radio." + String(r.radio + 1) : ""
        case .proxyProtocol:
            switch r.address.radioProtocol {
            case .zigbee: return "ZigBee"
            case .zwave: return "Z-Wave"
            case .ble: return "X_USPBRIDGE_Bluetooth"
            }
        case .stale: return ctx.stale ? "true" : "false"
        case .address: return ctx.addr
        case .manufacturer: return r.identity.manufacturer
        case .model: return r.identity.model
        case .firmware: return r.identity.firmware
        case .powerSource:
            switch r.identity.isSleepy ? .sleepy : r.identity.power {
            case .mains: return "Mains"
            case .battery: return "Battery"
            case .sleepy: return "Sleepy"
            case .unknown: return "Unknown"
            }
        case .mapping: return r.mappingID
        case .pendingCommands: return String(ctx.pendingCommands)
        default: return nil
        }
    }

    /// "Manufacturer Model", either alone when the other is empty.
    static func makerAndModel(_ r: DeviceRecord) -> String {
        let m = r.identity.manufacturer, n = r.identity.model
        if m.isEmpty { return n }
        if n.isEmpty { return m }
        return m + " " + n
    }

    func defaultDeviceName(_ r: DeviceRecord) -> String {
        let n = Self.makerAndModel(r)
        if n.isEmpty { return String(r.address.description.prefix(64)) }
        return n.utf8.count <= 64 ? n : String(n.prefix(64))
    }

    /// The capability's Name: the user's, or the mapping's made unique within its table.
    func capabilityName(_ addr: String, _ key: String) -> String {
        guard let r = records[addr], let c = r.capabilities[key] else { return "" }
        if let u = c.userName { return u }
        return defaultCapabilityNames(addr, r)[key] ?? ""
    }

    /// The mapping's names of a device's capabilities without a user name, made unique within
    /// each table: the second and later ones of the same name (by instance number) get " 2", " 3" ….
    func defaultCapabilityNames(_ addr: String, _ r: DeviceRecord) -> [String: String] {
        let caps = resolved[addr] ?? [:]
        func base(_ k: String) -> String { caps[k].map { $0.mapping.name ?? $0.type } ?? k }
        var groups: [String: [(instance: UInt32, key: String)]] = [:]
        var out: [String: String] = [:]
        for (key, c) in r.capabilities where c.userName == nil {
            let name = base(key)
            out[key] = name
            guard c.active else { continue }
            groups["\(c.node.map { String($0) } ?? "-")/\(name)", default: []].append((c.instance, key))
        }
        for (_, group) in groups where group.count > 1 {
            for (i, m) in group.sorted(by: { $0.instance < $1.instance }).enumerated() where i > 0 {
                out[m.key] = "\(out[m.key]!) \(i + 1)"
            }
        }
        return out
    }

    func classValue(_ r: DeviceRecord, _ c: CapabilityRecord, _ cap: ResolvedCapability, _ code: ReadParameter, _ p: String) -> String? {
        switch code {
        case .type: return cap.type
        case .description: return cap.mapping.description ?? ""
        case .value, .values: return c.value
        case .unit: return cap.mapping.unit
        case .minValue: return cap.texts.min
        case .maxValue: return cap.texts.max
        case .stepValue: return c.settings["StepValue"]
        case .validValues: return cap.texts.validValues
        case .valueNames: return cap.texts.valueNames
        case .lastChange: return c.lastChange.map(Self.render)
        case .lastContactTime: return r.lastContact.map(Self.render)
        case .lowLevelThreshold, .highLevelThreshold: return c.settings[p]
        case .lowLevel: return lowLevel(c).map { $0 ? "true" : "false" }
        case .highLevel: return highLevel(c).map { $0 ? "true" : "false" }
        case .sensitivity: return cap.settings[p] != nil ? c.settings[p] : nil
        // Radio-backed, or applied by the bridge (Bridge+SensorTiming).
        case .holdTime, .restTime: return c.settings[p]
        default: return nil
        }
    }

    func readRadios(_ objects: [ObjectRead]) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for o in objects {
            guard let (table, n) = InstanceStore.splitInstancePath(o.path), table == BridgePaths.radioTable,
                  n >= 1, radios.indices.contains(Int(n) - 1) else { continue }
            let i = Int(n) - 1
            let info = radios[i]
            var vals: [String: String] = [:]
            for p in o.parameters {
                switch p {
                case "Protocol": vals[p] = RadioProvider.render(info.radioProtocol)
                case "Stack": vals[p] = info.stack
                case "Port": vals[p] = info.port
                case "Firmware": vals[p] = info.firmware
                case "State": vals[p] = RadioProvider.render(info.state)
                case "DeviceNumberOfEntries": vals[p] = String(records.values.filter { $0.present && $0.radio == i }.count)
                default: break
                }
            }
            out[o.path] = vals
        }
        return out
    }
}

/// The parameter names `Bridge.read` serves on devices and capability class objects.
enum ReadParameter: String {
    case alias = "Alias", type = "Type", description = "Description", name = "Name", online = "Online"
    case lastTimeContacted = "LastTimeContacted", interfaceReference = "InterfaceReference", proxyProtocol = "ProxyProtocol"
    case stale = "X_USPBRIDGE_Stale", address = "X_USPBRIDGE_Address", manufacturer = "X_USPBRIDGE_Manufacturer"
    case model = "X_USPBRIDGE_Model", firmware = "X_USPBRIDGE_Firmware", powerSource = "X_USPBRIDGE_PowerSource"
    case mapping = "X_USPBRIDGE_Mapping", pendingCommands = "X_USPBRIDGE_PendingCommands"
    case value = "Value", values = "Values", unit = "Unit", minValue = "MinValue", maxValue = "MaxValue", stepValue = "StepValue"
    case validValues = "ValidValues", valueNames = "ValueNames", lastChange = "LastChange", lastContactTime = "LastContactTime"
    case lowLevelThreshold = "LowLevelThreshold", highLevelThreshold = "HighLevelThreshold", lowLevel = "LowLevel", highLevel = "HighLevel"
    case sensitivity = "Sensitivity", holdTime = "HoldTime", restTime = "RestTime"
    /// Anything else (no value).
    case other = "\u{0}"
}
