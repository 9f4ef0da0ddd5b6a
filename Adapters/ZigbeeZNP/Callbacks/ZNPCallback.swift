import ZigbeeCore

/// An AREQ the device sends on its own: indications, confirmations and ZDO answers.
///
/// Callbacks the adapter does not interpret stay available as `.unknown`; a known callback whose data
/// field does not fit its layout becomes `.malformed` (never a crash).
public enum ZNPCallback: Sendable, Hashable {
    /// SYS_RESET_IND: the device has (re)booted.
    case resetIndication(ZNPResetIndication)
    /// AF_DATA_CONFIRM: the fate of the AF_DATA_REQUEST with this transaction id.
    case afDataConfirm(status: MTStatus, endpoint: UInt8, transactionID: UInt8)
    /// AF_INCOMING_MSG: application data for one of our endpoints.
    case afIncomingMessage(AFIncomingMessage)
    /// ZDO_STATE_CHANGE_IND.
    case stateChanged(ZNPDeviceState)
    /// ZDO_END_DEVICE_ANNCE_IND: a device joined or rejoined.
    case endDeviceAnnounce(ZNPEndDeviceAnnounce)
    /// ZDO_LEAVE_IND.
    case leaveIndication(ZNPLeaveIndication)
    /// ZDO_NODE_DESC_RSP, ZDO_SIMPLE_DESC_RSP, ZDO_ACTIVE_EP_RSP, ZDO_BIND_RSP, ZDO_UNBIND_RSP,
    /// ZDO_MGMT_LEAVE_RSP, ZDO_MGMT_PERMIT_JOIN_RSP: the remote answer and the address it came from.
    case zdoResponse(source: UInt16, ZDOResponse)
    /// APP_CNF_BDB_COMMISSIONING_NOTIFICATION.
    case bdbCommissioningNotification(status: BDBCommissioningStatus, mode: BDBCommissioningMode, remainingModes: BDBCommissioningMode)
    /// An AREQ this adapter does not interpret.
    case unknown(subsystem: MTSubsystem, id: UInt8, payload: [UInt8])
    /// A known AREQ whose data field does not fit its layout.
    case malformed(subsystem: MTSubsystem, id: UInt8, payload: [UInt8], error: MTDecodingError)
}

/// SYS_RESET_IND body.
public struct ZNPResetIndication: Sendable, Hashable {
    public var reason: ZNPResetReason
    public var version: ZNPVersion

    public init(reason: ZNPResetReason, version: ZNPVersion) {
        self.reason = reason
        self.version = version
    }
}

/// AF_INCOMING_MSG body.
public struct AFIncomingMessage: Sendable, Hashable {
    public var groupID: UInt16
    public var clusterID: UInt16
    public var sourceAddress: UInt16
    public var sourceEndpoint: UInt8
    public var destinationEndpoint: UInt8
    public var wasBroadcast: Bool
    public var linkQuality: UInt8
    public var securityUsed: Bool
    public var timestamp: UInt32
    public var transactionSequence: UInt8
    public var data: [UInt8]
    /// The neighbour the frame came through (Z-Stack 3 appends it; nil on older firmware).
    public var macSourceAddress: UInt16?

    public init(groupID: UInt16 = 0, clusterID: UInt16, sourceAddress: UInt16, sourceEndpoint: UInt8, destinationEndpoint: UInt8,
                wasBroadcast: Bool = false, linkQuality: UInt8, securityUsed: Bool = false, timestamp: UInt32 = 0,
                transactionSequence: UInt8, data: [UInt8], macSourceAddress: UInt16? = nil) {
        self.groupID = groupID
        self.clusterID = clusterID
        self.sourceAddress = sourceAddress
        self.sourceEndpoint = sourceEndpoint
        self.destinationEndpoint = destinationEndpoint
        self.wasBroadcast = wasBroadcast
        self.linkQuality = linkQuality
        self.securityUsed = securityUsed
        self.timestamp = timestamp
        self.transactionSequence = transactionSequence
        self.data = data
        self.macSourceAddress = macSourceAddress
    }
}

/// ZDO_END_DEVICE_ANNCE_IND body.
public struct ZNPEndDeviceAnnounce: Sendable, Hashable {
    /// Who relayed the announcement.
    public var source: UInt16
    public var networkAddress: UInt16
    public var ieeeAddress: IEEEAddress
    public var capabilities: ZigbeeMACCapabilities

    public init(source: UInt16, networkAddress: UInt16, ieeeAddress: IEEEAddress, capabilities: ZigbeeMACCapabilities) {
        self.source = source
        self.networkAddress = networkAddress
        self.ieeeAddress = ieeeAddress
        self.capabilities = capabilities
    }
}

/// ZDO_LEAVE_IND body.
public struct ZNPLeaveIndication: Sendable, Hashable {
    public var networkAddress: UInt16
    public var ieeeAddress: IEEEAddress
    /// True when this is a leave request, false for an indication that the device left.
    public var isRequest: Bool
    public var removeChildren: Bool
    public var rejoin: Bool

    public init(networkAddress: UInt16, ieeeAddress: IEEEAddress, isRequest: Bool, removeChildren: Bool, rejoin: Bool) {
        self.networkAddress = networkAddress
        self.ieeeAddress = ieeeAddress
        self.isRequest = isRequest
        self.removeChildren = removeChildren
        self.rejoin = rejoin
    }
}
