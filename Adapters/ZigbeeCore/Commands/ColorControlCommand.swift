/// Hue direction of Move to Hue commands (ZCL 5.2.2.3.4).
public enum ZCLHueDirection: Hashable, Sendable {
    case shortestDistance, longestDistance, up, down
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0x00: self = .shortestDistance
        case 0x01: self = .longestDistance
        case 0x02: self = .up
        case 0x03: self = .down
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .shortestDistance: return 0x00
        case .longestDistance: return 0x01
        case .up: return 0x02
        case .down: return 0x03
        case .other(let value): return value
        }
    }
}

/// Move / step mode of Color Control commands: stop 0x00, up 0x01, down 0x03 (ZCL 5.2.2.3.5).
/// Note this differs from Level Control's up 0x00 / down 0x01.
public enum ZCLColorMoveMode: Hashable, Sendable {
    case stop, up, down
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0x00: self = .stop
        case 0x01: self = .up
        case 0x03: self = .down
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .stop: return 0x00
        case .up: return 0x01
        case .down: return 0x03
        case .other(let value): return value
        }
    }
}

/// Color Control cluster (0x0300) client-to-server commands (ZCL 5.2.2.3): hue/saturation, XY
/// and colour temperature. Transition times are in 1/10 s.
public enum ColorControlCommand: ZCLClusterCommand {
    case moveToHue(hue: UInt8, direction: ZCLHueDirection, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    case moveHue(mode: ZCLColorMoveMode, rate: UInt8, options: ZCLCommandOptions? = nil)
    case stepHue(mode: ZCLColorMoveMode, stepSize: UInt8, transitionTime: UInt8, options: ZCLCommandOptions? = nil)
    case moveToSaturation(saturation: UInt8, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    case moveSaturation(mode: ZCLColorMoveMode, rate: UInt8, options: ZCLCommandOptions? = nil)
    case stepSaturation(mode: ZCLColorMoveMode, stepSize: UInt8, transitionTime: UInt8, options: ZCLCommandOptions? = nil)
    case moveToHueAndSaturation(hue: UInt8, saturation: UInt8, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    /// CIE 1931 x/y scaled by 65536.
    case moveToColor(x: UInt16, y: UInt16, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    case moveColor(rateX: Int16, rateY: Int16, options: ZCLCommandOptions? = nil)
    case stepColor(stepX: Int16, stepY: Int16, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    case moveToColorTemperature(mireds: UInt16, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    case enhancedMoveToHue(enhancedHue: UInt16, direction: ZCLHueDirection, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    case enhancedMoveToHueAndSaturation(enhancedHue: UInt16, saturation: UInt8, transitionTime: UInt16, options: ZCLCommandOptions? = nil)
    case stopMoveStep(options: ZCLCommandOptions? = nil)
    case moveColorTemperature(mode: ZCLColorMoveMode, rate: UInt16, minimumMireds: UInt16, maximumMireds: UInt16, options: ZCLCommandOptions? = nil)
    case stepColorTemperature(mode: ZCLColorMoveMode, stepSize: UInt16, transitionTime: UInt16, minimumMireds: UInt16, maximumMireds: UInt16, options: ZCLCommandOptions? = nil)

    public static let clusterId = ZCLClusterID.colorControl
    public static let direction = ZCLDirection.clientToServer

    public var commandId: UInt8 {
        switch self {
        case .moveToHue: return 0x00
        case .moveHue: return 0x01
        case .stepHue: return 0x02
        case .moveToSaturation: return 0x03
        case .moveSaturation: return 0x04
        case .stepSaturation: return 0x05
        case .moveToHueAndSaturation: return 0x06
        case .moveToColor: return 0x07
        case .moveColor: return 0x08
        case .stepColor: return 0x09
        case .moveToColorTemperature: return 0x0A
        case .enhancedMoveToHue: return 0x40
        case .enhancedMoveToHueAndSaturation: return 0x43
        case .stopMoveStep: return 0x47
        case .moveColorTemperature: return 0x4B
        case .stepColorTemperature: return 0x4C
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        var out: [UInt8] = []
        let options: ZCLCommandOptions?
        switch self {
        case .moveToHue(let hue, let direction, let time, let o):
            out += [hue, direction.rawValue]
            out.appendLE(time)
            options = o
        case .moveHue(let mode, let rate, let o), .moveSaturation(let mode, let rate, let o):
            out += [mode.rawValue, rate]
            options = o
        case .stepHue(let mode, let size, let time, let o), .stepSaturation(let mode, let size, let time, let o):
            out += [mode.rawValue, size, time]
            options = o
        case .moveToSaturation(let saturation, let time, let o):
            out.append(saturation)
            out.appendLE(time)
            options = o
        case .moveToHueAndSaturation(let hue, let saturation, let time, let o):
            out += [hue, saturation]
            out.appendLE(time)
            options = o
        case .moveToColor(let x, let y, let time, let o):
            out.appendLE(x)
            out.appendLE(y)
            out.appendLE(time)
            options = o
        case .moveColor(let rateX, let rateY, let o):
            out.appendLE(rateX)
            out.appendLE(rateY)
            options = o
        case .stepColor(let stepX, let stepY, let time, let o):
            out.appendLE(stepX)
            out.appendLE(stepY)
            out.appendLE(time)
            options = o
        case .moveToColorTemperature(let mireds, let time, let o):
            out.appendLE(mireds)
            out.appendLE(time)
            options = o
        case .enhancedMoveToHue(let hue, let direction, let time, let o):
            out.appendLE(hue)
            out.append(direction.rawValue)
            out.appendLE(time)
            options = o
        case .enhancedMoveToHueAndSaturation(let hue, let saturation, let time, let o):
            out.appendLE(hue)
            out.append(saturation)
            out.appendLE(time)
            options = o
        case .stopMoveStep(let o):
            options = o
        case .moveColorTemperature(let mode, let rate, let minimum, let maximum, let o):
            out.append(mode.rawValue)
            out.appendLE(rate)
            out.appendLE(minimum)
            out.appendLE(maximum)
            options = o
        case .stepColorTemperature(let mode, let size, let time, let minimum, let maximum, let o):
            out.append(mode.rawValue)
            out.appendLE(size)
            out.appendLE(time)
            out.appendLE(minimum)
            out.appendLE(maximum)
            options = o
        }
        out.append(options)
        return out
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00:
            let hue = try r.readUInt8()
            let direction = ZCLHueDirection(rawValue: try r.readUInt8())
            let time = try r.readUInt16()
            self = .moveToHue(hue: hue, direction: direction, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x01, 0x04:
            let mode = ZCLColorMoveMode(rawValue: try r.readUInt8())
            let rate = try r.readUInt8()
            let options = try ZCLCommandOptions.read(&r)
            self = commandId == 0x01 ? .moveHue(mode: mode, rate: rate, options: options)
                : .moveSaturation(mode: mode, rate: rate, options: options)
        case 0x02, 0x05:
            let mode = ZCLColorMoveMode(rawValue: try r.readUInt8())
            let size = try r.readUInt8()
            let time = try r.readUInt8()
            let options = try ZCLCommandOptions.read(&r)
            self = commandId == 0x02 ? .stepHue(mode: mode, stepSize: size, transitionTime: time, options: options)
                : .stepSaturation(mode: mode, stepSize: size, transitionTime: time, options: options)
        case 0x03:
            let saturation = try r.readUInt8()
            let time = try r.readUInt16()
            self = .moveToSaturation(saturation: saturation, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x06:
            let hue = try r.readUInt8()
            let saturation = try r.readUInt8()
            let time = try r.readUInt16()
            self = .moveToHueAndSaturation(hue: hue, saturation: saturation, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x07:
            let x = try r.readUInt16()
            let y = try r.readUInt16()
            let time = try r.readUInt16()
            self = .moveToColor(x: x, y: y, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x08:
            let rateX = try r.readInt16()
            let rateY = try r.readInt16()
            self = .moveColor(rateX: rateX, rateY: rateY, options: try ZCLCommandOptions.read(&r))
        case 0x09:
            let stepX = try r.readInt16()
            let stepY = try r.readInt16()
            let time = try r.readUInt16()
            self = .stepColor(stepX: stepX, stepY: stepY, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x0A:
            let mireds = try r.readUInt16()
            let time = try r.readUInt16()
            self = .moveToColorTemperature(mireds: mireds, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x40:
            let hue = try r.readUInt16()
            let direction = ZCLHueDirection(rawValue: try r.readUInt8())
            let time = try r.readUInt16()
            self = .enhancedMoveToHue(enhancedHue: hue, direction: direction, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x43:
            let hue = try r.readUInt16()
            let saturation = try r.readUInt8()
            let time = try r.readUInt16()
            self = .enhancedMoveToHueAndSaturation(enhancedHue: hue, saturation: saturation, transitionTime: time, options: try ZCLCommandOptions.read(&r))
        case 0x47:
            self = .stopMoveStep(options: try ZCLCommandOptions.read(&r))
        case 0x4B:
            let mode = ZCLColorMoveMode(rawValue: try r.readUInt8())
            let rate = try r.readUInt16()
            let minimum = try r.readUInt16()
            let maximum = try r.readUInt16()
            self = .moveColorTemperature(mode: mode, rate: rate, minimumMireds: minimum, maximumMireds: maximum, options: try ZCLCommandOptions.read(&r))
        case 0x4C:
            let mode = ZCLColorMoveMode(rawValue: try r.readUInt8())
            let size = try r.readUInt16()
            let time = try r.readUInt16()
            let minimum = try r.readUInt16()
            let maximum = try r.readUInt16()
            self = .stepColorTemperature(mode: mode, stepSize: size, transitionTime: time, minimumMireds: minimum, maximumMireds: maximum, options: try ZCLCommandOptions.read(&r))
        default:
            throw ZigbeeCodecError(.unknownCommand(commandId))
        }
        try r.expectEnd()
    }
}
