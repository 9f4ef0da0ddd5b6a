/// On/Off cluster (0x0006) client-to-server commands (ZCL 3.8.2.3).
public enum OnOffCommand: ZCLClusterCommand {
    case off
    case on
    case toggle
    /// Effect identifier (0x00 delayed all off, 0x01 dying light) and variant.
    case offWithEffect(effect: UInt8, variant: UInt8)
    case onWithRecallGlobalScene
    /// `acceptOnlyWhenOn` is bit 0 of the On/Off Control field; times are in 1/10 s.
    case onWithTimedOff(acceptOnlyWhenOn: Bool, onTime: UInt16, offWaitTime: UInt16)

    public static let clusterId = ZCLClusterID.onOff
    public static let direction = ZCLDirection.clientToServer

    public var commandId: UInt8 {
        switch self {
        case .off: return 0x00
        case .on: return 0x01
        case .toggle: return 0x02
        case .offWithEffect: return 0x40
        case .onWithRecallGlobalScene: return 0x41
        case .onWithTimedOff: return 0x42
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        switch self {
        case .off, .on, .toggle, .onWithRecallGlobalScene:
            return []
        case .offWithEffect(let effect, let variant):
            return [effect, variant]
        case .onWithTimedOff(let acceptOnlyWhenOn, let onTime, let offWaitTime):
            var out: [UInt8] = [acceptOnlyWhenOn ? 0x01 : 0x00]
            out.appendLE(onTime)
            out.appendLE(offWaitTime)
            return out
        }
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00: self = .off
        case 0x01: self = .on
        case 0x02: self = .toggle
        case 0x40: self = .offWithEffect(effect: try r.readUInt8(), variant: try r.readUInt8())
        case 0x41: self = .onWithRecallGlobalScene
        case 0x42:
            let control = try r.readUInt8()
            self = .onWithTimedOff(acceptOnlyWhenOn: control & 0x01 != 0, onTime: try r.readUInt16(), offWaitTime: try r.readUInt16())
        default: throw ZigbeeCodecError(.unknownCommand(commandId))
        }
        try r.expectEnd()
    }
}
