import Testing
import VirtualSticks
import ZigbeeCore
import ZigbeeZNP

/// The virtual Z-Stack coordinator driven by ZigbeeZNP's own host machines (`ZNPStartup` on
/// `ZNPLink`) over encoded MT bytes, so the two sides have to agree on every frame.
@Suite struct VirtualZNPCoordinatorTests {
    static let plug = IEEEAddress(0x00158D00_00000006)

    /// Host and device with an instantaneous wire between them.
    struct Bench {
        var host = ZNPHost()
        var device: VirtualZNPCoordinator
        var now: Double = 0
        private var deviceDecoder = MTDecoder()

        init(network: VirtualZigbeeNetwork = ZigbeeScenario.home.network(), flash: VirtualZNPFlash = .factory) {
            device = VirtualZNPCoordinator(network: network, flash: flash)
        }

        /// Carries bytes both ways until both sides are quiet.
        mutating func run() {
            while true {
                let writes = host.takeOutgoing()
                if writes.isEmpty { return }
                for bytes in writes {
                    for output in deviceDecoder.feed(bytes) {
                        guard case .frame(let frame) = output else { continue }
                        deliver(device.handle(frame: frame, at: now))
                    }
                }
            }
        }

        mutating func deliver(_ frames: [MTFrame]) {
            for frame in frames { host.receive(try! frame.encoded()) }
        }

        mutating func advance(by seconds: Double) {
            now += seconds
            deliver(device.advance(to: now))
            run()
        }

        mutating func startHost() {
            host.start()
            run()
        }

        mutating func request(_ request: ZNPRequest, id: UInt64) {
            host.send(request, id: id)
            run()
        }
    }

    static func announces(_ callbacks: [ZNPCallback]) -> [ZNPEndDeviceAnnounce] {
        callbacks.compactMap { if case .endDeviceAnnounce(let a) = $0 { a } else { nil } }
    }

    // MARK: Start-up

    @Test func startUpFromBlankNVFormsTheNetwork() throws {
        var bench = Bench()
        bench.startHost()
        let info = try #require(bench.host.ready, "start-up failed: \(String(describing: bench.host.failure))")
        #expect(info.formedNetwork)
        #expect(info.version?.productID == 1 && info.version?.major == 2)
        #expect(info.deviceInfo?.state == .coordinator && info.deviceInfo?.networkAddress == 0x0000)
        #expect(info.capabilities.contains(.appConfig))
        #expect(bench.device.isUp)
        #expect(bench.device.flash.network?.channel == 11, "the host asked for channel 11 only")
        #expect(bench.device.flash.items[NVItemID.hasConfiguredZStack3.rawValue] == [NVItemID.configuredMarker])
        #expect(bench.device.receivedCommands.contains("APP_CNF/0x5"), "formed through BDB commissioning")
        #expect(bench.device.endpoints[1]?.profileID == 0x0104)
        #expect(bench.host.unexpected.isEmpty)
        // The devices already in the network announce themselves a moment later.
        bench.advance(by: 2)
        #expect(Self.announces(bench.host.callbacks).count == 5)
    }

    @Test func startUpAfterAResetRestoresWithoutForming() throws {
        var bench = Bench()
        bench.startHost()
        let formed = try #require(bench.device.flash.network)

        // The host resets the stick (SYS_RESET_REQ → SYS_RESET_IND) and starts again.
        bench.request(.reset(.soft), id: 1)
        guard case .success(let reply)? = bench.host.completed[1], case .resetIndication? = reply.callback else {
            Issue.record("no SYS_RESET_IND after SYS_RESET_REQ: \(String(describing: bench.host.completed[1]))")
            return
        }
        #expect(!bench.device.isUp && bench.device.endpoints.isEmpty, "RAM state is gone after a reset")
        let before = bench.device.receivedCommands.count
        bench.startHost()
        let info = try #require(bench.host.ready, "restart failed: \(String(describing: bench.host.failure))")
        #expect(!info.formedNetwork)
        #expect(bench.device.flash.network == formed, "same PAN, channel and key as before")
        #expect(!bench.device.receivedCommands[before...].contains("APP_CNF/0x5"), "no re-formation")
        #expect(bench.device.receivedCommands[before...].contains("ZDO/0x40"))

        // An unsolicited reset (watchdog) is reported to the host; the network survives it too.
        bench.deliver(bench.device.reset(reason: .watchdog))
        #expect(bench.host.resets.count == 1)
        bench.startHost()
        #expect(bench.host.ready?.formedNetwork == false)
        #expect(bench.device.flash.network == formed)
    }

    @Test func startupOptionClearingStateFormsAgain() throws {
        var bench = Bench()
        bench.startHost()
        bench.request(.nvWrite(.startupOption, value: [0x03]), id: 1)
        bench.request(.reset(.soft), id: 2)
        #expect(bench.device.flash.network == nil && bench.device.flash.items[0x0060] == nil, "cleared at the reset")
        bench.startHost()
        #expect(bench.host.ready?.formedNetwork == true)
    }

    // MARK: Joining

    @Test func permitJoinLetsTheWaitingPlugJoinAndAnnounce() throws {
        var bench = Bench()
        bench.startHost()
        bench.advance(by: 2)
        bench.host.callbacks.removeAll()
        bench.request(.permitJoin(.allRouters, seconds: 60), id: 1)
        guard case .zdoResponse(let source, .mgmtPermitJoining(.success))? = bench.host.callback(of: 1) else {
            Issue.record("no ZDO_MGMT_PERMIT_JOIN_RSP: \(String(describing: bench.host.completed[1]))")
            return
        }
        #expect(source == 0x0000)
        #expect(Self.announces(bench.host.callbacks).isEmpty, "joining takes a moment")
        bench.advance(by: 1)
        let announce = try #require(Self.announces(bench.host.callbacks).first)
        #expect(announce.ieeeAddress == Self.plug && announce.networkAddress == 0x1006)
        #expect(announce.capabilities.contains(.mainsPowered))
        // ZDO_TC_DEV_IND comes first; ZigbeeZNP does not type it, so it is passed up as unknown.
        guard case .unknown(.zdo, 0xCA, let payload)? = bench.host.callbacks.first else {
            Issue.record("no ZDO_TC_DEV_IND first: \(bench.host.callbacks)")
            return
        }
        #expect(payload.count == 12 && payload[0] == 0x06 && payload[1] == 0x10)
        #expect(bench.device.network.permitJoinOpen)
    }

    @Test func deviceLeavingIsIndicated() {
        var bench = Bench()
        bench.startHost()
        bench.host.callbacks.removeAll()
        bench.deliver(bench.device.leave(deviceNamed: "Back door"))
        guard case .leaveIndication(let leave)? = bench.host.callbacks.last else {
            Issue.record("no ZDO_LEAVE_IND: \(bench.host.callbacks)")
            return
        }
        #expect(leave.networkAddress == 0x1005 && !leave.rejoin)
    }

    // MARK: AF

    @Test func onOffToggleIsConfirmedAndAnsweredWithADefaultResponse() throws {
        var bench = Bench()
        bench.startHost()
        let before = bench.device.network.device(named: "Hall light")?.value(cluster: ZCLClusterID.onOff, attribute: 0)
        bench.host.callbacks.removeAll()
        let toggle = ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, transactionSequence: 0x42, commandId: 0x02)
        bench.request(.afDataRequest(AFDataRequest(destination: 0x1002, destinationEndpoint: 1, clusterID: ZCLClusterID.onOff,
                                                   transactionID: 7, data: toggle.encoded())), id: 1)
        guard case .success(let reply)? = bench.host.completed[1] else {
            Issue.record("AF_DATA_REQUEST failed: \(String(describing: bench.host.completed[1]))")
            return
        }
        #expect(reply.response == .status(.success))
        #expect(reply.callback == .afDataConfirm(status: .success, endpoint: 1, transactionID: 7))
        let incoming = bench.host.callbacks.compactMap { if case .afIncomingMessage(let m) = $0 { m } else { nil } }
        let answer = try #require(incoming.first { $0.sourceAddress == 0x1002 && $0.clusterID == ZCLClusterID.onOff })
        #expect(answer.destinationEndpoint == 1 && answer.sourceEndpoint == 1 && answer.macSourceAddress == 0x1002)
        let frame = try ZCLFrame(decoding: answer.data)
        #expect(frame.transactionSequence == 0x42)
        #expect(try frame.globalCommand() == .defaultResponse(commandId: 0x02, status: .success))
        let after = bench.device.network.device(named: "Hall light")?.value(cluster: ZCLClusterID.onOff, attribute: 0)
        #expect(before != after, "the light toggled")
    }

    @Test func dataRequestToAnUnknownAddressFailsInTheConfirm() {
        var bench = Bench()
        bench.startHost()
        bench.request(.afDataRequest(AFDataRequest(destination: 0x7777, destinationEndpoint: 1, clusterID: 6, transactionID: 9, data: [0x01, 0x01, 0x02])), id: 1)
        #expect(bench.host.callback(of: 1) == .afDataConfirm(status: .nwkNoRoute, endpoint: 1, transactionID: 9))
        // From an endpoint nobody registered, Z-Stack refuses at once.
        bench.request(.afDataRequest(AFDataRequest(destination: 0x1001, destinationEndpoint: 1, sourceEndpoint: 9, clusterID: 6,
                                                   transactionID: 10, data: [0x01, 0x01, 0x02])), id: 2)
        #expect(bench.host.completed[2] == .failure(.rejected(.status(.invalidParameter))))
    }

    // MARK: ZDO

    @Test func zdoRequestsAreAnsweredWithTheirCallbacks() throws {
        var bench = Bench()
        bench.startHost()
        bench.request(.nodeDescriptor(of: 0x1001), id: 1)
        guard case .zdoResponse(0x1001, .nodeDescriptor(.success, 0x1001, let descriptor?))? = bench.host.callback(of: 1) else {
            Issue.record("node descriptor: \(String(describing: bench.host.completed[1]))")
            return
        }
        #expect(descriptor.logicalType == .router)
        bench.request(.activeEndpoints(of: 0x1003), id: 2)
        guard case .zdoResponse(0x1003, .activeEndpoints(.success, 0x1003, let endpoints))? = bench.host.callback(of: 2) else {
            Issue.record("active endpoints: \(String(describing: bench.host.completed[2]))")
            return
        }
        #expect(endpoints == [1])
        bench.request(.simpleDescriptor(of: 0x1003, endpoint: 1), id: 3)
        guard case .zdoResponse(0x1003, .simpleDescriptor(.success, 0x1003, let simple?))? = bench.host.callback(of: 3) else {
            Issue.record("simple descriptor: \(String(describing: bench.host.completed[3]))")
            return
        }
        #expect(simple.profileId == 0x0104 && !simple.inputClusters.isEmpty)
        bench.request(.bind(target: 0x1001, source: IEEEAddress(0x00158D00_00000001), sourceEndpoint: 1, clusterID: 6,
                            destination: .device(bench.device.configuration.ieee, endpoint: 1)), id: 4)
        #expect(bench.host.callback(of: 4) == .zdoResponse(source: 0x1001, .bind(.success)))
        bench.request(.mgmtLeave(target: 0x1004, device: IEEEAddress(0x00158D00_00000004)), id: 5)
        #expect(bench.host.callback(of: 5) == .zdoResponse(source: 0x1004, .mgmtLeave(.success)))
        #expect(bench.host.callbacks.contains { if case .leaveIndication(let l) = $0 { l.networkAddress == 0x1004 } else { false } })
        #expect(!bench.device.network.isMember(0x1004))
        // The coordinator answers about itself.
        bench.request(.activeEndpoints(of: 0x0000), id: 6)
        #expect(bench.host.callback(of: 6) == .zdoResponse(source: 0x0000, .activeEndpoints(status: .success, networkAddress: 0, endpoints: [1])))
    }

    /// Every request ZigbeeZNP can send. The switch makes a new `ZNPRequest` case fail to compile
    /// here until the virtual coordinator has been taught it.
    static func allRequests(coordinator ieee: IEEEAddress) -> [ZNPRequest] {
        let requests: [ZNPRequest] = [
            .ping, .version, .nvRead(.startupOption), .nvWrite(.logicalType, value: [0]),
            .nvItemInit(NVItemID(rawValue: 0x0F01), length: 2, initialValue: [1, 2]), .setTxPower(dBm: 20), .getDeviceInfo,
            .afRegister(AFEndpoint(endpoint: 2, profileID: 0x0104, deviceID: 5)),
            .afDataRequest(AFDataRequest(destination: 0x1001, destinationEndpoint: 1, clusterID: 6, transactionID: 1, data: [0x01, 0x01, 0x01])),
            .startupFromApp(delayMilliseconds: 100), .permitJoin(.device(0x0000), seconds: 10), .permitJoin(.allRouters, seconds: 0),
            .nodeDescriptor(of: 0x1002), .activeEndpoints(of: 0x1002), .simpleDescriptor(of: 0x1002, endpoint: 1),
            .bind(target: 0x1002, source: IEEEAddress(0x00158D00_00000002), sourceEndpoint: 1, clusterID: 6, destination: .group(0x0042)),
            .mgmtLeave(target: 0x1003, device: IEEEAddress(0x00158D00_00000003)),
            .bdbStartCommissioning(.networkSteering), .bdbSetChannel(primary: true, channels: 1 << 15),
            .setNetworkFrameCounter(1000), .reset(.hard),
        ]
        for request in requests {
            switch request {
            case .ping, .version, .reset, .nvRead, .nvWrite, .nvItemInit, .setTxPower, .getDeviceInfo, .afRegister, .afDataRequest,
                 .startupFromApp, .permitJoin, .nodeDescriptor, .activeEndpoints, .simpleDescriptor, .bind, .mgmtLeave,
                 .bdbStartCommissioning, .bdbSetChannel, .setNetworkFrameCounter:
                break
            }
        }
        return requests
    }

    @Test func everyRequestZigbeeZNPSendsIsAnsweredAndCompletes() {
        var bench = Bench()
        bench.startHost()
        for (index, request) in Self.allRequests(coordinator: bench.device.configuration.ieee).enumerated() {
            let id = UInt64(index + 1)
            bench.request(request, id: id)
            guard case .success(let reply)? = bench.host.completed[id] else {
                Issue.record("\(request): \(String(describing: bench.host.completed[id]))")
                continue
            }
            if let status = reply.response.status { #expect(status == .success || status == .nvItemUninitialized, "\(request)") }
            if request.expectedCallback != nil { #expect(reply.callback != nil, "\(request) got its callback") }
        }
        #expect(bench.host.unexpected.isEmpty)
    }

    // MARK: Robustness

    @Test func unknownCommandsGetAnRPCErrorLikeZStack() {
        var device = VirtualZNPCoordinator(network: ZigbeeScenario.home.network())
        let unknownID = MTFrame(type: .sreq, subsystem: .sys, commandID: 0x55)
        #expect(device.handle(frame: unknownID, at: 0) == [MTFrame(type: .srsp, subsystem: .rpcError, commandID: 0, payload: [0x02, 0x21, 0x55])])
        let unknownSubsystem = MTFrame(type: .sreq, subsystem: MTSubsystem(rawValue: 0x1E), commandID: 0x01)
        #expect(device.handle(frame: unknownSubsystem, at: 0).first?.payload == [0x01, 0x3E, 0x01])
        #expect(device.handle(frame: MTFrame(type: .areq, subsystem: .af, commandID: 0x33), at: 0).isEmpty, "unknown AREQs are ignored")
        // Through the link, the host sees it as an RPC error on that request.
        var host = ZNPHost()
        host.send(.ping, id: 1)
        for bytes in host.takeOutgoing() {
            var decoder = MTDecoder()
            for case .frame(var frame) in decoder.feed(bytes) {
                frame.commandID = 0x55
                for answer in device.handle(frame: frame, at: 0) { host.receive(try! answer.encoded()) }
            }
        }
        #expect(host.unexpected.count == 1, "an RPC error naming another command is stale for the link")
    }

    @Test func everySREQGetsExactlyOneSRSPAndGarbageDoesNotCrash() {
        var device = VirtualZNPCoordinator(network: ZigbeeScenario.home.network())
        var rng = SplitMix(seed: 0x5EED)
        for subsystem in UInt8(0)..<32 {
            for id in UInt8(0)...255 {
                let payload = (0..<Int(rng.next() % 24)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let request = MTFrame(type: .sreq, subsystem: MTSubsystem(rawValue: subsystem), commandID: id, payload: payload)
                let answers = device.handle(frame: request, at: Double(subsystem))
                let srsps = answers.filter { $0.type == .srsp }
                #expect(srsps.count == 1, "\(request.subsystem) 0x\(String(id, radix: 16))")
                if let srsp = srsps.first, srsp.subsystem != .rpcError {
                    #expect(srsp.subsystem == request.subsystem && srsp.commandID == id)
                }
                #expect(answers.first?.type == .srsp, "the SRSP comes before any AREQ")
                for answer in answers { #expect((try? answer.encoded()) != nil) }
            }
        }
        // Raw line noise through the decoder.
        var decoder = MTDecoder()
        for _ in 0..<20_000 {
            let chunk = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            for case .frame(let frame) in decoder.feed(chunk) { _ = device.handle(frame: frame, at: 100) }
        }
        _ = device.advance(to: 1000)
    }
}

/// A small deterministic generator for the garbage tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
