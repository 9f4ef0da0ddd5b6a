/// A typed cluster-specific command for one cluster and direction.
public protocol ZCLClusterCommand: Hashable, Sendable {
    static var clusterId: UInt16 { get }
    static var direction: ZCLDirection { get }
    var commandId: UInt8 { get }
    func encodedPayload() throws -> [UInt8]
    /// Throws `.unknownCommand` for ids this type does not model, codec errors for bad payloads.
    init(commandId: UInt8, payload: [UInt8]) throws
}

extension ZCLClusterCommand {
    /// Wraps the command into a cluster-specific ZCL frame.
    public func frame(
        transactionSequence: UInt8,
        manufacturerCode: UInt16? = nil,
        disableDefaultResponse: Bool = false
    ) throws -> ZCLFrame {
        ZCLFrame(
            frameType: .clusterSpecific,
            manufacturerCode: manufacturerCode,
            direction: Self.direction,
            disableDefaultResponse: disableDefaultResponse,
            transactionSequence: transactionSequence,
            commandId: commandId,
            payload: try encodedPayload()
        )
    }

    /// Decodes a cluster-specific frame travelling in this type's direction. Manufacturer-specific
    /// frames are rejected (`.wrongFrameKind`): their command ids belong to the manufacturer.
    public init(frame: ZCLFrame) throws {
        guard frame.frameType == .clusterSpecific, frame.direction == Self.direction,
              frame.manufacturerCode == nil
        else { throw ZigbeeCodecError(.wrongFrameKind) }
        try self.init(commandId: frame.commandId, payload: frame.payload)
    }
}

/// Options Mask / Options Override trailing fields of lighting commands (ZCL 7+).
public struct ZCLCommandOptions: Hashable, Sendable {
    public var mask: UInt8
    public var override: UInt8

    public init(mask: UInt8, override: UInt8) {
        self.mask = mask
        self.override = override
    }

    /// Bit 0 of Options: execute the command even when the device is off.
    public static let executeIfOff = ZCLCommandOptions(mask: 0x01, override: 0x01)

    static func read(_ reader: inout ByteReader) throws -> ZCLCommandOptions? {
        if reader.isAtEnd { return nil }
        return ZCLCommandOptions(mask: try reader.readUInt8(), override: try reader.readUInt8())
    }
}

extension Array where Element == UInt8 {
    mutating func append(_ options: ZCLCommandOptions?) {
        if let options { self += [options.mask, options.override] }
    }

    /// Octet string with a length prefix; strings of 255+ bytes are rejected.
    mutating func appendOctetString(_ bytes: [UInt8]) throws {
        try ZCLValue.octets(bytes).write(to: &self)
    }
}

extension ByteReader {
    /// Reads an octet string. The 0xFF "invalid" length is an error in commands we act on
    /// (`allowInvalid: false`) and reads as empty in notifications.
    mutating func readOctetString(allowInvalid: Bool = false) throws -> [UInt8] {
        let start = offset
        let value = try ZCLValue.read(.octstr, from: &self)
        if case .octets(let bytes) = value { return bytes }
        guard allowInvalid else { throw ZigbeeCodecError(.invalidValue, offset: start) }
        return []
    }

    mutating func readCharacterString() throws -> String? {
        let value = try ZCLValue.read(.string, from: &self)
        if case .string(let text) = value { return text }
        return nil
    }
}

/// Move / step direction used by Level Control and Color Control.
public enum ZCLMoveMode: Hashable, Sendable {
    case up
    case down
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0x00: self = .up
        case 0x01: self = .down
        default: self = .other(rawValue)
        }
    }

    /// Level Control / saturation / colour temperature encoding: up 0x00, down 0x01.
    public var rawValue: UInt8 {
        switch self {
        case .up: return 0x00
        case .down: return 0x01
        case .other(let value): return value
        }
    }
}
