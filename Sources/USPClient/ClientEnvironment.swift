import Foundation

/// Defaults for the client commands from the environment and from the file the demo writes
/// (`~/.usp-bridge/demo.env`, lines `KEY=VALUE`). Environment variables win over the file.
///
/// Keys: `USP_BRIDGE_BROKER` (host:port), `USP_BRIDGE_AGENT`, `USP_BRIDGE_AGENT_TOPIC`,
/// `USP_BRIDGE_MQTT_VERSION`, `USP_BRIDGE_CONTROLLER` (this controller's endpoint ID),
/// `USP_BRIDGE_CONTROLLER_TOPIC` (its reply topic) and `USP_BRIDGE_SOCKET` (the agent's UNIX
/// domain socket, used instead of MQTT).
public struct ClientEnvironment: Sendable, Equatable {
    public var broker: String?
    public var agent: String?
    public var agentTopic: String?
    public var mqttVersion: String?
    public var controller: String?
    public var controllerTopic: String?
    public var socket: String?

    public init(broker: String? = nil, agent: String? = nil, agentTopic: String? = nil, mqttVersion: String? = nil,
                controller: String? = nil, controllerTopic: String? = nil, socket: String? = nil) {
        self.broker = broker; self.agent = agent; self.agentTopic = agentTopic; self.mqttVersion = mqttVersion
        self.controller = controller; self.controllerTopic = controllerTopic; self.socket = socket
    }

    /// `$HOME/.usp-bridge/demo.env`.
    public static func demoFilePath(home: String = NSHomeDirectory()) -> String {
        (home as NSString).appendingPathComponent(".usp-bridge/demo.env")
    }

    /// Reads the defaults from `environment` and, if it exists, the demo file.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            demoFile: String? = nil) -> ClientEnvironment {
        let path = demoFile ?? demoFilePath(home: environment["HOME"] ?? NSHomeDirectory())
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return merge(environment: environment, file: parse(text))
    }

    /// Environment variables first, then the file's values; empty values count as unset.
    public static func merge(environment: [String: String], file: [String: String]) -> ClientEnvironment {
        func value(_ key: String) -> String? {
            if let v = environment[key], !v.isEmpty { return v }
            if let v = file[key], !v.isEmpty { return v }
            return nil
        }
        return ClientEnvironment(broker: value("USP_BRIDGE_BROKER"), agent: value("USP_BRIDGE_AGENT"),
                                 agentTopic: value("USP_BRIDGE_AGENT_TOPIC"), mqttVersion: value("USP_BRIDGE_MQTT_VERSION"),
                                 controller: value("USP_BRIDGE_CONTROLLER"), controllerTopic: value("USP_BRIDGE_CONTROLLER_TOPIC"),
                                 socket: value("USP_BRIDGE_SOCKET"))
    }

    /// Parses `KEY=VALUE` lines: blank lines and `#` comments are skipped, an `export ` prefix
    /// is allowed, a value in single or double quotes is unquoted. Malformed lines are skipped.
    public static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else { continue }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let f = value.first, let l = value.last, f == l, f == "\"" || f == "'" {
                value = String(value.dropFirst().dropLast())
            }
            out[key] = value
        }
        return out
    }
}

/// A broker address `host:port`, `host` (port 1883) or `[v6-address]:port`.
public struct BrokerAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public init(host: String, port: Int = 1883) { self.host = host; self.port = port }

    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { return nil }
            let host = String(s[s.index(after: s.startIndex)..<close])
            let rest = s[s.index(after: close)...]
            guard !host.isEmpty else { return nil }
            if rest.isEmpty { self.init(host: host); return }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            self.init(host: host, port: port)
            return
        }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            self.init(host: s)
        case 2:
            guard !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
            self.init(host: String(parts[0]), port: port)
        default:
            return nil
        }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
