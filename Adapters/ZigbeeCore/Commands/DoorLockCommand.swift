/// Door Lock cluster (0x0101) client-to-server commands (ZCL 7.3.2.16).
/// The PIN / RFID code is optional on the wire (omitted when nil).
public enum DoorLockCommand: ZCLClusterCommand {
    case lock(pin: [UInt8]? = nil)
    case unlock(pin: [UInt8]? = nil)
    case toggle(pin: [UInt8]? = nil)
    case unlockWithTimeout(seconds: UInt16, pin: [UInt8]? = nil)

    public static let clusterId = ZCLClusterID.doorLock
    public static let direction = ZCLDirection.clientToServer

    public var commandId: UInt8 {
        switch self {
        case .lock: return 0x00
        case .unlock: return 0x01
        case .toggle: return 0x02
        case .unlockWithTimeout: return 0x03
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .lock(let pin), .unlock(let pin), .toggle(let pin):
            if let pin { try out.appendOctetString(pin) }
        case .unlockWithTimeout(let seconds, let pin):
            out.appendLE(seconds)
            if let pin { try out.appendOctetString(pin) }
        }
        return out
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00, 0x01, 0x02:
            let pin = r.isAtEnd ? nil : try r.readOctetString()
            switch commandId {
            case 0x00: self = .lock(pin: pin)
            case 0x01: self = .unlock(pin: pin)
            default: self = .toggle(pin: pin)
            }
        case 0x03:
            let seconds = try r.readUInt16()
            self = .unlockWithTimeout(seconds: seconds, pin: r.isAtEnd ? nil : try r.readOctetString())
        default:
            throw ZigbeeCodecError(.unknownCommand(commandId))
        }
        try r.expectEnd()
    }
}

/// Door Lock cluster (0x0101) server-to-client commands (ZCL 7.3.2.17).
public enum DoorLockResponse: ZCLClusterCommand {
    case lockResponse(ZCLStatus)
    case unlockResponse(ZCLStatus)
    case toggleResponse(ZCLStatus)
    case unlockWithTimeoutResponse(ZCLStatus)
    /// Operation Event Notification (0x20). `localTime` is ZCL UTCTime (seconds since 2000).
    case operationEvent(DoorLockOperationEvent)

    public static let clusterId = ZCLClusterID.doorLock
    public static let direction = ZCLDirection.serverToClient

    public var commandId: UInt8 {
        switch self {
        case .lockResponse: return 0x00
        case .unlockResponse: return 0x01
        case .toggleResponse: return 0x02
        case .unlockWithTimeoutResponse: return 0x03
        case .operationEvent: return 0x20
        }
    }

    public func encodedPayload() throws -> [UInt8] {
        switch self {
        case .lockResponse(let s), .unlockResponse(let s), .toggleResponse(let s), .unlockWithTimeoutResponse(let s):
            return [s.rawValue]
        case .operationEvent(let event):
            var out: [UInt8] = [event.source.rawValue, event.code]
            out.appendLE(event.userId)
            try out.appendOctetString(event.pin)
            out.appendLE(event.localTime)
            if let data = event.data { try ZCLValue.string(data).write(to: &out) }
            return out
        }
    }

    public init(commandId: UInt8, payload: [UInt8]) throws {
        var r = ByteReader(payload)
        switch commandId {
        case 0x00...0x03:
            let status = ZCLStatus(rawValue: try r.readUInt8())
            switch commandId {
            case 0x00: self = .lockResponse(status)
            case 0x01: self = .unlockResponse(status)
            case 0x02: self = .toggleResponse(status)
            default: self = .unlockWithTimeoutResponse(status)
            }
        case 0x20:
            let source = DoorLockOperationEvent.Source(rawValue: try r.readUInt8())
            let code = try r.readUInt8()
            let userId = try r.readUInt16()
            let pin = try r.readOctetString(allowInvalid: true)
            let time = try r.readUInt32()
            let data = r.isAtEnd ? nil : try r.readCharacterString()
            self = .operationEvent(DoorLockOperationEvent(source: source, code: code, userId: userId, pin: pin, localTime: time, data: data))
        default:
            throw ZigbeeCodecError(.unknownCommand(commandId))
        }
        try r.expectEnd()
    }
}

/// Payload of the Door Lock Operation Event Notification.
public struct DoorLockOperationEvent: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case keypad, rf, manual, rfid
        case other(UInt8)

        public init(rawValue: UInt8) {
            switch rawValue {
            case 0x00: self = .keypad
            case 0x01: self = .rf
            case 0x02: self = .manual
            case 0x03: self = .rfid
            default: self = .other(rawValue)
            }
        }

        public var rawValue: UInt8 {
            switch self {
            case .keypad: return 0x00
            case .rf: return 0x01
            case .manual: return 0x02
            case .rfid: return 0x03
            case .other(let value): return value
            }
        }
    }

    public var source: Source
    /// Operation event code (e.g. 0x01 lock, 0x02 unlock); meaning depends on `source`.
    public var code: UInt8
    public var userId: UInt16
    public var pin: [UInt8]
    public var localTime: UInt32
    public var data: String?

    public init(source: Source, code: UInt8, userId: UInt16, pin: [UInt8], localTime: UInt32, data: String? = nil) {
        self.source = source
        self.code = code
        self.userId = userId
        self.pin = pin
        self.localTime = localTime
        self.data = data
    }
}
