/// The host side of MT request/response traffic as a pure state machine.
///
/// Z-Stack handles one SREQ at a time: the next may only be written once the SRSP to the previous
/// one has arrived. `ZNPLink` queues requests, writes them one by one, matches each SRSP to the
/// outstanding SREQ by subsystem and command id, and fails a request whose SRSP does not arrive in
/// time. A request may also wait for a callback after its SRSP (see `ZNPCallbackMatcher`); such
/// waits do not hold up the queue, except for SYS_RESET_REQ, after which nothing is written until
/// the device reports its reset. AREQs nobody waits for are passed up. A SYS_RESET_IND nobody asked
/// for fails the outstanding request and every pending callback wait, and is reported as `.reset`.
///
/// It keeps no clock: the owner runs the timers named in `.startTimer` and reports their expiry.
public struct ZNPLink: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// How long to wait for an SRSP (Z-Stack hosts commonly use 6 s).
        public var responseTimeoutMilliseconds: Int
        /// Default wait for the callback after the SRSP.
        public var callbackTimeoutMilliseconds: Int

        public init(responseTimeoutMilliseconds: Int = 6_000, callbackTimeoutMilliseconds: Int = 10_000) {
            self.responseTimeoutMilliseconds = max(1, responseTimeoutMilliseconds)
            self.callbackTimeoutMilliseconds = max(1, callbackTimeoutMilliseconds)
        }
    }

    /// Chosen by the owner; echoed in `.completed`.
    public struct RequestID: Sendable, Hashable, ExpressibleByIntegerLiteral, CustomStringConvertible {
        public var rawValue: UInt64
        public init(_ rawValue: UInt64) { self.rawValue = rawValue }
        public init(integerLiteral value: UInt64) { self.rawValue = value }
        public var description: String { "#\(rawValue)" }
    }

    public enum Timer: Sendable, Hashable {
        /// Waiting for the SRSP to this request.
        case response(RequestID)
        /// Waiting for the callback that completes this request.
        case callback(RequestID)
    }

    public enum Event: Sendable, Hashable {
        /// Queue a request. With `awaiting`, it completes when a matching callback arrives after a
        /// successful SRSP (or, for an AREQ request, after it is written).
        case send(ZNPRequest, id: RequestID, awaiting: ZNPCallbackMatcher? = nil, callbackTimeoutMilliseconds: Int? = nil)
        /// A frame from the decoder.
        case received(MTFrame)
        case timerExpired(Timer)
    }

    /// A completed request: its SRSP (`.none` for AREQ requests) and the callback it waited for.
    public struct Reply: Sendable, Hashable {
        public var response: ZNPResponse
        public var callback: ZNPCallback?

        public init(response: ZNPResponse, callback: ZNPCallback? = nil) {
            self.response = response
            self.callback = callback
        }
    }

    public enum Failure: Error, Sendable, Hashable {
        /// No SRSP within `responseTimeoutMilliseconds`.
        case responseTimeout
        /// The SRSP came but the awaited callback did not.
        case callbackTimeout(ZNPResponse)
        /// The SRSP carried a failure status, so the awaited callback will not come.
        case rejected(ZNPResponse)
        /// The device reset while the request was outstanding.
        case deviceReset(ZNPResetIndication)
        /// The device did not understand the request (RPC error SRSP).
        case rpcError(MTRPCError)
        /// The SRSP data field did not fit the request's reply layout.
        case malformedResponse(MTDecodingError)
        /// The request could not be encoded (parameters longer than a frame holds).
        case encoding(MTFrameError)
    }

    public enum Action: Sendable, Hashable {
        /// Bytes to write to the serial port.
        case write([UInt8])
        case startTimer(Timer, milliseconds: Int)
        case cancelTimer(Timer)
        case completed(RequestID, Result<Reply, Failure>)
        /// A callback no request was waiting for.
        case callback(ZNPCallback)
        /// The device reset without being asked to.
        case reset(ZNPResetIndication)
        /// An SRSP (or other frame) that matches nothing outstanding; dropped.
        case unexpectedFrame(MTFrame)
    }

    private struct Pending: Sendable {
        var id: RequestID
        var request: ZNPRequest
        var frame: MTFrame
        var awaiting: ZNPCallbackMatcher?
        var callbackTimeout: Int?
    }

    private struct Waiter: Sendable {
        var id: RequestID
        var matcher: ZNPCallbackMatcher
        var response: ZNPResponse
        /// Nothing else is written while this wait lasts (SYS_RESET_REQ).
        var blocksQueue: Bool
    }

    public let configuration: Configuration
    private var queue: [Pending] = []
    private var outstanding: Pending?
    private var waiters: [Waiter] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The SREQ written and not yet answered.
    public var outstandingRequest: RequestID? { outstanding?.id }
    /// Requests not yet written.
    public var queuedCount: Int { queue.count }
    /// Requests answered and waiting for their callback.
    public var awaitingCallbackCount: Int { waiters.count }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        switch event {
        case let .send(request, id, awaiting, timeout):
            queue.append(Pending(id: id, request: request, frame: request.frame, awaiting: awaiting, callbackTimeout: timeout))
            pump(&actions)
        case let .received(frame):
            receive(frame, &actions)
        case let .timerExpired(timer):
            expire(timer, &actions)
        }
        return actions
    }

    // MARK: Sending

    private var isBlocked: Bool {
        outstanding != nil || waiters.contains { $0.blocksQueue }
    }

    private mutating func pump(_ actions: inout [Action]) {
        while !isBlocked, !queue.isEmpty {
            let next = queue.removeFirst()
            let bytes: [UInt8]
            do {
                bytes = try next.frame.encoded()
            } catch {
                actions.append(.completed(next.id, .failure(.encoding(error))))
                continue
            }
            actions.append(.write(bytes))
            if next.frame.type == .sreq {
                outstanding = next
                actions.append(.startTimer(.response(next.id), milliseconds: configuration.responseTimeoutMilliseconds))
            } else if let matcher = next.awaiting {
                wait(for: matcher, next, response: .none, &actions)
            } else {
                actions.append(.completed(next.id, .success(Reply(response: .none))))
            }
        }
    }

    private mutating func wait(for matcher: ZNPCallbackMatcher, _ pending: Pending, response: ZNPResponse, _ actions: inout [Action]) {
        let blocks: Bool
        if case .reset = pending.request { blocks = true } else { blocks = false }
        waiters.append(Waiter(id: pending.id, matcher: matcher, response: response, blocksQueue: blocks))
        actions.append(.startTimer(.callback(pending.id),
                                   milliseconds: pending.callbackTimeout ?? configuration.callbackTimeoutMilliseconds))
    }

    // MARK: Receiving

    private mutating func receive(_ frame: MTFrame, _ actions: inout [Action]) {
        switch frame.type {
        case .srsp:
            receiveResponse(frame, &actions)
        case .areq:
            receiveCallback(ZNPCallback(frame: frame), &actions)
        case .poll, .sreq, .reserved:
            actions.append(.unexpectedFrame(frame))
        }
    }

    private mutating func receiveResponse(_ frame: MTFrame, _ actions: inout [Action]) {
        guard let current = outstanding else {
            actions.append(.unexpectedFrame(frame))
            return
        }
        if frame.subsystem == .rpcError, frame.commandID == 0x00 {
            let error = MTRPCError(payload: frame.payload)
            // An RPC error names the request it refuses; one that names another request is stale.
            if let cmd0 = error.cmd0, let cmd1 = error.cmd1, cmd0 != current.frame.cmd0 || cmd1 != current.frame.commandID {
                actions.append(.unexpectedFrame(frame))
                return
            }
            finishOutstanding(.failure(.rpcError(error)), &actions)
            return
        }
        guard frame.subsystem == current.frame.subsystem, frame.commandID == current.frame.commandID else {
            actions.append(.unexpectedFrame(frame))
            return
        }
        let response: ZNPResponse
        do {
            response = try current.request.decodeResponse(frame.payload)
        } catch {
            finishOutstanding(.failure(.malformedResponse(error)), &actions)
            return
        }
        guard let matcher = current.awaiting else {
            finishOutstanding(.success(Reply(response: response)), &actions)
            return
        }
        if let status = response.status, !status.isSuccess {
            finishOutstanding(.failure(.rejected(response)), &actions)
            return
        }
        outstanding = nil
        actions.append(.cancelTimer(.response(current.id)))
        wait(for: matcher, current, response: response, &actions)
        pump(&actions)
    }

    private mutating func finishOutstanding(_ result: Result<Reply, Failure>, _ actions: inout [Action]) {
        guard let current = outstanding else { return }
        outstanding = nil
        actions.append(.cancelTimer(.response(current.id)))
        actions.append(.completed(current.id, result))
        pump(&actions)
    }

    private mutating func receiveCallback(_ callback: ZNPCallback, _ actions: inout [Action]) {
        if let index = waiters.firstIndex(where: { $0.matcher.matches(callback) }) {
            let waiter = waiters.remove(at: index)
            actions.append(.cancelTimer(.callback(waiter.id)))
            actions.append(.completed(waiter.id, .success(Reply(response: waiter.response, callback: callback))))
            if case .resetIndication(let indication) = callback {
                failInFlight(indication, &actions)
            }
            pump(&actions)
            return
        }
        if case .resetIndication(let indication) = callback {
            failInFlight(indication, &actions)
            actions.append(.reset(indication))
            pump(&actions)
            return
        }
        actions.append(.callback(callback))
    }

    /// After a reset the device has forgotten the outstanding SREQ and every pending operation.
    /// Requests not yet written stay queued.
    private mutating func failInFlight(_ indication: ZNPResetIndication, _ actions: inout [Action]) {
        if let current = outstanding {
            outstanding = nil
            actions.append(.cancelTimer(.response(current.id)))
            actions.append(.completed(current.id, .failure(.deviceReset(indication))))
        }
        let failed = waiters
        waiters.removeAll()
        for waiter in failed {
            actions.append(.cancelTimer(.callback(waiter.id)))
            actions.append(.completed(waiter.id, .failure(.deviceReset(indication))))
        }
    }

    // MARK: Timers

    private mutating func expire(_ timer: Timer, _ actions: inout [Action]) {
        switch timer {
        case .response(let id):
            guard let current = outstanding, current.id == id else { return }
            outstanding = nil
            actions.append(.completed(id, .failure(.responseTimeout)))
        case .callback(let id):
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
            let waiter = waiters.remove(at: index)
            actions.append(.completed(id, .failure(.callbackTimeout(waiter.response))))
        }
        pump(&actions)
    }
}
