import Foundation
import MosquittoTestSupport
import MQTTTransport
import USPMessages

/// A USP controller written with the project's own codec and MQTT client, for driving an
/// agent through a real broker.
final class TestController: @unchecked Sendable {
    let endpointID: String
    let topic: String
    let agentID: String
    let agentTopic: String
    let client: MQTTClient
    let version: MQTTConfiguration.ProtocolVersion
    private let lock = NSLock()
    private var replies: [String: Usp_Msg] = [:]
    private var notifies: [Usp_Msg] = []
    private var records: [UspRecord_Record] = []
    var answerNotifies = true
    private var counter = 0
    private var pump: Task<Void, Never>?

    init(broker: MosquittoBroker, version: MQTTConfiguration.ProtocolVersion, endpointID: String = "self::test-ctrl",
         topic: String = "usp/controller/test", agentID: String, agentTopic: String) throws {
        self.endpointID = endpointID; self.topic = topic; self.agentID = agentID; self.agentTopic = agentTopic; self.version = version
        client = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "ctrl-\(UUID().uuidString.prefix(6))",
            version: version, subscriptions: [topic, topic + "/#"], retry: MQTTRetryPolicy(minimumWait: 0.1, multiplier: 2000, maxInterval: 0.5)))
        try client.start()
        let c = client
        pump = Task { [weak self] in
            for await m in c.messages { self?.received(m) }
        }
    }

    deinit { pump?.cancel(); client.stop() }

    func waitConnected() async -> Bool {
        let end = Date().addingTimeInterval(10)
        while !client.isConnected && Date() < end { try? await Task.sleep(for: .milliseconds(10)) }
        try? await Task.sleep(for: .milliseconds(100))
        return client.isConnected
    }

    private func received(_ m: MQTTMessage) {
        guard let rec = try? USPRecord.decode(m.payload) else { return }
        lock.withLock { records.append(rec) }
        guard let msg = try? rec.decodedMsg() else { return }
        if case .request(let r)? = msg.body.msgBody, case .notify(let n)? = r.reqType {
            lock.withLock { notifies.append(msg) }
            if n.sendResp && answerNotifies {
                var resp = Usp_NotifyResp(); resp.subscriptionID = n.subscriptionID
                try? publish(.response(id: msg.header.msgID, type: .notifyResp, .notifyResp(resp)))
            }
        } else {
            lock.withLock { replies[msg.header.msgID] = msg }
        }
    }

    func publish(_ msg: Usp_Msg) throws {
        let rec = try USPRecord.noSession(to: agentID, from: endpointID, msg: msg)
        let bytes = try rec.encoded()
        if version == .v5 {
            try client.publish(topic: agentTopic, payload: bytes, responseTopic: topic, contentType: "usp.msg")
        } else {
            try client.publish(topic: "\(agentTopic)/reply-to=\(topic.replacingOccurrences(of: "/", with: "%2F"))", payload: bytes)
        }
    }

    /// Sends a request and waits for the response or Error with the same msg_id.
    func request(_ type: Usp_Header.MsgType, _ req: Usp_Request.OneOf_ReqType, timeout: Double = 5) async throws -> Usp_Msg? {
        let id: String = lock.withLock { counter += 1; return "\(endpointID)-\(counter)" }
        try publish(.request(id: id, type: type, req))
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let r = lock.withLock({ replies.removeValue(forKey: id) }) { return r }
            try await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    func get(_ paths: [String]) async throws -> Usp_GetResp? {
        var g = Usp_Get(); g.paramPaths = paths
        return try await request(.get, .get(g))?.body.response.getResp
    }

    var receivedNotifies: [Usp_Msg] { lock.withLock { notifies } }
    var receivedRecords: [UspRecord_Record] { lock.withLock { records } }

    func waitForNotifies(_ n: Int, seconds: Double = 10) async -> [Usp_Msg] {
        let end = Date().addingTimeInterval(seconds)
        while receivedNotifies.count < n && Date() < end { try? await Task.sleep(for: .milliseconds(10)) }
        return receivedNotifies
    }
}

extension Usp_GetResp {
    func value(_ object: String, _ param: String) -> String? {
        for r in reqPathResults { for rp in r.resolvedPathResults where rp.resolvedPath == object { if let v = rp.resultParams[param] { return v } } }
        return nil
    }
}
