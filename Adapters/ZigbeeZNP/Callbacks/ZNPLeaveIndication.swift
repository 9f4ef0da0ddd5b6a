import ZigbeeCore

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
