import Yams

/// One mapping file read into YAML but not yet resolved (its `use:` blocks may live in other files).
struct RawMappingFile {
    var path: String
    var radioProtocol: RadioProtocol
    var blocks: [(name: String, value: YAMLValue)]
    var units: [YAMLValue]
    var devices: [YAMLValue]

    static let topFields: Set<String> = ["protocol", "blocks", "units", "devices", "description"]

    /// Reads the top level of a file; throws the first error.
    static func read(text: String, path: String) throws(MappingError) -> RawMappingFile {
        let root: Node?
        do {
            // The basic resolver: scalars stay strings (YAMLValue reads numbers and booleans
            // itself), and Yams' default tag rules, which compile NSRegularExpressions backed
            // by ICU, are never loaded.
            root = try Yams.compose(yaml: text, .basic)
        } catch let e as YamlError {
            throw Self.yamlError(e, path: path)
        } catch {
            throw MappingError(file: path, line: 0, column: 0, field: "", message: "not valid YAML: \(error)")
        }
        guard let root else { throw MappingError(file: path, line: 0, column: 0, field: "", message: "file is empty") }
        let top = YAMLValue(node: root, field: "", file: path)
        let f = try top.fields(allowed: topFields)
        guard let p = f["protocol"] else { throw top.error("missing field 'protocol' (zigbee, zwave or ble)") }
        guard let proto = RadioProtocol(rawValue: try p.string()) else {
            throw p.error("unknown protocol '\((try? p.string()) ?? "")' (zigbee, zwave or ble)")
        }
        if let d = f["description"] { _ = try d.string() }
        var blocks: [(String, YAMLValue)] = []
        if let b = f["blocks"] {
            for (name, value) in try b.pairs() {
                guard case .mapping = value.node else { throw value.error("a block is a mapping of capability fields") }
                blocks.append((name, value))
            }
        }
        return RawMappingFile(path: path, radioProtocol: proto, blocks: blocks,
                              units: try f["units"]?.items() ?? [], devices: try f["devices"]?.items() ?? [])
    }

    static func yamlError(_ e: YamlError, path: String) -> MappingError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return MappingError(file: path, line: mark.line, column: mark.column, field: "", message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let dups, let context):
            return MappingError(file: path, line: context.mark.line, column: context.mark.column, field: "",
                                message: "duplicate key(s) \(dups.sorted().joined(separator: ", "))")
        default:
            return MappingError(file: path, line: 0, column: 0, field: "", message: "YAML error: \(e)")
        }
    }
}

/// Turns raw entries into rules, with the blocks visible to the file.
struct MappingParser {
    /// Blocks by name, each with the protocol of the file that defined it.
    var blocks: [String: (RadioProtocol, YAMLValue)]

    static let capabilityFields: Set<String> = [
        "class", "type", "type_by", "unit", "description", "name", "convert", "min", "max", "step", "valid_values",
        "value_names", "set", "toggle", "step_up", "step_down", "event", "scope", "device_type", "settings",
    ]
    static let entryFields: Set<String> = capabilityFields.union(["match", "use", "ignore"])
    static let deviceFields: Set<String> = ["manufacturer", "model", "models", "device_type", "description", "units"]
    static let convertFields: Set<String> = ["scale", "offset", "decimals", "invert", "bit", "enum", "transform", "multiplier", "divisor", "divisor_offset", "radio"]

    func unitRule(_ entry: YAMLValue, protocol proto: RadioProtocol) throws(MappingError) -> UnitRule {
        var f = try entry.fields(allowed: Self.entryFields)
        guard let m = f["match"] else { throw entry.error("missing field 'match'") }
        let match = try parseMatch(m, protocol: proto)
        let source = SourceLocation(file: entry.file, line: entry.line)
        if let ig = f["ignore"], try ig.bool() {
            let extra = f.keys.filter { $0 != "match" && $0 != "ignore" }
            if let k = extra.sorted().first, let v = f[k] { throw v.error("an ignored unit takes no capability fields") }
            return UnitRule(match: match, mapping: nil, source: source)
        }
        if let use = f["use"] {
            let name = try use.nonEmptyString()
            guard let (blockProto, block) = blocks[name] else {
                throw use.error("unknown block '\(name)' (known: \(blocks.keys.sorted().joined(separator: ", ")))")
            }
            guard blockProto == proto else { throw use.error("block '\(name)' is a \(blockProto.rawValue) block; this file is \(proto.rawValue)") }
            var merged = try block.fields(allowed: Self.capabilityFields)
            for (k, v) in f where k != "use" && k != "match" && k != "ignore" { merged[k] = v }
            f = merged
        }
        return UnitRule(match: match, mapping: try capability(f, entry: entry, protocol: proto), source: source)
    }

    func deviceRule(_ entry: YAMLValue, protocol proto: RadioProtocol) throws(MappingError) -> DeviceRule {
        let f = try entry.fields(allowed: Self.deviceFields)
        guard let man = f["manufacturer"] else { throw entry.error("missing field 'manufacturer'") }
        var models: [String] = []
        if let m = f["model"] { models.append(try m.nonEmptyString()) }
        if let ms = f["models"] { for i in try ms.items() { models.append(try i.nonEmptyString()) } }
        guard !models.isEmpty else { throw entry.error("missing field 'model' (or 'models')") }
        var deviceType: String?
        if let dt = f["device_type"] { deviceType = try Self.deviceType(dt) }
        var rules: [UnitRule] = []
        var seen: [UnitMatch: SourceLocation] = [:]
        for u in try f["units"]?.items() ?? [] {
            let r = try unitRule(u, protocol: proto)
            if let first = seen[r.match] { throw u.error("duplicate unit match \(r.match) (first at line \(first.line))") }
            seen[r.match] = r.source
            rules.append(r)
        }
        return DeviceRule(manufacturer: try man.nonEmptyString(), models: models, deviceType: deviceType,
                          description: try f["description"]?.string(), rules: rules,
                          source: SourceLocation(file: entry.file, line: entry.line))
    }

    static func deviceType(_ v: YAMLValue) throws(MappingError) -> String {
        let t = try v.nonEmptyString()
        guard TR181Vocabulary.isAllowed(t, in: TR181Vocabulary.deviceTypes) else {
            throw v.error("'\(t)' is not an IoTDeviceType (\(TR181Vocabulary.deviceTypes.joined(separator: ", "))) nor an X_<VENDOR>_ extension")
        }
        return t
    }

    func parseMatch(_ m: YAMLValue, protocol proto: RadioProtocol) throws(MappingError) -> UnitMatch {
        switch proto {
        case .zigbee:
            let f = try m.fields(allowed: ["endpoint", "cluster", "attribute"])
            guard let c = f["cluster"] else { throw m.error("missing field 'cluster'") }
            guard let a = f["attribute"] else { throw m.error("missing field 'attribute'") }
            return UnitMatch(endpoint: try f["endpoint"]?.integer(UInt8.self, name: "endpoint"),
                             selector: .zigbee(cluster: try c.integer(UInt16.self, name: "cluster"),
                                               attribute: try a.integer(UInt16.self, name: "attribute")))
        case .zwave:
            let f = try m.fields(allowed: ["endpoint", "command_class", "property"])
            guard let cc = f["command_class"] else { throw m.error("missing field 'command_class'") }
            return UnitMatch(endpoint: try f["endpoint"]?.integer(UInt8.self, name: "endpoint"),
                             selector: .zwave(commandClass: try cc.integer(UInt8.self, name: "command class"),
                                              property: try f["property"]?.nonEmptyString()))
        case .ble:
            let f = try m.fields(allowed: ["object_id", "index"])
            guard let o = f["object_id"] else { throw m.error("missing field 'object_id'") }
            return UnitMatch(endpoint: nil, selector: .ble(objectID: try o.integer(UInt16.self, name: "object_id"),
                                                           index: try f["index"]?.integer(UInt8.self, name: "index")))
        }
    }
}
