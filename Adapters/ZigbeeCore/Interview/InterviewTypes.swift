/// Tuning of a `ZigbeeInterview`.
public struct ZigbeeInterviewConfiguration: Hashable, Sendable {
    /// The coordinator's IEEE address: destination of Bind_req.
    public var coordinatorAddress: IEEEAddress
    /// Coordinator endpoint used as ZCL source and bind destination.
    public var coordinatorEndpoint: UInt8
    /// Retries after the first attempt of every request.
    public var maximumRetries: Int
    public var responseTimeout: Duration
    /// Used once the node descriptor shows the receiver is off when idle.
    public var sleepyResponseTimeout: Duration
    public var reporting: [ZigbeeReportingRequest]
    /// Transaction sequence number of the first request; later ones increment (wrapping).
    public var firstTransactionSequence: UInt8

    public init(
        coordinatorAddress: IEEEAddress,
        coordinatorEndpoint: UInt8 = 1,
        maximumRetries: Int = 2,
        responseTimeout: Duration = .seconds(5),
        sleepyResponseTimeout: Duration = .seconds(30),
        reporting: [ZigbeeReportingRequest] = [],
        firstTransactionSequence: UInt8 = 1
    ) {
        self.coordinatorAddress = coordinatorAddress
        self.coordinatorEndpoint = coordinatorEndpoint
        self.maximumRetries = maximumRetries
        self.responseTimeout = responseTimeout
        self.sleepyResponseTimeout = sleepyResponseTimeout
        self.reporting = reporting
        self.firstTransactionSequence = firstTransactionSequence
    }
}

/// Interview steps, used to say where an incomplete interview stopped.
public enum InterviewStep: Hashable, Sendable {
    case nodeDescriptor
    case activeEndpoints
    case simpleDescriptor(endpoint: UInt8)
    case basicAttributes(endpoint: UInt8)
    case bind(endpoint: UInt8, clusterId: UInt16)
    case configureReporting(endpoint: UInt8, clusterId: UInt16)
}

public enum InterviewOutcome: Hashable, Sendable {
    case complete(ZigbeeDeviceDescription)
    /// The device stopped answering (retries exhausted) at `failedStep`; the description holds
    /// everything learnt before.
    case partial(ZigbeeDeviceDescription, failedStep: InterviewStep)

    public var description: ZigbeeDeviceDescription {
        switch self {
        case .complete(let d), .partial(let d, _): return d
        }
    }
}

/// A ZDO request to send to the device (APS: profile 0x0000, endpoint 0 → 0).
public struct InterviewZDORequest: Hashable, Sendable {
    public var destination: UInt16
    public var frame: ZDOFrame
    /// Post `.timeout(transactionSequence:)` if no answer arrives within this time.
    public var timeout: Duration

    public var transactionSequence: UInt8 { frame.transactionSequence }
}

/// A ZCL request to send to the device.
public struct InterviewZCLRequest: Hashable, Sendable {
    public var destination: UInt16
    public var destinationEndpoint: UInt8
    public var sourceEndpoint: UInt8
    public var profileId: UInt16
    public var clusterId: UInt16
    public var frame: ZCLFrame
    public var timeout: Duration

    public var transactionSequence: UInt8 { frame.transactionSequence }
}

public enum InterviewAction: Hashable, Sendable {
    case sendZDO(InterviewZDORequest)
    case sendZCL(InterviewZCLRequest)
    case finished(InterviewOutcome)
}

public enum InterviewEvent: Hashable, Sendable {
    case start
    /// Any decoded ZDO frame from the device (responses are matched by transaction sequence
    /// number; a Device_annce for the device updates its network address).
    case zdoReceived(ZDOFrame)
    /// Any decoded ZCL frame from the device.
    case zclReceived(sourceEndpoint: UInt8, clusterId: UInt16, frame: ZCLFrame)
    /// The timer of the request with this transaction sequence number expired.
    case timeout(transactionSequence: UInt8)
}
