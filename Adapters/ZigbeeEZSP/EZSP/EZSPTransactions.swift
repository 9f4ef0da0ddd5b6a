import ZigbeeCore

/// One command ready for the transaction machine: frame id, encoded parameters, and a tag the
/// submitter chooses to recognise the outcome.
public struct EZSPRequest: Hashable, Sendable {
    public var tag: UInt64
    public var frameID: UInt16
    public var parameters: [UInt8]
    /// Send in the legacy header whatever the negotiated version (the first `version` command).
    public var forceLegacy: Bool

    public init(tag: UInt64, frameID: UInt16, parameters: [UInt8], forceLegacy: Bool = false) {
        self.tag = tag
        self.frameID = frameID
        self.parameters = parameters
        self.forceLegacy = forceLegacy
    }

    /// Encodes `command` for protocol `version`.
    public init<C: EZSPCommand>(_ command: C, tag: UInt64, version: UInt8, forceLegacy: Bool = false) {
        self.init(tag: tag, frameID: C.id, parameters: command.encodeParameters(version: version), forceLegacy: forceLegacy)
    }
}

/// The EZSP transaction layer as a pure state machine (UG100 "EmberZNet Serial Protocol"): one
/// command outstanding at a time, later ones queued; a response is matched by sequence number and
/// frame id; callbacks (asynchronous over UART, flagged in the frame control) are decoded and passed
/// up whenever they arrive, so "callback pending" needs no polling.
///
/// It keeps no clock: it asks for a response timer (`.startResponseTimer`) and the owner reports
/// its expiry as `.responseTimeout`. Bytes come from and go to `ASHLink` (`.deliver` → `.received`,
/// `.send` → `ASHLink.Event.send(payload:)`). When ASH reports an NCP reset or a failed link the
/// outstanding and queued commands fail and `.ncpReset` tells the owner to run start-up again.
public struct EZSPTransactions: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var responseTimeoutMilliseconds: Int
        /// Commands allowed to wait behind the outstanding one; more fail with `.queueFull`.
        public var maxQueued: Int

        public init(responseTimeoutMilliseconds: Int = 5000, maxQueued: Int = 64) {
            self.responseTimeoutMilliseconds = max(1, responseTimeoutMilliseconds)
            self.maxQueued = max(0, maxQueued)
        }
    }

    public enum Failure: Error, Sendable, Hashable {
        /// No response within the response timeout.
        case timeout
        /// ASH reported an NCP reset (unsolicited RSTACK) while the command was pending.
        case ncpReset
        /// The ASH link failed (ERROR frame, too many retransmissions).
        case linkFailed
        /// The NCP answered `invalidCommand` (0x0058) with this status.
        case invalidCommand(NCPStatus)
        /// The response had the truncated bit set.
        case truncated
        /// The command could not be framed (a frame id over 0xFF in legacy form).
        case unencodable(EZSPFrameError)
        case queueFull
    }

    /// Received bytes that led nowhere (for logs and tests).
    public enum Discard: Sendable, Hashable {
        case malformedFrame(EZSPFrameError)
        /// A response no pending command matches (wrong sequence or frame id, or nothing pending).
        case unmatchedResponse(sequence: UInt8, frameID: UInt16)
        /// A callback whose parameters did not decode.
        case malformedCallback(frameID: UInt16, ZigbeeCodecError)
    }

    public enum Event: Sendable, Hashable {
        case submit(EZSPRequest)
        /// An EZSP frame delivered by ASH.
        case received([UInt8])
        /// The timer from `.startResponseTimer` expired.
        case responseTimeout
        /// Start-up negotiated this protocol version; later frames use its header form.
        case setProtocolVersion(UInt8)
        /// ASH reported an unsolicited RSTACK (NCP reset).
        case linkReset
        /// ASH reported a failure (ERROR frame, retransmissions exhausted).
        case linkFailed
    }

    public enum Action: Sendable, Hashable {
        /// An EZSP frame for `ASHLink.Event.send(payload:)`.
        case send([UInt8])
        case startResponseTimer(milliseconds: Int)
        case cancelResponseTimer
        /// The response to the request with `tag`.
        case completed(tag: UInt64, frame: EZSPFrame)
        case failed(tag: UInt64, Failure)
        case callback(EZSPCallback)
        /// The NCP reported lost callbacks or memory exhaustion (overflow bit); a warning.
        case ncpOverflow
        case discarded(Discard)
        /// The NCP restarted or the link dropped: run start-up again (version negotiation first).
        case ncpReset
    }

    public let configuration: Configuration
    public private(set) var codec: EZSPFrameCodec = .initial
    private var nextSequence: UInt8 = 0
    private var outstanding: (request: EZSPRequest, sequence: UInt8)?
    private var queue: [EZSPRequest] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var isBusy: Bool { outstanding != nil }
    public var queuedCount: Int { queue.count }
    /// The version used to decode callbacks before negotiation finishes.
    private var decodeVersion: UInt8 { codec.protocolVersion ?? EZSPProtocolVersion.minimumSupported }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        switch event {
        case let .submit(request):
            if outstanding == nil {
                send(request, &actions)
            } else if queue.count >= configuration.maxQueued {
                actions.append(.failed(tag: request.tag, .queueFull))
            } else {
                queue.append(request)
            }
        case let .received(bytes):
            receive(bytes, &actions)
        case .responseTimeout:
            guard let pending = outstanding else { break }
            outstanding = nil
            actions.append(.failed(tag: pending.request.tag, .timeout))
            sendNext(&actions)
        case let .setProtocolVersion(version):
            codec = EZSPFrameCodec(protocolVersion: version)
        case .linkReset:
            drop(.ncpReset, &actions)
        case .linkFailed:
            drop(.linkFailed, &actions)
        }
        return actions
    }

    // MARK: Sending

    private mutating func send(_ request: EZSPRequest, _ actions: inout [Action]) {
        let sequence = nextSequence
        let frame: EZSPFrame
        do {
            frame = try codec.commandFrame(sequence: sequence, frameID: request.frameID, parameters: request.parameters,
                                           forceLegacy: request.forceLegacy)
        } catch {
            actions.append(.failed(tag: request.tag, .unencodable(error)))
            sendNext(&actions)
            return
        }
        nextSequence &+= 1
        outstanding = (request, sequence)
        actions.append(.send(frame.encoded()))
        actions.append(.startResponseTimer(milliseconds: configuration.responseTimeoutMilliseconds))
    }

    private mutating func sendNext(_ actions: inout [Action]) {
        while outstanding == nil, !queue.isEmpty {
            send(queue.removeFirst(), &actions)
        }
    }

    /// Fails everything pending and forgets the negotiated version.
    private mutating func drop(_ failure: Failure, _ actions: inout [Action]) {
        if let pending = outstanding {
            actions.append(.cancelResponseTimer)
            actions.append(.failed(tag: pending.request.tag, failure))
        }
        for request in queue { actions.append(.failed(tag: request.tag, failure)) }
        outstanding = nil
        queue.removeAll()
        codec = .initial
        actions.append(.ncpReset)
    }

    // MARK: Receiving

    private mutating func receive(_ bytes: [UInt8], _ actions: inout [Action]) {
        let frame: EZSPFrame
        do {
            frame = try codec.decode(bytes)
        } catch {
            actions.append(.discarded(.malformedFrame(error)))
            return
        }
        if frame.frameControl.overflow { actions.append(.ncpOverflow) }

        if frame.frameControl.callbackType != .none {
            deliverCallback(frame, &actions)
            // A synchronous callback is itself the answer to a pending `callback` command.
            if frame.frameControl.callbackType == .synchronous, let pending = outstanding,
               pending.request.frameID == EZSPCommands.Callback.id, pending.sequence == frame.sequence {
                complete(pending.request.tag, frame, &actions)
            }
            return
        }

        guard let pending = outstanding, pending.sequence == frame.sequence else {
            actions.append(.discarded(.unmatchedResponse(sequence: frame.sequence, frameID: frame.frameID)))
            return
        }
        if frame.frameID == Self.invalidCommandID && pending.request.frameID != Self.invalidCommandID {
            // The reason is one EzspStatus byte in every version, 14 included (zigbee-herdsman
            // reads "the INVALID_COMMAND status byte"; it is not among the fields v14 widened).
            let status = frame.parameters.first.map { NCPStatus.ezsp(EzspStatus(code: $0)) } ?? .ezsp(.other(0xFF))
            finish(pending.request.tag, .failed(tag: pending.request.tag, .invalidCommand(status)), &actions)
            return
        }
        let answersCallback = pending.request.frameID == EZSPCommands.Callback.id && frame.frameID == EZSPCallback.noCallbacksID
        guard frame.frameID == pending.request.frameID || answersCallback else {
            actions.append(.discarded(.unmatchedResponse(sequence: frame.sequence, frameID: frame.frameID)))
            return
        }
        if frame.frameControl.truncated {
            finish(pending.request.tag, .failed(tag: pending.request.tag, .truncated), &actions)
            return
        }
        complete(pending.request.tag, frame, &actions)
    }

    private mutating func complete(_ tag: UInt64, _ frame: EZSPFrame, _ actions: inout [Action]) {
        finish(tag, .completed(tag: tag, frame: frame), &actions)
    }

    private mutating func finish(_ tag: UInt64, _ outcome: Action, _ actions: inout [Action]) {
        outstanding = nil
        actions.append(.cancelResponseTimer)
        actions.append(outcome)
        sendNext(&actions)
    }

    private func deliverCallback(_ frame: EZSPFrame, _ actions: inout [Action]) {
        do {
            actions.append(.callback(try EZSPCallback.decode(frameID: frame.frameID, parameters: frame.parameters,
                                                             version: decodeVersion)))
        } catch let error as ZigbeeCodecError {
            actions.append(.discarded(.malformedCallback(frameID: frame.frameID, error)))
        } catch {
            actions.append(.discarded(.malformedCallback(frameID: frame.frameID, ZigbeeCodecError(.invalidValue))))
        }
    }

    /// `invalidCommand` (UG100 "Utilities Frames"): the NCP's answer to a command it rejects.
    public static let invalidCommandID: UInt16 = 0x0058
}
