import DataModel
import Foundation

extension Bridge {
    /// Applies one adapter event to the registry, the data model and the notifications.
    func handle(_ event: AdapterEvent, radio: Int) async {
        switch event {
        case .deviceJoined(let identity, let units):
            joined(identity, units, radio: radio)
        case .deviceUpdated(let address, let units):
            guard let r = records[address.description], r.present else {
                logger.debug("update for unknown device \(address)")
                return
            }
            joined(r.identity, units, radio: radio)
        case .deviceLeft(let address):
            left(address)
        case .report(let address, let unit, let value, let timestamp):
            report(address, unit, value, at: timestamp)
        case .availability(let address, let online):
            contact(address.description, online: online, at: online ? Date() : nil)
        case .awake(let address):
            let addr = address.description
            contact(addr, online: true, at: Date())
            wake(addr)
        case .event(let address, let unit, let name, let args):
            trigger(address, unit, name: name, args: args)
        case .stateChanged(let state):
            setRadioState(radio, state)
            // Firmware and port are known once the stick is up.
            let info = await adapters[radio].info
            if radios.indices.contains(radio) {
                if radios[radio].firmware != info.firmware {
                    radios[radio].firmware = info.firmware
                    agent.providerValueChanged(BridgePaths.radio(radio) + "Firmware", info.firmware)
                }
                radios[radio].port = info.port
            }
        }
    }

    // MARK: joins and leaves

    func joined(_ identity: DeviceIdentity, _ units: [FunctionalUnit], radio: Int) {
        let addr = identity.address.description
        var r: DeviceRecord
        if let existing = records[addr] {
            r = existing
            r.identity = identity
            r.units = units
            r.radio = radio
        } else {
            let next = (addressByInstance.keys.max() ?? 0) + 1
            r = DeviceRecord(identity: identity, instance: next, units: units, mappingID: "", userName: nil, alias: nil,
                             present: true, online: true, lastContact: Date(), nodes: [:], nodeAliases: [:],
                             capabilities: [:], radio: radio)
            addressByInstance[next] = addr
            logger.info("device \(addr) (\(identity.manufacturer) \(identity.model)) joined as ProxiedDevice.\(next)")
        }
        r.present = true
        r.online = true
        r.lastContact = Date()
        records[addr] = r
        stale.remove(addr)
        rebuildCapabilities(addr)
        // Values the interview delivered.
        for u in units { if let v = u.value { report(identity.address, u.key, v, at: Date(), notify: false) } }
        markDirty(addr, immediately: true)
        materializeContinuation.yield(addr)
    }

    func left(_ address: DeviceAddress) {
        let addr = address.description
        guard var r = records[addr], r.present else { return }
        r.present = false
        r.online = false
        records[addr] = r
        resolved[addr] = nil
        settingUnits[addr] = nil
        cancelSensorTimers(addr)
        for a in queues[addr, default: SleepyCommandQueue()].handle(.gone) { apply(a) }
        logger.info("device \(addr) left; ProxiedDevice.\(r.instance) removed")
        markDirty(addr, immediately: true)
        materializeContinuation.yield(addr)
    }

    /// Recomputes the capabilities of a device from its units and the mappings, keeping
    /// instance numbers of capabilities it had before.
    func rebuildCapabilities(_ addr: String) {
        guard var r = records[addr] else { return }
        let dm = mappings.resolve(r.identity, units: r.units)
        deviceMappings[addr] = DeviceTexts(deviceType: dm.deviceType, description: dm.description)
        r.mappingID = dm.mappingID
        // Nodes: only when units on more than one endpoint are mapped (device-wide ones aside)
        // and the schema has Node.{i}.IoTCapability.
        let nodeCapable = schema[BridgePaths.nodeCapability] != nil
        let endpoints = Set(dm.capabilities.filter { !$0.mapping.deviceScope }.map { $0.unit.key.endpoint })
        let useNodes = nodeCapable && endpoints.count > 1
        var active = KeyedList<ResolvedCapability>()
        var owners: [String: (capability: String, parameter: String)] = [:]
        var seen: Set<String> = []
        for cap in dm.capabilities {
            let key = cap.unit.key.description
            seen.insert(key)
            let node: UInt8? = (useNodes && !cap.mapping.deviceScope) ? cap.unit.key.endpoint : nil
            if let n = node, r.nodes[n] == nil { r.nodes[n] = (r.nodes.values.max() ?? 0) + 1 }
            var c = r.capabilities[key] ?? CapabilityRecord(unitKey: cap.unit.key, node: node, instance: 0, active: true,
                                                            userName: nil, alias: nil, value: nil, lastChange: nil, settings: [:])
            let tableTaken = r.capabilities.values.filter { $0.node == node && $0.unitKey != cap.unit.key }.map(\.instance)
            if c.instance == 0 || c.node != node || tableTaken.contains(c.instance) {
                c.instance = (tableTaken.max() ?? 0) + 1
            }
            c.node = node
            c.active = true
            if c.settings["StepValue"] == nil, let s = cap.mapping.step {
                c.settings["StepValue"] = ValueConversion.render(decimals: 6)(s)
            }
            var rc = ResolvedCapability(unit: cap.unit, shared: sharedMapping(cap.mapping), type: cap.type)
            for s in cap.mapping.settings {
                guard let sk = s.unitKey(relativeTo: cap.unit.key), let su = r.units.first(where: { $0.key == sk }) else {
                    c.settings[s.parameter] = nil
                    continue
                }
                rc.settings[s.parameter] = ResolvedSetting(mapping: s, unit: su)
                owners[sk.description] = (key, s.parameter)
            }
            r.capabilities[key] = c
            active[key] = rc
        }
        for key in r.capabilities.keys where !seen.contains(key) { r.capabilities[key]?.active = false }
        records[addr] = r
        resolved[addr] = active
        settingUnits[addr] = owners.isEmpty ? nil : owners
    }

    /// The one shared instance of a mapping rule (devices with the same rule share it).
    func sharedMapping(_ m: CapabilityMapping) -> SharedMapping {
        if let s = sharedMappings[m.source], s.mapping == m { return s }
        let s = SharedMapping(m)
        sharedMappings[m.source] = s
        return s
    }

    // MARK: reports

    /// The device was heard: contact time, Online, and no longer stale.
    func contact(_ addr: String, online: Bool, at date: Date?) {
        guard var r = records[addr], r.present else { return }
        let base = BridgePaths.device(r.instance)
        if let date { r.lastContact = date }
        if r.online != online {
            r.online = online
            agent.providerValueChanged(base + "Online", String(online))
        }
        records[addr] = r
        if online, stale.remove(addr) != nil {
            agent.providerValueChanged(base + "X_USPBRIDGE_Stale", "false")
        }
        markDirty(addr)
    }

    func report(_ address: DeviceAddress, _ unit: UnitKey, _ value: RadioValue, at date: Date, notify: Bool = true) {
        let addr = address.description
        guard records[addr]?.present == true else {
            logger.debug("report from unknown device \(addr) ignored")
            return
        }
        contact(addr, online: true, at: date)
        let key = unit.description
        if let i = records[addr]?.units.firstIndex(where: { $0.key == unit }) { records[addr]?.units[i].value = value }
        guard let cap = resolved[addr]?[key] else {
            if let owner = settingUnits[addr]?[key] { reportSetting(addr, owner.capability, owner.parameter, value, notify: notify) }
            return
        }
        guard let text = cap.mapping.conversion.tr181Value(value, class: cap.mapping.capabilityClass, properties: cap.unit.properties) else {
            logger.warning("device \(addr) unit \(key): value \(value) does not convert for \(cap.mapping.capabilityClass.rawValue)")
            return
        }
        if cap.mapping.isEvent {
            setValue(addr, key, text, at: date, notify: notify)
            emitTriggered(addr, key, value: text, args: [:])
        } else if gateBinarySensor(addr, key, cap, text, at: date) {
            setValue(addr, key, text, at: date, notify: notify)
        }
    }

    /// A report of a unit that holds a capability setting: store the converted value and push
    /// ValueChange for the class parameter when it changed.
    func reportSetting(_ addr: String, _ capKey: String, _ parameter: String, _ value: RadioValue, notify: Bool) {
        guard let setting = resolved[addr]?[capKey]?.settings[parameter] else { return }
        guard let text = setting.mapping.tr181Value(value, properties: setting.unit.properties) else {
            logger.warning("device \(addr) unit \(setting.unit.key): value \(value) does not convert for \(parameter)")
            return
        }
        storeSetting(addr, capKey, parameter, text, notify: notify)
    }

    func storeSetting(_ addr: String, _ capKey: String, _ parameter: String, _ text: String, notify: Bool) {
        guard let r = records[addr], let c = r.capabilities[capKey], let cap = resolved[addr]?[capKey], c.settings[parameter] != text else { return }
        records[addr]?.capabilities[capKey]?.settings[parameter] = text
        markDirty(addr)
        guard notify else { return }
        agent.providerValueChanged(capabilityPath(r, c) + cap.mapping.capabilityClass.rawValue + "." + parameter, text)
    }

    func trigger(_ address: DeviceAddress, _ unit: UnitKey, name: String, args: [String: RadioValue]) {
        let addr = address.description
        guard records[addr]?.present == true else { return }
        contact(addr, online: true, at: Date())
        let key = unit.description
        guard let cap = resolved[addr]?[key] else { return }
        var text = name
        if let raw = Int64(name), let hit = cap.mapping.conversion.enumTable.first(where: { $0.0 == raw }) { text = hit.1 }
        setValue(addr, key, text, at: Date(), notify: true)
        emitTriggered(addr, key, value: text, args: args)
    }

    func emitTriggered(_ addr: String, _ key: String, value: String, args: [String: RadioValue]) {
        guard let r = records[addr], let c = r.capabilities[key] else { return }
        let rendered = args.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        agent.emitEvent(objectPath: capabilityPath(r, c), name: "X_USPBRIDGE_Triggered",
                        arguments: ["Value": value, "Arguments": rendered])
    }

    /// Stores a capability's new TR-181 value and pushes ValueChange for it (and for the
    /// derived threshold flags) when it changed.
    func setValue(_ addr: String, _ key: String, _ text: String, at date: Date, notify: Bool = true) {
        guard let r = records[addr], var c = r.capabilities[key], let cap = resolved[addr]?[key] else { return }
        guard c.value != text else { return }
        let oldLow = lowLevel(c), oldHigh = highLevel(c)
        c.value = text
        c.lastChange = date
        records[addr]?.capabilities[key] = c
        markDirty(addr)
        guard notify else { return }
        let obj = capabilityPath(r, c) + cap.mapping.capabilityClass.rawValue + "."
        let valueParam = cap.mapping.capabilityClass == .multiLevelSensor ? "Values" : "Value"
        agent.providerValueChanged(obj + valueParam, text)
        if !cap.mapping.capabilityClass.isControl {
            agent.providerValueChanged(obj + "LastChange", Self.render(date))
        }
        if cap.mapping.capabilityClass == .levelSensor {
            if let l = lowLevel(c), l != oldLow { agent.providerValueChanged(obj + "LowLevel", String(l)) }
            if let h = highLevel(c), h != oldHigh { agent.providerValueChanged(obj + "HighLevel", String(h)) }
        }
    }

    func lowLevel(_ c: CapabilityRecord) -> Bool? {
        guard let t = c.settings["LowLevelThreshold"].flatMap(Double.init), let v = c.value.flatMap(Double.init) else { return nil }
        return v <= t
    }

    func highLevel(_ c: CapabilityRecord) -> Bool? {
        guard let t = c.settings["HighLevelThreshold"].flatMap(Double.init), let v = c.value.flatMap(Double.init) else { return nil }
        return v >= t
    }

    /// `date` as TR-181 dateTime in UTC, whole seconds (`2026-12-04T15:08:00Z`).
    static func render(_ date: Date) -> String { USPDateTime.render(date) }
}
