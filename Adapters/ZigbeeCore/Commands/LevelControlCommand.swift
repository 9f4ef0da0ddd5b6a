/// Level Control cluster (0x0008) client-to-server commands (ZCL 3.10.2.3).
/// `withOnOff` selects the "with On/Off" variants (ids 0x04-0x07).
public enum LevelControlCommand: ZCLClusterCommand {
    /// Transition time in 1/10 s (0xFFFF = use OnOffTransitionTime).
    case moveToLevel(level: UInt8, transitionTime: UInt16, withOnOff: Bool = false, options: ZCLCommandOptions? = nil)
    /// Rate in units per second (0xFF = default move rate).
    case move(mode: ZCLMoveMode, rate: UInt8, withOnOff: Bool = false, options: ZCLCommandOptions? = nil)
    case step(mode: ZCLMoveMode, stepSize: UInt8, transitionTime: UInt16, withOnOff: Bool = false, options: ZCLCommandOptions? = nil)
    case stop(withOnOff: Bool = false, options: ZCLCommandOptions? = nil)

    public static let clusterId = ZCLClusterID.levelControl
    public static let direction = ZCLDirection.clientToServer

    public var commandId: UInt8 {
        switch self {
        case .moveToLevel(_, _, let withOnOff, _): return withOnOff ? 0x04 : 0x00
        case .move(_, _, let withOnOff, _): return withOnOff ? 0x05 : 0x01
        case .step(_, _, _, let withOnOff, _): return withOnOff ? 0x06 : 0x02
        case .stop(let withOnOff, _): return withOnOff ? 0x07 : 0x03
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .moveToLevel(let level, let time, _, let options):
            out.append(level)
            out.appendLE(time)
            out.append(options)
        case .move(let mode, let rate, _, let options):
            out += [mode.rawValue, rate]
            out.append(options)
        case .step(let mode, let size, let time, _, let options):
            out += [mode.rawValue, size]
            out.appendLE(time)
            out.append(options)
        case .stop(_, let options):
            out.append(options)
        }
        return out
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        guard commandId <= 0x07 else { throw ZigbeeCodecError(.unknownCommand(commandId)) }
        let withOnOff = commandId >= 0x04
        switch commandId & 0x03 {
        case 0x00:
            let level = try r.readUInt8()
            let time = try r.readUInt16()
            self = .moveToLevel(level: level, transitionTime: time, withOnOff: withOnOff, options: try ZCLCommandOptions.read(&r))
        case 0x01:
            let mode = ZCLMoveMode(rawValue: try r.readUInt8())
            let rate = try r.readUInt8()
            self = .move(mode: mode, rate: rate, withOnOff: withOnOff, options: try ZCLCommandOptions.read(&r))
        case 0x02:
            let mode = ZCLMoveMode(rawValue: try r.readUInt8())
            let size = try r.readUInt8()
            let time = try r.readUInt16()
            self = .step(mode: mode, stepSize: size, transitionTime: time, withOnOff: withOnOff, options: try ZCLCommandOptions.read(&r))
        default:
            self = .stop(withOnOff: withOnOff, options: try ZCLCommandOptions.read(&r))
        }
        try r.expectEnd()
    }
}
