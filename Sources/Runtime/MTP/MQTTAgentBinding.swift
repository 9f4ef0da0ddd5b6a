import Agent
import DataModel
import Foundation
import Logging
import MQTTTransport
import USPMessages

/// The agent's MQTT MTP (TR-369 "MQTT Binding"): subscribes to the agent's topic, hands each
/// received Record to the agent, and publishes the answer to the request's reply-to topic —
/// the Response Topic property with MQTT 5.0, the `/reply-to=` suffix of the topic name with
/// 3.1.1. It also carries the agent's notifications and sends an MQTTConnect record to each
/// configured controller after every (re)connection.
public actor MQTTAgentBinding: MessageSender {
    public static let contentTypes: Set<String> = ["usp.msg", "application/vnd.bbf.usp.msg"]

    let agent: USPAgent
    public nonisolated let client: MQTTClient
    let agentTopic: String
    let version: MQTTConfiguration.ProtocolVersion
    let logger: Logger
    /// Where each controller was last heard from (its reply-to topic).
    var learnedTopics: [String: String] = [:]
    var onClientIDAssigned: (@Sendable (String) -> Void)?
    public private(set) var handledRecords = 0
    /// How long a notification waits for a connection before it counts as undeliverable.
    public var connectWait: Double = 15

    public init(agent: USPAgent, client: MQTTClient, agentTopic: String, logger: Logger = Logger(label: "usp.mtp.mqtt")) {
        self.agent = agent
        self.client = client
        self.agentTopic = agentTopic
        self.version = client.configuration.version
        self.logger = logger
    }

    /// The topic filter that covers both the plain agent topic (MQTT 5) and the 3.1.1
    /// `<topic>/reply-to=…` form.
    public static func subscription(for agentTopic: String) -> String { agentTopic + "/#" }

    public func setClientIDAssignedHandler(_ h: @escaping @Sendable (String) -> Void) { onClientIDAssigned = h }

    /// Runs until cancelled: the MQTT client, incoming records and connection events.
    public func run() async {
        do { try client.start() } catch {
            logger.error("MQTT client could not start: \(error)")
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [client] in
                // Records are handled concurrently (up to 32 at a time), so a Set waiting for a
                // sleepy device does not hold up other controllers' requests.
                await withTaskGroup(of: Void.self) { inFlight in
                    var running = 0
                    for await m in client.messages {
                        if running >= 32 { await inFlight.next(); running -= 1 }
                        inFlight.addTask { await self.handle(m) }
                        running += 1
                    }
                }
            }
            group.addTask { [client] in
                for await e in client.events { await self.handle(event: e) }
            }
            await withTaskCancellationHandler {
                await group.next()
            } onCancel: { [client] in
                client.stop()
            }
            group.cancelAll()
        }
    }

    func handle(event: MQTTEvent) async {
        guard case .connected(_, let assigned, _, _) = event else { return }
        if let assigned, !assigned.isEmpty { onClientIDAssigned?(assigned) }
        // R-MTP.6: tell every configured controller how to reach us.
        for (endpoint, topic) in await agent.controllerMQTTTopics() {
            let rec = USPRecord.mqttConnect(to: endpoint, from: agent.endpointID,
                                            version: version == .v5 ? .v5 : .v311, subscribedTopic: agentTopic)
            publish(rec, to: topic)
        }
    }

    func handle(_ m: MQTTMessage) async {
        if version == .v5, let ct = m.contentType, !Self.contentTypes.contains(ct) {
            logger.info("ignoring MQTT message on \(m.topic) with content type \(ct)")
            return
        }
        let replyTopic = version == .v5 ? m.responseTopic : Self.replyTopic(fromTopicName: m.topic)
        if let replyTopic, let from = try? USPRecord.decode(m.payload).fromID, !from.isEmpty {
            learnedTopics[from] = replyTopic
        }
        handledRecords += 1
        guard let reply = await agent.handleRecord(m.payload) else { return }
        var topic = replyTopic
        if topic == nil { topic = await agent.controllerMQTTTopics()[reply.toID] }
        guard let topic else {
            logger.warning("no reply-to topic for \(reply.toID); answer dropped (MQTT \(version.rawValue) message on \(m.topic))")
            return
        }
        publish(reply, to: topic)
    }

    /// MQTT 3.1.1: the reply-to topic is what follows the last `/reply-to=`, with `%2F` as `/` (R-MQTT.25).
    public static func replyTopic(fromTopicName name: String) -> String? {
        guard let r = name.range(of: "/reply-to=", options: .backwards) else { return nil }
        let t = String(name[r.upperBound...]).replacingOccurrences(of: "%2F", with: "/").replacingOccurrences(of: "%2f", with: "/")
        return t.isEmpty ? nil : t
    }

    func publish(_ record: UspRecord_Record, to topic: String) {
        do {
            let bytes = try record.encoded()
            if version == .v5 {
                try client.publish(topic: topic, payload: bytes, responseTopic: agentTopic, contentType: "usp.msg")
            } else {
                let escaped = agentTopic.replacingOccurrences(of: "/", with: "%2F")
                try client.publish(topic: "\(topic)/reply-to=\(escaped)", payload: bytes)
            }
        } catch {
            logger.info("could not publish to \(topic): \(error)")
        }
    }

    /// Sends an agent-originated message (a Notify) to a controller.
    public func send(_ msg: Usp_Msg, to controller: String) async -> Bool {
        var topic = await agent.controllerMQTTTopics()[controller]
        if topic == nil { topic = learnedTopics[controller] }
        guard let topic, let rec = try? USPRecord.noSession(to: controller, from: agent.endpointID, msg: msg) else { return false }
        // Right after start (Boot!, OnBoardRequest) the broker may not be connected yet:
        // wait a little rather than lose the notification.
        let deadline = Date().addingTimeInterval(connectWait)
        while !client.isConnected && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        guard client.isConnected else { return false }
        publish(rec, to: topic)
        return true
    }
}

extension USPAgent {
    /// Configured controllers' MQTT topics: endpoint ID → `Controller.{i}.MTP.{j}.MQTT.Topic`.
    public func controllerMQTTTopics() -> [String: String] {
        var out: [String: String] = [:]
        for n in instances(ofTable: "Device.LocalAgent.Controller.") {
            let c = "Device.LocalAgent.Controller.\(n)."
            guard storedValue(c, "Enable") != "false", let ep = storedValue(c, "EndpointID"), !ep.isEmpty else { continue }
            for m in instances(ofTable: c + "MTP.") {
                let mtp = "\(c)MTP.\(m)."
                guard storedValue(mtp, "Enable") != "false", storedValue(mtp, "Protocol") ?? "MQTT" == "MQTT",
                      let topic = storedValue(mtp + "MQTT.", "Topic"), !topic.isEmpty else { continue }
                out[ep] = topic
                break
            }
        }
        return out
    }
}
