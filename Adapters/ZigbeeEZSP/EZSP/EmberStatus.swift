/// `EmberStatus` (UG100 "Named Values"): the one-byte stack status of protocol versions before 14.
/// From version 14 the NCP reports `SLStatus` instead (see `NCPStatus`).
///
/// Codes: bellows `bellows/types/named.py` (class EmberStatus), UG100 rev 4.x.
public enum EmberStatus: EZSPCodedValue {
    case success
    case errFatal
    case badArgument
    case notFound
    case noBuffers
    case macTransmitQueueFull
    case macNoAckReceived
    case macIndirectTimeout
    case deliveryFailed
    case invalidCall
    case maxMessageLimitReached
    case messageTooLong
    case networkUp
    case networkDown
    case notJoined
    case joinFailed
    case invalidSecurityLevel
    case moveFailed
    case cannotJoinAsRouter
    case nodeIdChanged
    case panIdChanged
    case channelChanged
    case networkOpened
    case networkClosed
    case networkBusy
    case invalidEndpoint
    case sourceRouteFailure
    case manyToOneRouteFailure
    case noBeacons
    case securityStateNotSet
    case indexOutOfRange
    case tableFull
    case tableEntryErased
    case keyInvalid
    case securityConfigurationInvalid
    case other(UInt8)

    public static let known: [(EmberStatus, UInt8)] = [
        (.success, 0x00), (.errFatal, 0x01), (.badArgument, 0x02), (.notFound, 0x03),
        (.noBuffers, 0x18), (.macTransmitQueueFull, 0x39), (.macNoAckReceived, 0x40),
        (.macIndirectTimeout, 0x42), (.deliveryFailed, 0x66), (.invalidCall, 0x70),
        (.maxMessageLimitReached, 0x72), (.messageTooLong, 0x74),
        (.networkUp, 0x90), (.networkDown, 0x91), (.notJoined, 0x93), (.joinFailed, 0x94),
        (.invalidSecurityLevel, 0x95), (.moveFailed, 0x96), (.cannotJoinAsRouter, 0x98),
        (.nodeIdChanged, 0x99), (.panIdChanged, 0x9A), (.channelChanged, 0x9B),
        (.networkOpened, 0x9C), (.networkClosed, 0x9D), (.networkBusy, 0xA1), (.invalidEndpoint, 0xA3),
        (.securityStateNotSet, 0xA8), (.sourceRouteFailure, 0xA9), (.manyToOneRouteFailure, 0xAA),
        (.noBeacons, 0xAB), (.indexOutOfRange, 0xB1), (.keyInvalid, 0xB2), (.tableFull, 0xB4),
        (.tableEntryErased, 0xB6), (.securityConfigurationInvalid, 0xB7),
    ]

    public var otherCode: UInt8? {
        if case let .other(code) = self { code } else { nil }
    }
}
