import Testing
import VirtualSticks
import ZigbeeCore
import ZigbeeEZSP

/// The host's EZSP machines (ZigbeeEZSP's EZSPStartup + EZSPTransactions) against the virtual NCP,
/// frame for frame, without ASH in between.
struct EZSPHostHarness {
    var startup: EZSPStartup
    var transactions = EZSPTransactions()
    var ncp: VirtualEZSPNCP
    var now = 0.0
    var toNCP: [[UInt8]] = []
    var ready: EZSPStartup.NetworkInfo?
    var failure: EZSPStartupError?
    var callbacks: [EZSPCallback] = []
    var completed: [UInt64: EZSPFrame] = [:]
    var failed: [UInt64: EZSPTransactions.Failure] = [:]
    var discarded: [EZSPTransactions.Discard] = []

    static let formation = EZSPStartup.Formation(
        parameters: EmberNetworkParameters(extendedPanId: 0xDDDD_DDDD_DDDD_DDDD, panId: 0x1A62, radioTxPower: 8, radioChannel: 15),
        security: .coordinator(networkKey: EmberKeyData(Array(1...16))!))

    init(ncp: VirtualEZSPNCP, formation: EZSPStartup.Formation? = Self.formation) {
        self.ncp = ncp
        startup = EZSPStartup(configuration: EZSPStartup.Configuration(formation: formation))
    }

    var version: UInt8 { transactions.codec.protocolVersion ?? 0 }

    mutating func startup(_ event: EZSPStartup.Event) {
        for action in startup.handle(event) {
            switch action {
            case .submit(let request): transact(.submit(request))
            case .setProtocolVersion(let v): transact(.setProtocolVersion(v))
            case .ready(let info): ready = info
            case .failed(let error): failure = error
            default: break
            }
        }
    }

    mutating func transact(_ event: EZSPTransactions.Event) {
        for action in transactions.handle(event) {
            switch action {
            case .send(let bytes): toNCP.append(bytes)
            case .completed(let tag, let frame):
                if startup.owns(tag: tag) { startup(.completed(tag: tag, frame: frame)) } else { completed[tag] = frame }
            case .failed(let tag, let failure):
                if startup.owns(tag: tag) { startup(.failed(tag: tag, failure)) } else { failed[tag] = failure }
            case .callback(let callback):
                callbacks.append(callback)
                startup(.callback(callback))
            case .ncpReset: startup(.ncpReset)
            case .discarded(let d): discarded.append(d)
            default: break
            }
        }
    }

    /// Lets frames flow (and time pass in 0.1 s steps) until nothing moves.
    mutating func settle() {
        for _ in 0..<400 {
            if !toNCP.isEmpty {
                let frame = toNCP.removeFirst()
                for out in ncp.handle(ezspFrame: frame, at: now) { transact(.received(out)) }
                continue
            }
            now += 0.1
            let out = ncp.advance(to: now)
            if out.isEmpty && toNCP.isEmpty { return }
            for frame in out { transact(.received(frame)) }
        }
    }

    mutating func submit<C: EZSPCommand>(_ command: C, tag: UInt64) {
        transact(.submit(EZSPRequest(command, tag: tag, version: version)))
        settle()
    }

    func response<C: EZSPCommand>(_ type: C.Type, tag: UInt64) throws -> C.Response? {
        guard let frame = completed[tag] else { return nil }
        return try C.decodeResponse(frame.parameters, version: version)
    }
}

@Suite struct VirtualEZSPNCPTests {
    static func ncp(_ version: UInt8, scenario: ZigbeeScenario = .home, announce: Bool = false) -> VirtualEZSPNCP {
        VirtualEZSPNCP(network: scenario.network(),
                       configuration: .init(protocolVersion: version, announceMembersOnNetworkUp: announce))
    }

    static func started(_ version: UInt8, scenario: ZigbeeScenario = .home) -> EZSPHostHarness {
        var host = EZSPHostHarness(ncp: ncp(version, scenario: scenario))
        host.startup(.start)
        host.settle()
        return host
    }

    // MARK: Start-up

    @Test(arguments: [UInt8(8), 13, 14])
    func freshStartFormsTheNetwork(version: UInt8) {
        let host = Self.started(version)
        #expect(host.failure == nil)
        let info = host.ready
        #expect(info?.formed == true)
        #expect(info?.protocolVersion == version)
        #expect(info?.stackType == 2)
        #expect(info?.nodeId == 0x0000)
        #expect(info?.nodeType == .coordinator)
        #expect(info?.eui64 == VirtualEZSPNCP.Configuration().eui64)
        #expect(info?.parameters == EZSPHostHarness.formation.parameters)
        #expect(host.ncp.formed && host.ncp.networkUp)
        // The host asks for 14; older NCPs answer their own version and are asked again.
        let versions = host.ncp.commandLog.filter { $0 == 0x0000 }.count
        #expect(versions == (version == 14 ? 1 : 2))
        #expect(host.ncp.commandLog.contains(0x001E) && host.ncp.commandLog.contains(0x0068))
        #expect(host.ncp.outcomes.allSatisfy { if case .answered = $0 { true } else { false } })
        #expect(host.discarded.isEmpty)
    }

    @Test(arguments: [UInt8(8), 13, 14])
    func afterAResetTheStoredNetworkComesBack(version: UInt8) {
        var first = Self.started(version)
        #expect(first.ready?.formed == true)
        first.ncp.reset()
        #expect(!first.ncp.networkUp && first.ncp.formed)
        var host = EZSPHostHarness(ncp: first.ncp)
        host.startup(.start)
        host.settle()
        #expect(host.failure == nil)
        #expect(host.ready?.formed == false, "resumed, not formed again")
        #expect(host.ready?.parameters.panId == 0x1A62)
        #expect(host.callbacks.contains(.stackStatusHandler(status: version >= 14 ? .sl(.networkUp) : .ember(.networkUp))))
        let log = host.ncp.commandLog.suffix(from: first.ncp.commandLog.count)
        #expect(!log.contains(0x001E), "no formNetwork after the reset")
        #expect(log.contains(0x0017))
    }

    /// Without formation parameters the host stops at NOT_JOINED, which the NCP reports until formed.
    @Test func notJoinedWithoutANetwork() {
        var host = EZSPHostHarness(ncp: Self.ncp(13), formation: nil)
        host.startup(.start)
        host.settle()
        #expect(host.failure == .notJoinedAndFormingDisabled)
    }

    // MARK: Frames

    /// The legacy version exchange, byte for byte (zigbee-herdsman's fixture answer for a 7.4.1 NCP).
    @Test func legacyVersionAnswer() {
        var ncp = Self.ncp(13)
        #expect(ncp.handle(ezspFrame: [0x00, 0x00, 0x00, 0x0D], at: 0) == [[0x00, 0x80, 0x00, 0x0D, 0x02, 0x10, 0x74]])
        // Then extended: nop answered in the extended header.
        #expect(ncp.handle(ezspFrame: [0x01, 0x00, 0x01, 0x05, 0x00], at: 0) == [[0x01, 0x80, 0x01, 0x05, 0x00]])
    }

    @Test func commandsBeforeVersionAreRefused() {
        var ncp = Self.ncp(13)
        #expect(ncp.handle(ezspFrame: [0x07, 0x00, 0x05], at: 0) == [[0x07, 0x80, 0x58, 0x30]])
        #expect(ncp.outcomes == [.invalidCommand(frameID: 0x0005, reason: .versionNotSet)])
    }

    @Test(arguments: [UInt8(8), 13, 14])
    func unknownFrameIDsGetInvalidCommand(version: UInt8) {
        var host = Self.started(version)
        host.transact(.submit(EZSPRequest(tag: 1, frameID: 0x00FE, parameters: [])))
        host.settle()
        #expect(host.failed[1] == .invalidCommand(.ezsp(.invalidFrameID)))
        // A nop afterwards still works.
        host.submit(EZSPCommands.Nop(), tag: 2)
        #expect(host.completed[2] != nil)
    }

    @Test func configurationValuesAndValues() throws {
        var host = Self.started(13)
        host.submit(EZSPCommands.GetConfigurationValue(.stackProfile), tag: 1)
        let stackProfile = try host.response(EZSPCommands.GetConfigurationValue.self, tag: 1)
        #expect(stackProfile?.status.isSuccess == true && stackProfile?.value == 2)
        host.submit(EZSPCommands.GetConfigurationValue(.other(0xEE)), tag: 2)
        #expect(try host.response(EZSPCommands.GetConfigurationValue.self, tag: 2)?.status.isInvalidID == true)
        // Once the stack runs, configuration is fixed.
        host.submit(EZSPCommands.SetConfigurationValue(.maxHops, 10), tag: 3)
        #expect(try host.response(EZSPCommands.SetConfigurationValue.self, tag: 3)?.status == .ezsp(.invalidCall))
        host.submit(EZSPCommands.GetValue(.versionInfo), tag: 4)
        let info = try host.response(EZSPCommands.GetValue.self, tag: 4)
        #expect(info?.status.isSuccess == true && info?.value.count == 7 && info?.value[2] == 7)
        host.submit(try EZSPCommands.SetValue(.stackTokenWriting, [1]), tag: 5)
        #expect(try host.response(EZSPCommands.SetValue.self, tag: 5)?.status.isSuccess == true)
        host.submit(EZSPCommands.NetworkState(), tag: 6)
        #expect(try host.response(EZSPCommands.NetworkState.self, tag: 6)?.status == .joinedNetwork)
    }

    // MARK: Joining

    static func announces(_ callbacks: [EZSPCallback]) throws -> [ZDODeviceAnnounce] {
        try callbacks.compactMap { c -> ZDODeviceAnnounce? in
            guard case .incomingMessageHandler(let m) = c, m.apsFrame.clusterId == 0x0013 else { return nil }
            guard case .request(.deviceAnnounce(let a)) = try ZDOFrame(clusterId: 0x0013, bytes: m.message).message else { return nil }
            return a
        }
    }

    @Test(arguments: [UInt8(8), 13, 14])
    func permitJoiningLetsTheWaitingPlugJoin(version: UInt8) throws {
        var host = Self.started(version)
        host.callbacks = []
        host.submit(EZSPCommands.PermitJoining(duration: 60), tag: 1)
        #expect(try host.response(EZSPCommands.PermitJoining.self, tag: 1)?.status.isSuccess == true)
        let plug = IEEEAddress(0x00158D00_00000006)
        #expect(host.callbacks.contains(.trustCenterJoinHandler(.init(newNodeId: 0x1006, newNodeEUI64: plug,
                                                                      status: .standardSecurityUnsecuredJoin,
                                                                      policyDecision: .usePreconfiguredKey,
                                                                      parentOfNewNodeId: 0x0000))))
        let announce = try Self.announces(host.callbacks)
        #expect(announce.map(\.ieeeAddress) == [plug])
        #expect(announce.first?.networkAddress == 0x1006)
        #expect(host.callbacks.contains(.stackStatusHandler(status: version >= 14 ? .sl(.zigbeeNetworkOpened) : .ember(.networkOpened))))
        if version >= 14, case .incomingMessageHandler(let m)? = host.callbacks.first(where: { if case .incomingMessageHandler = $0 { true } else { false } }) {
            #expect(m.senderEUI64 == plug)
            #expect(m.type == .broadcast)
        }
        // The plug is a router: no child join.
        #expect(!host.callbacks.contains { if case .childJoinHandler = $0 { true } else { false } })
        // Permit-join runs out: NETWORK_CLOSED.
        host.now += 61
        for frame in host.ncp.advance(to: host.now) { host.transact(.received(frame)) }
        #expect(host.callbacks.last == .stackStatusHandler(status: version >= 14 ? .sl(.zigbeeNetworkClosed) : .ember(.networkClosed)))
    }

    /// An end device joining through a Mgmt_Permit_Joining broadcast: trust-centre join, child
    /// join (sleepy), Device_annce; removeDevice makes it leave again.
    @Test(arguments: [UInt8(13), 14])
    func endDeviceJoinsThroughABroadcastAndIsRemoved(version: UInt8) throws {
        let door = IEEEAddress(0x00158D00_000000D0)
        let scenario = ZigbeeScenario(devices: [.init(name: "Door", kind: .doorContact, ieee: door, joined: false)])
        var host = Self.started(version, scenario: scenario)
        host.callbacks = []
        let aps = EmberApsFrame(profileId: 0x0000, clusterId: 0x0036, sourceEndpoint: 0, destinationEndpoint: 0)
        host.submit(try EZSPCommands.SendBroadcast(destination: 0xFFFC, apsFrame: aps, radius: 30, messageTag: 0x21,
                                                   message: [0x05, 60, 0x01]), tag: 1)
        let sent = try host.response(EZSPCommands.SendBroadcast.self, tag: 1)
        #expect(sent?.status.isSuccess == true)
        guard case .messageSentHandler(let ms)? = host.callbacks.first else { Issue.record("no messageSentHandler first"); return }
        #expect(ms.status.isSuccess && ms.type == .broadcast && ms.indexOrDestination == 0xFFFC && ms.messageTag == 0x21)
        #expect(ms.apsFrame.sequence == sent?.apsSequence)
        #expect(host.callbacks.contains(.childJoinHandler(.init(index: 0, joining: true, childId: 0x1001, childEUI64: door,
                                                                childType: .sleepyEndDevice))))
        #expect(try Self.announces(host.callbacks).map(\.ieeeAddress) == [door])
        host.submit(EZSPCommands.GetChildData(index: 0), tag: 2)
        #expect(try host.response(EZSPCommands.GetChildData.self, tag: 2)?.child?.eui64 == door)

        host.callbacks = []
        host.submit(EZSPCommands.RemoveDevice(destinationShort: 0x1001, destinationLong: door, target: door), tag: 3)
        #expect(try host.response(EZSPCommands.RemoveDevice.self, tag: 3)?.status.isSuccess == true)
        #expect(host.callbacks.contains(.trustCenterJoinHandler(.init(newNodeId: 0x1001, newNodeEUI64: door, status: .deviceLeft,
                                                                      policyDecision: .noAction, parentOfNewNodeId: 0))))
        #expect(host.callbacks.contains(.childJoinHandler(.init(index: 0, joining: false, childId: 0x1001, childEUI64: door,
                                                                childType: .sleepyEndDevice))))
        #expect(!host.ncp.network.members.contains(door))
    }

    // MARK: Messaging

    static func toggle(_ destination: UInt16, tag: UInt16) throws -> EZSPCommands.SendUnicast {
        let zcl = ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, transactionSequence: 0x33, commandId: 0x02)
        let aps = EmberApsFrame(profileId: 0x0104, clusterId: 0x0006, sourceEndpoint: 1, destinationEndpoint: 1,
                                options: [.retry, .enableRouteDiscovery])
        return try EZSPCommands.SendUnicast(indexOrDestination: destination, apsFrame: aps, messageTag: tag, message: zcl.encoded())
    }

    @Test(arguments: [UInt8(8), 13, 14])
    func unicastToggleIsSentAndAnswered(version: UInt8) throws {
        var host = Self.started(version)
        host.callbacks = []
        #expect(host.ncp.network.device(named: "Hall light")?.networkAddress == 0x1002)
        host.submit(try Self.toggle(0x1002, tag: 0x0142), tag: 1)
        let sent = try host.response(EZSPCommands.SendUnicast.self, tag: 1)
        #expect(sent?.status.isSuccess == true)
        guard case .messageSentHandler(let ms)? = host.callbacks.first else { Issue.record("no messageSentHandler first"); return }
        #expect(ms.status.isSuccess && ms.type == .direct && ms.indexOrDestination == 0x1002)
        // Before 14 only the tag's low byte travels.
        #expect(ms.messageTag == (version >= 14 ? 0x0142 : 0x42))
        #expect(ms.apsFrame.clusterId == 0x0006 && ms.apsFrame.sequence == sent?.apsSequence)
        let replies = host.callbacks.compactMap { c -> EZSPCallback.IncomingMessage? in
            if case .incomingMessageHandler(let m) = c { m } else { nil }
        }
        let defaultResponse = try replies.first { $0.apsFrame.clusterId == 0x0006 }.map { try ZCLFrame(decoding: $0.message) }
        #expect(try defaultResponse?.globalCommand() == .defaultResponse(commandId: 0x02, status: .success))
        #expect(defaultResponse?.transactionSequence == 0x33)
        #expect(replies.first?.sender == 0x1002 && replies.first?.type == .unicast)
        #expect(replies.first?.apsMessage(localNodeId: 0).destinationEndpoint == 1)
    }

    @Test(arguments: [UInt8(13), 14])
    func unicastToAnUnknownNodeFailsDelivery(version: UInt8) throws {
        var host = Self.started(version)
        host.callbacks = []
        host.submit(try Self.toggle(0x7777, tag: 9), tag: 1)
        #expect(try host.response(EZSPCommands.SendUnicast.self, tag: 1)?.status.isSuccess == true)
        guard case .messageSentHandler(let ms)? = host.callbacks.first else { Issue.record("no messageSentHandler"); return }
        #expect(ms.status == (version >= 14 ? .sl(.zigbeeDeliveryFailed) : .ember(.deliveryFailed)))
        #expect(host.callbacks.count == 1)
    }

    @Test func leaveNetworkForgetsTheNetwork() throws {
        var host = Self.started(14)
        host.callbacks = []
        host.submit(EZSPCommands.LeaveNetwork(), tag: 1)
        #expect(try host.response(EZSPCommands.LeaveNetwork.self, tag: 1)?.status.isSuccess == true)
        #expect(host.callbacks == [.stackStatusHandler(status: .sl(.networkDown))])
        host.submit(try Self.toggle(0x1002, tag: 1), tag: 2)
        #expect(try host.response(EZSPCommands.SendUnicast.self, tag: 2)?.status == .sl(.networkDown))
        var again = EZSPHostHarness(ncp: { var n = host.ncp; n.reset(); return n }(), formation: nil)
        again.startup(.start)
        again.settle()
        #expect(again.failure == .notJoinedAndFormingDisabled)
    }

    /// With the default configuration the members of the home announce themselves once the
    /// network is up, so a host learns the devices that were paired before.
    @Test func membersAnnounceWhenTheNetworkComesUp() throws {
        var host = EZSPHostHarness(ncp: Self.ncp(13, announce: true))
        host.startup(.start)
        host.settle()
        #expect(host.ready != nil)
        #expect(try Self.announces(host.callbacks).count == ZigbeeScenario.home.devices.filter(\.joined).count)
    }

    /// Sensors report on their own once the network runs.
    @Test func devicesReportAsTimePasses() {
        var host = Self.started(13)
        host.callbacks = []
        host.now += 200
        for frame in host.ncp.advance(to: host.now) { host.transact(.received(frame)) }
        let reports = host.callbacks.filter { if case .incomingMessageHandler(let m) = $0 { m.apsFrame.profileId == 0x0104 } else { false } }
        #expect(!reports.isEmpty)
    }
}
