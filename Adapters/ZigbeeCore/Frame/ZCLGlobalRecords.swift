/// Read Attributes Status Record (ZCL 2.5.2): attribute id, status, and — only on success —
/// data type and value.
public struct ZCLReadAttributeRecord: Hashable, Sendable {
    public var attributeId: UInt16
    public var status: ZCLStatus
    /// Present exactly when `status` is `.success`.
    public var value: ZCLValue?

    public init(attributeId: UInt16, value: ZCLValue) {
        self.attributeId = attributeId
        self.status = .success
        self.value = value
    }

    public init(attributeId: UInt16, status: ZCLStatus) {
        self.attributeId = attributeId
        self.status = status
        self.value = nil
    }
}

/// Write Attribute Record (ZCL 2.5.3) and Attribute Report (ZCL 2.5.11): id, data type, value.
public struct ZCLAttributeValue: Hashable, Sendable {
    public var attributeId: UInt16
    public var value: ZCLValue

    public init(attributeId: UInt16, value: ZCLValue) {
        self.attributeId = attributeId
        self.value = value
    }
}

/// Write Attribute Status Record (ZCL 2.5.5). When every write succeeded, the response is a
/// single record with status SUCCESS and no attribute id.
public struct ZCLAttributeStatusRecord: Hashable, Sendable {
    public var status: ZCLStatus
    public var attributeId: UInt16?

    public init(status: ZCLStatus, attributeId: UInt16? = nil) {
        self.status = status
        self.attributeId = attributeId
    }
}

/// Direction field of reporting configuration records.
public enum ZCLReportingDirection: UInt8, Hashable, Sendable {
    /// The receiver of the command sends reports of the attribute (0x00).
    case reported = 0x00
    /// The receiver of the command expects to receive reports of the attribute (0x01).
    case received = 0x01
}

/// Attribute Reporting Configuration Record (ZCL 2.5.7.1).
public struct ZCLReportingConfiguration: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// direction 0x00: data type, min/max interval (seconds) and, for analog data types only,
        /// the reportable change (same type as the attribute).
        case reported(dataType: ZCLDataType, minimumInterval: UInt16, maximumInterval: UInt16, reportableChange: ZCLValue?)
        /// direction 0x01: timeout period (seconds).
        case received(timeout: UInt16)
    }

    public var attributeId: UInt16
    public var kind: Kind

    public init(attributeId: UInt16, kind: Kind) {
        self.attributeId = attributeId
        self.kind = kind
    }

    /// Convenience for the common "device, please report" record.
    public static func report(
        _ attributeId: UInt16, type: ZCLDataType, min: UInt16, max: UInt16, change: ZCLValue? = nil
    ) -> ZCLReportingConfiguration {
        ZCLReportingConfiguration(
            attributeId: attributeId,
            kind: .reported(dataType: type, minimumInterval: min, maximumInterval: max, reportableChange: change)
        )
    }

    public var direction: ZCLReportingDirection {
        if case .received = kind { return .received }
        return .reported
    }
}

/// Attribute Status Record of Configure Reporting Response (ZCL 2.5.8). When every record
/// succeeded the response is a single SUCCESS status with direction and attribute id omitted.
public struct ZCLReportingStatusRecord: Hashable, Sendable {
    public var status: ZCLStatus
    public var direction: ZCLReportingDirection?
    public var attributeId: UInt16?

    public init(status: ZCLStatus, direction: ZCLReportingDirection? = nil, attributeId: UInt16? = nil) {
        self.status = status
        self.direction = direction
        self.attributeId = attributeId
    }
}

/// Attribute Information record of Discover Attributes Response (ZCL 2.5.15).
public struct ZCLDiscoveredAttribute: Hashable, Sendable {
    public var attributeId: UInt16
    public var dataType: ZCLDataType

    public init(attributeId: UInt16, dataType: ZCLDataType) {
        self.attributeId = attributeId
        self.dataType = dataType
    }
}
