import Testing
@testable import ZigbeeCore

/// A scripted device answering interview requests. Every answer goes through the wire codecs
/// (encoded to bytes, then decoded) so the interview sees what a driver would hand it.
struct FakeDevice {
    var networkAddress: UInt16 = 0x4F21
    var ieee = IEEEAddress(0x0017_8801_0203_0405)
    var nodeDescriptor = ZigbeeNodeDescriptor(
        logicalType: .router, macCapabilities: [.fullFunctionDevice, .mainsPowered, .receiverOnWhenIdle, .allocateAddress],
        manufacturerCode: 0x100B)
    var endpoints: [ZigbeeSimpleDescriptor] = [
        ZigbeeSimpleDescriptor(endpoint: 1, profileId: 0x0104, deviceId: 0x0101, deviceVersion: 1,
                               inputClusters: [0x0000, 0x0003, 0x0006, 0x0008], outputClusters: [0x0019]),
        ZigbeeSimpleDescriptor(endpoint: 2, profileId: 0x0104, deviceId: 0x0302,
                               inputClusters: [0x0402, 0x0001], outputClusters: []),
    ]
    var basic: [UInt16: ZCLValue] = [
        0x0004: .string("Signify Netherlands B.V.\0"),
        0x0005: .string("LWA001"),
        0x0006: .string("20230101"),
        0x0007: .enum8(0x01),
        0x4000: .string("1.104.2"),
    ]
    var unreportable: Set<UInt16> = []
    var bindStatus: ZDOStatus = .success

    func respond(to action: InterviewAction) throws -> InterviewEvent? {
        switch action {
        case .sendZDO(let request):
            guard request.destination == networkAddress, case .request(let body) = request.frame.message else { return nil }
            let response: ZDOResponse
            switch body {
            case .nodeDescriptor:
                response = .nodeDescriptor(status: .success, networkAddress: networkAddress, descriptor: nodeDescriptor)
            case .activeEndpoints:
                response = .activeEndpoints(status: .success, networkAddress: networkAddress, endpoints: endpoints.map(\.endpoint))
            case .simpleDescriptor(_, let endpoint):
                let descriptor = endpoints.first { $0.endpoint == endpoint }
                response = .simpleDescriptor(status: descriptor == nil ? .invalidEndpoint : .success, networkAddress: networkAddress, descriptor: descriptor)
            case .bind(let binding):
                guard binding.sourceAddress == ieee else { return nil }
                response = .bind(bindStatus)
            default:
                return nil
            }
            let frame = ZDOFrame(transactionSequence: request.transactionSequence, message: .response(response))
            return .zdoReceived(try ZDOFrame(clusterId: response.clusterId, bytes: frame.encoded()))
        case .sendZCL(let request):
            guard request.destination == networkAddress else { return nil }
            let received = try ZCLFrame(decoding: request.frame.encoded())
            let reply: ZCLGlobalCommand
            switch try received.globalCommand() {
            case .readAttributes(let ids):
                reply = .readAttributesResponse(ids.map { id in
                    basic[id].map { ZCLReadAttributeRecord(attributeId: id, value: $0) }
                        ?? ZCLReadAttributeRecord(attributeId: id, status: .unsupportedAttribute)
                })
            case .configureReporting(let records):
                let failed = records.filter { unreportable.contains($0.attributeId) }
                reply = .configureReportingResponse(failed.isEmpty ? [ZCLReportingStatusRecord(status: .success)]
                    : failed.map { ZCLReportingStatusRecord(status: .unreportableAttribute, direction: .reported, attributeId: $0.attributeId) })
            default:
                return nil
            }
            let frame = try ZCLFrame.global(reply, transactionSequence: received.transactionSequence, direction: .serverToClient, disableDefaultResponse: true)
            return .zclReceived(sourceEndpoint: request.destinationEndpoint, clusterId: request.clusterId, frame: try ZCLFrame(decoding: frame.encoded()))
        case .finished:
            return nil
        }
    }
}

/// Drives an interview against a fake device. `answer` decides per request whether the device
/// answers (false → the caller's timer fires).
func drive(_ interview: inout ZigbeeInterview, device: FakeDevice, maxSteps: Int = 100,
           answer: (InterviewAction, Int) -> Bool = { _, _ in true }) throws -> (sent: [InterviewAction], outcome: InterviewOutcome?) {
    var sent: [InterviewAction] = []
    var queue = interview.handle(.start)
    for step in 0..<maxSteps {
        guard let action = queue.first else { break }
        queue.removeFirst()
        if case .finished(let outcome) = action { return (sent, outcome) }
        sent.append(action)
        if answer(action, step), let event = try device.respond(to: action) {
            queue += interview.handle(event)
        } else {
            let tsn: UInt8
            switch action {
            case .sendZDO(let r): tsn = r.transactionSequence
            case .sendZCL(let r): tsn = r.transactionSequence
            case .finished: continue
            }
            queue += interview.handle(.timeout(transactionSequence: tsn))
        }
    }
    return (sent, nil)
}

func summary(_ action: InterviewAction) -> String {
    switch action {
    case .sendZDO(let r):
        guard case .request(let request) = r.frame.message else { return "zdo?" }
        switch request {
        case .nodeDescriptor: return "NodeDesc"
        case .activeEndpoints: return "ActiveEP"
        case .simpleDescriptor(_, let ep): return "SimpleDesc(\(ep))"
        case .bind(let b): return "Bind(\(b.sourceEndpoint),\(String(b.clusterId, radix: 16)))"
        default: return "zdo"
        }
    case .sendZCL(let r):
        let name = r.frame.commandId == 0x00 ? "Read" : r.frame.commandId == 0x06 ? "Configure" : "zcl"
        return "\(name)(\(r.destinationEndpoint),\(String(r.clusterId, radix: 16)))"
    case .finished: return "finished"
    }
}

@Suite struct ZigbeeInterviewTests {
    let coordinator = IEEEAddress(0x00124B0000000001)

    func reporting() -> [ZigbeeReportingRequest] {
        [
            ZigbeeReportingRequest(endpoint: 1, clusterId: 0x0006, attributeId: 0x0000, minimumInterval: 0, maximumInterval: 300)!,
            ZigbeeReportingRequest(endpoint: 1, clusterId: 0x0008, attributeId: 0x0000, minimumInterval: 1, maximumInterval: 300,
                                   reportableChange: .unsigned(1, .bits8))!,
            ZigbeeReportingRequest(endpoint: 2, clusterId: 0x0402, attributeId: 0x0000, minimumInterval: 10, maximumInterval: 3600,
                                   reportableChange: .signed(50, .bits16))!,
        ]
    }

    @Test func happyPathWithTwoEndpoints() throws {
        let device = FakeDevice()
        let config = ZigbeeInterviewConfiguration(coordinatorAddress: coordinator, reporting: reporting(), firstTransactionSequence: 0x40)
        var interview = ZigbeeInterview(networkAddress: device.networkAddress, ieeeAddress: device.ieee, configuration: config)
        let (sent, outcome) = try drive(&interview, device: device)

        #expect(sent.map(summary) == [
            "NodeDesc", "ActiveEP", "SimpleDesc(1)", "SimpleDesc(2)", "Read(1,0)",
            "Bind(1,6)", "Configure(1,6)", "Bind(1,8)", "Configure(1,8)", "Bind(2,402)", "Configure(2,402)",
        ])
        // Transaction sequence numbers are fresh for every request.
        let tsns = sent.map { action -> UInt8 in
            if case .sendZDO(let r) = action { return r.transactionSequence }
            if case .sendZCL(let r) = action { return r.transactionSequence }
            return 0
        }
        #expect(tsns == Array(0x40..<0x4B))

        // Basic read asks for the five interview attributes on endpoint 1.
        if case .sendZCL(let read) = sent[4] {
            #expect(read.frame.encoded() == hex("10 44 00 04 00 05 00 06 00 07 00 00 40"))
            #expect(read.profileId == 0x0104)
            #expect(read.sourceEndpoint == 1)
            #expect(read.timeout == .seconds(5))
        }
        // Bind to the coordinator's endpoint 1.
        if case .sendZDO(let bind) = sent[5] {
            #expect(try bind.frame.encoded() == hex("45 05 04 03 02 01 88 17 00 01 06 00 03 01 00 00 00 00 4b 12 00 01"))
        }
        // Discrete OnOff: no reportable change; analog temperature: change present.
        if case .sendZCL(let onOff) = sent[6] {
            #expect(onOff.frame.payload == hex("00 00 00 10 00 00 2c 01"))
        }
        if case .sendZCL(let temperature) = sent[10] {
            #expect(temperature.frame.payload == hex("00 00 00 29 0a 00 10 0e 32 00"))
            #expect(temperature.destinationEndpoint == 2)
        }

        guard case .complete(let description)? = outcome else {
            Issue.record("interview did not complete: \(String(describing: outcome))")
            return
        }
        #expect(description.ieeeAddress == device.ieee)
        #expect(description.networkAddress == 0x4F21)
        #expect(description.logicalType == .router)
        #expect(description.manufacturerCode == 0x100B)
        #expect(description.isSleepy == false)
        #expect(description.manufacturerName == "Signify Netherlands B.V.")
        #expect(description.modelIdentifier == "LWA001")
        #expect(description.softwareBuild == "1.104.2")
        #expect(description.dateCode == "20230101")
        #expect(description.powerSource?.primary == .mainsSinglePhase)
        #expect(description.activeEndpoints == [1, 2])
        #expect(description.endpoints == device.endpoints)
        #expect(description.reporting.count == 3)
        #expect(description.reporting.allSatisfy { $0.succeeded })
        #expect(interview.isFinished)
        #expect(interview.handle(.start).isEmpty)
    }

    @Test func retryAfterTimeout() throws {
        let device = FakeDevice()
        let config = ZigbeeInterviewConfiguration(coordinatorAddress: coordinator, maximumRetries: 2)
        var interview = ZigbeeInterview(networkAddress: device.networkAddress, ieeeAddress: device.ieee, configuration: config)
        let first = interview.handle(.start)
        guard case .sendZDO(let request)? = first.first else {
            Issue.record("no first request")
            return
        }
        // Stale timers and unrelated frames are ignored.
        #expect(interview.handle(.timeout(transactionSequence: request.transactionSequence &+ 7)).isEmpty)
        let retry = interview.handle(.timeout(transactionSequence: request.transactionSequence))
        guard case .sendZDO(let resent)? = retry.first else {
            Issue.record("no retry")
            return
        }
        #expect(resent.frame.message == request.frame.message)
        #expect(resent.transactionSequence != request.transactionSequence)
        #expect(interview.awaitingTransactionSequence == resent.transactionSequence)
        // A late answer to the first attempt is ignored...
        let late = ZDOFrame(transactionSequence: request.transactionSequence,
                            message: .response(.nodeDescriptor(status: .success, networkAddress: device.networkAddress, descriptor: device.nodeDescriptor)))
        #expect(interview.handle(.zdoReceived(late)).isEmpty)
        // ...the answer to the retry moves on to Active_EP.
        let answer = try #require(try device.respond(to: retry[0]))
        let next = interview.handle(answer)
        #expect(next.map(summary) == ["ActiveEP"])

        // A timer for a request already answered is ignored.
        #expect(interview.handle(.timeout(transactionSequence: resent.transactionSequence)).isEmpty)
    }

    @Test func everyRequestRetriedOnceStillCompletes() throws {
        let device = FakeDevice()
        let config = ZigbeeInterviewConfiguration(coordinatorAddress: coordinator, maximumRetries: 1, reporting: reporting())
        var interview = ZigbeeInterview(networkAddress: device.networkAddress, ieeeAddress: device.ieee, configuration: config)
        var seen = Set<String>()
        let (sent, outcome) = try drive(&interview, device: device) { action, _ in
            // First attempt of each distinct request is lost.
            !seen.insert(summary(action)).inserted
        }
        #expect(sent.count == 22)
        guard case .complete(let description)? = outcome else {
            Issue.record("not complete: \(String(describing: outcome))")
            return
        }
        #expect(description.modelIdentifier == "LWA001")
        #expect(description.reporting.allSatisfy { $0.succeeded })
    }

    @Test func sleepyDeviceNeverAnsweringSimpleDescEndsPartial() throws {
        var device = FakeDevice()
        device.nodeDescriptor = ZigbeeNodeDescriptor(logicalType: .endDevice, macCapabilities: [.allocateAddress], manufacturerCode: 0x115F)
        device.endpoints = [ZigbeeSimpleDescriptor(endpoint: 1, profileId: 0x0104, deviceId: 0x0402, inputClusters: [0x0000, 0x0500], outputClusters: [])]
        let config = ZigbeeInterviewConfiguration(coordinatorAddress: coordinator, maximumRetries: 2,
                                                  responseTimeout: .seconds(5), sleepyResponseTimeout: .seconds(45))
        var interview = ZigbeeInterview(networkAddress: device.networkAddress, ieeeAddress: device.ieee, configuration: config)
        let (sent, outcome) = try drive(&interview, device: device) { action, _ in
            !summary(action).hasPrefix("SimpleDesc")
        }
        #expect(sent.map(summary) == ["NodeDesc", "ActiveEP", "SimpleDesc(1)", "SimpleDesc(1)", "SimpleDesc(1)"])
        // Timeouts grow once the node descriptor reveals a sleepy device.
        let timeouts = sent.map { action -> Duration in
            if case .sendZDO(let r) = action { return r.timeout }
            return .zero
        }
        #expect(timeouts == [.seconds(5), .seconds(45), .seconds(45), .seconds(45), .seconds(45)])
        guard case .partial(let description, let failedStep)? = outcome else {
            Issue.record("expected partial: \(String(describing: outcome))")
            return
        }
        #expect(failedStep == .simpleDescriptor(endpoint: 1))
        #expect(description.isSleepy == true)
        #expect(description.logicalType == .endDevice)
        #expect(description.manufacturerCode == 0x115F)
        #expect(description.activeEndpoints == [1])
        #expect(description.endpoints.isEmpty)
        #expect(description.modelIdentifier == nil)
        #expect(interview.isFinished)
        #expect(interview.handle(.timeout(transactionSequence: 0)).isEmpty)
    }

    @Test func errorStatusesAreRecordedAndSkipped() throws {
        var device = FakeDevice()
        device.unreportable = [0x0000]
        device.bindStatus = .tableFull
        device.basic = [0x0005: .string("plug")]
        var requests = reporting()
        // Cluster the endpoint does not have, and an endpoint the device does not have.
        requests.append(ZigbeeReportingRequest(endpoint: 1, clusterId: 0x0702, attributeId: 0x0000, minimumInterval: 1, maximumInterval: 60, reportableChange: .unsigned(1, .bits48))!)
        requests.append(ZigbeeReportingRequest(endpoint: 9, clusterId: 0x0006, attributeId: 0x0000, minimumInterval: 1, maximumInterval: 60)!)
        let config = ZigbeeInterviewConfiguration(coordinatorAddress: coordinator, reporting: requests)
        var interview = ZigbeeInterview(networkAddress: device.networkAddress, ieeeAddress: device.ieee, configuration: config)
        let (_, outcome) = try drive(&interview, device: device)
        guard case .complete(let description)? = outcome else {
            Issue.record("not complete")
            return
        }
        #expect(description.modelIdentifier == "plug")
        #expect(description.manufacturerName == nil)
        #expect(description.reporting.count == 5)
        #expect(description.reporting[0].bindStatus == .tableFull)
        #expect(description.reporting[0].configureStatus == .unreportableAttribute)
        #expect(description.reporting[3].configureStatus == .unsupportedCluster)
        #expect(description.reporting[3].bindStatus == nil)
        #expect(description.reporting[4].configureStatus == .notFound)
    }

    @Test func deviceAnnounceUpdatesAddressAndRepeatsRequest() throws {
        let device = FakeDevice()
        let config = ZigbeeInterviewConfiguration(coordinatorAddress: coordinator)
        var interview = ZigbeeInterview(networkAddress: 0x1111, ieeeAddress: device.ieee, configuration: config)
        let first = interview.handle(.start)
        guard case .sendZDO(let original)? = first.first else {
            Issue.record("no request")
            return
        }
        #expect(original.destination == 0x1111)
        let announce = ZDOFrame(transactionSequence: 0x99, message: .request(.deviceAnnounce(
            ZDODeviceAnnounce(networkAddress: device.networkAddress, ieeeAddress: device.ieee, capabilities: device.nodeDescriptor.macCapabilities))))
        // Someone else's announce changes nothing.
        let other = ZDOFrame(transactionSequence: 0x98, message: .request(.deviceAnnounce(
            ZDODeviceAnnounce(networkAddress: 0x2222, ieeeAddress: IEEEAddress(1), capabilities: []))))
        #expect(interview.handle(.zdoReceived(other)).isEmpty)
        let repeated = interview.handle(.zdoReceived(announce))
        guard case .sendZDO(let resent)? = repeated.first else {
            Issue.record("request not repeated")
            return
        }
        #expect(resent.destination == device.networkAddress)
        #expect(resent.frame.message == .request(.nodeDescriptor(networkAddress: device.networkAddress)))
        #expect(interview.device.networkAddress == device.networkAddress)
    }
}
