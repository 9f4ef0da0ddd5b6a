/// One ASH frame (UG101 "UART Gateway Protocol Reference").
///
/// Control byte layout:
/// - DATA:   `0 frmNum(3) reTx(1) ackNum(3)`
/// - ACK:    `1 0 0 res nRdy ackNum(3)`
/// - NAK:    `1 0 1 res nRdy ackNum(3)`
/// - RST:    `0xC0` (no data)
/// - RSTACK: `0xC1`, data = version, reset code
/// - ERROR:  `0xC2`, data = version, error code
public enum ASHFrame: Sendable, Hashable {
    case data(frameNumber: UInt8, ackNumber: UInt8, retransmitted: Bool, payload: [UInt8])
    case ack(ackNumber: UInt8, notReady: Bool)
    case nak(ackNumber: UInt8, notReady: Bool)
    case rst
    case rstAck(version: UInt8, resetCode: UInt8)
    case error(version: UInt8, code: UInt8)

    /// The ASH protocol version carried by RSTACK and ERROR frames.
    public static let protocolVersion: UInt8 = 0x02

    // MARK: Reserved bytes

    public static let flagByte: UInt8 = 0x7E
    public static let escapeByte: UInt8 = 0x7D
    public static let xonByte: UInt8 = 0x11
    public static let xoffByte: UInt8 = 0x13
    public static let substituteByte: UInt8 = 0x18
    public static let cancelByte: UInt8 = 0x1A
    /// XORed onto a reserved byte after an escape byte.
    public static let escapeMask: UInt8 = 0x20

    /// True for the bytes that must be escaped inside a frame.
    @inlinable
    public static func isReserved(_ byte: UInt8) -> Bool {
        switch byte {
        case flagByte, escapeByte, xonByte, xoffByte, substituteByte, cancelByte: true
        default: false
        }
    }

    // MARK: Control byte

    /// The control byte of this frame. Frame and ACK numbers are taken modulo 8.
    public var controlByte: UInt8 {
        switch self {
        case let .data(frameNumber, ackNumber, retransmitted, _):
            return (frameNumber & 0x07) << 4 | (retransmitted ? 0x08 : 0) | (ackNumber & 0x07)
        case let .ack(ackNumber, notReady):
            return 0x80 | (notReady ? 0x08 : 0) | (ackNumber & 0x07)
        case let .nak(ackNumber, notReady):
            return 0xA0 | (notReady ? 0x08 : 0) | (ackNumber & 0x07)
        case .rst: return 0xC0
        case .rstAck: return 0xC1
        case .error: return 0xC2
        }
    }

    /// The data field as it travels (DATA payloads randomised, others as is).
    public var wireData: [UInt8] {
        switch self {
        case let .data(_, _, _, payload): return ASHFrame.randomize(payload)
        case .ack, .nak, .rst: return []
        case let .rstAck(version, resetCode): return [version, resetCode]
        case let .error(version, code): return [version, code]
        }
    }

    // MARK: Encoding

    /// The control byte, data field and CRC, before byte stuffing.
    public var unstuffedBytes: [UInt8] {
        var body = [controlByte]
        body.append(contentsOf: wireData)
        body.append(contentsOf: ASHCRC.bytes(body))
        return body
    }

    /// The complete frame as written to the UART: stuffed control + data + CRC, then the flag byte.
    /// (A host sending RST usually precedes it with a cancel byte; see `ASHLink`.)
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        let body = unstuffedBytes
        out.reserveCapacity(body.count * 2 + 1)
        for byte in body {
            if ASHFrame.isReserved(byte) {
                out.append(ASHFrame.escapeByte)
                out.append(byte ^ ASHFrame.escapeMask)
            } else {
                out.append(byte)
            }
        }
        out.append(ASHFrame.flagByte)
        return out
    }

    // MARK: Data randomisation

    /// XORs `bytes` with the ASH pseudo-random sequence (seed 0x42; next = rand >> 1, XOR 0xB8 when
    /// the low bit was set). Applying it twice restores the input.
    public static func randomize(_ bytes: [UInt8]) -> [UInt8] {
        var rand: UInt8 = 0x42
        var out = bytes
        for index in out.indices {
            out[index] ^= rand
            rand = rand & 0x01 == 0 ? rand >> 1 : (rand >> 1) ^ 0xB8
        }
        return out
    }

    // MARK: Parsing

    /// Why a complete, unstuffed, CRC-checked frame body could not be interpreted.
    public enum ParseError: Error, Sendable, Hashable {
        case unknownControlByte(UInt8)
        /// The data field length does not suit the frame type.
        case badLength(control: UInt8, dataLength: Int)
    }

    /// Interprets a control byte and its (still randomised) data field.
    public static func parse(control: UInt8, data: ArraySlice<UInt8>) -> Result<ASHFrame, ParseError> {
        switch control {
        case 0x00...0x7F:
            guard !data.isEmpty else { return .failure(.badLength(control: control, dataLength: 0)) }
            return .success(.data(frameNumber: (control >> 4) & 0x07,
                                  ackNumber: control & 0x07,
                                  retransmitted: control & 0x08 != 0,
                                  payload: randomize(Array(data))))
        case 0x80...0xBF:
            guard data.isEmpty else { return .failure(.badLength(control: control, dataLength: data.count)) }
            let ackNumber = control & 0x07
            let notReady = control & 0x08 != 0
            return .success(control & 0x20 == 0
                ? .ack(ackNumber: ackNumber, notReady: notReady)
                : .nak(ackNumber: ackNumber, notReady: notReady))
        case 0xC0:
            guard data.isEmpty else { return .failure(.badLength(control: control, dataLength: data.count)) }
            return .success(.rst)
        case 0xC1, 0xC2:
            guard data.count == 2 else { return .failure(.badLength(control: control, dataLength: data.count)) }
            let first = data[data.startIndex]
            let second = data[data.startIndex + 1]
            return .success(control == 0xC1
                ? .rstAck(version: first, resetCode: second)
                : .error(version: first, code: second))
        default:
            return .failure(.unknownControlByte(control))
        }
    }
}
