import Agent
import DataModel
import Foundation

extension Bridge {
    /// Carries out validated writes. Capability values go to the radio, and the USP response
    /// waits for the device's answer; names, aliases and settings are kept in the registry.
    func write(_ writes: [ObjectWrite]) async -> [ParameterFailure] {
        var failures: [ParameterFailure] = []
        for w in writes {
            for (param, value) in w.values.sorted(by: { $0.key < $1.key }) {
                if let f = await writeOne(w.path, param, value) {
                    failures.append(ParameterFailure(path: w.path, parameter: param, code: f.0, message: f.1))
                }
            }
        }
        return failures
    }

    func writeOne(_ path: String, _ param: String, _ value: String) async -> (USPErrorCode, String)? {
        guard let loc = BridgePaths.locate(path) else { return (.objectDoesNotExist, "\(path) is not a bridge object") }
        switch loc {
        case .device(let d):
            guard let r = record(instance: d), r.present else { return (.objectDoesNotExist, "\(path) does not exist") }
            let addr = r.address.description
            switch param {
            case "Name": records[addr]?.userName = value
            case "Alias":
                if records.values.contains(where: { $0.present && $0.instance != d && deviceValue($0, "Alias") == value }) {
                    return (.duplicateUniqueKey, "another ProxiedDevice already has Alias \(value)")
                }
                records[addr]?.alias = value
            default: return (.parameterReadOnly, "\(path)\(param) cannot be written")
            }
            markDirty(addr, immediately: true)
            return nil
        case .node(let d, let n):
            guard param == "Alias", let r = record(instance: d), let ep = r.nodes.first(where: { $0.value == n })?.key else {
                return (.parameterReadOnly, "\(path)\(param) cannot be written")
            }
            records[r.address.description]?.nodeAliases[ep] = value
            markDirty(r.address.description, immediately: true)
            return nil
        case .capability(let d, let node, let c):
            guard let (addr, key) = capability(device: d, node: node, instance: c), let r = records[addr] else {
                return (.objectDoesNotExist, "\(path) does not exist")
            }
            let me = r.capabilities[key]
            let others = r.capabilities.filter { $0.key != key && $0.value.active && $0.value.node == me?.node }
            switch param {
            case "Name":
                if others.contains(where: { capabilityName(addr, $0.key) == value }) {
                    return (.duplicateUniqueKey, "another capability of this table is already named '\(value)'")
                }
                records[addr]?.capabilities[key]?.userName = value
            case "Alias":
                if others.contains(where: { ($0.value.alias ?? "cpe-cap-\($0.value.instance)") == value }) {
                    return (.duplicateUniqueKey, "another capability of this table already has Alias \(value)")
                }
                records[addr]?.capabilities[key]?.alias = value
            default: return (.parameterReadOnly, "\(path)\(param) cannot be written")
            }
            markDirty(addr, immediately: true)
            return nil
        case .capabilityClass(let d, let node, let c, let cls):
            guard let (addr, key) = capability(device: d, node: node, instance: c), let cap = resolved[addr]?[key] else {
                return (.objectDoesNotExist, "\(path) does not exist")
            }
            guard cap.mapping.capabilityClass.rawValue == cls else {
                return (.objectDoesNotExist, "capability \(c) is a \(cap.mapping.capabilityClass.rawValue); it has no \(cls) object")
            }
            switch param {
            case "Value":
                do throws(BridgeFailure) {
                    try await setCapabilityValue(addr, key, value, wakeTimeout: options.setWakeTimeout)
                    return nil
                } catch {
                    return (error.setCode, error.message)
                }
            case "StepValue", "LowLevelThreshold", "HighLevelThreshold":
                guard Double(value).map({ $0.isFinite }) == true else { return (.invalidValue, "\(value) is not a number") }
                if param == "StepValue", (Double(value) ?? 0) <= 0 { return (.invalidValue, "StepValue must be positive") }
                return storeLocalSetting(addr, key, param, value)
            case _ where TR181Vocabulary.settingParameters(of: cap.mapping.capabilityClass)[param] != nil:
                guard cap.settings[param] != nil else {
                    guard Self.timedSettings.contains(param) else {
                        return (.unsupportedParameter, "this device has no radio setting behind \(param) (mapping \(cap.mapping.source))")
                    }
                    // Applied by the bridge (Bridge+SensorTiming), kept like StepValue.
                    guard UInt32(value) != nil else { return (.invalidValue, "\(value) is not an unsignedInt") }
                    return storeLocalSetting(addr, key, param, value)
                }
                do throws(BridgeFailure) {
                    try await setSetting(addr, key, param, value)
                    return nil
                } catch {
                    return (error.setCode, error.message)
                }
            default:
                return (.parameterActionFailed, "\(param) is not supported for radio devices")
            }
        }
    }

    /// Checks a TR-181 value against the capability, converts it and sends the Set command.
    /// On success the value is stored and a ValueChange pushed.
    func setCapabilityValue(_ addr: String, _ key: String, _ text: String, wakeTimeout: Duration) async throws(BridgeFailure) {
        guard let cap = resolved[addr]?[key] else { throw .gone(device: records[addr]?.address ?? .ieee(0)) }
        let m = cap.mapping
        guard let binding = m.set else { throw .notSupported("this capability has no Set command") }
        if m.capabilityClass == .levelControl, let x = Double(text) {
            if let lo = m.min, x < lo { throw .invalidValue("\(text) is below MinValue \(ValueConversion.render(decimals: 6)(lo))") }
            if let hi = m.max, x > hi { throw .invalidValue("\(text) is above MaxValue \(ValueConversion.render(decimals: 6)(hi))") }
        }
        if m.capabilityClass == .enumControl, !m.effectiveValidValues.contains(text) {
            throw .invalidValue("\(text) is not one of ValidValues (\(m.effectiveValidValues.joined(separator: ",")))")
        }
        guard let radioValue = m.conversion.radioValue(text, class: m.capabilityClass, properties: cap.unit.properties) else {
            throw .invalidValue("\(text) cannot be converted for this device")
        }
        let command: DeviceCommand
        switch binding {
        case .write: command = .write(cap.unit.key, radioValue)
        case .invoke(let action, var args):
            args["value"] = radioValue
            command = .invoke(cap.unit.key, action: action, args: args)
        case .emulate: throw .notSupported("Set cannot be emulated")
        }
        let outcome = try await execute(command, on: addr, wakeTimeout: wakeTimeout)
        applyOutcome(addr, key, outcome, written: text)
    }

    /// Keeps a setting the bridge itself applies (StepValue, thresholds, bridge-side timing)
    /// in the registry; nothing goes to the radio.
    func storeLocalSetting(_ addr: String, _ key: String, _ param: String, _ value: String) -> (USPErrorCode, String)? {
        records[addr]?.capabilities[key]?.settings[param] = value
        markDirty(addr, immediately: true)
        return nil
    }

    /// Writes a capability setting (BinarySensor HoldTime …) to the unit that holds it; on
    /// success the value (as the device confirmed it, when it did) is stored and pushed.
    func setSetting(_ addr: String, _ key: String, _ param: String, _ text: String) async throws(BridgeFailure) {
        guard let setting = resolved[addr]?[key]?.settings[param] else { throw .gone(device: records[addr]?.address ?? .ieee(0)) }
        let m = setting.mapping
        guard let x = UInt32(text) else { throw .invalidValue("\(text) is not an unsignedInt") }
        let limits = ValueConversion.render(decimals: 0)
        guard Double(x) >= m.min, Double(x) <= m.max else {
            throw .invalidValue("\(param) \(text) is outside \(limits(m.min))…\(limits(m.max)) for this device")
        }
        guard let radio = m.radioValue(x, properties: setting.unit.properties) else {
            throw .invalidValue("\(text) cannot be converted for this device")
        }
        let outcome = try await execute(.write(setting.unit.key, radio), on: addr, wakeTimeout: options.setWakeTimeout)
        // What the radio holds now, in TR-181 terms: 1500 ms on a whole-second attribute reads back as 2000.
        let stored = outcome.flatMap { m.tr181Value($0, properties: setting.unit.properties) }
            ?? m.tr181Value(radio, properties: setting.unit.properties) ?? text
        storeSetting(addr, key, param, stored, notify: true)
    }

    /// Stores the value a successful command produced: the device's confirmed value when it sent
    /// one, else what was written.
    func applyOutcome(_ addr: String, _ key: String, _ outcome: RadioValue?, written: String?) {
        guard let cap = resolved[addr]?[key] else { return }
        var text = written
        if let v = outcome, let t = cap.mapping.conversion.tr181Value(v, class: cap.mapping.capabilityClass, properties: cap.unit.properties) {
            text = t
        }
        if let text { setValue(addr, key, text, at: Date()) }
    }
}
