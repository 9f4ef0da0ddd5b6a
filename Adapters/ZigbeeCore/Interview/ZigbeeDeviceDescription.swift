/// Basic cluster PowerSource attribute (ZCL 3.2.2.2.8): bits 0-6 primary source, bit 7 set when
/// a battery backs the primary source.
public struct ZigbeePowerSource: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case unknown, mainsSinglePhase, mainsThreePhase, battery, dcSource
        case emergencyMainsConstantlyPowered, emergencyMainsAndTransferSwitch
        case other(UInt8)
    }

    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public var primary: Kind {
        switch rawValue & 0x7F {
        case 0x00: return .unknown
        case 0x01: return .mainsSinglePhase
        case 0x02: return .mainsThreePhase
        case 0x03: return .battery
        case 0x04: return .dcSource
        case 0x05: return .emergencyMainsConstantlyPowered
        case 0x06: return .emergencyMainsAndTransferSwitch
        default: return .other(rawValue & 0x7F)
        }
    }

    public var hasBatteryBackup: Bool { rawValue & 0x80 != 0 }
}

/// An attribute the caller wants reported to the coordinator after the interview.
public struct ZigbeeReportingRequest: Hashable, Sendable {
    public var endpoint: UInt8
    public var clusterId: UInt16
    public var attributeId: UInt16
    public var dataType: ZCLDataType
    /// Seconds.
    public var minimumInterval: UInt16
    /// Seconds (0xFFFF disables reporting).
    public var maximumInterval: UInt16
    /// Required for analog types (same type as the attribute); ignored for discrete types.
    public var reportableChange: ZCLValue?

    public init(endpoint: UInt8, clusterId: UInt16, attributeId: UInt16, dataType: ZCLDataType,
                minimumInterval: UInt16, maximumInterval: UInt16, reportableChange: ZCLValue? = nil) {
        self.endpoint = endpoint
        self.clusterId = clusterId
        self.attributeId = attributeId
        self.dataType = dataType
        self.minimumInterval = minimumInterval
        self.maximumInterval = maximumInterval
        self.reportableChange = reportableChange
    }

    /// Takes the data type from the cluster tables; nil when the attribute is not described.
    public init?(endpoint: UInt8, clusterId: UInt16, attributeId: UInt16,
                 minimumInterval: UInt16, maximumInterval: UInt16, reportableChange: ZCLValue? = nil) {
        guard let definition = ZCLClusterLibrary.attribute(cluster: clusterId, attribute: attributeId) else { return nil }
        self.init(endpoint: endpoint, clusterId: clusterId, attributeId: attributeId, dataType: definition.dataType,
                  minimumInterval: minimumInterval, maximumInterval: maximumInterval, reportableChange: reportableChange)
    }

    var configuration: ZCLReportingConfiguration {
        .report(attributeId, type: dataType, min: minimumInterval, max: maximumInterval,
                change: dataType.isAnalog ? reportableChange : nil)
    }
}

/// What happened to one reporting request during the configure phase. nil statuses mean the
/// step was not reached or got no answer.
public struct ZigbeeReportingOutcome: Hashable, Sendable {
    public var request: ZigbeeReportingRequest
    public var bindStatus: ZDOStatus?
    public var configureStatus: ZCLStatus?

    public init(request: ZigbeeReportingRequest, bindStatus: ZDOStatus? = nil, configureStatus: ZCLStatus? = nil) {
        self.request = request
        self.bindStatus = bindStatus
        self.configureStatus = configureStatus
    }

    public var succeeded: Bool { bindStatus == .success && configureStatus == .success }
}

/// What an interview learnt about a device. Fields stay nil when the device did not answer.
public struct ZigbeeDeviceDescription: Hashable, Sendable {
    public var ieeeAddress: IEEEAddress
    public var networkAddress: UInt16
    public var nodeDescriptor: ZigbeeNodeDescriptor?
    public var manufacturerName: String?
    public var modelIdentifier: String?
    public var softwareBuild: String?
    public var dateCode: String?
    public var powerSource: ZigbeePowerSource?
    /// Endpoints reported by Active_EP_rsp.
    public var activeEndpoints: [UInt8]
    /// Simple descriptors obtained (one per answered endpoint).
    public var endpoints: [ZigbeeSimpleDescriptor]
    public var reporting: [ZigbeeReportingOutcome]

    public init(ieeeAddress: IEEEAddress, networkAddress: UInt16) {
        self.ieeeAddress = ieeeAddress
        self.networkAddress = networkAddress
        self.activeEndpoints = []
        self.endpoints = []
        self.reporting = []
    }

    public var logicalType: ZigbeeLogicalType? { nodeDescriptor?.logicalType }
    public var manufacturerCode: UInt16? { nodeDescriptor?.manufacturerCode }
    public var isSleepy: Bool? { nodeDescriptor?.isSleepy }

    public func endpoint(_ id: UInt8) -> ZigbeeSimpleDescriptor? {
        endpoints.first { $0.endpoint == id }
    }
}
