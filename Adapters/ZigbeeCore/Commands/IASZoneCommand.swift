/// IAS Zone type (ZCL 8.2.2.2.1.2 ZoneType attribute values). Unlisted values stay opaque.
public enum IASZoneType: Hashable, Sendable {
    case standardCIE, motionSensor, contactSwitch, doorWindowHandle, fireSensor, waterSensor
    case carbonMonoxideSensor, personalEmergencyDevice, vibrationMovementSensor, remoteControl
    case keyFob, keypad, standardWarningDevice, glassBreakSensor, securityRepeater, invalid
    case other(UInt16)

    private static let table: [(UInt16, IASZoneType)] = [
        (0x0000, .standardCIE), (0x000D, .motionSensor), (0x0015, .contactSwitch),
        (0x0016, .doorWindowHandle), (0x0028, .fireSensor), (0x002A, .waterSensor),
        (0x002B, .carbonMonoxideSensor), (0x002C, .personalEmergencyDevice),
        (0x002D, .vibrationMovementSensor), (0x010F, .remoteControl), (0x0115, .keyFob),
        (0x021D, .keypad), (0x0225, .standardWarningDevice), (0x0226, .glassBreakSensor),
        (0x0229, .securityRepeater), (0xFFFF, .invalid),
    ]

    public init(rawValue: UInt16) {
        self = Self.table.first { $0.0 == rawValue }?.1 ?? .other(rawValue)
    }

    public var rawValue: UInt16 {
        if case .other(let value) = self { return value }
        return Self.table.first { $0.1 == self }?.0 ?? 0xFFFF
    }
}

/// IAS ZoneStatus bitmap (ZCL 8.2.2.2.1.3).
public struct IASZoneStatus: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let alarm1 = IASZoneStatus(rawValue: 1 << 0)
    public static let alarm2 = IASZoneStatus(rawValue: 1 << 1)
    public static let tamper = IASZoneStatus(rawValue: 1 << 2)
    public static let battery = IASZoneStatus(rawValue: 1 << 3)
    public static let supervisionReports = IASZoneStatus(rawValue: 1 << 4)
    public static let restoreReports = IASZoneStatus(rawValue: 1 << 5)
    public static let trouble = IASZoneStatus(rawValue: 1 << 6)
    public static let acMains = IASZoneStatus(rawValue: 1 << 7)
    public static let test = IASZoneStatus(rawValue: 1 << 8)
    public static let batteryDefect = IASZoneStatus(rawValue: 1 << 9)
}

/// Zone Enroll Response code (ZCL 8.2.2.3.1).
public enum IASEnrollResponseCode: Hashable, Sendable {
    case success, notSupported, noEnrollPermit, tooManyZones
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0x00: self = .success
        case 0x01: self = .notSupported
        case 0x02: self = .noEnrollPermit
        case 0x03: self = .tooManyZones
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .success: return 0x00
        case .notSupported: return 0x01
        case .noEnrollPermit: return 0x02
        case .tooManyZones: return 0x03
        case .other(let value): return value
        }
    }
}

/// IAS Zone cluster (0x0500) client-to-server commands (ZCL 8.2.2.3).
public enum IASZoneCommand: ZCLClusterCommand {
    case zoneEnrollResponse(code: IASEnrollResponseCode, zoneId: UInt8)
    case initiateNormalOperationMode
    /// Duration in seconds; sensitivity level as CurrentZoneSensitivityLevel.
    case initiateTestMode(durationSeconds: UInt8, sensitivityLevel: UInt8)

    public static let clusterId = ZCLClusterID.iasZone
    public static let direction = ZCLDirection.clientToServer

    public var commandId: UInt8 {
        switch self {
        case .zoneEnrollResponse: return 0x00
        case .initiateNormalOperationMode: return 0x01
        case .initiateTestMode: return 0x02
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        switch self {
        case .zoneEnrollResponse(let code, let zoneId): return [code.rawValue, zoneId]
        case .initiateNormalOperationMode: return []
        case .initiateTestMode(let duration, let level): return [duration, level]
        }
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00:
            self = .zoneEnrollResponse(code: IASEnrollResponseCode(rawValue: try r.readUInt8()), zoneId: try r.readUInt8())
        case 0x01:
            self = .initiateNormalOperationMode
        case 0x02:
            self = .initiateTestMode(durationSeconds: try r.readUInt8(), sensitivityLevel: try r.readUInt8())
        default:
            throw ZigbeeCodecError(.unknownCommand(commandId))
        }
        try r.expectEnd()
    }
}

/// IAS Zone cluster (0x0500) server-to-client commands (ZCL 8.2.2.4).
public enum IASZoneNotification: ZCLClusterCommand {
    /// Zone Status Change Notification (0x00). Zone ID and Delay (quarter seconds) were added in
    /// later ZCL revisions and may be absent from older devices (nil).
    case zoneStatusChange(status: IASZoneStatus, extendedStatus: UInt8, zoneId: UInt8?, delay: UInt16?)
    /// Zone Enroll Request (0x01).
    case zoneEnrollRequest(zoneType: IASZoneType, manufacturerCode: UInt16)

    public static let clusterId = ZCLClusterID.iasZone
    public static let direction = ZCLDirection.serverToClient

    public var commandId: UInt8 {
        switch self {
        case .zoneStatusChange: return 0x00
        case .zoneEnrollRequest: return 0x01
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .zoneStatusChange(let status, let extended, let zoneId, let delay):
            out.appendLE(status.rawValue)
            out.append(extended)
            if let zoneId {
                out.append(zoneId)
                if let delay { out.appendLE(delay) }
            } else if delay != nil {
                throw ZigbeeCodecError(.typeMismatch)
            }
        case .zoneEnrollRequest(let type, let manufacturer):
            out.appendLE(type.rawValue)
            out.appendLE(manufacturer)
        }
        return out
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00:
            let status = IASZoneStatus(rawValue: try r.readUInt16())
            let extended = try r.readUInt8()
            let zoneId = r.isAtEnd ? nil : try r.readUInt8()
            let delay = r.isAtEnd ? nil : try r.readUInt16()
            self = .zoneStatusChange(status: status, extendedStatus: extended, zoneId: zoneId, delay: delay)
        case 0x01:
            self = .zoneEnrollRequest(zoneType: IASZoneType(rawValue: try r.readUInt16()), manufacturerCode: try r.readUInt16())
        default:
            throw ZigbeeCodecError(.unknownCommand(commandId))
        }
        try r.expectEnd()
    }
}
