import Foundation
import Logging
import USPMessages

/// A small USP controller: it sends requests to one agent in NoSessionContext Records and
/// matches the answers by `msg_id`; Notify requests from the agent come out of
/// `notifications` (answered with NotifyResp when the agent asks for one).
///
/// The MTP is the configuration's `transport`: MQTT through a broker (`MQTTControllerLink`)
/// or the agent's UNIX domain socket (`UDSControllerLink`).
public actor USPController {
    public nonisolated let configuration: USPControllerConfiguration
    /// Notify requests received from the agent, in arrival order.
    public nonisolated let notifications: AsyncStream<Usp_Notify>
    let notifyContinuation: AsyncStream<Usp_Notify>.Continuation
    let link: any ControllerLink
    let logger: Logger
    /// The agent's endpoint ID: the configured one, or over a UNIX socket without one, the
    /// one the agent's Handshake gave.
    public private(set) var agentEndpointID: String

    enum State { case idle, connecting, connected, closed }
    var state = State.idle
    var connectWaiter: CheckedContinuation<Void, any Error>?
    /// Link events that can arrive while `connect()` is still suspended in `link.start()`,
    /// before it waits: the link is ready, or (fail fast) the first attempt failed.
    var linkReady = false
    var earlyFailure: USPControllerError?
    var pending: [String: CheckedContinuation<Usp_Msg, any Error>] = [:]
    var cancelledBeforeRegistration: Set<String> = []
    var counter: UInt64 = 0
    var tasks: [Task<Void, Never>] = []

    public init(configuration: USPControllerConfiguration, logger: Logger = Logger(label: "usp.client")) {
        self.configuration = configuration
        self.logger = logger
        (notifications, notifyContinuation) = AsyncStream.makeStream(of: Usp_Notify.self, bufferingPolicy: .bufferingNewest(10_000))
        agentEndpointID = configuration.agentEndpointID
        switch configuration.transport {
        case .mqtt: link = MQTTControllerLink(configuration: configuration, logger: logger)
        case .unixSocket(let path): link = UDSControllerLink(path: path, configuration: configuration, logger: logger)
        }
    }

    /// Connects and waits (at most `configuration.connectTimeout`) until the link is ready:
    /// with MQTT the CONNACK and the SUBACK for the reply topic have arrived, over a UNIX
    /// socket the handshake is complete.
    public func connect() async throws {
        guard state == .idle else {
            if state == .connected { return }
            throw USPControllerError(.notConnected, "this controller was closed or is already connecting")
        }
        state = .connecting
        let events = link.events
        tasks.append(Task { [weak self] in
            for await e in events { await self?.handle(event: e) }
        })
        do {
            try await link.start()
        } catch {
            shutDown()
            throw error
        }
        let limit = configuration.connectTimeout
        let timer = Task { [weak self] in
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            await self?.connectTimedOut()
        }
        defer { timer.cancel() }
        do {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                if linkReady {
                    c.resume()
                } else if let e = earlyFailure {
                    c.resume(throwing: e)
                } else {
                    connectWaiter = c
                }
            }
            state = .connected
            switch configuration.transport {
            case .mqtt: logger.debug("connected to \(configuration.brokerHost):\(configuration.brokerPort), listening on \(configuration.replyTopic)")
            case .unixSocket(let path): logger.debug("connected to \(agentEndpointID) on \(path)")
            }
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
        let link = link
        Task { await link.stop() }
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
        guard state == .connected else { throw USPControllerError(.notConnected, notConnectedMessage) }
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
                // The link sends asynchronously; a failure fails this request.
                Task { await self.transmit(record, id: id) }
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
    public func post(_ request: Usp_Request.OneOf_ReqType, type: Usp_Header.MsgType) async throws -> String {
        guard state == .connected else { throw USPControllerError(.notConnected, notConnectedMessage) }
        let id = nextMessageID()
        try await publish(try makeRecord(.request(id: id, type: type, request)), replyTo: nil)
        return id
    }

    var notConnectedMessage: String {
        switch configuration.transport {
        case .mqtt: "not connected to the broker"
        case .unixSocket(let path): "not connected to \(path)"
        }
    }

    func transmit(_ record: UspRecord_Record, id: String) async {
        do {
            try await publish(record, replyTo: nil)
        } catch {
            pending.removeValue(forKey: id)?.resume(throwing: error)
        }
    }

    func nextMessageID() -> String {
        counter += 1
        return "\(configuration.clientID)-\(counter)"
    }

    func makeRecord(_ msg: Usp_Msg) throws(USPControllerError) -> UspRecord_Record {
        do {
            return try USPRecord.noSession(to: agentEndpointID, from: configuration.endpointID, msg: msg)
        } catch {
            throw USPControllerError(.encodingFailed, "could not encode the USP message: \(error)")
        }
    }

    /// Encodes and sends a Record to the agent, or to `replyTo` when the agent named one.
    func publish(_ record: UspRecord_Record, replyTo: String?) async throws(USPControllerError) {
        let bytes: [UInt8]
        do { bytes = try record.encoded() } catch {
            throw USPControllerError(.encodingFailed, "could not encode the USP record: \(error)")
        }
        try await link.send(bytes, replyTo: replyTo)
    }

    func expire(_ id: String, after timeout: Duration, type: Usp_Header.MsgType) {
        guard let c = pending.removeValue(forKey: id) else { return }
        let seconds = Self.seconds(timeout)
        c.resume(throwing: USPControllerError(.responseTimeout,
            "no answer from \(agentEndpointID) on \(link.destination) to \(type) \(id) within \(Self.format(seconds)) s"))
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

    func handle(event: ControllerLinkEvent) {
        guard state != .closed else { return }
        switch event {
        case .ready(let agent):
            if let agent, configuration.agentEndpointID.isEmpty { agentEndpointID = agent }
            linkReady = true
            if let w = connectWaiter {
                connectWaiter = nil
                w.resume()
            }
        case .connectFailed(let reason):
            guard configuration.failFast, state == .connecting else { return }
            let error = USPControllerError(.connectFailed, reason)
            if let w = connectWaiter {
                connectWaiter = nil
                w.resume(throwing: error)
            } else if earlyFailure == nil {
                earlyFailure = error
            }
        case .lost(let reason):
            linkReady = false
            logger.notice("\(reason)")
        case .record(let bytes, let replyTo):
            receive(bytes, replyTo: replyTo)
        }
    }

    func connectTimedOut() {
        guard let w = connectWaiter else { return }
        connectWaiter = nil
        let seconds = Self.seconds(configuration.connectTimeout)
        w.resume(throwing: USPControllerError(.connectTimeout, link.connectTimeoutMessage(seconds: Self.format(seconds))))
    }
}
