import Foundation
import MQTTTransport
import USPMessages

/// A minimal USP controller for benchmarks: requests over MQTT 5, answers matched by msg_id.
final class BenchController: @unchecked Sendable {
    let client: MQTTClient
    let agentID: String
    let agentTopic: String
    let topic = "usp/bench/controller"
    let endpointID = "self::bench"
    private let lock = NSLock()
    private var waiting: [String: CheckedContinuation<Usp_Msg?, Never>] = [:]
    private var pump: Task<Void, Never>?

    init(port: Int, agentID: String, agentTopic: String) throws {
        self.agentID = agentID
        self.agentTopic = agentTopic
        client = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: port, clientID: "bench-\(getpid())",
                                                             subscriptions: [topic], qos: 0))
        try client.start()
        let c = client
        pump = Task { [weak self] in for await m in c.messages { self?.deliver(m) } }
    }

    func waitConnected() async -> Bool {
        let end = Date().addingTimeInterval(10)
        while !client.isConnected && Date() < end { try? await Task.sleep(for: .milliseconds(10)) }
        try? await Task.sleep(for: .milliseconds(100))
        return client.isConnected
    }

    private func deliver(_ m: MQTTMessage) {
        guard let rec = try? USPRecord.decode(m.payload), let msg = try? rec.decodedMsg() else { return }
        let k = lock.withLock { waiting.removeValue(forKey: msg.header.msgID) }
        k?.resume(returning: msg)
    }

    func request(_ id: String, _ msg: Usp_Msg, timeout: Double = 5) async -> Usp_Msg? {
        guard let bytes = try? USPRecord.noSession(to: agentID, from: endpointID, msg: msg).encoded() else { return nil }
        return await withCheckedContinuation { (k: CheckedContinuation<Usp_Msg?, Never>) in
            lock.withLock { waiting[id] = k }
            do {
                try client.publish(topic: agentTopic, payload: bytes, qos: 0, responseTopic: topic, contentType: "usp.msg")
            } catch {
                if let k = lock.withLock({ waiting.removeValue(forKey: id) }) { k.resume(returning: nil) }
                return
            }
            Task {
                try? await Task.sleep(for: .seconds(timeout))
                if let k = self.lock.withLock({ self.waiting.removeValue(forKey: id) }) { k.resume(returning: nil) }
            }
        }
    }
}
