import Agent
import Foundation
import MQTTTransport
import USPClient
import USPMessages

/// The agent side of the MQTT binding, just enough for these tests: an `MQTTClient` on
/// `<agent topic>/#` feeding payloads to `USPAgent.handleRecord` and publishing the reply to
/// the MQTT 5 Response Topic, or to the 3.1.1 `reply-to=` topic (%2F decoded to '/').
/// It remembers each controller's reply topic, so it can also deliver Notify messages.
final class MQTTTestAgent: MessageSender, @unchecked Sendable {
    let agent: USPAgent
    let client: MQTTClient
    let topic: String
    let version: MQTTConfiguration.ProtocolVersion
    private let lock = NSLock()
    private var replyTopics: [String: String] = [:]
    private var _received: [MQTTMessage] = []
    private var task: Task<Void, Never>?
    private var notifier: NotificationService?
    private var notifierTask: Task<Void, Never>?

    var received: [MQTTMessage] { lock.withLock { _received } }

    init(agent: USPAgent, brokerPort: Int, version: MQTTConfiguration.ProtocolVersion,
         topic: String = "usp/agent/client-test-\(UUID().uuidString.prefix(6))") {
        self.agent = agent
        self.topic = topic
        self.version = version
        client = MQTTClient(configuration: MQTTConfiguration(
            host: "127.0.0.1", port: brokerPort, clientID: "test-agent-\(UUID().uuidString.prefix(8))", version: version,
            subscriptions: [topic + "/#"], retry: MQTTRetryPolicy(minimumWait: 0.05, multiplier: 2000, maxInterval: 0.5)))
    }

    /// Connects, waits for the SUBACK, starts answering (and notifying, with `notifications`).
    func start(notifications: Bool = false) async throws {
        let events = client.events
        try client.start()
        var subscribed = false
        let deadline = Date().addingTimeInterval(10)
        var it = events.makeAsyncIterator()
        while !subscribed, Date() < deadline, let e = await it.next() {
            if case .subscribed = e { subscribed = true }
        }
        guard subscribed else { throw TestAgentError(message: "test agent did not subscribe to \(topic)") }
        if notifications {
            let service = NotificationService(agent: agent, sender: self, timeScale: 0.01)
            notifier = service
            notifierTask = await service.start()
        }
        let messages = client.messages
        task = Task { [self] in
            for await m in messages { await self.handle(m) }
        }
    }

    func stop() {
        task?.cancel()
        notifierTask?.cancel()
        client.stop()
    }

    var pendingNotifications: [String] {
        get async { await notifier?.pendingMessageIDs ?? [] }
    }

    func handle(_ m: MQTTMessage) async {
        lock.withLock { _received.append(m) }
        let reply = version == .v5 ? m.responseTopic : MQTTReplyTo.split(m.topic).replyTo
        if let from = try? USPRecord.decode(m.payload).fromID, let reply {
            lock.withLock { replyTopics[from] = reply }
        }
        guard let answer = await agent.handleRecord(m.payload), let reply, let bytes = try? answer.encoded() else { return }
        publish(bytes, to: reply)
    }

    func publish(_ bytes: [UInt8], to reply: String) {
        if version == .v5 {
            try? client.publish(topic: reply, payload: bytes, responseTopic: topic, contentType: "usp.msg")
        } else {
            try? client.publish(topic: MQTTReplyTo.topic(reply, replyTo: topic), payload: bytes)
        }
    }

    /// `MessageSender`: Notify to a controller whose reply topic we have seen.
    func send(_ msg: Usp_Msg, to controller: String) async -> Bool {
        guard let reply = lock.withLock({ replyTopics[controller] }),
              let record = try? USPRecord.noSession(to: controller, from: ClientTestModel.agentID, msg: msg),
              let bytes = try? record.encoded() else { return false }
        publish(bytes, to: reply)
        return true
    }
}

struct TestAgentError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
