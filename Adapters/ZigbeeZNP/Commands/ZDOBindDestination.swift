import ZigbeeCore

/// Where ZDO_BIND_REQ points the binding.
public enum ZDOBindDestination: Sendable, Hashable {
    case group(UInt16)
    case device(IEEEAddress, endpoint: UInt8)
}

/// Target of ZDO_MGMT_PERMIT_JOIN_REQ.
public enum ZDOPermitJoinTarget: Sendable, Hashable {
    /// One router (or the coordinator, 0x0000).
    case device(UInt16)
    /// All routers and the coordinator (broadcast 0xFFFC).
    case allRouters
}
