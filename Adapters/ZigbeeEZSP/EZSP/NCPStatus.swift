import ZigbeeCore

/// A status field as the NCP sent it. Before protocol version 14 it is one byte, either an
/// `EmberStatus` (stack) or an `EzspStatus` (EZSP layer) depending on the command; from version 14
/// every such field is a 4-byte `SLStatus`.
public enum NCPStatus: Hashable, Sendable {
    case ember(EmberStatus)
    case ezsp(EzspStatus)
    case sl(SLStatus)

    public var isSuccess: Bool {
        switch self {
        case let .ember(status): status == .success
        case let .ezsp(status): status == .success
        case let .sl(status): status == .ok
        }
    }

    /// NETWORK_UP: 0x90 as EmberStatus, 0x0015 as SLStatus.
    public var isNetworkUp: Bool { self == .ember(.networkUp) || self == .sl(.networkUp) }
    public var isNetworkDown: Bool { self == .ember(.networkDown) || self == .sl(.networkDown) }
    /// NOT_JOINED: 0x93 as EmberStatus, 0x0017 as SLStatus.
    public var isNotJoined: Bool { self == .ember(.notJoined) || self == .sl(.notJoined) }

    /// A value the NCP refused: EZSP_ERROR_INVALID_VALUE before version 14; SL_STATUS_INVALID_PARAMETER
    /// from version 14 (the mapping bellows applies; assumed, not seen on a v14 NCP).
    public var isInvalidValue: Bool { self == .ezsp(.invalidValue) || self == .sl(.invalidParameter) }

    /// An identifier the NCP does not know: EZSP_ERROR_INVALID_ID before version 14.
    public var isInvalidID: Bool { self == .ezsp(.invalidID) || self == .sl(.invalidParameter) }

    /// The raw code, widened.
    public var code: UInt32 {
        switch self {
        case let .ember(status): UInt32(status.code)
        case let .ezsp(status): UInt32(status.code)
        case let .sl(status): status.code
        }
    }

    // MARK: Wire

    /// Reads a field typed EmberStatus in UG100 (sl_status from version 14).
    static func readEmber(_ reader: inout ByteReader, version: UInt8) throws -> NCPStatus {
        if version >= EZSPProtocolVersion.slStatus { return .sl(SLStatus(code: try reader.readUInt32())) }
        return .ember(EmberStatus(code: try reader.readUInt8()))
    }

    /// Reads a field typed EzspStatus in UG100 (sl_status from version 14).
    static func readEzsp(_ reader: inout ByteReader, version: UInt8) throws -> NCPStatus {
        if version >= EZSPProtocolVersion.slStatus { return .sl(SLStatus(code: try reader.readUInt32())) }
        return .ezsp(EzspStatus(code: try reader.readUInt8()))
    }

    /// The bytes of this status as the given version carries it (for simulators and tests).
    public func encoded(version: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        if version >= EZSPProtocolVersion.slStatus {
            out.appendLE(code)
        } else {
            out.append(UInt8(truncatingIfNeeded: code))
        }
        return out
    }
}
