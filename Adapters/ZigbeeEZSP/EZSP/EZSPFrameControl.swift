/// The EZSP frame control (UG100 "Protocol Format").
///
/// Low byte (every format):
/// - bit 7: direction, 1 = response (NCP → host)
/// - bits 6–5: network index
/// - responses: bit 4 asynchronous callback (UART), bit 3 synchronous callback, bit 2 callback
///   pending, bit 1 truncated, bit 0 overflow
/// - commands: bits 1–0 sleep mode (SPI only; 0 = idle)
///
/// High byte (extended format, protocol version 8 and later): bit 7 security, bit 6 padding,
/// bits 5–2 reserved, bits 1–0 frame-format version (1).
///
/// Bit values: zigbee-herdsman `src/adapter/ember/ezsp/consts.ts` (EZSP_FRAME_CONTROL_*).
public struct EZSPFrameControl: Hashable, Sendable {
    public enum CallbackType: Hashable, Sendable {
        /// A direct response to a command.
        case none
        /// A callback returned in answer to the `callback` command (SPI, or UART with synchronous
        /// callbacks configured).
        case synchronous
        /// A callback the NCP sent on its own over UART.
        case asynchronous
    }

    public var lowByte: UInt8
    /// 0x01 for extended frames from the host; nil for the legacy one-byte form.
    public var highByte: UInt8?

    public init(lowByte: UInt8, highByte: UInt8? = nil) {
        self.lowByte = lowByte
        self.highByte = highByte
    }

    /// The frame control of a command from the host.
    public static func command(networkIndex: UInt8 = 0, extended: Bool) -> EZSPFrameControl {
        EZSPFrameControl(lowByte: (networkIndex & 0x03) << 5,
                         highByte: extended ? formatVersion1 : nil)
    }

    public static let responseBit: UInt8 = 0x80
    public static let overflowBit: UInt8 = 0x01
    public static let truncatedBit: UInt8 = 0x02
    public static let callbackPendingBit: UInt8 = 0x04
    public static let synchronousCallbackBit: UInt8 = 0x08
    public static let asynchronousCallbackBit: UInt8 = 0x10
    /// The frame-format version of extended frames, in the high byte's two low bits.
    public static let formatVersion1: UInt8 = 0x01
    static let formatVersionMask: UInt8 = 0x03
    static let highByteReservedMask: UInt8 = 0x3C

    public var isResponse: Bool { lowByte & Self.responseBit != 0 }
    public var networkIndex: UInt8 { (lowByte >> 5) & 0x03 }
    /// The NCP ran out of memory since the previous response; callbacks may have been lost.
    public var overflow: Bool { isResponse && lowByte & Self.overflowBit != 0 }
    /// The response did not fit and was cut short.
    public var truncated: Bool { isResponse && lowByte & Self.truncatedBit != 0 }
    /// The NCP holds callbacks. Over UART they arrive unsolicited, so the host need not poll.
    public var callbackPending: Bool { isResponse && lowByte & Self.callbackPendingBit != 0 }

    public var callbackType: CallbackType {
        guard isResponse else { return .none }
        if lowByte & Self.asynchronousCallbackBit != 0 { return .asynchronous }
        if lowByte & Self.synchronousCallbackBit != 0 { return .synchronous }
        return .none
    }

    public var isSecured: Bool { (highByte ?? 0) & 0x80 != 0 }
    public var isPadded: Bool { (highByte ?? 0) & 0x40 != 0 }

    /// The bytes of this frame control (one or two).
    public var bytes: [UInt8] {
        if let highByte { [lowByte, highByte] } else { [lowByte] }
    }
}
