/// Pure interview state machine for a newly joined ZigBee device.
///
/// Node_Desc → Active_EP → Simple_Desc per endpoint → read Basic attributes (manufacturer name,
/// model id, date code, power source, SW build) → for each requested (endpoint, cluster):
/// Bind_req to the coordinator, then Configure Reporting.
///
/// No I/O and no timers: every request action carries a timeout the caller arms, and the caller
/// feeds back `.timeout(transactionSequence:)`. A request that stays unanswered after
/// `maximumRetries` retries ends the interview as `.partial` with what was learnt. Error
/// statuses (as opposed to silence) skip the item and continue.
public struct ZigbeeInterview: Sendable {
    public let configuration: ZigbeeInterviewConfiguration
    public private(set) var device: ZigbeeDeviceDescription
    public private(set) var isFinished = false

    /// Basic attributes read in one Read Attributes request.
    static let basicAttributes: [UInt16] = [0x0004, 0x0005, 0x0006, 0x0007, 0x4000]
    static let homeAutomationProfile: UInt16 = 0x0104

    private struct Pending: Sendable {
        var step: InterviewStep
        var transactionSequence: UInt8
        var attempt: Int
    }

    private struct ReportingGroup: Sendable {
        var endpoint: UInt8
        var clusterId: UInt16
        /// Indexes into `device.reporting`.
        var outcomeIndexes: [Int]
    }

    private var started = false
    private var pending: Pending?
    private var nextTransactionSequence: UInt8
    private var groups: [ReportingGroup] = []

    public init(networkAddress: UInt16, ieeeAddress: IEEEAddress, configuration: ZigbeeInterviewConfiguration) {
        self.configuration = configuration
        self.device = ZigbeeDeviceDescription(ieeeAddress: ieeeAddress, networkAddress: networkAddress)
        self.nextTransactionSequence = configuration.firstTransactionSequence
    }

    /// Transaction sequence number of the request currently awaiting an answer.
    public var awaitingTransactionSequence: UInt8? { pending?.transactionSequence }

    public mutating func handle(_ event: InterviewEvent) -> [InterviewAction] {
        guard !isFinished else { return [] }
        switch event {
        case .start:
            guard !started else { return [] }
            started = true
            return send(.nodeDescriptor, attempt: 1)
        case .timeout(let tsn):
            guard let pending, pending.transactionSequence == tsn else { return [] }
            if pending.attempt <= configuration.maximumRetries {
                return send(pending.step, attempt: pending.attempt + 1)
            }
            return finish(failedStep: pending.step)
        case .zdoReceived(let frame):
            return handleZDO(frame)
        case .zclReceived(let endpoint, let clusterId, let frame):
            return handleZCL(sourceEndpoint: endpoint, clusterId: clusterId, frame: frame)
        }
    }

    // MARK: responses

    private mutating func handleZDO(_ frame: ZDOFrame) -> [InterviewAction] {
        if case .request(.deviceAnnounce(let announce)) = frame.message {
            guard announce.ieeeAddress == device.ieeeAddress else { return [] }
            device.networkAddress = announce.networkAddress
            // The device is awake right now: repeat the outstanding request without using a retry.
            guard let pending, started else { return [] }
            return send(pending.step, attempt: pending.attempt)
        }
        guard let pending, frame.transactionSequence == pending.transactionSequence,
              case .response(let response) = frame.message else { return [] }
        switch (pending.step, response) {
        case (.nodeDescriptor, .nodeDescriptor(let status, _, let descriptor)):
            if status.isSuccess { device.nodeDescriptor = descriptor }
            return send(.activeEndpoints, attempt: 1)
        case (.activeEndpoints, .activeEndpoints(let status, _, let endpoints)):
            guard status.isSuccess else { return finish(failedStep: .activeEndpoints) }
            device.activeEndpoints = endpoints
            return nextAfterSimpleDescriptor(index: -1)
        case (.simpleDescriptor(let endpoint), .simpleDescriptor(let status, _, let descriptor)):
            if status.isSuccess, let descriptor, descriptor.endpoint == endpoint {
                device.endpoints.append(descriptor)
            }
            let index = device.activeEndpoints.firstIndex(of: endpoint) ?? device.activeEndpoints.count
            return nextAfterSimpleDescriptor(index: index)
        case (.bind(let endpoint, let cluster), .bind(let status)):
            guard let groupIndex = groups.firstIndex(where: { $0.endpoint == endpoint && $0.clusterId == cluster }) else { return [] }
            for index in groups[groupIndex].outcomeIndexes { device.reporting[index].bindStatus = status }
            return send(.configureReporting(endpoint: endpoint, clusterId: cluster), attempt: 1)
        default:
            return []
        }
    }

    private mutating func handleZCL(sourceEndpoint: UInt8, clusterId: UInt16, frame: ZCLFrame) -> [InterviewAction] {
        guard let pending, frame.transactionSequence == pending.transactionSequence,
              frame.direction == .serverToClient, let command = try? frame.globalCommand() else { return [] }
        switch pending.step {
        case .basicAttributes(let endpoint):
            guard sourceEndpoint == endpoint, clusterId == ZCLClusterID.basic else { return [] }
            switch command {
            case .readAttributesResponse(let records):
                for record in records { applyBasic(record) }
            case .defaultResponse:
                break
            default:
                return []
            }
            return startConfigurePhase()
        case .configureReporting(let endpoint, let cluster):
            guard sourceEndpoint == endpoint, clusterId == cluster,
                  let groupIndex = groups.firstIndex(where: { $0.endpoint == endpoint && $0.clusterId == cluster })
            else { return [] }
            let indexes = groups[groupIndex].outcomeIndexes
            switch command {
            case .configureReportingResponse(let records):
                for index in indexes {
                    let attribute = device.reporting[index].request.attributeId
                    // Attributes not listed individually were configured successfully.
                    let record = records.first { $0.attributeId == attribute }
                    let overall = records.count == 1 && records[0].attributeId == nil ? records[0].status : .success
                    device.reporting[index].configureStatus = record?.status ?? overall
                }
            case .defaultResponse(_, let status):
                for index in indexes { device.reporting[index].configureStatus = status }
            default:
                return []
            }
            return nextGroup(after: groupIndex)
        default:
            return []
        }
    }

    private mutating func applyBasic(_ record: ZCLReadAttributeRecord) {
        guard record.status.isSuccess, let value = record.value, !value.isInvalid else { return }
        switch record.attributeId {
        case 0x0004: device.manufacturerName = value.stringValue.map(Self.trimmed)
        case 0x0005: device.modelIdentifier = value.stringValue.map(Self.trimmed)
        case 0x0006: device.dateCode = value.stringValue.map(Self.trimmed)
        case 0x4000: device.softwareBuild = value.stringValue.map(Self.trimmed)
        case 0x0007:
            if case .enum8(let raw) = value { device.powerSource = ZigbeePowerSource(rawValue: raw) }
        default: break
        }
    }

    /// Devices often pad strings with NULs or spaces.
    private static func trimmed(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last == "\0" || last == " " { result.removeLast() }
        return String(result)
    }

    // MARK: progression

    private mutating func nextAfterSimpleDescriptor(index: Int) -> [InterviewAction] {
        let next = index + 1
        if next < device.activeEndpoints.count {
            return send(.simpleDescriptor(endpoint: device.activeEndpoints[next]), attempt: 1)
        }
        let basicEndpoint = device.endpoints.first { $0.inputClusters.contains(ZCLClusterID.basic) }?.endpoint
            ?? device.endpoints.first?.endpoint
        guard let basicEndpoint else { return startConfigurePhase() }
        return send(.basicAttributes(endpoint: basicEndpoint), attempt: 1)
    }

    private mutating func startConfigurePhase() -> [InterviewAction] {
        device.reporting = []
        groups = []
        for request in configuration.reporting {
            var outcome = ZigbeeReportingOutcome(request: request)
            if let descriptor = device.endpoint(request.endpoint), !descriptor.inputClusters.contains(request.clusterId) {
                outcome.configureStatus = .unsupportedCluster
                device.reporting.append(outcome)
                continue
            }
            if device.endpoint(request.endpoint) == nil {
                outcome.configureStatus = .notFound
                device.reporting.append(outcome)
                continue
            }
            device.reporting.append(outcome)
            let index = device.reporting.count - 1
            if let group = groups.firstIndex(where: { $0.endpoint == request.endpoint && $0.clusterId == request.clusterId }) {
                groups[group].outcomeIndexes.append(index)
            } else {
                groups.append(ReportingGroup(endpoint: request.endpoint, clusterId: request.clusterId, outcomeIndexes: [index]))
            }
        }
        return nextGroup(after: -1)
    }

    private mutating func nextGroup(after index: Int) -> [InterviewAction] {
        let next = index + 1
        guard next < groups.count else {
            isFinished = true
            pending = nil
            return [.finished(.complete(device))]
        }
        return send(.bind(endpoint: groups[next].endpoint, clusterId: groups[next].clusterId), attempt: 1)
    }

    private mutating func finish(failedStep: InterviewStep) -> [InterviewAction] {
        isFinished = true
        pending = nil
        return [.finished(.partial(device, failedStep: failedStep))]
    }

    // MARK: requests

    private var currentTimeout: Duration {
        device.nodeDescriptor?.isSleepy == true ? configuration.sleepyResponseTimeout : configuration.responseTimeout
    }

    private mutating func allocateTransactionSequence() -> UInt8 {
        let tsn = nextTransactionSequence
        nextTransactionSequence &+= 1
        return tsn
    }

    private mutating func send(_ step: InterviewStep, attempt: Int) -> [InterviewAction] {
        let tsn = allocateTransactionSequence()
        pending = Pending(step: step, transactionSequence: tsn, attempt: attempt)
        let nwk = device.networkAddress
        switch step {
        case .nodeDescriptor:
            return [zdo(.nodeDescriptor(networkAddress: nwk), tsn: tsn)]
        case .activeEndpoints:
            return [zdo(.activeEndpoints(networkAddress: nwk), tsn: tsn)]
        case .simpleDescriptor(let endpoint):
            return [zdo(.simpleDescriptor(networkAddress: nwk, endpoint: endpoint), tsn: tsn)]
        case .bind(let endpoint, let cluster):
            let binding = ZDOBinding(
                sourceAddress: device.ieeeAddress, sourceEndpoint: endpoint, clusterId: cluster,
                destination: .device(configuration.coordinatorAddress, endpoint: configuration.coordinatorEndpoint))
            return [zdo(.bind(binding), tsn: tsn)]
        case .basicAttributes(let endpoint):
            return zcl(.readAttributes(Self.basicAttributes), endpoint: endpoint, clusterId: ZCLClusterID.basic, tsn: tsn)
        case .configureReporting(let endpoint, let cluster):
            let records = groups.first { $0.endpoint == endpoint && $0.clusterId == cluster }?
                .outcomeIndexes.map { device.reporting[$0].request.configuration } ?? []
            return zcl(.configureReporting(records), endpoint: endpoint, clusterId: cluster, tsn: tsn)
        }
    }

    private func zdo(_ request: ZDORequest, tsn: UInt8) -> InterviewAction {
        .sendZDO(InterviewZDORequest(
            destination: device.networkAddress,
            frame: ZDOFrame(transactionSequence: tsn, message: .request(request)),
            timeout: currentTimeout))
    }

    private mutating func zcl(_ command: ZCLGlobalCommand, endpoint: UInt8, clusterId: UInt16, tsn: UInt8) -> [InterviewAction] {
        guard let frame = try? ZCLFrame.global(command, transactionSequence: tsn, direction: .clientToServer, disableDefaultResponse: true) else {
            // Only reachable with an unencodable reporting request (e.g. analog type without a
            // reportable change): record it as a failure and move on.
            if case .configureReporting = command,
               let groupIndex = groups.firstIndex(where: { $0.endpoint == endpoint && $0.clusterId == clusterId }) {
                for index in groups[groupIndex].outcomeIndexes { device.reporting[index].configureStatus = .invalidValue }
                return nextGroup(after: groupIndex)
            }
            return finish(failedStep: pending?.step ?? .nodeDescriptor)
        }
        let profile = device.endpoint(endpoint)?.profileId ?? Self.homeAutomationProfile
        return [.sendZCL(InterviewZCLRequest(
            destination: device.networkAddress, destinationEndpoint: endpoint,
            sourceEndpoint: configuration.coordinatorEndpoint, profileId: profile,
            clusterId: clusterId, frame: frame, timeout: currentTimeout))]
    }
}
