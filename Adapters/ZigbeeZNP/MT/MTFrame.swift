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
