import ZigbeeZNP

/// The host side of a ZNP conversation, as a driver wires it: ZigbeeZNP's `ZNPStartup` on top of
/// its `ZNPLink`, bytes out and in. Timers are not run: the tests either get every answer or fail
/// on what is missing.
struct ZNPHost {
    var link = ZNPLink()
    var startup: ZNPStartup
    /// Bytes the host wrote and the device has not read yet.
    var outgoing: [[UInt8]] = []
    var ready: ZNPCoordinatorInfo?
    var failure: ZNPStartupError?
    /// Callbacks no request waited for.
    var callbacks: [ZNPCallback] = []
    var resets: [ZNPResetIndication] = []
    var completed: [UInt64: Result<ZNPLink.Reply, ZNPLink.Failure>] = [:]
    var unexpected: [MTFrame] = []
    private var decoder = MTDecoder()

    init(_ configuration: ZNPStartup.Configuration = .init()) {
        startup = ZNPStartup(configuration: configuration)
    }

    /// Starts (or restarts) the start-up sequence.
    mutating func start() {
        ready = nil
        failure = nil
        startup = ZNPStartup(configuration: startup.configuration)
        apply(startup.handle(.start))
    }

    /// Queues one request of the owner's own; with its natural callback wait unless told otherwise.
    mutating func send(_ request: ZNPRequest, id: UInt64, awaiting: ZNPCallbackMatcher?? = nil) {
        let matcher = awaiting ?? request.expectedCallback
        apply(link.handle(.send(request, id: ZNPLink.RequestID(id), awaiting: matcher)))
    }

    /// Bytes from the device.
    mutating func receive(_ bytes: [UInt8]) {
        for output in decoder.feed(bytes) {
            if case .frame(let frame) = output { apply(link.handle(.received(frame))) }
        }
    }

    mutating func takeOutgoing() -> [[UInt8]] {
        defer { outgoing.removeAll() }
        return outgoing
    }

    /// The callback a completed request waited for.
    func callback(of id: UInt64) -> ZNPCallback? {
        guard case .success(let reply)? = completed[id] else { return nil }
        return reply.callback
    }

    private mutating func apply(_ actions: [ZNPStartup.Action]) {
        for action in actions {
            switch action {
            case let .send(request, id, awaiting, timeout):
                apply(link.handle(.send(request, id: id, awaiting: awaiting, callbackTimeoutMilliseconds: timeout)))
            case .startTimer, .cancelTimer:
                break
            case .ready(let info):
                ready = info
            case .failed(let error):
                failure = error
            }
        }
    }

    private mutating func apply(_ actions: [ZNPLink.Action]) {
        for action in actions {
            switch action {
            case .write(let bytes):
                outgoing.append(bytes)
            case .startTimer, .cancelTimer:
                break
            case let .completed(id, result):
                if id.rawValue >= startup.configuration.firstRequestID {
                    apply(startup.handle(.completed(id, result)))
                } else {
                    completed[id.rawValue] = result
                }
            case .callback(let callback):
                callbacks.append(callback)
                apply(startup.handle(.callback(callback)))
            case .reset(let indication):
                resets.append(indication)
                apply(startup.handle(.reset(indication)))
            case .unexpectedFrame(let frame):
                unexpected.append(frame)
            }
        }
    }
}
