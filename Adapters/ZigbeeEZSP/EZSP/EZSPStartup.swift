import ZigbeeCore

/// NCP start-up as a pure state machine, driving `EZSPTransactions` through the owner:
///
/// 1. `version(desired)` in legacy form; the NCP answers its own protocol version. Below 8 →
///    `.unsupportedProtocolVersion`. Otherwise `.setProtocolVersion` (the owner passes it to the
///    transaction machine) and, when it differs from the one asked for, `version(ncp)` again in
///    extended form (bellows `EZSP.version`; UG100: other commands are refused until the versions
///    match).
/// 2. `setConfigurationValue` for each entry; an optional entry refused with INVALID_VALUE or
///    INVALID_ID gives a `.warning` and start-up goes on.
/// 3. `setPolicy` for each policy (trust center: joins with the well-known key and/or install codes).
/// 4. `addEndpoint`.
/// 5. `networkInit`: SUCCESS → wait for stackStatusHandler(NETWORK_UP); NOT_JOINED → with formation
///    parameters, `setInitialSecurityState` + `formNetwork`, then wait for NETWORK_UP.
/// 6. `getNodeId`, `getEui64`, `getNetworkParameters` → `.ready(info)`.
///
/// Any refusal, transaction failure or timeout ends in `.failed(EZSPStartupError)`.
public struct EZSPStartup: Sendable {
    public struct ConfigurationValue: Sendable, Hashable {
        public var id: EzspConfigId
        public var value: UInt16
        /// Refusal (INVALID_VALUE / INVALID_ID) is a warning, not a failure.
        public var optional: Bool

        public init(_ id: EzspConfigId, _ value: UInt16, optional: Bool = false) {
            self.id = id; self.value = value; self.optional = optional
        }
    }

    public struct Policy: Sendable, Hashable {
        public var id: EzspPolicyId
        public var decision: EzspDecision
        public init(_ id: EzspPolicyId, _ decision: EzspDecision) { self.id = id; self.decision = decision }
    }

    public struct Endpoint: Sendable, Hashable {
        public var endpoint: UInt8
        public var profileId: UInt16
        public var deviceId: UInt16
        public var deviceVersion: UInt8
        public var inputClusters: [UInt16]
        public var outputClusters: [UInt16]

        public init(endpoint: UInt8 = 1, profileId: UInt16 = ZigbeeAPSMessage.homeAutomationProfile,
                    deviceId: UInt16 = 0x0005, deviceVersion: UInt8 = 0,
                    inputClusters: [UInt16] = [0x0000, 0x0006, 0x000A, 0x0019, 0x0501],
                    outputClusters: [UInt16] = [0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0020,
                                                0x0300, 0x0402, 0x0405, 0x0406, 0x0500, 0x0702]) {
            self.endpoint = endpoint; self.profileId = profileId; self.deviceId = deviceId
            self.deviceVersion = deviceVersion; self.inputClusters = inputClusters; self.outputClusters = outputClusters
        }
    }

    /// What to form when the NCP holds no network.
    public struct Formation: Sendable, Hashable {
        public var parameters: EmberNetworkParameters
        public var security: EmberInitialSecurityState
        public init(parameters: EmberNetworkParameters, security: EmberInitialSecurityState) {
            self.parameters = parameters; self.security = security
        }
    }

    public struct Configuration: Sendable, Hashable {
        public var desiredProtocolVersion: UInt8
        public var configurationValues: [ConfigurationValue]
        public var policies: [Policy]
        public var endpoint: Endpoint
        /// nil: fail with `.notJoinedAndFormingDisabled` when no network is stored.
        public var formation: Formation?
        public var networkUpTimeoutMilliseconds: Int
        /// Tags of this machine's requests start here (so the owner can route outcomes).
        public var tagBase: UInt64

        public init(desiredProtocolVersion: UInt8 = EZSPProtocolVersion.preferred,
                    configurationValues: [ConfigurationValue] = Self.defaultConfigurationValues,
                    policies: [Policy] = Self.defaultPolicies(installCodes: false),
                    endpoint: Endpoint = Endpoint(), formation: Formation? = nil,
                    networkUpTimeoutMilliseconds: Int = 10_000, tagBase: UInt64 = 0x5354_0000_0000_0000) {
            self.desiredProtocolVersion = desiredProtocolVersion
            self.configurationValues = configurationValues
            self.policies = policies
            self.endpoint = endpoint
            self.formation = formation
            self.networkUpTimeoutMilliseconds = max(1, networkUpTimeoutMilliseconds)
            self.tagBase = tagBase
        }

        /// A coordinator's table sizes (values in the range bellows' defaults use; the optional
        /// ones vary by firmware build).
        public static let defaultConfigurationValues: [ConfigurationValue] = [
            .init(.stackProfile, 2),
            .init(.securityLevel, 5),
            .init(.maxEndDeviceChildren, 32, optional: true),
            .init(.addressTableSize, 16, optional: true),
            .init(.sourceRouteTableSize, 200, optional: true),
            .init(.apsUnicastMessageCount, 32, optional: true),
            .init(.multicastTableSize, 16, optional: true),
            .init(.keyTableSize, 4, optional: true),
            .init(.supportedNetworks, 1, optional: true),
            .init(.indirectTransmissionTimeout, 7680, optional: true),
            // Packet buffers last: the NCP sizes them from the memory the others left.
            .init(.packetBufferCount, 0xFF, optional: true),
        ]

        /// Trust-center policy admitting joins with the well-known key (and install-code keys when
        /// asked) plus unsecured rejoins; TC link-key requests answered with the current key.
        public static func defaultPolicies(installCodes: Bool) -> [Policy] {
            var trustCenter = EzspDecision.trustCenter(.allowJoins, .allowUnsecuredRejoins)
            if installCodes { trustCenter.rawValue |= EzspDecision.joinsUseInstallCodeKey.rawValue }
            return [
                .init(.trustCenterPolicy, trustCenter),
                .init(.tcKeyRequestPolicy, .allowTCKeyRequestsAndSendCurrentKey),
                .init(.appKeyRequestPolicy, .denyAppKeyRequests),
                .init(.messageContentsInCallbackPolicy, .messageTagOnlyInCallback),
            ]
        }
    }

    /// What start-up learned.
    public struct NetworkInfo: Sendable, Hashable {
        public var protocolVersion: UInt8
        public var stackType: UInt8
        public var stackVersion: UInt16
        public var nodeId: UInt16
        public var eui64: IEEEAddress
        public var nodeType: EmberNodeType
        public var parameters: EmberNetworkParameters
        /// True when this start-up formed the network, false when it resumed a stored one.
        public var formed: Bool
    }

    public enum Warning: Sendable, Hashable {
        case optionalConfigurationRejected(EzspConfigId, value: UInt16, NCPStatus)
    }

    public enum Phase: Sendable, Hashable {
        case idle
        case negotiatingVersion
        case confirmingVersion
        case configuring
        case settingPolicies
        case addingEndpoint
        case initialisingNetwork
        case settingSecurity
        case formingNetwork
        case waitingForNetworkUp
        case readingNodeInfo
        case ready
        case failed
    }

    public enum Event: Sendable, Hashable {
        case start
        /// `EZSPTransactions.Action.completed` for one of this machine's tags.
        case completed(tag: UInt64, frame: EZSPFrame)
        /// `EZSPTransactions.Action.failed` for one of this machine's tags.
        case failed(tag: UInt64, EZSPTransactions.Failure)
        case callback(EZSPCallback)
        /// The timer from `.startNetworkUpTimer` expired.
        case networkUpTimeout
        /// `EZSPTransactions.Action.ncpReset`.
        case ncpReset
    }

    public enum Action: Sendable, Hashable {
        /// Pass to `EZSPTransactions.Event.submit`.
        case submit(EZSPRequest)
        /// Pass to `EZSPTransactions.Event.setProtocolVersion`.
        case setProtocolVersion(UInt8)
        case startNetworkUpTimer(milliseconds: Int)
        case cancelNetworkUpTimer
        case warning(Warning)
        case ready(NetworkInfo)
        case failed(EZSPStartupError)
    }

    public let configuration: Configuration
    public private(set) var phase: Phase = .idle

    private var version: UInt8 = 0
    private var stackType: UInt8 = 0
    private var stackVersion: UInt16 = 0
    private var nextTag: UInt64
    private var pending: (tag: UInt64, frameID: UInt16)?
    private var stepIndex = 0
    private var formed = false
    private var networkUpSeen = false
    private var lastStackStatus: NCPStatus?
    private var nodeId: UInt16 = 0
    private var eui64 = IEEEAddress(0)

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.nextTag = configuration.tagBase
    }

    /// True for tags this machine issued (for routing transaction outcomes).
    public func owns(tag: UInt64) -> Bool { tag >= configuration.tagBase && tag < nextTag }

    public mutating func handle(_ event: Event) -> [Action] {
        var actions: [Action] = []
        switch event {
        case .start:
            restart(&actions)
        case let .completed(tag, frame):
            guard let request = pending, request.tag == tag else { break }
            pending = nil
            do {
                try advance(frame, &actions)
            } catch let error as ZigbeeCodecError {
                fail(.malformedResponse(frameID: request.frameID, error), &actions)
            } catch {
                fail(.malformedResponse(frameID: request.frameID, ZigbeeCodecError(.invalidValue)), &actions)
            }
        case let .failed(tag, failure):
            guard let request = pending, request.tag == tag else { break }
            pending = nil
            fail(.transactionFailed(frameID: request.frameID, failure), &actions)
        case let .callback(callback):
            stackStatus(callback, &actions)
        case .networkUpTimeout:
            guard phase == .waitingForNetworkUp else { break }
            fail(.networkDidNotComeUp(lastStackStatus: lastStackStatus), &actions)
        case .ncpReset:
            guard phase != .idle, phase != .failed, phase != .ready else { break }
            pending = nil
            fail(.ncpReset, &actions)
        }
        return actions
    }

    // MARK: Steps

    private mutating func restart(_ actions: inout [Action]) {
        if phase == .waitingForNetworkUp { actions.append(.cancelNetworkUpTimer) }
        pending = nil
        version = 0
        formed = false
        networkUpSeen = false
        lastStackStatus = nil
        phase = .negotiatingVersion
        submit(EZSPCommands.Version(desiredProtocolVersion: configuration.desiredProtocolVersion),
               forceLegacy: true, &actions)
    }

    private mutating func advance(_ frame: EZSPFrame, _ actions: inout [Action]) throws {
        let parameters = frame.parameters
        switch phase {
        case .negotiatingVersion:
            let answer = try EZSPCommands.Version.Response.decode(parameters, version: 0)
            stackType = answer.stackType
            stackVersion = answer.stackVersion
            guard answer.protocolVersion >= EZSPProtocolVersion.minimumSupported else {
                return fail(.unsupportedProtocolVersion(answer.protocolVersion), &actions)
            }
            version = answer.protocolVersion
            actions.append(.setProtocolVersion(version))
            if version != configuration.desiredProtocolVersion {
                phase = .confirmingVersion
                submit(EZSPCommands.Version(desiredProtocolVersion: version), &actions)
            } else {
                startConfiguring(&actions)
            }
        case .confirmingVersion:
            let answer = try EZSPCommands.Version.Response.decode(parameters, version: version)
            guard answer.protocolVersion == version else {
                return fail(.versionNotAccepted(requested: version, answered: answer.protocolVersion), &actions)
            }
            stackType = answer.stackType
            stackVersion = answer.stackVersion
            startConfiguring(&actions)
        case .configuring:
            let status = try EZSPCommands.SetConfigurationValue.decodeResponse(parameters, version: version).status
            let entry = configuration.configurationValues[stepIndex]
            if !status.isSuccess {
                guard entry.optional, status.isInvalidValue || status.isInvalidID else {
                    return fail(.configurationRejected(entry.id, status), &actions)
                }
                actions.append(.warning(.optionalConfigurationRejected(entry.id, value: entry.value, status)))
            }
            stepIndex += 1
            configureNext(&actions)
        case .settingPolicies:
            let status = try EZSPCommands.SetPolicy.decodeResponse(parameters, version: version).status
            guard status.isSuccess else {
                return fail(.policyRejected(configuration.policies[stepIndex].id, status), &actions)
            }
            stepIndex += 1
            setNextPolicy(&actions)
        case .addingEndpoint:
            let status = try EZSPCommands.AddEndpoint.decodeResponse(parameters, version: version).status
            guard status.isSuccess else { return fail(.endpointRejected(status), &actions) }
            phase = .initialisingNetwork
            submit(EZSPCommands.NetworkInit(), &actions)
        case .initialisingNetwork:
            let status = try EZSPCommands.NetworkInit.decodeResponse(parameters, version: version).status
            if status.isSuccess {
                waitForNetworkUp(&actions)
            } else if status.isNotJoined {
                guard let formation = configuration.formation else {
                    return fail(.notJoinedAndFormingDisabled, &actions)
                }
                phase = .settingSecurity
                submit(EZSPCommands.SetInitialSecurityState(formation.security), &actions)
            } else {
                fail(.networkInitFailed(status), &actions)
            }
        case .settingSecurity:
            let status = try EZSPCommands.SetInitialSecurityState.decodeResponse(parameters, version: version).status
            guard status.isSuccess, let formation = configuration.formation else {
                return fail(.securityStateRejected(status), &actions)
            }
            phase = .formingNetwork
            networkUpSeen = false
            submit(EZSPCommands.FormNetwork(formation.parameters), &actions)
        case .formingNetwork:
            let status = try EZSPCommands.FormNetwork.decodeResponse(parameters, version: version).status
            guard status.isSuccess else { return fail(.formNetworkFailed(status), &actions) }
            formed = true
            waitForNetworkUp(&actions)
        case .readingNodeInfo:
            try readNodeInfo(frame, &actions)
        case .idle, .waitingForNetworkUp, .ready, .failed:
            break
        }
    }

    private mutating func startConfiguring(_ actions: inout [Action]) {
        phase = .configuring
        stepIndex = 0
        configureNext(&actions)
    }

    private mutating func configureNext(_ actions: inout [Action]) {
        guard stepIndex < configuration.configurationValues.count else {
            phase = .settingPolicies
            stepIndex = 0
            return setNextPolicy(&actions)
        }
        let entry = configuration.configurationValues[stepIndex]
        submit(EZSPCommands.SetConfigurationValue(entry.id, entry.value), &actions)
    }

    private mutating func setNextPolicy(_ actions: inout [Action]) {
        guard stepIndex < configuration.policies.count else {
            phase = .addingEndpoint
            let endpoint = configuration.endpoint
            do {
                let command = try EZSPCommands.AddEndpoint(
                    endpoint: endpoint.endpoint, profileId: endpoint.profileId, deviceId: endpoint.deviceId,
                    deviceVersion: endpoint.deviceVersion, inputClusters: endpoint.inputClusters,
                    outputClusters: endpoint.outputClusters)
                submit(command, &actions)
            } catch {
                fail(.endpointRejected(.ezsp(.invalidValue)), &actions)
            }
            return
        }
        let policy = configuration.policies[stepIndex]
        submit(EZSPCommands.SetPolicy(policy.id, policy.decision), &actions)
    }

    private mutating func waitForNetworkUp(_ actions: inout [Action]) {
        if networkUpSeen {
            return readNodeId(&actions)
        }
        phase = .waitingForNetworkUp
        actions.append(.startNetworkUpTimer(milliseconds: configuration.networkUpTimeoutMilliseconds))
    }

    /// stackStatusHandler may arrive before the networkInit/formNetwork response; remember it.
    private mutating func stackStatus(_ callback: EZSPCallback, _ actions: inout [Action]) {
        guard case let .stackStatusHandler(status) = callback else { return }
        switch phase {
        case .initialisingNetwork, .formingNetwork, .waitingForNetworkUp:
            lastStackStatus = status
            guard status.isNetworkUp else { return }
            networkUpSeen = true
            if phase == .waitingForNetworkUp {
                actions.append(.cancelNetworkUpTimer)
                readNodeId(&actions)
            }
        default:
            return
        }
    }

    private mutating func readNodeId(_ actions: inout [Action]) {
        phase = .readingNodeInfo
        stepIndex = 0
        submit(EZSPCommands.GetNodeId(), &actions)
    }

    private mutating func readNodeInfo(_ frame: EZSPFrame, _ actions: inout [Action]) throws {
        switch frame.frameID {
        case EZSPCommands.GetNodeId.id:
            nodeId = try EZSPCommands.GetNodeId.decodeResponse(frame.parameters, version: version).nodeId
            submit(EZSPCommands.GetEui64(), &actions)
        case EZSPCommands.GetEui64.id:
            eui64 = try EZSPCommands.GetEui64.decodeResponse(frame.parameters, version: version).eui64
            submit(EZSPCommands.GetNetworkParameters(), &actions)
        default:
            let answer = try EZSPCommands.GetNetworkParameters.decodeResponse(frame.parameters, version: version)
            guard answer.status.isSuccess else { return fail(.networkParametersFailed(answer.status), &actions) }
            phase = .ready
            actions.append(.ready(NetworkInfo(protocolVersion: version, stackType: stackType, stackVersion: stackVersion,
                                              nodeId: nodeId, eui64: eui64, nodeType: answer.nodeType,
                                              parameters: answer.parameters, formed: formed)))
        }
    }

    private mutating func submit<C: EZSPCommand>(_ command: C, forceLegacy: Bool = false, _ actions: inout [Action]) {
        let tag = nextTag
        nextTag += 1
        pending = (tag, C.id)
        actions.append(.submit(EZSPRequest(command, tag: tag, version: version, forceLegacy: forceLegacy)))
    }

    private mutating func fail(_ error: EZSPStartupError, _ actions: inout [Action]) {
        if phase == .waitingForNetworkUp { actions.append(.cancelNetworkUpTimer) }
        phase = .failed
        pending = nil
        actions.append(.failed(error))
    }
}
