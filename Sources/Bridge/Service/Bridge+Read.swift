import Agent
import DataModel
import Foundation

extension Bridge {
    /// Values for a Get, from memory only: a Get over any number of devices never waits for a radio.
    func read(_ objects: [ObjectRead]) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for o in objects {
            guard let loc = BridgePaths.locate(o.path) else { continue }
            var vals: [String: String] = [:]
            switch loc {
            case .device(let d):
                guard let r = record(instance: d), r.present else { continue }
                let addr = r.address.description
                vals.reserveCapacity(o.parameters.count)
                for p in o.parameters { if let v = deviceValue(r, p, addr: addr) { vals[p] = v } }
            case .node(let d, let n):
                guard let r = record(instance: d), r.present, let ep = r.nodes.first(where: { $0.value == n })?.key else { continue }
                for p in o.parameters {
                    switch p {
                    case "Alias": vals[p] = r.nodeAliases[ep] ?? "cpe-node-\(n)"
                    case "Type": vals[p] = deviceMappings[r.address.description]?.deviceType ?? ""
                    case "Description": vals[p] = "endpoint \(ep)"
                    default: break
                    }
                }
            case .capability(let d, let node, let c):
                guard let (addr, key) = capability(device: d, node: node, instance: c),
                      let rc = records[addr]?.capabilities[key], let cap = resolved[addr]?[key] else { continue }
                for p in o.parameters {
                    switch p {
                    case "Alias": vals[p] = rc.alias ?? "cpe-cap-\(rc.instance)"
                    case "Name": vals[p] = capabilityName(addr, key)
                    case "Class": vals[p] = cap.mapping.capabilityClass.rawValue
                    case "X_USPBRIDGE_Source": vals[p] = key
                    default: break
                    }
                }
            case .capabilityClass(let d, let node, let c, let cls):
                guard let (addr, key) = capability(device: d, node: node, instance: c),
                      let r = records[addr], let rc = r.capabilities[key], let cap = resolved[addr]?[key],
                      cap.mapping.capabilityClass.rawValue == cls else { continue }
                for p in o.parameters { if let v = classValue(r, rc, cap, p) { vals[p] = v } }
            }
            if !vals.isEmpty { out[o.path] = vals }
        }
        return out
    }

    func deviceValue(_ r: DeviceRecord, _ p: String) -> String? {
        deviceValue(r, p, addr: r.address.description)
    }

    /// `addr` is `r.address.description`, computed once per object by the caller.
    func deviceValue(_ r: DeviceRecord, _ p: String, addr: String) -> String? {
        switch p {
        case "Alias": return r.alias ?? "cpe-\(r.instance)"
        case "Type": return deviceMappings[addr]?.deviceType ?? ""
        case "Description":
            return deviceMappings[addr]?.description ?? [r.identity.manufacturer, r.identity.model].filter { !$0.isEmpty }.joined(separator: " ")
        case "Name": return r.userName ?? defaultDeviceName(r)
        case "Online": return String(r.online)
        case "LastTimeContacted": return r.lastContact.map(Self.render) ?? "0001-01-01T00:00:00Z"
        case "InterfaceReference": return radios.indices.contains(r.radio) ? String(BridgePaths.radio(r.radio).dropLast()) : ""
        case "ProxyProtocol":
            switch r.address.radioProtocol {
            case .zigbee: return "ZigBee"
            case .zwave: return "Z-Wave"
            case .ble: return "X_USPBRIDGE_Bluetooth"
            }
        case "X_USPBRIDGE_Stale": return String(stale.contains(addr))
        case "X_USPBRIDGE_Address": return addr
        case "X_USPBRIDGE_Manufacturer": return r.identity.manufacturer
        case "X_USPBRIDGE_Model": return r.identity.model
        case "X_USPBRIDGE_Firmware": return r.identity.firmware
        case "X_USPBRIDGE_PowerSource":
            switch r.identity.isSleepy ? .sleepy : r.identity.power {
            case .mains: return "Mains"
            case .battery: return "Battery"
            case .sleepy: return "Sleepy"
            case .unknown: return "Unknown"
            }
        case "X_USPBRIDGE_Mapping": return r.mappingID
        case "X_USPBRIDGE_PendingCommands": return String(queues[addr]?.waiting.count ?? 0)
        default: return nil
        }
    }

    func defaultDeviceName(_ r: DeviceRecord) -> String {
        let n = [r.identity.manufacturer, r.identity.model].filter { !$0.isEmpty }.joined(separator: " ")
        return String((n.isEmpty ? r.address.description : n).prefix(64))
    }

    /// The capability's Name: the user's, or the mapping's made unique within its table.
    func capabilityName(_ addr: String, _ key: String) -> String {
        guard let r = records[addr], let c = r.capabilities[key] else { return "" }
        if let u = c.userName { return u }
        func base(_ k: String) -> String { resolved[addr]?[k].map { $0.mapping.name ?? $0.type } ?? k }
        let mine = base(key)
        let sameTable = r.capabilities.filter { $0.value.active && $0.value.node == c.node && $0.value.userName == nil && base($0.key) == mine }
            .sorted { $0.value.instance < $1.value.instance }
        guard sameTable.count > 1, let idx = sameTable.firstIndex(where: { $0.key == key }), idx > 0 else { return mine }
        return "\(mine) \(idx + 1)"
    }

    func classValue(_ r: DeviceRecord, _ c: CapabilityRecord, _ cap: ResolvedCapability, _ p: String) -> String? {
        let m = cap.mapping
        let num = ValueConversion.render(decimals: 6)
        switch p {
        case "Type": return cap.type
        case "Description": return m.description ?? ""
        case "Value", "Values": return c.value
        case "Unit": return m.unit
        case "MinValue": return m.min.map(num)
        case "MaxValue": return m.max.map(num)
        case "StepValue": return c.settings["StepValue"]
        case "ValidValues": return m.effectiveValidValues.joined(separator: ",")
        case "ValueNames": return m.valueNames.joined(separator: ",")
        case "LastChange": return c.lastChange.map(Self.render)
        case "LastContactTime": return r.lastContact.map(Self.render)
        case "LowLevelThreshold", "HighLevelThreshold": return c.settings[p]
        case "LowLevel": return lowLevel(c).map { String($0) }
        case "HighLevel": return highLevel(c).map { String($0) }
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
