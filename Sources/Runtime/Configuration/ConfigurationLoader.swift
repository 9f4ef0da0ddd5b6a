import Foundation
import UDSTransport
import Yams

/// A configuration problem, located in the file.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var field: String
    public var reason: String
    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(field.isEmpty ? "" : "\(field): ")\(reason)"
    }
}

public enum ConfigurationLoader {
    /// Reads, parses and validates a configuration file.
    public static func load(path: String) throws(ConfigurationError) -> BridgeConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(file: path, line: nil, field: "", reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, line: nil, field: "", reason: "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String = "<config>") throws(ConfigurationError) -> BridgeConfiguration {
        let node: Node
        do {
            // Basic resolver: YAMLDecoder reads scalars from their text, and Yams' default
            // resolver would compile NSRegularExpressions (ICU, megabytes resident).
            guard let n = try Yams.compose(yaml: text, .basic) else { return BridgeConfiguration() }
            node = n
        } catch let e as YamlError {
            throw ConfigurationError(file: file, line: yamlLine(e), field: "", reason: "not valid YAML: \(e)")
        } catch {
            throw ConfigurationError(file: file, line: nil, field: "", reason: "not valid YAML: \(error)")
        }
        guard node.mapping != nil else {
            throw ConfigurationError(file: file, line: node.mark?.line, field: "", reason: "the top level must be a mapping of sections")
        }
        try checkKeys(node, section: "", path: "", file: file)
        let config: BridgeConfiguration
        do {
            config = try YAMLDecoder().decode(BridgeConfiguration.self, from: node)
        } catch let e as DecodingError {
            let (path, reason) = describe(e)
            throw ConfigurationError(file: file, line: lookup(node, path)?.mark?.line, field: dotted(path), reason: reason)
        } catch {
            throw ConfigurationError(file: file, line: nil, field: "", reason: "\(error)")
        }
        try validate(config, node: node, file: file)
        return config
    }

    static func yamlLine(_ e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func checkKeys(_ node: Node, section: String, path: String, file: String) throws(ConfigurationError) {
        if let mapping = node.mapping {
            guard let allowed = BridgeConfiguration.allowedKeys[section] else { return }
            for (k, v) in mapping {
                guard let key = k.string else { continue }
                let here = path.isEmpty ? key : "\(path).\(key)"
                guard allowed.contains(key) else {
                    throw ConfigurationError(file: file, line: k.mark?.line, field: here,
                                             reason: "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
                }
                let child = section.isEmpty ? key : "\(section).\(key)"
                if let seq = v.sequence {
                    for (i, item) in seq.enumerated() {
                        try checkKeys(item, section: child + "[]", path: "\(here)[\(i)]", file: file)
                    }
                } else {
                    try checkKeys(v, section: child, path: here, file: file)
                }
            }
        }
    }

    static func validate(_ c: BridgeConfiguration, node: Node, file: String) throws(ConfigurationError) {
        func fail(_ path: [String], _ reason: String) -> ConfigurationError {
            ConfigurationError(file: file, line: lookupNames(node, path)?.mark?.line, field: path.joined(separator: "."), reason: reason)
        }
        if let m = c.mqtt {
            guard (1...65535).contains(m.port) else { throw fail(["mqtt", "port"], "must be 1 to 65535") }
            guard ["5.0", "5", "3.1.1"].contains(m.version) else { throw fail(["mqtt", "version"], "must be 5.0 or 3.1.1") }
            guard (0...2).contains(m.qos) else { throw fail(["mqtt", "qos"], "must be 0, 1 or 2") }
            guard m.keepAlive >= 0 && m.keepAlive <= 65535 else { throw fail(["mqtt", "keepAlive"], "must be 0 to 65535 seconds") }
            guard m.connectRetryTime >= 1 else { throw fail(["mqtt", "connectRetryTime"], "must be at least 1 second") }
            guard m.connectRetryIntervalMultiplier >= 1000 else { throw fail(["mqtt", "connectRetryIntervalMultiplier"], "must be at least 1000") }
            if let t = m.tls, !FileManager.default.fileExists(atPath: t.caFile) {
                throw fail(["mqtt", "tls", "caFile"], "file \(t.caFile) does not exist")
            }
        }
        if let u = c.uds {
            guard !u.path.isEmpty else { throw fail(["uds", "path"], "must not be empty") }
            guard u.path.hasPrefix("/") else { throw fail(["uds", "path"], "must be an absolute path (got \(u.path))") }
            guard u.path.utf8.count <= UDSSocket.maxPathLength else {
                throw fail(["uds", "path"], "is \(u.path.utf8.count) bytes; a UNIX socket path holds at most \(UDSSocket.maxPathLength)")
            }
            guard u.mode == "server" else {
                throw fail(["uds", "mode"], "must be server (the agent listens; running as a socket client is not supported yet)")
            }
            if let p = u.permissions, u.permissionBits == nil {
                throw fail(["uds", "permissions"], "must be an octal file mode such as 0660 or 0666 (got \(p))")
            }
        }
        guard c.mqtt != nil || c.uds != nil else {
            throw fail(["mqtt"], "no MTP configured: keep an mqtt section or add uds (e.g. uds: { path: /run/usp-bridge/agent.sock })")
        }
        let roleNames = Set(c.roles.map(\.name)).union(["full"])
        for (i, ctrl) in c.controllers.enumerated() {
            guard !ctrl.endpointID.isEmpty else { throw fail(["controllers", "\(i)", "endpointID"], "must not be empty") }
            if let r = ctrl.role, !roleNames.contains(r) {
                throw fail(["controllers", "\(i)", "role"], "no role named \(r) (known: \(roleNames.sorted().joined(separator: ", ")))")
            }
        }
        if let r = c.untrustedRole, !roleNames.contains(r) { throw fail(["untrustedRole"], "no role named \(r)") }
        for (i, role) in c.roles.enumerated() {
            for (j, p) in role.permissions.enumerated() {
                for (name, value) in [("param", p.param), ("obj", p.obj), ("instantiatedObj", p.instantiatedObj), ("commandEvent", p.commandEvent)] {
                    let ok = value.count == 4 && zip(value, "rwxn").allSatisfy { $0 == $1 || $0 == "-" }
                    guard ok else { throw fail(["roles", "\(i)", "permissions", "\(j)", name], "must be 4 characters from rwxn with - for a missing right, e.g. r--n") }
                }
            }
        }
        for (i, r) in c.radios.enumerated() {
            guard ["zigbee", "zwave", "bluetooth"].contains(r.protocol) else {
                throw fail(["radios", "\(i)", "protocol"], "must be zigbee, zwave or bluetooth")
            }
            guard ["none", "hardware", "software"].contains(r.flowControl) else {
                throw fail(["radios", "\(i)", "flowControl"], "must be none, hardware or software")
            }
        }
        guard (10...604_800).contains(c.bluetooth.offlineAfter) else {
            throw fail(["bluetooth", "offlineAfter"], "must be 10 to 604800 seconds (a sensor advertises every few seconds; shorter would flap)")
        }
        for (address, key) in c.bluetooth.bindkeys.sorted(by: { $0.key < $1.key }) {
            guard RadioFactory.parseBluetoothAddress(address) != nil else {
                throw fail(["bluetooth", "bindkeys", address], "'\(address)' is not an address like A4:C1:38:00:00:01")
            }
            guard BridgeConfiguration.BluetoothSection.parseBindkey(key) != nil else {
                throw fail(["bluetooth", "bindkeys", address], "the bindkey must be 32 hex digits (16 bytes), not \(key.count) characters")
            }
        }
    }

    static func describe(_ e: DecodingError) -> ([CodingKey], String) {
        switch e {
        case .typeMismatch(let t, let ctx): return (ctx.codingPath, "expected \(t): \(ctx.debugDescription)")
        case .valueNotFound(let t, let ctx): return (ctx.codingPath, "missing \(t) value")
        case .keyNotFound(let k, let ctx): return (ctx.codingPath + [k], "required field is missing")
        case .dataCorrupted(let ctx): return (ctx.codingPath, ctx.debugDescription)
        @unknown default: return ([], "\(e)")
        }
    }

    static func dotted(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    static func lookup(_ node: Node, _ path: [CodingKey]) -> Node? {
        lookupNames(node, path.map { $0.intValue.map(String.init) ?? $0.stringValue })
    }

    /// The deepest node along `path` (so a missing key reports its parent's line).
    static func lookupNames(_ node: Node, _ path: [String]) -> Node? {
        var cur = node
        for comp in path {
            if let i = Int(comp), let seq = cur.sequence, i < seq.count { cur = seq[i]; continue }
            if let m = cur.mapping, let next = m[Node(comp)] { cur = next; continue }
            return cur
        }
        return cur
    }
}
