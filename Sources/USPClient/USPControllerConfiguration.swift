import Foundation

/// How a `USPController` reaches one agent: over an MQTT broker, or over the agent's UNIX
/// domain socket.
public struct USPControllerConfiguration: Sendable, Equatable {
    /// The MTP. The broker, topic and MQTT fields apply to `.mqtt` only.
    public enum Transport: Sendable, Equatable {
        case mqtt
        /// A socket client of the agent's UNIX domain socket server at `path` (TR-369 UDS binding).
        case unixSocket(path: String)
    }

    /// The MQTT protocol version spoken to the broker.
    public enum MQTTVersion: String, Sendable, Equatable, CaseIterable {
        case v5 = "5.0"
        case v311 = "3.1.1"
    }

    public var transport: Transport
    public var brokerHost: String
    public var brokerPort: Int
    public var mqttVersion: MQTTVersion
    /// This controller's USP endpoint ID (the Record `from_id`).
    public var endpointID: String
    /// The topic this controller subscribes to and asks the agent to answer on.
    public var replyTopic: String
    /// The MQTT client ID (defaults to a per-process ID so several controllers can share an endpoint).
    public var clientID: String
    /// The agent's USP endpoint ID (the Record `to_id`). Over a UNIX socket it may be empty:
    /// the agent's Handshake then supplies it.
    public var agentEndpointID: String
    /// The topic the agent subscribes to.
    public var agentTopic: String
    public var username: String?
    public var password: String?
    public var qos: Int
    /// How long `connect()` waits for CONNACK and SUBACK.
    public var connectTimeout: Duration
    /// When true, `connect()` gives up at the first failed connection attempt instead of
    /// waiting out `connectTimeout` while libmosquitto retries.
    public var failFast: Bool

    public init(brokerHost: String = "127.0.0.1", brokerPort: Int = 1883, mqttVersion: MQTTVersion = .v5,
                endpointID: String = USPControllerConfiguration.defaultEndpointID(),
                replyTopic: String? = nil, clientID: String? = nil,
                agentEndpointID: String, agentTopic: String,
                username: String? = nil, password: String? = nil, qos: Int = 1,
                connectTimeout: Duration = .seconds(5), failFast: Bool = true, transport: Transport = .mqtt) {
        self.transport = transport
        self.brokerHost = brokerHost
        self.brokerPort = brokerPort
        self.mqttVersion = mqttVersion
        self.endpointID = endpointID
        self.replyTopic = replyTopic ?? Self.defaultReplyTopic(endpointID: endpointID)
        self.clientID = clientID ?? "usp-bridge-cli-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        self.agentEndpointID = agentEndpointID
        self.agentTopic = agentTopic
        self.username = username
        self.password = password
        self.qos = qos
        self.connectTimeout = connectTimeout
        self.failFast = failFast
    }

    /// A controller that connects to the agent's UNIX domain socket at `path`.
    public static func unixSocket(path: String, endpointID: String = defaultEndpointID(), agentEndpointID: String = "",
                                  connectTimeout: Duration = .seconds(5), failFast: Bool = true) -> USPControllerConfiguration {
        USPControllerConfiguration(endpointID: endpointID, agentEndpointID: agentEndpointID, agentTopic: "",
                                   connectTimeout: connectTimeout, failFast: failFast, transport: .unixSocket(path: path))
    }

    /// `self::usp-bridge-cli-<pid>` (TR-369 endpoint ID with the "self" authority scheme).
    public static func defaultEndpointID(pid: Int32 = getpid()) -> String {
        "self::usp-bridge-cli-\(pid)"
    }

    /// `usp/controller/<instance id>` with the endpoint ID's authority prefix removed and any
    /// character that has a meaning in MQTT topics replaced by `_`.
    public static func defaultReplyTopic(endpointID: String) -> String {
        let instance = endpointID.range(of: "::").map { String(endpointID[$0.upperBound...]) } ?? endpointID
        let safe = instance.map { c -> Character in (c == "/" || c == "+" || c == "#" || c == ":") ? "_" : c }
        return "usp/controller/" + String(safe.isEmpty ? Array("controller") : safe)
    }

    /// The agent topic the runtime uses when none is configured: `usp/agent/<endpoint ID with ':' as '_'>`
    /// (kept in step with `Runtime.AgentAssembly.agentTopic`).
    public static func defaultAgentTopic(agentEndpointID: String) -> String {
        "usp/agent/" + agentEndpointID.replacingOccurrences(of: ":", with: "_")
    }
}

/// TR-369 MQTT binding, MQTT 3.1.1 (R-MQTT.24): without a Response Topic property the reply
/// topic travels in the PUBLISH topic as a last level `reply-to=<topic with '/' as %2F>`.
public enum MQTTReplyTo {
    static let marker = "/reply-to="

    /// `<topic>/reply-to=<replyTopic with '/' → %2F>`.
    public static func topic(_ topic: String, replyTo replyTopic: String) -> String {
        topic + marker + replyTopic.replacingOccurrences(of: "/", with: "%2F")
    }

    /// Splits a received 3.1.1 topic into the base topic and the decoded reply topic, if any.
    public static func split(_ topic: String) -> (base: String, replyTo: String?) {
        guard let r = topic.range(of: marker, options: .backwards) else { return (topic, nil) }
        let encoded = String(topic[r.upperBound...])
        guard !encoded.isEmpty, !encoded.contains("/") else { return (topic, nil) }
        let decoded = encoded.replacingOccurrences(of: "%2F", with: "/").replacingOccurrences(of: "%2f", with: "/")
        return (String(topic[..<r.lowerBound]), decoded)
    }
}
