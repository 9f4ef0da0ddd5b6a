/// How to reach and use one MQTT broker (TR-181 `Device.MQTT.Client.{i}.`).
public struct MQTTConfiguration: Sendable, Equatable {
    public enum ProtocolVersion: String, Sendable, Equatable { case v311 = "3.1.1", v5 = "5.0" }

    public var host: String
    public var port: Int
    public var clientID: String
    public var version: ProtocolVersion
    public var keepAlive: Int
    public var cleanSession: Bool
    public var username: String?
    public var password: String?
    public var tls: MQTTTLSConfiguration?
    /// Topic filters subscribed on every (re)connection.
    public var subscriptions: [String]
    public var qos: Int
    public var retry: MQTTRetryPolicy
    /// MQTT 5 CONNECT user properties (TR-369: `usp-endpoint-id`).
    public var connectUserProperties: [(String, String)]
    /// MQTT 5: ask the broker for Response Information in CONNACK (R-MQTT.12).
    public var requestResponseInformation: Bool

    public init(host: String, port: Int = 1883, clientID: String, version: ProtocolVersion = .v5, keepAlive: Int = 60,
                cleanSession: Bool = true, username: String? = nil, password: String? = nil, tls: MQTTTLSConfiguration? = nil,
                subscriptions: [String] = [], qos: Int = 1, retry: MQTTRetryPolicy = MQTTRetryPolicy(),
                connectUserProperties: [(String, String)] = [], requestResponseInformation: Bool = false) {
        self.host = host; self.port = port; self.clientID = clientID; self.version = version
        self.keepAlive = keepAlive; self.cleanSession = cleanSession; self.username = username; self.password = password
        self.tls = tls; self.subscriptions = subscriptions; self.qos = qos; self.retry = retry
        self.connectUserProperties = connectUserProperties; self.requestResponseInformation = requestResponseInformation
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.host == b.host && a.port == b.port && a.clientID == b.clientID && a.version == b.version && a.keepAlive == b.keepAlive
            && a.tls == b.tls && a.subscriptions == b.subscriptions && a.qos == b.qos && a.retry == b.retry
            && a.connectUserProperties.map { $0.0 + "=" + $0.1 } == b.connectUserProperties.map { $0.0 + "=" + $0.1 }
    }
}

public struct MQTTTLSConfiguration: Sendable, Equatable {
    public var caFile: String
    public var certFile: String?
    public var keyFile: String?
    /// When false the broker's host name is not checked against its certificate.
    public var verifyHostname: Bool
    public init(caFile: String, certFile: String? = nil, keyFile: String? = nil, verifyHostname: Bool = true) {
        self.caFile = caFile; self.certFile = certFile; self.keyFile = keyFile; self.verifyHostname = verifyHostname
    }
}

/// TR-181 `MQTT.Client.{i}.ConnectRetry*`: attempt n waits a random time in
/// [m·k^(n-1), m·k^n] seconds (k = multiplier/1000), never more than `maxInterval`.
public struct MQTTRetryPolicy: Sendable, Equatable {
    public var minimumWait: Double
    public var multiplier: Double
    public var maxInterval: Double
    public init(minimumWait: Double = 5, multiplier: Double = 2000, maxInterval: Double = 30720) {
        self.minimumWait = minimumWait; self.multiplier = multiplier; self.maxInterval = maxInterval
    }

    public func delay(forAttempt attempt: Int, random: Double) -> Double {
        let k = multiplier / 1000
        let n = Double(max(attempt, 1))
        let low = minimumWait * pow(k, n - 1)
        let high = minimumWait * pow(k, n)
        return min(maxInterval, low + (high - low) * min(max(random, 0), 1))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
