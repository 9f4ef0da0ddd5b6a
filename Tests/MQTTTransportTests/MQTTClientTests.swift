import Foundation
import MosquittoTestSupport
import MQTTTransport
import Testing

/// The MQTT client against a real mosquitto on 127.0.0.1.
@Suite(.serialized) struct MQTTClientTests {
    static func waitConnected(_ c: MQTTClient, seconds: Double = 10) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while !c.isConnected && Date() < end { try? await Task.sleep(for: .milliseconds(10)) }
        return c.isConnected
    }

    /// Waits for the next message from `stream` (bounded).
    static func next(_ stream: AsyncStream<MQTTMessage>, seconds: Double = 5) async -> MQTTMessage? {
        let box = Inbox()
        let t = Task { for await m in stream { box.put(m); return } }
        let end = Date().addingTimeInterval(seconds)
        while box.first == nil && Date() < end { try? await Task.sleep(for: .milliseconds(5)) }
        t.cancel()
        return box.first
    }

    func pair(_ broker: MosquittoBroker, _ version: MQTTConfiguration.ProtocolVersion) async throws -> (MQTTClient, MQTTClient) {
        let fast = MQTTRetryPolicy(minimumWait: 0.05, multiplier: 2000, maxInterval: 0.5)
        let a = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "agent-\(UUID().uuidString.prefix(6))",
                                                            version: version, subscriptions: ["usp/agent/#"], retry: fast))
        let c = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "ctrl-\(UUID().uuidString.prefix(6))",
                                                            version: version, subscriptions: ["usp/ctrl"], retry: fast))
        try a.start(); try c.start()
        #expect(await Self.waitConnected(a))
        #expect(await Self.waitConnected(c))
        try await Task.sleep(for: .milliseconds(100))   // SUBACKs
        return (a, c)
    }

    @Test func v5PropertiesArriveIntact() async throws {
        let broker = try MosquittoBroker()
        let (a, c) = try await pair(broker, .v5)
                try c.publish(topic: "usp/agent", payload: [1, 2, 3, 0xFF], responseTopic: "usp/ctrl", contentType: "usp.msg",
                      correlationData: [9, 9], userProperties: [("usp-endpoint-id", "proto::c")])
        let m = try #require(await Self.next(a.messages))
        #expect(m.topic == "usp/agent" && m.payload == [1, 2, 3, 0xFF])
        #expect(m.responseTopic == "usp/ctrl" && m.contentType == "usp.msg" && m.correlationData == [9, 9])
        #expect(m.userProperties["usp-endpoint-id"] == "proto::c")
        a.stop(); c.stop()
    }

    @Test func v311CarriesPayloadWithoutProperties() async throws {
        let broker = try MosquittoBroker()
        let (a, c) = try await pair(broker, .v311)
                try c.publish(topic: "usp/agent/reply-to=usp%2Fctrl", payload: Array("hello".utf8), responseTopic: "ignored in 3.1.1")
        let m = try #require(await Self.next(a.messages))
        #expect(m.topic == "usp/agent/reply-to=usp%2Fctrl" && m.payload == Array("hello".utf8))
        #expect(m.responseTopic == nil && m.contentType == nil)
        a.stop(); c.stop()
    }

    @Test func reconnectsAndResubscribesAfterBrokerRestart() async throws {
        let broker = try MosquittoBroker()
        let (a, c) = try await pair(broker, .v5)
        var events = a.events.makeAsyncIterator()
        broker.kill()
        // Publishing while the broker is gone fails cleanly.
        var sawDisconnect = false
        let end = Date().addingTimeInterval(5)
        while !sawDisconnect, Date() < end, let e = await events.next() {
            if case .disconnected = e { sawDisconnect = true }
        }
        #expect(sawDisconnect)
        #expect(throws: MQTTError.self) { try a.publish(topic: "x", payload: [1]) }
        try broker.start()
        #expect(await Self.waitConnected(a, seconds: 10))
        #expect(await Self.waitConnected(c, seconds: 10))
        try await Task.sleep(for: .milliseconds(150))
                try c.publish(topic: "usp/agent", payload: [42])
        let m = await Self.next(a.messages)
        #expect(m?.payload == [42], "subscribed again after reconnecting")
        a.stop(); c.stop()
    }

    @Test func tlsWithTheRightCAConnectsAndAWrongCAFails() async throws {
        let broker = try MosquittoBroker(tls: true)
        let certs = try #require(broker.certificates)
        let tlsPort = try #require(broker.tlsPort)
        let good = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: tlsPort, clientID: "tls-good",
            tls: MQTTTLSConfiguration(caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile),
            subscriptions: ["t/#"], retry: MQTTRetryPolicy(minimumWait: 0.1, multiplier: 2000, maxInterval: 0.5)))
        try good.start()
        #expect(await Self.waitConnected(good))
        try await Task.sleep(for: .milliseconds(100))
                try good.publish(topic: "t/1", payload: [7])
        #expect(await Self.next(good.messages)?.payload == [7])
        good.stop()

        let bad = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: tlsPort, clientID: "tls-bad",
            tls: MQTTTLSConfiguration(caFile: certs.otherCAFile), retry: MQTTRetryPolicy(minimumWait: 0.1, multiplier: 2000, maxInterval: 0.2)))
        var events = bad.events.makeAsyncIterator()
        try bad.start()
        var failed = false
        let end = Date().addingTimeInterval(5)
        while !failed, Date() < end, let e = await events.next() {
            switch e {
            case .connectFailed, .disconnected, .reconnectScheduled: failed = true
            default: break
            }
        }
        #expect(failed)
        try await Task.sleep(for: .milliseconds(300))
        #expect(!bad.isConnected, "a server certificate from another CA is refused")
        bad.stop()
    }

    @Test func retryDelaysFollowTR181() {
        let p = MQTTRetryPolicy()   // 5 s, 2000, 30720 s
        #expect(p.delay(forAttempt: 1, random: 0) == 5)
        #expect(p.delay(forAttempt: 1, random: 1) == 10)
        #expect(p.delay(forAttempt: 3, random: 0.5) == 30)
        #expect(p.delay(forAttempt: 20, random: 1) == 30720)
    }

    @Test func unreachableBrokerIsRetried() async throws {
        let port = try MosquittoBroker.freePort()
        let c = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: port, clientID: "nobody",
            retry: MQTTRetryPolicy(minimumWait: 0.05, multiplier: 2000, maxInterval: 0.1)))
        var events = c.events.makeAsyncIterator()
        try c.start()
        var failures = 0
        while failures < 2, let e = await events.next() {
            if case .connectFailed = e { failures += 1 }
        }
        #expect(failures == 2)
        c.stop()
    }
}

final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [MQTTMessage] = []
    func put(_ m: MQTTMessage) { lock.withLock { items.append(m) } }
    var first: MQTTMessage? { lock.withLock { items.first } }
}
