/// `sl_status_t` (Silicon Labs platform status, 32 bits little-endian): replaces both `EmberStatus`
/// and `EzspStatus` in EZSP protocol version 14 and later (EmberZNet 8).
///
/// Codes: bellows `bellows/types/named.py` (class sl_Status) and its v14 command table, which swaps
/// every EmberStatus/EzspStatus field for sl_Status; zigbee-herdsman `readStatus` reads 4 bytes from
/// version 0x0E.
public enum SLStatus: EZSPCodedValue {
    case ok
    case fail
    case invalidState
    case notReady
    case busy
    case inProgress
    case timeout
    case notSupported
    case networkUp
    case networkDown
    case notJoined
    case noBeacons
    case allocationFailed
    case noMoreResource
    case full
    case invalidParameter
    case invalidConfiguration
    case invalidIndex
    case invalidKey
    case notFound
    case alreadyExists
    case messageTooLong
    case macNoAckReceived
    case macIndirectTimeout
    case zigbeeDeliveryFailed
    case zigbeeMaxMessageLimitReached
    case zigbeeSourceRouteFailure
    case zigbeeManyToOneRouteFailure
    case zigbeeNetworkOpened
    case zigbeeNetworkClosed
    case zigbeeEZSPError
    case other(UInt32)

    public static let known: [(SLStatus, UInt32)] = [
        (.ok, 0x0000), (.fail, 0x0001), (.invalidState, 0x0002), (.notReady, 0x0003), (.busy, 0x0004),
        (.inProgress, 0x0005), (.timeout, 0x0007), (.notSupported, 0x000F),
        (.networkUp, 0x0015), (.networkDown, 0x0016), (.notJoined, 0x0017), (.noBeacons, 0x0018),
        (.allocationFailed, 0x0019), (.noMoreResource, 0x001A), (.full, 0x001C),
        (.invalidParameter, 0x0021), (.invalidConfiguration, 0x0023), (.invalidIndex, 0x0027),
        (.invalidKey, 0x0029), (.notFound, 0x002D), (.alreadyExists, 0x002E), (.messageTooLong, 0x0038),
        (.macNoAckReceived, 0x0040), (.macIndirectTimeout, 0x0041),
        (.zigbeeDeliveryFailed, 0x0C02), (.zigbeeMaxMessageLimitReached, 0x0C03),
        (.zigbeeSourceRouteFailure, 0x0C13), (.zigbeeManyToOneRouteFailure, 0x0C14),
        (.zigbeeNetworkOpened, 0x0C18), (.zigbeeNetworkClosed, 0x0C19), (.zigbeeEZSPError, 0x0C1E),
    ]

    public var otherCode: UInt32? {
        if case let .other(code) = self { code } else { nil }
    }
}
