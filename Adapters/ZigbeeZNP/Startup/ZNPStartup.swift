/// Brings a Z-Stack coordinator up, as a pure state machine on top of `ZNPLink`.
///
/// Sequence: SYS_PING (retried) → SYS_VERSION → read ZCD_NV_STARTUP_OPTION → read the host's
/// "has configured" NV marker. A configured device goes straight to ZDO_STARTUP_FROM_APP. An
/// unconfigured one (or one whose startup option asks to clear its state) is set up first: logical
/// type coordinator, soft reset, BDB primary/secondary channel masks, BDB network formation until the
/// final commissioning notification, then the marker is written. After ZDO_STARTUP_FROM_APP it waits
/// for ZDO_STATE_CHANGE_IND "started as coordinator" (0x09), asking UTIL_GET_DEVICE_INFO when the
/// wait times out, registers the host endpoint with AF_REGISTER and reports `.ready`.
///
/// Wiring: carry out `.send` by handing the request to `ZNPLink` with the same id, and feed the
/// link's `.completed` for those ids, its unclaimed `.callback`s and its `.reset`s back in. The one
/// timer (`.startTimer` / `.cancelTimer`) reports as `.timerExpired`. An unexpected device reset
/// restarts the sequence from the ping, `maximumRestarts` times.
public struct ZNPStartup: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Channels for network formation, bit n = channel n.
        public var channels: UInt32
        /// Form a network when the device is not configured yet; otherwise fail with `.notConfigured`.
        public var formIfUnconfigured: Bool
        /// The endpoint registered once the coordinator runs.
        public var endpoint: AFEndpoint
        public var pingAttempts: Int
        public var startDelayMilliseconds: UInt16
        /// Wait for the final BDB formation notification (energy scan included).
        public var formationTimeoutMilliseconds: Int
        /// Wait for "started as coordinator" after ZDO_STARTUP_FROM_APP.
        public var coordinatorTimeoutMilliseconds: Int
        /// Wait for SYS_RESET_IND after the soft reset during configuration.
        public var resetTimeoutMilliseconds: Int
        public var maximumRestarts: Int
        /// Request ids are taken from here upwards, to stay clear of the owner's own.
        public var firstRequestID: UInt64

        public init(channels: UInt32 = 1 << 11, formIfUnconfigured: Bool = true, endpoint: AFEndpoint = .defaultCoordinator,
                    pingAttempts: Int = 3, startDelayMilliseconds: UInt16 = 100, formationTimeoutMilliseconds: Int = 60_000,
                    coordinatorTimeoutMilliseconds: Int = 30_000, resetTimeoutMilliseconds: Int = 10_000,
                    maximumRestarts: Int = 1, firstRequestID: UInt64 = 1 << 48) {
            self.channels = channels
            self.formIfUnconfigured = formIfUnconfigured
            self.endpoint = endpoint
            self.pingAttempts = max(1, pingAttempts)
            self.startDelayMilliseconds = startDelayMilliseconds
            self.formationTimeoutMilliseconds = max(1, formationTimeoutMilliseconds)
            self.coordinatorTimeoutMilliseconds = max(1, coordinatorTimeoutMilliseconds)
            self.resetTimeoutMilliseconds = max(1, resetTimeoutMilliseconds)
            self.maximumRestarts = max(0, maximumRestarts)
            self.firstRequestID = firstRequestID
        }
    }

    public enum Step: Sendable, Hashable {
        case ping, version, readStartupOption, readConfiguredMarker
        case writeLogicalType, resetAfterConfiguration, setPrimaryChannels, setSecondaryChannels, formNetwork
        case createConfiguredMarker, writeConfiguredMarker
        case startup, waitForCoordinator, checkDeviceState, registerEndpoint, readDeviceInfo
    }

    public enum State: Sendable, Hashable {
        case idle
        case running(Step)
        case ready
        case failed
    }

    public enum Event: Sendable, Hashable {
        case start
        /// The link completed a request this machine sent.
        case completed(ZNPLink.RequestID, Result<ZNPLink.Reply, ZNPLink.Failure>)
        /// A callback the link passed up.
        case callback(ZNPCallback)
        /// The link reported an unsolicited reset.
        case reset(ZNPResetIndication)
        case timerExpired
    }

    public enum Action: Sendable, Hashable {
        case send(ZNPRequest, id: ZNPLink.RequestID, awaiting: ZNPCallbackMatcher?, callbackTimeoutMilliseconds: Int?)
        case startTimer(milliseconds: Int)
        case cancelTimer
        case ready(ZNPCoordinatorInfo)
        case failed(ZNPStartupError)
    }

    public let configuration: Configuration
    public private(set) var state: State = .idle

    private var nextID: UInt64
    private var inFlight: (id: ZNPLink.RequestID, step: Step)?
    private var timerRunning = false
    private var pingAttempt = 0
    private var restarts = 0
    private var lastDeviceState: ZNPDeviceState?
    private var info = ZNPCoordinatorInfo()

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.nextID = configuration.firstRequestID
    }

    /// The id of the request this machine is waiting on, if any.
    public var currentRequest: ZNPLink.RequestID? { inFlight?.id }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        switch event {
        case .start:
            restarts = 0
            begin(&actions)
        case let .completed(id, result):
            guard case .running = state, let current = inFlight, current.id == id else { return [] }
            inFlight = nil
            switch result {
            case .success(let reply):
                advance(after: current.step, reply, &actions)
            case .failure(.deviceReset(let indication)):
                deviceReset(indication, &actions)
            case .failure(.responseTimeout) where current.step == .ping && pingAttempt < configuration.pingAttempts:
                pingAttempt += 1
                send(.ping, .ping, &actions)
            case .failure(.responseTimeout) where current.step == .ping:
                fail(.noResponse, &actions)
            case .failure(let failure):
                fail(.requestFailed(current.step, failure), &actions)
            }
        case let .callback(callback):
            observe(callback, &actions)
        case let .reset(indication):
            // With a request in flight the link has already failed it (and that restarted us).
            guard case .running = state, inFlight == nil else { return [] }
            deviceReset(indication, &actions)
        case .timerExpired:
            guard timerRunning, state == .running(.waitForCoordinator) else { return [] }
            timerRunning = false
            send(.getDeviceInfo, .checkDeviceState, &actions)
        }
        return actions
    }

    // MARK: Sequence

    private mutating func begin(_ actions: inout [Action]) {
        stopTimer(&actions)
        inFlight = nil
        pingAttempt = 1
        lastDeviceState = nil
        info = ZNPCoordinatorInfo()
        send(.ping, .ping, &actions)
    }

    private mutating func advance(after step: Step, _ reply: ZNPLink.Reply, _ actions: inout [Action]) {
        let response = reply.response
        switch (step, response) {
        case (.ping, .capabilities(let capabilities)):
            info.capabilities = capabilities
            send(.version, .version, &actions)
        case (.version, .version(let version)):
            info.version = version
            send(.nvRead(.startupOption), .readStartupOption, &actions)
        case (.readStartupOption, .nvValue(let status, let value)):
            info.startupOption = status.isSuccess ? value.first : nil
            send(.nvRead(markerItem), .readConfiguredMarker, &actions)
        case (.readConfiguredMarker, .nvValue(let status, let value)):
            let marked = status.isSuccess && value.first == NVItemID.configuredMarker
            let clearing = (info.startupOption ?? 0) & 0x03 != 0
            if marked && !clearing {
                startNetwork(&actions)
            } else if configuration.formIfUnconfigured {
                info.formedNetwork = true
                send(.nvWrite(.logicalType, value: [0x00]), .writeLogicalType, &actions)
            } else {
                fail(.notConfigured, &actions)
            }
        case (.writeLogicalType, .status(let status)):
            guard expectSuccess(status, step, &actions) else { return }
            send(.reset(.soft), .resetAfterConfiguration, awaiting: .resetIndication,
                 timeout: configuration.resetTimeoutMilliseconds, &actions)
        case (.resetAfterConfiguration, .none):
            send(.bdbSetChannel(primary: true, channels: configuration.channels), .setPrimaryChannels, &actions)
        case (.setPrimaryChannels, .status(let status)):
            guard expectSuccess(status, step, &actions) else { return }
            send(.bdbSetChannel(primary: false, channels: 0), .setSecondaryChannels, &actions)
        case (.setSecondaryChannels, .status(let status)):
            guard expectSuccess(status, step, &actions) else { return }
            send(.bdbStartCommissioning(.networkFormation), .formNetwork, awaiting: .bdbCommissioningFinished,
                 timeout: configuration.formationTimeoutMilliseconds, &actions)
        case (.formNetwork, .status):
            guard case .bdbCommissioningNotification(let outcome, _, _)? = reply.callback else {
                fail(.unexpectedResponse(step), &actions)
                return
            }
            guard outcome == .success || outcome == .networkRestored else {
                fail(.formationFailed(outcome), &actions)
                return
            }
            send(.nvItemInit(markerItem, length: 1, initialValue: [NVItemID.configuredMarker]), .createConfiguredMarker, &actions)
        case (.createConfiguredMarker, .status(let status)):
            // SUCCESS: the item existed already; NV_ITEM_UNINIT: it was created.
            guard status == .success || status == .nvItemUninitialized else {
                fail(.unexpectedStatus(step, status), &actions)
                return
            }
            send(.nvWrite(markerItem, value: [NVItemID.configuredMarker]), .writeConfiguredMarker, &actions)
        case (.writeConfiguredMarker, .status(let status)):
            guard expectSuccess(status, step, &actions) else { return }
            startNetwork(&actions)
        case (.startup, .startupState(let startupState)):
            guard startupState != .notStarted else {
                fail(.startupFailed(startupState), &actions)
                return
            }
            if lastDeviceState == .coordinator {
                send(.afRegister(configuration.endpoint), .registerEndpoint, &actions)
            } else {
                state = .running(.waitForCoordinator)
                timerRunning = true
                actions.append(.startTimer(milliseconds: configuration.coordinatorTimeoutMilliseconds))
            }
        case (.checkDeviceState, .deviceInfo(let deviceInfo)):
            guard deviceInfo.state == .coordinator else {
                fail(.notCoordinator(deviceInfo.state), &actions)
                return
            }
            lastDeviceState = .coordinator
            send(.afRegister(configuration.endpoint), .registerEndpoint, &actions)
        case (.registerEndpoint, .status(let status)):
            // APS_DUPLICATE_ENTRY: registered before (the host restarted, the device did not).
            guard status == .success || status == .apsDuplicateEntry else {
                fail(.unexpectedStatus(step, status), &actions)
                return
            }
            send(.getDeviceInfo, .readDeviceInfo, &actions)
        case (.readDeviceInfo, .deviceInfo(let deviceInfo)):
            info.deviceInfo = deviceInfo
            state = .ready
            actions.append(.ready(info))
        default:
            fail(.unexpectedResponse(step), &actions)
        }
    }

    private var markerItem: NVItemID {
        info.version?.isZStack12 == true ? .hasConfiguredZStack12 : .hasConfiguredZStack3
    }

    private mutating func startNetwork(_ actions: inout [Action]) {
        send(.startupFromApp(delayMilliseconds: configuration.startDelayMilliseconds), .startup, &actions)
    }

    private mutating func observe(_ callback: ZNPCallback, _ actions: inout [Action]) {
        guard case .running = state, case .stateChanged(let deviceState) = callback else { return }
        lastDeviceState = deviceState
        if deviceState == .coordinator, state == .running(.waitForCoordinator) {
            stopTimer(&actions)
            send(.afRegister(configuration.endpoint), .registerEndpoint, &actions)
        }
    }

    private mutating func deviceReset(_ indication: ZNPResetIndication, _ actions: inout [Action]) {
        guard restarts < configuration.maximumRestarts else {
            fail(.deviceReset(indication), &actions)
            return
        }
        restarts += 1
        begin(&actions)
    }

    // MARK: Helpers

    private mutating func send(_ request: ZNPRequest, _ step: Step, awaiting: ZNPCallbackMatcher? = nil, timeout: Int? = nil,
                               _ actions: inout [Action]) {
        let id = ZNPLink.RequestID(nextID)
        nextID &+= 1
        inFlight = (id, step)
        state = .running(step)
        actions.append(.send(request, id: id, awaiting: awaiting, callbackTimeoutMilliseconds: timeout))
    }

    private mutating func expectSuccess(_ status: MTStatus, _ step: Step, _ actions: inout [Action]) -> Bool {
        if status.isSuccess { return true }
        fail(.unexpectedStatus(step, status), &actions)
        return false
    }

    private mutating func stopTimer(_ actions: inout [Action]) {
        if timerRunning {
            timerRunning = false
            actions.append(.cancelTimer)
        }
    }

    private mutating func fail(_ error: ZNPStartupError, _ actions: inout [Action]) {
        stopTimer(&actions)
        inFlight = nil
        state = .failed
        actions.append(.failed(error))
    }
}
