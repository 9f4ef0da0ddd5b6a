/// The host side of the ASH link layer (UG101) as a pure state machine.
///
/// Feed it events (start-up, received frames, payloads to send, timer expiries) and carry out the
/// actions it returns (write bytes, deliver payloads, arm or cancel timers, report state). It keeps
/// no clock: the owner runs the timers and reports their expiry as `.ackTimeout` / `.resetTimeout`.
///
/// Sequencing: frame numbers are modulo 8. Each DATA frame carries the number of the next frame
/// expected from the NCP (piggy-backed ACK); every received DATA frame is answered with an ACK (or a
/// NAK when out of sequence). Up to `windowSize` DATA frames may be unacknowledged; on NAK or ACK
/// timeout they are resent (go-back-N) with the reTx flag set.
public struct ASHLink: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Unacknowledged DATA frames allowed in flight, 1...7.
        public var windowSize: Int
        /// Retransmissions of the oldest unacknowledged frame before the link fails.
        public var maxRetransmissions: Int
        /// ACK timer for a freshly sent frame (UG101 T_RX_ACK_INIT).
        public var ackTimeoutMilliseconds: Int
        /// Upper bound for the ACK timer, which doubles on each consecutive timeout (T_RX_ACK_MAX).
        public var maxAckTimeoutMilliseconds: Int
        /// How long to wait for RSTACK after sending RST (T_RSTACK_MAX).
        public var resetTimeoutMilliseconds: Int
        /// RST frames sent before giving up on RSTACK (the first one included).
        public var maxResetAttempts: Int

        public init(windowSize: Int = 1,
                    maxRetransmissions: Int = 5,
                    ackTimeoutMilliseconds: Int = 1600,
                    maxAckTimeoutMilliseconds: Int = 3200,
                    resetTimeoutMilliseconds: Int = 3200,
                    maxResetAttempts: Int = 3) {
            self.windowSize = min(7, max(1, windowSize))
            self.maxRetransmissions = max(0, maxRetransmissions)
            self.ackTimeoutMilliseconds = max(1, ackTimeoutMilliseconds)
            self.maxAckTimeoutMilliseconds = max(self.ackTimeoutMilliseconds, maxAckTimeoutMilliseconds)
            self.resetTimeoutMilliseconds = max(1, resetTimeoutMilliseconds)
            self.maxResetAttempts = max(1, maxResetAttempts)
        }
    }

    public enum State: Sendable, Hashable {
        /// Not started, or the NCP reset unexpectedly.
        case disconnected
        /// RST sent, waiting for RSTACK.
        case resetting
        case connected
        case failed
    }

    public enum Event: Sendable, Hashable {
        /// Reset the NCP (send RST) and wait for RSTACK.
        case start
        /// A frame from the decoder.
        case received(ASHFrame)
        /// Queue an EZSP frame for transmission.
        case send(payload: [UInt8])
        /// The ACK timer armed by `.startAckTimer` expired.
        case ackTimeout
        /// The reset timer armed by `.startResetTimer` expired.
        case resetTimeout
    }

    public enum FailureReason: Sendable, Hashable {
        /// The NCP sent an ERROR frame and is in its FAILED state.
        case ncpError(version: UInt8, code: UInt8)
        /// A frame was retransmitted `maxRetransmissions` times without being acknowledged.
        case tooManyRetransmissions
        /// No RSTACK after `maxResetAttempts` RST frames.
        case resetTimeout
        /// RSTACK announced an ASH version other than 2.
        case unsupportedVersion(UInt8)
    }

    public enum Action: Sendable, Hashable {
        /// Bytes to write to the serial port.
        case write([UInt8])
        /// An EZSP frame received in sequence (each one once).
        case deliver([UInt8])
        /// (Re)arm the ACK timer.
        case startAckTimer(milliseconds: Int)
        case cancelAckTimer
        /// (Re)arm the reset timer (waiting for RSTACK).
        case startResetTimer(milliseconds: Int)
        case cancelResetTimer
        /// RSTACK received after our RST: the link is up.
        case connected(version: UInt8, resetCode: UInt8)
        /// The link is down for good; send `.start` to try again.
        case failed(FailureReason)
        /// The NCP reset on its own while connected (unsolicited RSTACK). Frames in flight are
        /// dropped and the link is disconnected; send `.start` to reconnect.
        case reset(resetCode: UInt8)
    }

    public let configuration: Configuration
    public private(set) var state: State = .disconnected

    // Transmit side.
    private var nextFrameNumber: UInt8 = 0
    /// Sent, not yet acknowledged, oldest first; frame numbers are consecutive mod 8.
    private var outstanding: [(frameNumber: UInt8, payload: [UInt8])] = []
    private var queue: [[UInt8]] = []
    private var retransmissions = 0
    private var currentAckTimeout: Int
    private var ackTimerRunning = false

    // Receive side.
    /// The frame number expected next from the NCP (our ackNum).
    private var expectedFrameNumber: UInt8 = 0
    private var rejecting = false

    private var resetAttempts = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.currentAckTimeout = configuration.ackTimeoutMilliseconds
    }

    /// DATA frames sent and not yet acknowledged.
    public var unacknowledgedCount: Int { outstanding.count }
    /// Payloads waiting for a free slot in the window (or for the link to come up).
    public var queuedCount: Int { queue.count }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        switch event {
        case .start:
            start(&actions)
        case let .send(payload):
            queue.append(payload)
            if state == .connected { pump(&actions) }
        case let .received(frame):
            receive(frame, &actions)
        case .ackTimeout:
            ackTimedOut(&actions)
        case .resetTimeout:
            resetTimedOut(&actions)
        }
        return actions
    }

    // MARK: Start-up

    private mutating func start(_ actions: inout [Action]) {
        if ackTimerRunning { actions.append(.cancelAckTimer) }
        clearLinkState(keepQueue: false)
        state = .resetting
        resetAttempts = 1
        sendReset(&actions)
    }

    private func sendReset(_ actions: inout [Action]) {
        // A leading cancel byte flushes whatever partial frame the NCP may hold.
        actions.append(.write([ASHFrame.cancelByte] + ASHFrame.rst.encoded()))
        actions.append(.startResetTimer(milliseconds: configuration.resetTimeoutMilliseconds))
    }

    private mutating func resetTimedOut(_ actions: inout [Action]) {
        guard state == .resetting else { return }
        if resetAttempts >= configuration.maxResetAttempts {
            fail(.resetTimeout, &actions)
        } else {
            resetAttempts += 1
            sendReset(&actions)
        }
    }

    private mutating func clearLinkState(keepQueue: Bool) {
        nextFrameNumber = 0
        expectedFrameNumber = 0
        outstanding.removeAll()
        if !keepQueue { queue.removeAll() }
        retransmissions = 0
        currentAckTimeout = configuration.ackTimeoutMilliseconds
        ackTimerRunning = false
        rejecting = false
    }

    private mutating func fail(_ reason: FailureReason, _ actions: inout [Action]) {
        if ackTimerRunning { actions.append(.cancelAckTimer) }
        if state == .resetting { actions.append(.cancelResetTimer) }
        clearLinkState(keepQueue: false)
        state = .failed
        actions.append(.failed(reason))
    }

    // MARK: Reception

    private mutating func receive(_ frame: ASHFrame, _ actions: inout [Action]) {
        switch frame {
        case let .rstAck(version, resetCode):
            receivedResetAck(version: version, resetCode: resetCode, &actions)
        case let .error(version, code):
            guard state == .connected || state == .resetting else { return }
            fail(.ncpError(version: version, code: code), &actions)
        case .rst:
            // Only the host sends RST; ignore one echoed or looped back.
            return
        case let .ack(ackNumber, _):
            guard state == .connected else { return }
            acknowledge(upTo: ackNumber, &actions)
            pump(&actions)
        case let .nak(ackNumber, _):
            guard state == .connected else { return }
            acknowledge(upTo: ackNumber, &actions)
            retransmitOutstanding(&actions)
            pump(&actions)
        case let .data(frameNumber, ackNumber, retransmitted, payload):
            guard state == .connected else { return }
            acknowledge(upTo: ackNumber, &actions)
            receivedData(frameNumber: frameNumber & 0x07, retransmitted: retransmitted, payload: payload, &actions)
            pump(&actions)
        }
    }

    private mutating func receivedResetAck(version: UInt8, resetCode: UInt8, _ actions: inout [Action]) {
        switch state {
        case .resetting:
            actions.append(.cancelResetTimer)
            guard version == ASHFrame.protocolVersion else {
                clearLinkState(keepQueue: false)
                state = .failed
                actions.append(.failed(.unsupportedVersion(version)))
                return
            }
            clearLinkState(keepQueue: true)
            state = .connected
            actions.append(.connected(version: version, resetCode: resetCode))
            pump(&actions)
        case .connected:
            if ackTimerRunning { actions.append(.cancelAckTimer) }
            clearLinkState(keepQueue: false)
            state = .disconnected
            actions.append(.reset(resetCode: resetCode))
        case .disconnected, .failed:
            return
        }
    }

    private mutating func receivedData(frameNumber: UInt8, retransmitted: Bool, payload: [UInt8],
                                       _ actions: inout [Action]) {
        if frameNumber == expectedFrameNumber {
            rejecting = false
            expectedFrameNumber = (expectedFrameNumber + 1) & 0x07
            actions.append(.write(ASHFrame.ack(ackNumber: expectedFrameNumber, notReady: false).encoded()))
            actions.append(.deliver(payload))
            return
        }
        // How far behind the expected number this frame is (1 = the last one delivered).
        let behind = (expectedFrameNumber &- frameNumber) & 0x07
        if retransmitted && behind >= 1 && behind <= 4 {
            // A retransmission of a frame already delivered (our ACK got lost): ACK again, drop it.
            actions.append(.write(ASHFrame.ack(ackNumber: expectedFrameNumber, notReady: false).encoded()))
            return
        }
        // Out of sequence: NAK once, then stay silent until the expected frame arrives.
        if !rejecting {
            rejecting = true
            actions.append(.write(ASHFrame.nak(ackNumber: expectedFrameNumber, notReady: false).encoded()))
        }
    }

    // MARK: Transmission

    /// Releases outstanding frames acknowledged by `ackNumber` (the next frame number the NCP
    /// expects). An ackNum outside the window is ignored.
    private mutating func acknowledge(upTo ackNumber: UInt8, _ actions: inout [Action]) {
        guard let oldest = outstanding.first?.frameNumber else { return }
        let count = Int((ackNumber &- oldest) & 0x07)
        guard count > 0, count <= outstanding.count else { return }
        outstanding.removeFirst(count)
        retransmissions = 0
        currentAckTimeout = configuration.ackTimeoutMilliseconds
        if outstanding.isEmpty {
            ackTimerRunning = false
            actions.append(.cancelAckTimer)
        } else {
            ackTimerRunning = true
            actions.append(.startAckTimer(milliseconds: currentAckTimeout))
        }
    }

    /// Sends queued payloads while the window has room.
    private mutating func pump(_ actions: inout [Action]) {
        guard state == .connected else { return }
        while !queue.isEmpty && outstanding.count < configuration.windowSize {
            let payload = queue.removeFirst()
            let frameNumber = nextFrameNumber
            nextFrameNumber = (nextFrameNumber + 1) & 0x07
            outstanding.append((frameNumber, payload))
            actions.append(.write(dataFrame(frameNumber, payload, retransmitted: false).encoded()))
            if !ackTimerRunning {
                ackTimerRunning = true
                actions.append(.startAckTimer(milliseconds: currentAckTimeout))
            }
        }
    }

    private func dataFrame(_ frameNumber: UInt8, _ payload: [UInt8], retransmitted: Bool) -> ASHFrame {
        .data(frameNumber: frameNumber, ackNumber: expectedFrameNumber, retransmitted: retransmitted, payload: payload)
    }

    private mutating func ackTimedOut(_ actions: inout [Action]) {
        guard state == .connected, !outstanding.isEmpty else {
            ackTimerRunning = false
            return
        }
        currentAckTimeout = min(currentAckTimeout * 2, configuration.maxAckTimeoutMilliseconds)
        ackTimerRunning = false
        retransmitOutstanding(&actions)
    }

    /// Resends every unacknowledged frame with reTx set, counting one retransmission round.
    private mutating func retransmitOutstanding(_ actions: inout [Action]) {
        guard !outstanding.isEmpty else { return }
        if retransmissions >= configuration.maxRetransmissions {
            fail(.tooManyRetransmissions, &actions)
            return
        }
        retransmissions += 1
        for frame in outstanding {
            actions.append(.write(dataFrame(frame.frameNumber, frame.payload, retransmitted: true).encoded()))
        }
        ackTimerRunning = true
        actions.append(.startAckTimer(milliseconds: currentAckTimeout))
    }
}
