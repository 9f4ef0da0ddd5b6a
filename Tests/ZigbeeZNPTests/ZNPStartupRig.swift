import ZigbeeZNP

/// Wires a `ZNPStartup` to a `ZNPLink` the way an owner would, records what goes out on the wire,
/// and lets a test play the device by feeding frames and expiring timers.
struct ZNPStartupRig {
    var link: ZNPLink
    var startup: ZNPStartup
    /// Frames written to the device, in order, not yet taken by the test.
    var written: [MTFrame] = []
    var linkTimers: [ZNPLink.Timer: Int] = [:]
    var startupTimer: Int?
    var outcome: [ZNPStartup.Action] = []
    var passedUp: [ZNPCallback] = []
    var unexpected: [MTFrame] = []

    init(_ configuration: ZNPStartup.Configuration = .init(), link: ZNPLink.Configuration = .init()) {
        self.link = ZNPLink(configuration: link)
        self.startup = ZNPStartup(configuration: configuration)
    }

    mutating func start() {
        apply(startup.handle(.start))
    }

    /// The device sends a frame.
    mutating func device(_ frame: MTFrame) {
        apply(link.handle(.received(frame)))
    }

    mutating func srsp(_ subsystem: MTSubsystem, _ id: UInt8, _ payload: [UInt8]) {
        device(MTFrame(type: .srsp, subsystem: subsystem, commandID: id, payload: payload))
    }

    mutating func areq(_ subsystem: MTSubsystem, _ id: UInt8, _ payload: [UInt8]) {
        device(MTFrame(type: .areq, subsystem: subsystem, commandID: id, payload: payload))
    }

    mutating func expire(_ timer: ZNPLink.Timer) {
        guard linkTimers.removeValue(forKey: timer) != nil else { return }
        apply(link.handle(.timerExpired(timer)))
    }

    mutating func expireStartupTimer() {
        guard startupTimer != nil else { return }
        startupTimer = nil
        apply(startup.handle(.timerExpired))
    }

    /// The frames written since the last call, as (subsystem, command id) pairs.
    mutating func take() -> [MTFrame] {
        defer { written.removeAll() }
        return written
    }

    // MARK: Glue

    private mutating func apply(_ actions: [ZNPStartup.Action]) {
        for action in actions {
            switch action {
            case let .send(request, id, awaiting, timeout):
                apply(link.handle(.send(request, id: id, awaiting: awaiting, callbackTimeoutMilliseconds: timeout)))
            case let .startTimer(milliseconds):
                startupTimer = milliseconds
            case .cancelTimer:
                startupTimer = nil
            case .ready, .failed:
                outcome.append(action)
            }
        }
    }

    private mutating func apply(_ actions: [ZNPLink.Action]) {
        for action in actions {
            switch action {
            case let .write(bytes):
                var decoder = MTDecoder()
                for output in decoder.feed(bytes) {
                    if case .frame(let frame) = output { written.append(frame) }
                }
            case let .startTimer(timer, milliseconds):
                linkTimers[timer] = milliseconds
            case let .cancelTimer(timer):
                linkTimers[timer] = nil
            case let .completed(id, result):
                apply(startup.handle(.completed(id, result)))
            case let .callback(callback):
                passedUp.append(callback)
                apply(startup.handle(.callback(callback)))
            case let .reset(indication):
                apply(startup.handle(.reset(indication)))
            case let .unexpectedFrame(frame):
                unexpected.append(frame)
            }
        }
    }
}
