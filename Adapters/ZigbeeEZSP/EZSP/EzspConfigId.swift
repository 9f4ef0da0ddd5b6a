/// `EzspConfigId` (UG100 "Configuration Frames"), the subset a coordinator sets at start-up. Values
/// are 16-bit. Codes: bellows `bellows/types/named.py` (class EzspConfigId).
public enum EzspConfigId: EZSPCodedValue {
    case packetBufferCount
    case neighborTableSize
    case apsUnicastMessageCount
    case bindingTableSize
    case addressTableSize
    case multicastTableSize
    case routeTableSize
    case discoveryTableSize
    case stackProfile
    case securityLevel
    case maxHops
    case maxEndDeviceChildren
    case indirectTransmissionTimeout
    case endDevicePollTimeout
    case trustCenterAddressCacheSize
    case sourceRouteTableSize
    case keyTableSize
    case panIdConflictReportThreshold
    case applicationZdoFlags
    case broadcastTableSize
    case supportedNetworks
    case transientKeyTimeoutS
    case other(UInt8)

    public static let known: [(EzspConfigId, UInt8)] = [
        (.packetBufferCount, 0x01), (.neighborTableSize, 0x02), (.apsUnicastMessageCount, 0x03),
        (.bindingTableSize, 0x04), (.addressTableSize, 0x05), (.multicastTableSize, 0x06),
        (.routeTableSize, 0x07), (.discoveryTableSize, 0x08), (.stackProfile, 0x0C), (.securityLevel, 0x0D),
        (.maxHops, 0x10), (.maxEndDeviceChildren, 0x11), (.indirectTransmissionTimeout, 0x12),
        (.endDevicePollTimeout, 0x13), (.trustCenterAddressCacheSize, 0x19), (.sourceRouteTableSize, 0x1A),
        (.keyTableSize, 0x1E), (.panIdConflictReportThreshold, 0x22), (.applicationZdoFlags, 0x2A),
        (.broadcastTableSize, 0x2B), (.supportedNetworks, 0x2D), (.transientKeyTimeoutS, 0x36),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// `EzspValueId` (UG100 "Utilities Frames", getValue/setValue), a subset. Codes: bellows
/// `bellows/types/named.py` (class EzspValueId).
public enum EzspValueId: EZSPCodedValue {
    case tokenStackNodeData
    case freeBuffers
    case uartSynchCallbacks
    case maximumIncomingTransferSize
    case maximumOutgoingTransferSize
    case stackTokenWriting
    case nodeShortID
    case versionInfo
    case nwkFrameCounter
    case apsFrameCounter
    case enableR21Behavior
    case endDeviceKeepAliveSupportMode
    case other(UInt8)

    public static let known: [(EzspValueId, UInt8)] = [
        (.tokenStackNodeData, 0x00), (.freeBuffers, 0x03), (.uartSynchCallbacks, 0x04),
        (.maximumIncomingTransferSize, 0x05), (.maximumOutgoingTransferSize, 0x06), (.stackTokenWriting, 0x07),
        (.nodeShortID, 0x0B), (.versionInfo, 0x11), (.nwkFrameCounter, 0x23), (.apsFrameCounter, 0x24),
        (.enableR21Behavior, 0x29), (.endDeviceKeepAliveSupportMode, 0x3F),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}
