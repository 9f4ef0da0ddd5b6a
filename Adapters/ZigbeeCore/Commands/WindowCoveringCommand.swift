/// Window Covering cluster (0x0102) client-to-server commands (ZCL 7.4.2.2).
public enum WindowCoveringCommand: ZCLClusterCommand {
    case upOpen
    case downClose
    case stop
    case goToLiftValue(UInt16)
    /// 0-100 %.
    case goToLiftPercentage(UInt8)
    case goToTiltValue(UInt16)
    /// 0-100 %.
    case goToTiltPercentage(UInt8)

    public static let clusterId = ZCLClusterID.windowCovering
    public static let direction = ZCLDirection.clientToServer

    public var commandId: UInt8 {
        switch self {
        case .upOpen: return 0x00
        case .downClose: return 0x01
        case .stop: return 0x02
        case .goToLiftValue: return 0x04
        case .goToLiftPercentage: return 0x05
        case .goToTiltValue: return 0x07
        case .goToTiltPercentage: return 0x08
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .upOpen, .downClose, .stop: break
        case .goToLiftValue(let v), .goToTiltValue(let v): out.appendLE(v)
        case .goToLiftPercentage(let p), .goToTiltPercentage(let p):
            guard p <= 100 else { throw ZigbeeCodecError(.valueOutOfRange) }
            out.append(p)
        }
        return out
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00: self = .upOpen
        case 0x01: self = .downClose
        case 0x02: self = .stop
        case 0x04: self = .goToLiftValue(try r.readUInt16())
        case 0x05: self = .goToLiftPercentage(try r.readUInt8())
        case 0x07: self = .goToTiltValue(try r.readUInt16())
        case 0x08: self = .goToTiltPercentage(try r.readUInt8())
        default: throw ZigbeeCodecError(.unknownCommand(commandId))
        }
        try r.expectEnd()
    }
}
