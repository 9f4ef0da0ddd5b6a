import Foundation
import Logging
import MQTTTransport
import USPMessages

/// A small USP controller over MQTT: it sends requests to one agent in NoSessionContext
/// Records and matches the answers by `msg_id`; Notify requests from the agent come out of
/// `notifications` (answered with NotifyResp when the agent asks for one).
///
/// With MQTT 5 every request carries the Response Topic and Content Type `usp.msg`
/// properties; with MQTT 3.1.1 the reply topic travels in the PUBLISH topic
/// (`<agent topic>/reply-to=<reply topic, '/' as %2F>`, TR-369 R-MQTT.24).
public actor USPController {
    public nonisolated let configuration: USPControllerConfiguration
    /// Notify requests received from the agent, in arrival order.
    public nonisolated let notifications: AsyncStream<Usp_Notify>
    let notifyContinuation: AsyncStream<Usp_Notify>.Continuation
    let client: MQTTClient
    let logger: Logger

    enum State { case idle, connecting, connected, closed }
    var state = State.idle
    var sawConnack = false
    var connectWaiter: CheckedContinuation<Void, any Error>?
    var pending: [String: CheckedContinuation<Usp_Msg, any Error>] = [:]
    var cancelledBeforeRegistration: Set<String> = []
    var counter: UInt64 = 0
    var tasks: [Task<Void, Never>] = []

    public init(configuration: USPControllerConfiguration, logger: Logger = Logger(label: "usp.client")) {
        self.configuration = configuration
        self.logger = logger
        (notifications, notifyContinuation) = AsyncStream.makeStream(of: Usp_Notify.self, bufferingPolicy: .bufferingNewest(10_000))
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
    }

    /// Connects to the broker and waits (at most `configuration.connectTimeout`) until the
    /// CONNACK and the SUBACK for the reply topic have arrived.
    public func connect() async throws {
        guard state == .idle else {
            if state == .connected { return }
            throw USPControllerError(.notConnected, "this controller was closed or is already connecting")
        }
        state = .connecting
        do {
            try client.start()
        } catch {
            state = .closed
            throw USPControllerError(.connectFailed, "MQTT setup failed: \(error.message)")
        }
        let events = client.events
        let messages = client.messages
        tasks.append(Task { [weak self] in
            for await e in events { await self?.handle(event: e) }
        })
        tasks.append(Task { [weak self] in
            for await m in messages { await self?.receive(m) }
        })
        let limit = configuration.connectTimeout
        let timer = Task { [weak self] in
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            await self?.connectTimedOut()
        }
        defer { timer.cancel() }
        do {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                connectWaiter = c
            }
            state = .connected
            logger.debug("connected to \(configuration.brokerHost):\(configuration.brokerPort), listening on \(configuration.replyTopic)")
        } catch {
            shutDown()
            throw error
        }
    }

    /// Disconnects; requests still waiting fail with `.notConnected`.
    public func close() {
        shutDown()
    }

    func shutDown() {
        guard state != .closed else { return }
        state = .closed
        client.stop()
        for t in tasks { t.cancel() }
        tasks.removeAll()
        notifyContinuation.finish()
        let waiting = pending
        pending.removeAll()
        for (_, c) in waiting { c.resume(throwing: USPControllerError(.notConnected, "the controller was closed")) }
        if let w = connectWaiter {
            connectWaiter = nil
            w.resume(throwing: USPControllerError(.notConnected, "the controller was closed"))
        }
    }

    // MARK: requests

    /// Sends a request and waits for the answer with the same `msg_id`. An `Error` message
    /// throws `USPResponseError`; no answer within `timeout` throws `USPControllerError.responseTimeout`.
    public func send(_ request: Usp_Request.OneOf_ReqType, type: Usp_Header.MsgType, timeout: Duration) async throws -> Usp_Msg {
        guard state == .connected else { throw USPControllerError(.notConnected, "not connected to the broker") }
        let id = nextMessageID()
        let msg = Usp_Msg.request(id: id, type: type, request)
        let record = try makeRecord(msg)
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self?.expire(id, after: timeout, type: type)
        }
        defer { timer.cancel() }
        let reply = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Usp_Msg, any Error>) in
                if cancelledBeforeRegistration.remove(id) != nil {
                    c.resume(throwing: CancellationError())
                    return
                }
                pending[id] = c
                do {
                    try publish(record, to: configuration.agentTopic)
                } catch {
                    pending[id] = nil
                    c.resume(throwing: error)
                }
            }
        } onCancel: {
            Task { await self.cancelRequest(id) }
        }
        if case .error(let e)? = reply.body.msgBody {
            throw USPResponseError(msgID: id, e)
        }
        return reply
    }

    /// Sends a request that gets no answer (Operate with `send_resp` false); returns its `msg_id`.
    @discardableResult
    public func post(_ request: Usp_Request.OneOf_ReqType, type: Usp_Header.MsgType) throws -> String {
        guard state == .connected else { throw USPControllerError(.notConnected, "not connected to the broker") }
        let id = nextMessageID()
        try publish(try makeRecord(.request(id: id, type: type, request)), to: configuration.agentTopic)
        return id
    }

    func nextMessageID() -> String {
        counter += 1
        return "\(configuration.clientID)-\(counter)"
    }

    func makeRecord(_ msg: Usp_Msg) throws(USPControllerError) -> UspRecord_Record {
        do {
            return try USPRecord.noSession(to: configuration.agentEndpointID, from: configuration.endpointID, msg: msg)
        } catch {
            throw USPControllerError(.encodingFailed, "could not encode the USP message: \(error)")
        }
    }

    func publish(_ record: UspRecord_Record, to topic: String) throws(USPControllerError) {
        let bytes: [UInt8]
        do { bytes = try record.encoded() } catch {
            throw USPControllerError(.encodingFailed, "could not encode the USP record: \(error)")
        }
        do {
            switch configuration.mqttVersion {
            case .v5:
                try client.publish(topic: topic, payload: bytes, responseTopic: configuration.replyTopic, contentType: "usp.msg")
            case .v311:
                try client.publish(topic: MQTTReplyTo.topic(topic, replyTo: configuration.replyTopic), payload: bytes)
            }
        } catch {
            throw USPControllerError(.publishFailed, "could not publish to \(topic): \(error.message)")
        }
    }

    func expire(_ id: String, after timeout: Duration, type: Usp_Header.MsgType) {
        guard let c = pending.removeValue(forKey: id) else { return }
        let seconds = Self.seconds(timeout)
        c.resume(throwing: USPControllerError(.responseTimeout,
            "no answer from \(configuration.agentEndpointID) on \(configuration.agentTopic) to \(type) \(id) within \(Self.format(seconds)) s"))
    }

    func cancelRequest(_ id: String) {
        if let c = pending.removeValue(forKey: id) {
            c.resume(throwing: CancellationError())
        } else {
            cancelledBeforeRegistration.insert(id)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    // MARK: connection events

    func handle(event: MQTTEvent) {
        guard state != .closed else { return }
        switch event {
        case .connected:
            sawConnack = true
        case .subscribed:
            if sawConnack, let w = connectWaiter {
                connectWaiter = nil
                w.resume()
            }
        case .connectFailed(let reason):
            if configuration.failFast, let w = connectWaiter {
                connectWaiter = nil
                w.resume(throwing: USPControllerError(.connectFailed,
                    "cannot connect to MQTT broker \(configuration.brokerHost):\(configuration.brokerPort): \(reason)"))
            }
        case .disconnected(let reason):
            sawConnack = false
            logger.notice("lost the MQTT connection: \(reason)")
        case .reconnectScheduled:
            break
        }
    }

    func connectTimedOut() {
        guard let w = connectWaiter else { return }
        connectWaiter = nil
        let seconds = Self.seconds(configuration.connectTimeout)
        w.resume(throwing: USPControllerError(.connectTimeout,
            "MQTT broker \(configuration.brokerHost):\(configuration.brokerPort) did not accept the connection and subscription within \(Self.format(seconds)) s"))
    }
}
