import ZigbeeCore
import ZigbeeEZSP

/// The EZSP layer of a Silicon Labs EmberZNet NCP acting as coordinator and trust centre of the
/// simulated ZigBee network. Pure: EZSP frames from the host in (as `VirtualASHNCP` delivers
/// them), EZSP frames out (responses, then the callbacks they cause); `advance(to:)` turns what
/// happens on the network meanwhile into callbacks.
///
/// Version handling follows UG100: the first `version` command comes in the legacy header and
/// is answered in it with the NCP's own protocol version; from then on (version 8 and later)
/// frames whose third byte is the extended frame-format marker are read and answered in the
/// extended header. Until `version` has been answered every other command gets
/// `invalidCommand(VERSION_NOT_SET)`. Field layouts switch at version 14 (sl_status, two-byte
/// message tags, the new messaging layouts) as in the host codec.
///
/// The NCP keeps its network like tokens in flash: after `reset()` (an RST or a watchdog)
/// `networkInit` answers SUCCESS and stackStatusHandler(NETWORK_UP) follows, as a real stick
/// restoring its network does; before any network was formed it answers NOT_JOINED.
public struct VirtualEZSPNCP: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// The EZSP protocol version the NCP runs (8 to 14 are modelled).
        public var protocolVersion: UInt8
        /// 2 = mesh stack.
        public var stackType: UInt8
        /// EmberZNet version as nibbles major.minor.patch.build.
        public var stackVersion: UInt16
        public var eui64: IEEEAddress
        /// Members announce themselves (Device_annce) when the network comes up, as devices do
        /// when their coordinator returns; lets a host learn a scenario's pre-joined devices.
        public var announceMembersOnNetworkUp: Bool

        public init(protocolVersion: UInt8 = 13, stackType: UInt8 = 2, stackVersion: UInt16? = nil,
                    eui64: IEEEAddress = IEEEAddress(0x000B_57FF_FE2C_0DE1), announceMembersOnNetworkUp: Bool = true) {
            self.protocolVersion = protocolVersion
            self.stackType = stackType
            self.stackVersion = stackVersion ?? Self.stackVersion(forProtocol: protocolVersion)
            self.eui64 = eui64
            self.announceMembersOnNetworkUp = announceMembersOnNetworkUp
        }

        /// An EmberZNet release that speaks `protocolVersion` (illustrative: 6.7 for 8 ... 8.0 for 14).
        public static func stackVersion(forProtocol version: UInt8) -> UInt16 {
            switch version {
            case ...8: 0x6700
            case 9: 0x6800
            case 10: 0x6A00
            case 11: 0x7000
            case 12: 0x7200
            case 13: 0x7410
            default: 0x8000
            }
        }
    }

    /// What the stack does with a frame, for tests and the stick's log.
    public enum Outcome: Sendable, Hashable {
        case answered(frameID: UInt16)
        /// Refused with invalidCommand and this EzspStatus.
        case invalidCommand(frameID: UInt16, reason: EzspStatus)
        /// Not an EZSP command (too short, or a response sent our way).
        case malformed
    }

    /// `invalidCommand` (UG100 "Utilities Frames").
    public static let invalidCommandID: UInt16 = 0x0058

    public let configuration: Configuration
    public private(set) var network: VirtualZigbeeNetwork
    var version: UInt8 { configuration.protocolVersion }

    // Volatile state (lost on reset).
    /// `version` was answered: other commands are accepted, extended frames understood.
    public private(set) var versionAnswered = false
    /// networkInit or formNetwork ran: configuration values are fixed until the next reset.
    public private(set) var stackStarted = false
    public private(set) var networkUp = false
    public private(set) var configurationValues: [UInt8: UInt16] = [:]
    public private(set) var policies: [UInt8: UInt8] = [:]
    public private(set) var endpoints: [UInt8] = []
    var values: [UInt8: [UInt8]] = [:]
    var securityStateSet = false
    var lastSequence: UInt8 = 0
    /// Callbacks the stack has queued for the host; they leave with the next `advance(to:)`.
    var deferred: [[UInt8]] = []
    var apsSequence: UInt8 = 0
    var permitJoinWasOpen = false

    // Non-volatile state (kept across resets, like the NCP's tokens).
    /// A network was formed and not left.
    public private(set) var formed = false
    public private(set) var networkParameters: EmberNetworkParameters?
    /// End-device children by IEEE address, with their child-table index.
    var children: [IEEEAddress: UInt8] = [:]

    /// Frame ids received, oldest first (the last 512).
    public private(set) var commandLog: [UInt16] = []
    public private(set) var outcomes: [Outcome] = []

    public init(network: VirtualZigbeeNetwork, configuration: Configuration = Configuration()) {
        self.network = network
        self.configuration = configuration
        resetVolatileState()
    }

    /// True when the host asked for message contents in messageSentHandler.
    var messageContentsInCallback: Bool {
        policies[EzspPolicyId.messageContentsInCallbackPolicy.code] == EzspDecision.messageTagAndContentsInCallback.rawValue
    }

    /// The NCP reboots (RST, watchdog, power): the EZSP session and stack state go; the formed
    /// network, its parameters and its members stay, as they live in tokens.
    public mutating func reset() {
        resetVolatileState()
    }

    mutating func resetVolatileState() {
        versionAnswered = false
        stackStarted = false
        networkUp = false
        securityStateSet = false
        deferred = []
        endpoints = []
        policies = [:]
        values = [:]
        configurationValues = Dictionary(uniqueKeysWithValues: EzspConfigId.known.map { ($0.1, Self.defaultConfigValue($0.0)) })
        if network.permitJoinOpen { _ = network.permitJoin(seconds: 0, at: 0) }
        permitJoinWasOpen = false
    }

    static func defaultConfigValue(_ id: EzspConfigId) -> UInt16 {
        switch id {
        case .packetBufferCount: 75
        case .neighborTableSize: 16
        case .stackProfile: 2
        case .securityLevel: 5
        case .maxHops: 30
        case .maxEndDeviceChildren: 32
        case .supportedNetworks: 1
        default: 8
        }
    }

    // MARK: Host frames

    /// One EZSP frame from the host. Returns the response and any callbacks it causes, in the
    /// order the NCP sends them.
    public mutating func handle(ezspFrame bytes: [UInt8], at now: Double) -> [[UInt8]] {
        guard bytes.count >= 3, bytes[1] & EZSPFrameControl.responseBit == 0 else {
            record(.malformed)
            return []
        }
        let extended = versionAnswered && version >= EZSPProtocolVersion.extendedFrames
            && bytes.count >= 5 && bytes[2] == EZSPFrameControl.formatVersion1
        let sequence = bytes[0]
        let frameID = extended ? UInt16(bytes[3]) | UInt16(bytes[4]) << 8 : UInt16(bytes[2])
        let parameters = Array(bytes[(extended ? 5 : 3)...])
        lastSequence = sequence
        commandLog.append(frameID)
        if commandLog.count > 512 { commandLog.removeFirst(commandLog.count - 512) }

        func reply(_ id: UInt16, _ p: [UInt8]) -> [UInt8] {
            responseFrame(sequence: sequence, commandControl: bytes[1], extended: extended, frameID: id, parameters: p)
        }
        func refuse(_ reason: EzspStatus) -> [[UInt8]] {
            record(.invalidCommand(frameID: frameID, reason: reason))
            return [reply(Self.invalidCommandID, [reason.code])]
        }

        guard frameID == EZSPCommands.Version.id || versionAnswered else { return refuse(.versionNotSet) }
        let answer: Answer?
        do {
            answer = try dispatch(frameID, parameters, at: now)
        } catch {
            return refuse(.truncated)
        }
        guard let answer else { return refuse(.invalidFrameID) }
        record(.answered(frameID: frameID))
        return [reply(answer.frameID ?? frameID, answer.parameters)] + answer.callbacks
    }

    /// Time passes on the network: queued callbacks leave, devices report, permit-join expires.
    public mutating func advance(to now: Double) -> [[UInt8]] {
        var out = deferred
        deferred = []
        guard networkUp else { return out }
        out += callbacks(for: network.advance(to: now), at: now)
        if permitJoinWasOpen && !network.permitJoinOpen {
            permitJoinWasOpen = false
            out.append(stackStatusCallback(.networkClosed))
        }
        return out
    }

    /// A device leaves on its own (its reset button): trustCenterJoinHandler(DEVICE_LEFT) and,
    /// for a child, childJoinHandler(leaving).
    public mutating func leave(deviceNamed name: String, at now: Double) -> [[UInt8]] {
        guard networkUp else { return [] }
        return callbacks(for: network.leave(deviceNamed: name), at: now)
    }

    mutating func record(_ outcome: Outcome) {
        outcomes.append(outcome)
        if outcomes.count > 512 { outcomes.removeFirst(outcomes.count - 512) }
    }

    // MARK: Commands

    struct Answer {
        var parameters: [UInt8]
        var callbacks: [[UInt8]] = []
        /// A different response frame id (the `callback` command answered by `noCallbacks`).
        var frameID: UInt16? = nil
    }

    /// nil: a frame id this NCP does not implement.
    mutating func dispatch(_ frameID: UInt16, _ parameters: [UInt8], at now: Double) throws -> Answer? {
        var r = ByteReader(parameters)
        switch frameID {
        case EZSPCommands.Version.id:
            _ = try r.readUInt8()
            versionAnswered = true
            var p = [version, configuration.stackType]
            p.appendLE(configuration.stackVersion)
            return Answer(parameters: p)
        case EZSPCommands.Nop.id:
            return Answer(parameters: [])
        case EZSPCommands.Callback.id:
            // Callbacks go out on their own over UART; nothing is ever held back.
            return Answer(parameters: [], frameID: EZSPCallback.noCallbacksID)
        case EZSPCommands.GetConfigurationValue.id:
            let id = try r.readUInt8()
            guard let value = configurationValues[id] else { return Answer(parameters: ezspStatus(.invalidID) + [0, 0]) }
            var p = ezspStatus(.success)
            p.appendLE(value)
            return Answer(parameters: p)
        case EZSPCommands.SetConfigurationValue.id:
            let id = try r.readUInt8()
            let value = try r.readUInt16()
            guard configurationValues[id] != nil else { return Answer(parameters: ezspStatus(.invalidID)) }
            guard !stackStarted else { return Answer(parameters: ezspStatus(.invalidCall)) }
            configurationValues[id] = value
            return Answer(parameters: ezspStatus(.success))
        case EZSPCommands.SetPolicy.id:
            let id = try r.readUInt8()
            let decision = try r.readUInt8()
            guard EzspPolicyId.known.contains(where: { $0.1 == id }) else { return Answer(parameters: ezspStatus(.invalidID)) }
            policies[id] = decision
            return Answer(parameters: ezspStatus(.success))
        case EZSPCommands.GetValue.id:
            return Answer(parameters: getValue(try r.readUInt8()))
        case EZSPCommands.SetValue.id:
            let id = try r.readUInt8()
            let value = try EZSPCommandReader.lengthPrefixed(&r)
            guard Self.settableValues.contains(id) else { return Answer(parameters: ezspStatus(.invalidID)) }
            values[id] = value
            return Answer(parameters: ezspStatus(.success))
        case EZSPCommands.AddEndpoint.id:
            let endpoint = try r.readUInt8()
            _ = try r.readBytes(5)
            let inputs = Int(try r.readUInt8()), outputs = Int(try r.readUInt8())
            _ = try r.readBytes(2 * (inputs + outputs))
            guard !stackStarted else { return Answer(parameters: ezspStatus(.invalidCall)) }
            guard endpoint != 0, !endpoints.contains(endpoint) else { return Answer(parameters: ezspStatus(.invalidValue)) }
            endpoints.append(endpoint)
            return Answer(parameters: ezspStatus(.success))
        case EZSPCommands.NetworkInit.id:
            if version >= 6 { _ = try r.readUInt16() }
            guard !networkUp else { return Answer(parameters: emberStatus(.invalidCall)) }
            stackStarted = true
            guard formed else { return Answer(parameters: emberStatus(.notJoined)) }
            comeUp()
            return Answer(parameters: emberStatus(.success))
        case EZSPCommands.SetInitialSecurityState.id:
            _ = try r.readBytes(EmberInitialSecurityState.encodedLength)
            guard !networkUp else { return Answer(parameters: emberStatus(.invalidCall)) }
            securityStateSet = true
            return Answer(parameters: emberStatus(.success))
        case EZSPCommands.FormNetwork.id:
            let requested = try EZSPCommandReader.networkParameters(&r)
            guard !networkUp, securityStateSet else { return Answer(parameters: emberStatus(.invalidCall)) }
            stackStarted = true
            formed = true
            networkParameters = requested
            children = [:]
            comeUp()
            return Answer(parameters: emberStatus(.success))
        case EZSPCommands.NetworkState.id:
            return Answer(parameters: [(networkUp ? EmberNetworkStatus.joinedNetwork : .noNetwork).code])
        case EZSPCommands.LeaveNetwork.id:
            guard networkUp else { return Answer(parameters: emberStatus(.invalidCall)) }
            networkUp = false
            formed = false
            networkParameters = nil
            children = [:]
            deferred.append(stackStatusCallback(.networkDown))
            return Answer(parameters: emberStatus(.success))
        case EZSPCommands.GetNodeId.id:
            var p: [UInt8] = []
            p.appendLE(networkUp ? UInt16(0x0000) : UInt16(0xFFFE))
            return Answer(parameters: p)
        case EZSPCommands.GetEui64.id:
            var p: [UInt8] = []
            p.appendLE(configuration.eui64.rawValue)
            return Answer(parameters: p)
        case EZSPCommands.GetNetworkParameters.id:
            guard networkUp, let stored = networkParameters else {
                return Answer(parameters: emberStatus(.notJoined) + [EmberNodeType.unknownDevice.code]
                              + [UInt8](repeating: 0, count: EmberNetworkParameters.encodedLength))
            }
            var p = emberStatus(.success) + [EmberNodeType.coordinator.code]
            stored.encode(into: &p)
            return Answer(parameters: p)
        case EZSPCommands.PermitJoining.id:
            let duration = try r.readUInt8()
            guard networkUp else { return Answer(parameters: emberStatus(.networkDown)) }
            let seconds = duration == 0xFF ? 1e9 : Double(duration)
            let events = network.permitJoin(seconds: seconds, at: now)
            var after: [[UInt8]] = []
            if duration > 0 {
                if !permitJoinWasOpen { after.append(stackStatusCallback(.networkOpened)) }
                permitJoinWasOpen = true
            } else if permitJoinWasOpen {
                permitJoinWasOpen = false
                after.append(stackStatusCallback(.networkClosed))
            }
            return Answer(parameters: emberStatus(.success), callbacks: after + callbacks(for: events, at: now))
        case EZSPCommands.SendUnicast.id:
            return try sendUnicast(&r, at: now)
        case EZSPCommands.SendBroadcast.id:
            return try sendBroadcast(&r, at: now)
        case EZSPCommands.SendMulticast.id:
            return try sendMulticast(&r)
        case EZSPCommands.RemoveDevice.id:
            _ = try r.readUInt16()
            _ = try r.readUInt64()
            let target = IEEEAddress(try r.readUInt64())
            guard networkUp else { return Answer(parameters: emberStatus(.networkDown)) }
            var events: [VirtualZigbeeNetwork.Event] = []
            if let device = network.devices.first(where: { $0.ieee == target }) {
                events = network.leave(deviceNamed: device.name)
            }
            return Answer(parameters: emberStatus(.success), callbacks: callbacks(for: events, at: now))
        case EZSPCommands.SetConcentrator.id:
            _ = try r.readBytes(10)
            return Answer(parameters: emberStatus(networkUp ? .success : .networkDown))
        case EZSPCommands.GetCurrentSecurityState.id:
            guard networkUp else {
                return Answer(parameters: emberStatus(.notJoined) + [UInt8](repeating: 0, count: 10))
            }
            // Trust centre with a global link key (EmberCurrentSecurityBitmask 0x0004) and
            // its network key present (0x0200).
            var p = emberStatus(.success)
            p.appendLE(UInt16(0x0204))
            p.appendLE(configuration.eui64.rawValue)
            return Answer(parameters: p)
        case EZSPCommands.NeighborCount.id:
            return Answer(parameters: [UInt8(neighbors.count)])
        case EZSPCommands.GetNeighbor.id:
            let index = Int(try r.readUInt8())
            guard index < neighbors.count else {
                return Answer(parameters: emberStatus(.notFound) + [UInt8](repeating: 0, count: 14))
            }
            let d = neighbors[index]
            var p = emberStatus(.success)
            p.appendLE(d.networkAddress)
            p += [200, 1, 1, 3]
            p.appendLE(d.ieee.rawValue)
            return Answer(parameters: p)
        case EZSPCommands.GetChildData.id:
            let index = try r.readUInt8()
            guard let (ieee, _) = children.first(where: { $0.value == index }),
                  let d = network.devices.first(where: { $0.ieee == ieee }) else {
                let length = 14 + (version >= EZSPProtocolVersion.childDataRemainingTimeout ? 4 : 0)
                return Answer(parameters: emberStatus(.notJoined) + [UInt8](repeating: 0, count: length))
            }
            var p = emberStatus(.success)
            p.appendLE(d.ieee.rawValue)
            p.append(Self.childType(d.macCapabilities).code)
            p.appendLE(d.networkAddress)
            p += [0, 0, 8]
            if version >= EZSPProtocolVersion.childDataRemainingTimeout { p.appendLE(UInt32(3600)) }
            return Answer(parameters: p)
        default:
            return nil
        }
    }

    /// The network comes up after networkInit/formNetwork: NETWORK_UP follows the response, then
    /// (optionally) the members announce themselves.
    mutating func comeUp() {
        networkUp = true
        // End devices already in the network are the coordinator's children.
        for d in network.devices where network.members.contains(d.ieee) && !d.macCapabilities.contains(.fullFunctionDevice)
            && children[d.ieee] == nil {
            children[d.ieee] = (0...UInt8.max).first { i in !children.values.contains(i) } ?? 0
        }
        deferred.append(stackStatusCallback(.networkUp))
        if configuration.announceMembersOnNetworkUp {
            deferred += callbacks(for: network.announceMembers(), at: 0)
        }
    }

    /// Router members: the coordinator's neighbours.
    var neighbors: [VirtualZigbeeDevice] {
        network.devices.filter { network.members.contains($0.ieee) && $0.macCapabilities.contains(.fullFunctionDevice) }
    }

    static let settableValues: Set<UInt8> = Set(EzspValueId.known.map(\.1))

    func getValue(_ id: UInt8) -> [UInt8] {
        var value: [UInt8]
        switch EzspValueId(code: id) {
        case .versionInfo:
            // EmberVersion: build 2, major, minor, patch, special, type (GA = 0xAA).
            let v = configuration.stackVersion
            value = []
            value.appendLE(UInt16(v & 0x000F) * 100 + 1)
            value += [UInt8(v >> 12), UInt8((v >> 8) & 0x0F), UInt8((v >> 4) & 0x0F), 0, 0xAA]
        case .freeBuffers:
            value = [UInt8(min(0xFF, configurationValues[EzspConfigId.packetBufferCount.code] ?? 75))]
        case .nodeShortID:
            value = []
            value.appendLE(networkUp ? UInt16(0) : UInt16(0xFFFE))
        case .maximumIncomingTransferSize, .maximumOutgoingTransferSize:
            value = []
            value.appendLE(UInt16(82))
        case .stackTokenWriting, .uartSynchCallbacks, .enableR21Behavior, .endDeviceKeepAliveSupportMode:
            value = values[id] ?? [0]
        default:
            guard let stored = values[id] else { return ezspStatus(.invalidID) + [0] }
            value = stored
        }
        return ezspStatus(.success) + [UInt8(value.count)] + value
    }

    static func childType(_ caps: ZigbeeMACCapabilities) -> EmberNodeType {
        caps.contains(.receiverOnWhenIdle) ? .endDevice : .sleepyEndDevice
    }

    // MARK: Messaging

    mutating func nextAPSSequence() -> UInt8 {
        apsSequence &+= 1
        return apsSequence
    }

    /// sendUnicast: type 1, destination 2, EmberApsFrame, tag 1|2, message. Answers status and
    /// APS sequence; messageSentHandler follows, then the device's replies.
    mutating func sendUnicast(_ r: inout ByteReader, at now: Double) throws -> Answer {
        let type = try r.readUInt8()
        let destination = try r.readUInt16()
        var aps = try EZSPCommandReader.apsFrame(&r)
        let tag = try EZSPCommandReader.tag(&r, version: version)
        let message = try EZSPCommandReader.lengthPrefixed(&r)
        guard networkUp else { return Answer(parameters: emberStatus(.networkDown) + [0]) }
        aps.sequence = nextAPSSequence()
        let response = emberStatus(.success) + [aps.sequence]
        let delivered = network.isMember(destination) || destination == 0x0000
        var after = [messageSentCallback(status: delivered ? .success : .deliveryFailed, type: type,
                                         destination: destination, apsFrame: aps, tag: tag, message: message)]
        if delivered && destination != 0x0000 {
            let m = ZigbeeAPSMessage(source: 0x0000, sourceEndpoint: aps.sourceEndpoint, destination: destination,
                                     destinationEndpoint: aps.destinationEndpoint, profileId: aps.profileId,
                                     clusterId: aps.clusterId, payload: message)
            after += callbacks(for: network.send(m, at: now), at: now)
        }
        return Answer(parameters: response, callbacks: after)
    }

    /// sendBroadcast, in the layout of the running version.
    mutating func sendBroadcast(_ r: inout ByteReader, at now: Double) throws -> Answer {
        if version >= EZSPProtocolVersion.slStatus {
            _ = try r.readUInt16() // alias
        }
        let destination = try r.readUInt16()
        if version >= EZSPProtocolVersion.slStatus {
            _ = try r.readUInt8() // NWK sequence
        }
        var aps = try EZSPCommandReader.apsFrame(&r)
        _ = try r.readUInt8() // radius
        let tag = try EZSPCommandReader.tag(&r, version: version)
        let message = try EZSPCommandReader.lengthPrefixed(&r)
        guard networkUp else { return Answer(parameters: emberStatus(.networkDown) + [0]) }
        guard destination >= 0xFFF8 else { return Answer(parameters: emberStatus(.badArgument) + [0]) }
        aps.sequence = nextAPSSequence()
        let m = ZigbeeAPSMessage(source: 0x0000, sourceEndpoint: aps.sourceEndpoint, destination: destination,
                                 destinationEndpoint: aps.destinationEndpoint, profileId: aps.profileId,
                                 clusterId: aps.clusterId, payload: message)
        let events = network.send(m, at: now)
        var after = [messageSentCallback(status: .success, type: EmberOutgoingMessageType.broadcast.code,
                                         destination: destination, apsFrame: aps, tag: tag, message: message)]
        if network.permitJoinOpen && !permitJoinWasOpen {
            permitJoinWasOpen = true
            after.append(stackStatusCallback(.networkOpened))
        }
        after += callbacks(for: events, at: now)
        return Answer(parameters: emberStatus(.success) + [aps.sequence], callbacks: after)
    }

    /// sendMulticast: accepted and reported sent; the simulated devices keep no groups.
    mutating func sendMulticast(_ r: inout ByteReader) throws -> Answer {
        var aps = try EZSPCommandReader.apsFrame(&r)
        _ = try r.readUInt8() // hops
        if version >= EZSPProtocolVersion.slStatus {
            _ = try r.readBytes(5) // broadcast address, alias, NWK sequence
        } else {
            _ = try r.readUInt8() // non-member radius
        }
        let tag = try EZSPCommandReader.tag(&r, version: version)
        let message = try EZSPCommandReader.lengthPrefixed(&r)
        guard networkUp else { return Answer(parameters: emberStatus(.networkDown) + [0]) }
        aps.sequence = nextAPSSequence()
        let sent = messageSentCallback(status: .success, type: EmberOutgoingMessageType.multicast.code,
                                       destination: aps.groupId, apsFrame: aps, tag: tag, message: message)
        return Answer(parameters: emberStatus(.success) + [aps.sequence], callbacks: [sent])
    }

    // MARK: Network events → callbacks

    mutating func callbacks(for events: [VirtualZigbeeNetwork.Event], at now: Double) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for event in events {
            switch event {
            case .message(let m):
                let eui = network.devices.first { $0.networkAddress == m.source }?.ieee
                out.append(incomingMessageCallback(m, senderEUI64: eui, apsSequence: nextAPSSequence(), at: now))
            case .joined(let ieee, let nwk, let caps):
                out.append(trustCenterJoinCallback(nodeId: nwk, ieee: ieee, update: .standardSecurityUnsecuredJoin,
                                                   decision: .usePreconfiguredKey))
                let capabilities = ZigbeeMACCapabilities(rawValue: caps)
                if !capabilities.contains(.fullFunctionDevice) {
                    let index = children[ieee] ?? (0...UInt8.max).first { i in !children.values.contains(i) } ?? 0
                    children[ieee] = index
                    out.append(childJoinCallback(index: index, joining: true, nodeId: nwk, ieee: ieee,
                                                 type: Self.childType(capabilities)))
                }
            case .left(let ieee, let nwk):
                if let index = children.removeValue(forKey: ieee) {
                    let caps = network.devices.first { $0.ieee == ieee }?.macCapabilities ?? []
                    out.append(childJoinCallback(index: index, joining: false, nodeId: nwk, ieee: ieee,
                                                 type: Self.childType(caps)))
                }
                out.append(trustCenterJoinCallback(nodeId: nwk, ieee: ieee, update: .deviceLeft, decision: .noAction))
            }
        }
        return out
    }
}
