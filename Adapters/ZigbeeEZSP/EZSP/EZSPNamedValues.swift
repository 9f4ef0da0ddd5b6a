// Small one-byte named values from UG100 "Named Values". Codes: bellows `bellows/types/named.py`.

/// `EmberNetworkStatus`: the answer to networkState.
public enum EmberNetworkStatus: EZSPCodedValue {
    case noNetwork, joiningNetwork, joinedNetwork, joinedNetworkNoParent, leavingNetwork
    case other(UInt8)

    public static let known: [(EmberNetworkStatus, UInt8)] = [
        (.noNetwork, 0x00), (.joiningNetwork, 0x01), (.joinedNetwork, 0x02),
        (.joinedNetworkNoParent, 0x03), (.leavingNetwork, 0x04),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// `EmberJoinDecision`: what the trust center decided for a joining device.
public enum EmberJoinDecision: EZSPCodedValue {
    case usePreconfiguredKey, sendKeyInTheClear, denyJoin, noAction
    case other(UInt8)

    public static let known: [(EmberJoinDecision, UInt8)] = [
        (.usePreconfiguredKey, 0x00), (.sendKeyInTheClear, 0x01), (.denyJoin, 0x02), (.noAction, 0x03),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// `EmberDeviceUpdate`: why trustCenterJoinHandler was called.
public enum EmberDeviceUpdate: EZSPCodedValue {
    case standardSecuritySecuredRejoin, standardSecurityUnsecuredJoin, deviceLeft
    case standardSecurityUnsecuredRejoin, highSecuritySecuredRejoin, highSecurityUnsecuredJoin
    case highSecurityUnsecuredRejoin
    case other(UInt8)

    public static let known: [(EmberDeviceUpdate, UInt8)] = [
        (.standardSecuritySecuredRejoin, 0x00), (.standardSecurityUnsecuredJoin, 0x01), (.deviceLeft, 0x02),
        (.standardSecurityUnsecuredRejoin, 0x03), (.highSecuritySecuredRejoin, 0x04),
        (.highSecurityUnsecuredJoin, 0x05), (.highSecurityUnsecuredRejoin, 0x07),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// `EmberNodeType`.
public enum EmberNodeType: EZSPCodedValue {
    case unknownDevice, coordinator, router, endDevice, sleepyEndDevice
    case other(UInt8)

    public static let known: [(EmberNodeType, UInt8)] = [
        (.unknownDevice, 0x00), (.coordinator, 0x01), (.router, 0x02), (.endDevice, 0x03), (.sleepyEndDevice, 0x04),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// `EmberOutgoingMessageType`.
public enum EmberOutgoingMessageType: EZSPCodedValue {
    case direct, viaAddressTable, viaBinding, multicast, multicastWithAlias, broadcastWithAlias, broadcast
    case other(UInt8)

    public static let known: [(EmberOutgoingMessageType, UInt8)] = [
        (.direct, 0x00), (.viaAddressTable, 0x01), (.viaBinding, 0x02), (.multicast, 0x03),
        (.multicastWithAlias, 0x04), (.broadcastWithAlias, 0x05), (.broadcast, 0x06),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// `EmberIncomingMessageType`.
public enum EmberIncomingMessageType: EZSPCodedValue {
    case unicast, unicastReply, multicast, multicastLoopback, broadcast, broadcastLoopback
    case other(UInt8)

    public static let known: [(EmberIncomingMessageType, UInt8)] = [
        (.unicast, 0x00), (.unicastReply, 0x01), (.multicast, 0x02), (.multicastLoopback, 0x03),
        (.broadcast, 0x04), (.broadcastLoopback, 0x05),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// `EmberJoinMethod` (a field of EmberNetworkParameters).
public enum EmberJoinMethod: EZSPCodedValue {
    case macAssociation, nwkRejoin, nwkRejoinHaveNwkKey, configuredNwkState
    case other(UInt8)

    public static let known: [(EmberJoinMethod, UInt8)] = [
        (.macAssociation, 0x00), (.nwkRejoin, 0x01), (.nwkRejoinHaveNwkKey, 0x02), (.configuredNwkState, 0x03),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}
