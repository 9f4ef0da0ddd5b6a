/// `EzspStatus` (UG100 "Named Values"): the one-byte status of the EZSP layer itself (configuration,
/// values, endpoints, invalid commands) before protocol version 14. From version 14 these fields carry
/// `SLStatus` (see `NCPStatus`).
///
/// Codes: bellows `bellows/types/named.py` (class EzspStatus).
public enum EzspStatus: EZSPCodedValue {
    case success
    case versionNotSet
    case invalidFrameID
    case wrongDirection
    case truncated
    case overflow
    case outOfMemory
    case invalidValue
    case invalidID
    case invalidCall
    case noResponse
    case commandTooLong
    case queueFull
    case commandFiltered
    case unsupportedControl
    case noError
    case other(UInt8)

    public static let known: [(EzspStatus, UInt8)] = [
        (.success, 0x00), (.versionNotSet, 0x30), (.invalidFrameID, 0x31), (.wrongDirection, 0x32),
        (.truncated, 0x33), (.overflow, 0x34), (.outOfMemory, 0x35), (.invalidValue, 0x36),
        (.invalidID, 0x37), (.invalidCall, 0x38), (.noResponse, 0x39), (.commandTooLong, 0x40),
        (.queueFull, 0x41), (.commandFiltered, 0x42), (.unsupportedControl, 0x49), (.noError, 0xFF),
    ]

    public var otherCode: UInt8? {
        if case let .other(code) = self { code } else { nil }
    }
}
