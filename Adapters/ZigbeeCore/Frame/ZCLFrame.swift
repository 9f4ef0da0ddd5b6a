/// ZCL frame type (frame control bits 0-1).
public enum ZCLFrameType: Hashable, Sendable {
    /// Command acts across the entire profile (read/write/report attributes, default response...).
    case global
    /// Command is specific to the cluster.
    case clusterSpecific
    /// Reserved encodings 0b10 / 0b11, kept opaque.
    case reserved(UInt8)

    init(bits: UInt8) {
        switch bits & 0x03 {
        case 0: self = .global
        case 1: self = .clusterSpecific
        default: self = .reserved(bits & 0x03)
        }
    }

    var bits: UInt8 {
        switch self {
        case .global: return 0
        case .clusterSpecific: return 1
        case .reserved(let value): return value & 0x03
        }
    }
}

/// Direction of a ZCL command (frame control bit 3).
public enum ZCLDirection: Hashable, Sendable {
    case clientToServer
    case serverToClient

    public var reversed: ZCLDirection { self == .clientToServer ? .serverToClient : .clientToServer }
}

/// A ZCL frame: header plus undecoded payload (ZCL rev 6/7/8, section 2.4.1 "General ZCL Frame Format").
///
/// Layout: frame control (1) | manufacturer code (2, only when manufacturer specific) |
/// transaction sequence number (1) | command id (1) | payload.
/// Frame control: bits 0-1 frame type, bit 2 manufacturer specific, bit 3 direction
/// (1 = server to client), bit 4 disable default response, bits 5-7 reserved.
public struct ZCLFrame: Hashable, Sendable {
    public var frameType: ZCLFrameType
    /// Present exactly when the frame is manufacturer specific.
    public var manufacturerCode: UInt16?
    public var direction: ZCLDirection
    public var disableDefaultResponse: Bool
    public var transactionSequence: UInt8
    public var commandId: UInt8
    public var payload: [UInt8]

    public init(
        frameType: ZCLFrameType,
        manufacturerCode: UInt16? = nil,
        direction: ZCLDirection,
        disableDefaultResponse: Bool = false,
        transactionSequence: UInt8,
        commandId: UInt8,
        payload: [UInt8] = []
    ) {
        self.frameType = frameType
        self.manufacturerCode = manufacturerCode
        self.direction = direction
        self.disableDefaultResponse = disableDefaultResponse
        self.transactionSequence = transactionSequence
        self.commandId = commandId
        self.payload = payload
    }

    public var isManufacturerSpecific: Bool { manufacturerCode != nil }

    public var frameControl: UInt8 {
        var control = frameType.bits
        if manufacturerCode != nil { control |= 0x04 }
        if direction == .serverToClient { control |= 0x08 }
        if disableDefaultResponse { control |= 0x10 }
        return control
    }

    /// Decodes a frame; reserved frame-control bits 5-7 are ignored.
    public init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        let control = try reader.readUInt8()
        frameType = ZCLFrameType(bits: control)
        manufacturerCode = control & 0x04 != 0 ? try reader.readUInt16() : nil
        direction = control & 0x08 != 0 ? .serverToClient : .clientToServer
        disableDefaultResponse = control & 0x10 != 0
        transactionSequence = try reader.readUInt8()
        commandId = try reader.readUInt8()
        payload = reader.readRest()
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = [frameControl]
        if let code = manufacturerCode { out.appendLE(code) }
        out.append(transactionSequence)
        out.append(commandId)
        out += payload
        return out
    }
}
