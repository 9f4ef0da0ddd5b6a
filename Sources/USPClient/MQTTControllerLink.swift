import Foundation
import Logging
import MQTTTransport

/// The controller's MQTT MTP: subscribes to the reply topic and publishes requests to the
/// agent's topic. With MQTT 5 every request carries the Response Topic and Content Type
/// `usp.msg` properties; with MQTT 3.1.1 the reply topic travels in the PUBLISH topic
/// (`<agent topic>/reply-to=<reply topic, '/' as %2F>`, TR-369 R-MQTT.24).
final class MQTTControllerLink: ControllerLink, @unchecked Sendable {
    let configuration: USPControllerConfiguration
    let client: MQTTClient
    let events: AsyncStream<ControllerLinkEvent>
    let continuation: AsyncStream<ControllerLinkEvent>.Continuation
    private let lock = NSLock()
    private var pumps: [Task<Void, Never>] = []

    init(configuration: USPControllerConfiguration, logger: Logger) {
        self.configuration = configuration
        var props: [(String, String)] = []
        if configuration.mqttVersion == .v5 { props.append(("usp-endpoint-id", configuration.endpointID)) }
        let mqtt = MQTTConfiguration(
            host: configuration.brokerHost, port: configuration.brokerPort, clientID: configuration.clientID,
            version: configuration.mqttVersion == .v5 ? .v5 : .v311,
            username: configuration.username, password: configuration.password,
            // `<reply topic>/#` also matches the reply topic itself, and the
            // `<reply topic>/reply-to=…` form a 3.1.1 agent may publish to.
            subscriptions: [configuration.replyTopic + "/#"], qos: configuration.qos,
            retry: MQTTRetryPolicy(minimumWait: 0.5, multiplier: 2000, maxInterval: 5),
            connectUserProperties: props)
        client = MQTTClient(configuration: mqtt, logger: logger)
        (events, continuation) = AsyncStream.makeStream(of: ControllerLinkEvent.self, bufferingPolicy: .unbounded)
    }

    var destination: String { configuration.agentTopic }

    func start() async throws(USPControllerError) {
        do {
            try client.start()
        } catch {
            throw USPControllerError(.connectFailed, "MQTT setup failed: \(error.message)")
        }
        let (events, messages, out, config) = (client.events, client.messages, continuation, configuration)
        let broker = "\(config.brokerHost):\(config.brokerPort)"
        let tasks = [
            Task {
                // Ready once both the CONNACK and the SUBACK for the reply topic have arrived.
                var sawConnack = false
                for await e in events {
                    switch e {
                    case .connected: sawConnack = true
                    case .subscribed: if sawConnack { out.yield(.ready(agentEndpointID: nil)) }
                    case .connectFailed(let reason): out.yield(.connectFailed("cannot connect to MQTT broker \(broker): \(reason)"))
                    case .disconnected(let reason):
                        sawConnack = false
                        out.yield(.lost("lost the MQTT connection: \(reason)"))
                    case .reconnectScheduled: break
                    }
                }
            },
            Task {
                for await m in messages {
                    out.yield(.record(m.payload, replyTo: Self.replyTopic(of: m)))
                }
            },
        ]
        lock.withLock { pumps = tasks }
    }

    func send(_ record: [UInt8], replyTo: String?) async throws(USPControllerError) {
        let topic = replyTo ?? configuration.agentTopic
        do {
            switch configuration.mqttVersion {
            case .v5:
                try client.publish(topic: topic, payload: record, responseTopic: configuration.replyTopic, contentType: "usp.msg")
            case .v311:
                try client.publish(topic: MQTTReplyTo.topic(topic, replyTo: configuration.replyTopic), payload: record)
            }
        } catch {
            throw USPControllerError(.publishFailed, "could not publish to \(topic): \(error.message)")
        }
    }

    func stop() async {
        client.stop()
        for t in lock.withLock({ pumps }) { t.cancel() }
        continuation.finish()
    }

    func connectTimeoutMessage(seconds: String) -> String {
        "MQTT broker \(configuration.brokerHost):\(configuration.brokerPort) did not accept the connection and subscription within \(seconds) s"
    }

    /// Where the sender wants answers: the MQTT 5 Response Topic, or the 3.1.1 `reply-to=` level.
    static func replyTopic(of message: MQTTMessage) -> String? {
        if let t = message.responseTopic, !t.isEmpty { return t }
        return MQTTReplyTo.split(message.topic).replyTo
    }
}
