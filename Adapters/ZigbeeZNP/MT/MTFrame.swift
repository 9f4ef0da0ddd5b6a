/// One TI Z-Stack Monitor and Test (MT) frame (SWRA198 "Z-Stack Monitor and Test API" §2.1).
///
/// On the UART a frame travels as `SOF(0xFE) Length Cmd0 Cmd1 Data[Length] FCS`, where Cmd0 carries
/// the command type in bits 7-5 and the subsystem in bits 4-0, and FCS is the XOR of every byte from
/// Length to the last data byte. The data field holds at most 250 bytes.
public struct MTFrame: Sendable, Hashable {
    public var type: MTCommandType
    public var subsystem: MTSubsystem
    /// Cmd1: the command id within its subsystem.
    public var commandID: UInt8
    public var payload: [UInt8]

    /// Start-of-frame byte.
    public static let startOfFrame: UInt8 = 0xFE
    /// Largest data field Z-Stack accepts or sends over UART.
    public static let maximumPayloadLength = 250
    /// SOF, length, cmd0, cmd1 and FCS around the data field.
    public static let overhead = 5

    public init(type: MTCommandType, subsystem: MTSubsystem, commandID: UInt8, payload: [UInt8] = []) {
        self.type = type
        self.subsystem = subsystem
        self.commandID = commandID
        self.payload = payload
    }

    /// Splits a Cmd0 byte into type and subsystem.
    public init(cmd0: UInt8, cmd1: UInt8, payload: [UInt8] = []) {
        self.init(type: MTCommandType(rawValue: cmd0 >> 5), subsystem: MTSubsystem(rawValue: cmd0 & 0x1F),
                  commandID: cmd1, payload: payload)
    }

    /// Type (bits 7-5) and subsystem (bits 4-0).
    public var cmd0: UInt8 { (type.rawValue & 0x07) << 5 | (subsystem.rawValue & 0x1F) }

    /// XOR of `bytes` (length, cmd0, cmd1 and data for a frame).
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt8 {
        bytes.reduce(0, ^)
    }

    /// The frame as written to the UART. Fails when the payload is longer than 250 bytes.
    public func encoded() throws(MTFrameError) -> [UInt8] {
        guard payload.count <= MTFrame.maximumPayloadLength else {
            throw MTFrameError(.payloadTooLong(payload.count))
        }
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + MTFrame.overhead)
        out.append(MTFrame.startOfFrame)
        out.append(UInt8(payload.count))
        out.append(cmd0)
        out.append(commandID)
        out.append(contentsOf: payload)
        out.append(MTFrame.checksum(out.dropFirst()))
        return out
    }
}

/// Error raised when a frame cannot be encoded. Match on `code`.
public struct MTFrameError: Error, Sendable, Hashable {
    public enum Code: Sendable, Hashable {
        /// The data field exceeds `MTFrame.maximumPayloadLength`.
        case payloadTooLong(Int)
    }

    public var code: Code

    public init(_ code: Code) {
        self.code = code
    }
}

/// Cmd0 bits 7-5 (SWRA198 §2.1.2).
public enum MTCommandType: Sendable, Hashable {
    case poll
    /// Synchronous request: the device answers with exactly one SRSP.
    case sreq
    /// Asynchronous request or callback; no reply.
    case areq
    /// Synchronous response to an SREQ.
    case srsp
    /// Values 4...7.
    case reserved(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue & 0x07 {
        case 0: self = .poll
        case 1: self = .sreq
        case 2: self = .areq
        case 3: self = .srsp
        default: self = .reserved(rawValue & 0x07)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .poll: 0
        case .sreq: 1
        case .areq: 2
        case .srsp: 3
        case .reserved(let value): value & 0x07
        }
    }
}

/// Cmd0 bits 4-0 (SWRA198 §2.1.2; APP_CNF and ZGP as in later Z-Stack 3.x releases).
public struct MTSubsystem: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue & 0x1F
    }

    /// RPC error replies (an SRSP saying a request was not understood).
    public static let rpcError = MTSubsystem(rawValue: 0x00)
    public static let sys = MTSubsystem(rawValue: 0x01)
    public static let mac = MTSubsystem(rawValue: 0x02)
    public static let nwk = MTSubsystem(rawValue: 0x03)
    public static let af = MTSubsystem(rawValue: 0x04)
    public static let zdo = MTSubsystem(rawValue: 0x05)
    public static let sapi = MTSubsystem(rawValue: 0x06)
    public static let util = MTSubsystem(rawValue: 0x07)
    public static let debug = MTSubsystem(rawValue: 0x08)
    public static let app = MTSubsystem(rawValue: 0x09)
    public static let appConfig = MTSubsystem(rawValue: 0x0F)
    public static let zgp = MTSubsystem(rawValue: 0x15)

    public var description: String {
        switch rawValue {
        case 0x00: "RPC_ERROR"
        case 0x01: "SYS"
        case 0x02: "MAC"
        case 0x03: "NWK"
        case 0x04: "AF"
        case 0x05: "ZDO"
        case 0x06: "SAPI"
        case 0x07: "UTIL"
        case 0x08: "DEBUG"
        case 0x09: "APP"
        case 0x0F: "APP_CNF"
        case 0x15: "ZGP"
        default: "SUBSYSTEM_\(rawValue)"
        }
    }
}
