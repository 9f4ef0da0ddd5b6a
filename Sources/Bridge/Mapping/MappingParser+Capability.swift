/// Capability fields and their validation against the TR-181 IoT model.
extension MappingParser {
    func capability(_ f: [String: YAMLValue], entry: YAMLValue, protocol proto: RadioProtocol) throws(MappingError) -> CapabilityMapping {
        guard let c = f["class"] else { throw entry.error("missing field 'class'") }
        let className = try c.string()
        guard let cls = CapabilityClass(rawValue: className) else {
            throw c.error("unknown class '\(className)' (\(CapabilityClass.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let allowedTypes = TR181Vocabulary.types(of: cls)
        func checkType(_ v: YAMLValue, _ t: String) throws(MappingError) {
            guard TR181Vocabulary.isAllowed(t, in: allowedTypes) else {
                throw v.error("'\(t)' is not a \(cls.rawValue) Type (\(allowedTypes.joined(separator: ", "))) nor an X_<VENDOR>_ extension")
            }
        }
        guard let tv = f["type"] else { throw entry.error("missing field 'type'") }
        let type = try tv.nonEmptyString()
        try checkType(tv, type)
        var m = CapabilityMapping(capabilityClass: cls, type: type, source: SourceLocation(file: entry.file, line: entry.line))

        if let sel = f["type_by"] {
            let sf = try sel.fields(allowed: ["property", "values", "default"])
            guard let p = sf["property"] else { throw sel.error("missing field 'property'") }
            guard let vals = sf["values"] else { throw sel.error("missing field 'values'") }
            var table: [Int64: String] = [:]
            for (k, v) in try vals.pairs() {
                guard let raw = YAMLValue.parseInteger(k) else { throw v.error("key '\(k)' is not an integer") }
                let t = try v.nonEmptyString()
                try checkType(v, t)
                table[raw] = t
            }
            var fallback = type
            if let d = sf["default"] { fallback = try d.nonEmptyString(); try checkType(d, fallback) }
            m.typeSelector = TypeSelector(property: try p.nonEmptyString(), values: table, fallback: fallback)
        }

        if let u = f["unit"] {
            let unit = try u.string()
            guard cls.hasUnit else { throw u.error("\(cls.rawValue) has no Unit parameter") }
            guard TR181Vocabulary.isAllowed(unit, in: TR181Vocabulary.units) else {
                throw u.error("'\(unit)' is not an IoTUnitType value (e.g. degC, %, W, kWh, lx, Pa) nor an X_<VENDOR>_ extension")
            }
            m.unit = unit
        } else if cls.hasUnit {
            throw entry.error("\(cls.rawValue) needs field 'unit'")
        }
        m.description = try f["description"]?.string()
        if let n = f["name"] {
            let name = try n.nonEmptyString()
            guard name.count <= 60 else { throw n.error("name is longer than 60 characters") }
            m.name = name
        }
        if let cv = f["convert"] { m.conversion = try conversion(cv, class: cls) }
        m.min = try f["min"]?.number()
        m.max = try f["max"]?.number()
        m.step = try f["step"]?.number()
        if let lo = m.min, let hi = m.max, lo > hi, let v = f["min"] { throw v.error("min \(lo) is above max \(hi)") }
        if let s = m.step, s <= 0, let v = f["step"] { throw v.error("step must be positive") }
        if let vv = f["valid_values"] { m.validValues = try vv.items().map { (i: YAMLValue) throws(MappingError) in try i.nonEmptyString() } }
        if let vn = f["value_names"] { m.valueNames = try vn.items().map { (i: YAMLValue) throws(MappingError) in try i.nonEmptyString() } }
        m.isEvent = try f["event"]?.bool() ?? false
        if let s = f["scope"] {
            switch try s.string() {
            case "device": m.deviceScope = true
            case "endpoint": m.deviceScope = false
            default: throw s.error("scope is 'device' or 'endpoint'")
            }
        }
        if let dt = f["device_type"] { m.deviceType = try Self.deviceType(dt) }
        if let s = f["settings"] { m.settings = try settings(s, class: cls, protocol: proto) }

        for (key, name) in [("set", "Set"), ("toggle", "Toggle()"), ("step_up", "StepUp()"), ("step_down", "StepDown()")] {
            guard let v = f[key] else { continue }
            let b = try binding(v)
            switch key {
            case "set":
                guard cls.isControl else { throw v.error("\(cls.rawValue) is read-only; only controls take 'set'") }
                if b == .emulate { throw v.error("Set cannot be emulated; use write or invoke") }
                m.set = b
            case "toggle":
                guard cls == .binaryControl else { throw v.error("\(name) exists only on BinaryControl") }
                m.toggle = b
            default:
                guard cls.hasSteps else { throw v.error("\(name) exists only on LevelControl and EnumControl") }
                if key == "step_up" { m.stepUp = b } else { m.stepDown = b }
            }
        }
        try validate(m, f, entry: entry)
        return m
    }

    func validate(_ m: CapabilityMapping, _ f: [String: YAMLValue], entry: YAMLValue) throws(MappingError) {
        let cls = m.capabilityClass
        if cls.isControl && m.set == nil { throw entry.error("\(cls.rawValue) needs field 'set' (the device command that implements Set)") }
        if cls == .levelControl {
            if m.min == nil { throw entry.error("LevelControl needs field 'min' (MinValue)") }
            if m.max == nil { throw entry.error("LevelControl needs field 'max' (MaxValue)") }
            if (m.stepUp != nil || m.stepDown != nil) && m.step == nil {
                throw entry.error("LevelControl with step_up/step_down needs field 'step' (StepValue)")
            }
        }
        if cls == .enumControl || cls == .enumSensor, !m.isEvent || cls == .enumControl {
            if m.effectiveValidValues.isEmpty { throw entry.error("\(cls.rawValue) needs 'valid_values' or a convert.enum table") }
        }
        if !m.validValues.isEmpty, !m.conversion.enumTable.isEmpty {
            let tableNames = Set(m.conversion.enumTable.map(\.1))
            if let bad = m.validValues.first(where: { !tableNames.contains($0) }), let v = f["valid_values"] {
                throw v.error("valid value '\(bad)' has no entry in convert.enum")
            }
        }
        if cls == .multiLevelSensor && m.valueNames.count < 2 {
            throw (f["value_names"] ?? entry).error("MultiLevelSensor needs at least two 'value_names'")
        }
        if m.isEvent && cls != .enumSensor, let v = f["event"] { throw v.error("only an EnumSensor can carry events") }
        if (cls == .binaryControl || cls == .binarySensor) == false, m.conversion.invert || m.conversion.bit != nil, let v = f["convert"] {
            throw v.error("invert and bit apply only to BinaryControl and BinarySensor")
        }
    }

    /// `settings: {HoldTime: {attribute: 0x0010, convert: {scale: 1000}}, …}`: writable
    /// parameters of the class object kept on sibling units of the same endpoint.
    func settings(_ v: YAMLValue, class cls: CapabilityClass, protocol proto: RadioProtocol) throws(MappingError) -> [SettingMapping] {
        let allowed = TR181Vocabulary.settingParameters(of: cls)
        var out: [SettingMapping] = []
        for (name, sv) in try v.pairs() {
            guard let limit = allowed[name] else {
                let known = allowed.keys.sorted().joined(separator: ", ")
                throw sv.error(known.isEmpty ? "\(cls.rawValue) has no radio-backed settings" : "'\(name)' is not a radio-backed \(cls.rawValue) setting (\(known))")
            }
            let target: SettingMapping.Target
            let sf: [String: YAMLValue]
            switch proto {
            case .zigbee:
                sf = try sv.fields(allowed: ["cluster", "attribute", "convert", "min", "max"])
                guard let a = sf["attribute"] else { throw sv.error("missing field 'attribute' (the ZCL attribute that holds \(name))") }
                target = .zigbee(cluster: try sf["cluster"]?.integer(UInt16.self, name: "cluster"), attribute: try a.integer(UInt16.self, name: "attribute"))
            case .zwave:
                sf = try sv.fields(allowed: ["command_class", "property", "convert", "min", "max"])
                guard let p = sf["property"] else { throw sv.error("missing field 'property' (the command class property that holds \(name))") }
                target = .zwave(commandClass: try sf["command_class"]?.integer(UInt8.self, name: "command class"), property: try p.nonEmptyString())
            case .ble:
                throw sv.error("BLE advertisers take no commands, so \(name) cannot be a setting")
            }
            var s = SettingMapping(parameter: name, target: target, max: limit, source: SourceLocation(file: sv.file, line: sv.line))
            if let cv = sf["convert"] {
                _ = try cv.fields(allowed: ["scale", "offset", "multiplier", "divisor", "divisor_offset", "radio"])
                s.conversion = try conversion(cv, class: .levelControl)
            }
            if let lo = sf["min"] {
                s.min = try lo.number()
                guard s.min >= 0 else { throw lo.error("\(name) is an unsignedInt; min must not be negative") }
            }
            if let hi = sf["max"] {
                s.max = try hi.number()
                guard s.max <= limit else { throw hi.error("max \(s.max) is above the TR-181 limit \(ValueConversion.render(decimals: 0)(limit))") }
            }
            if s.min > s.max, let lo = sf["min"] { throw lo.error("min \(s.min) is above max \(s.max)") }
            out.append(s)
        }
        return out
    }

    func conversion(_ v: YAMLValue, class cls: CapabilityClass) throws(MappingError) -> ValueConversion {
        let f = try v.fields(allowed: Self.convertFields)
        var c = ValueConversion()
        if let s = f["scale"] {
            c.scale = try s.number()
            guard c.scale != 0 else { throw s.error("scale must not be 0") }
        }
        if let o = f["offset"] { c.offset = try o.number() }
        if let d = f["decimals"] {
            let n = try d.integer()
            guard (0...9).contains(n) else { throw d.error("decimals must be 0…9") }
            c.decimals = Int(n)
        }
        if let i = f["invert"] { c.invert = try i.bool() }
        if let b = f["bit"] {
            let n = try b.integer()
            guard (0...62).contains(n) else { throw b.error("bit must be 0…62") }
            c.bit = Int(n)
        }
        if let e = f["enum"] {
            var seen: Set<String> = []
            for (k, val) in try e.pairs() {
                guard let raw = YAMLValue.parseInteger(k) else { throw val.error("enum key '\(k)' is not an integer") }
                let name = try val.nonEmptyString()
                guard seen.insert(name).inserted else { throw val.error("enum name '\(name)' appears twice") }
                c.enumTable.append((raw, name))
            }
            guard cls == .enumControl || cls == .enumSensor else { throw e.error("enum tables apply only to EnumControl and EnumSensor") }
        }
        if let t = f["transform"] {
            let name = try t.string()
            guard let tr = ValueTransform(rawValue: name) else {
                throw t.error("unknown transform '\(name)' (\(ValueTransform.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            c.transform = tr
        }
        c.multiplierProperty = try f["multiplier"]?.nonEmptyString()
        c.divisorProperty = try f["divisor"]?.nonEmptyString()
        if let d = f["divisor_offset"] {
            guard c.divisorProperty != nil else { throw d.error("divisor_offset needs 'divisor'") }
            c.divisorOffset = try d.number()
        }
        if let r = f["radio"] {
            let name = try r.string()
            guard let k = RadioValueKind(rawValue: name) else {
                throw r.error("unknown radio kind '\(name)' (\(RadioValueKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            c.radioKind = k
        }
        return c
    }

    /// `write`, `emulate`, or `{invoke: NAME, args: {...}}`.
    func binding(_ v: YAMLValue) throws(MappingError) -> CommandBinding {
        if case .scalar = v.node {
            switch try v.string() {
            case "write": return .write
            case "emulate": return .emulate
            default: throw v.error("expected 'write', 'emulate' or {invoke: name, args: {...}}")
            }
        }
        let f = try v.fields(allowed: ["invoke", "args"])
        guard let inv = f["invoke"] else { throw v.error("missing field 'invoke'") }
        let name = try inv.nonEmptyString()
        let action: CommandAction
        switch name {
        case "toggle": action = .toggle
        case "step_up": action = .stepUp
        case "step_down": action = .stepDown
        default: action = .named(name)
        }
        var args: [String: RadioValue] = [:]
        if let a = f["args"] { for (k, val) in try a.pairs() { args[k] = try val.radioValue() } }
        return .invoke(action, args: args)
    }
}
