/// A received PUBLISH.
public struct MQTTMessage: Sendable, Equatable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int
    public var retain: Bool
    /// MQTT 5 properties (nil/empty with 3.1.1).
    public var responseTopic: String?
    public var contentType: String?
    public var correlationData: [UInt8]?
    public var userProperties: [String: String]
    public init(topic: String, payload: [UInt8], qos: Int = 0, retain: Bool = false, responseTopic: String? = nil,
                contentType: String? = nil, correlationData: [UInt8]? = nil, userProperties: [String: String] = [:]) {
        self.topic = topic; self.payload = payload; self.qos = qos; self.retain = retain
        self.responseTopic = responseTopic; self.contentType = contentType
        self.correlationData = correlationData; self.userProperties = userProperties
    }
}

/// What happens to the connection.
public enum MQTTEvent: Sendable, Equatable {
    /// CONNACK accepted. MQTT 5 extras: Assigned Client Identifier, Response Information and
    /// the broker's `subscribe-topic` user properties.
    case connected(sessionPresent: Bool, assignedClientID: String?, responseInformation: String?, subscribeTopics: [String])
    case subscribed(topic: String)
    case connectFailed(reason: String)
    case disconnected(reason: String)
    case reconnectScheduled(seconds: Double)
}

public struct MQTTError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: Sendable, Equatable {
        case notConnected
        case publishFailed(Int32)
        case invalidTopic
        case tls
        case setup
    }
    public var code: Code
    public var message: String
    public var description: String { message }
}
