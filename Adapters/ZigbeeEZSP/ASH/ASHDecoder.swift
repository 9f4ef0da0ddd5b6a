/// Turns a stream of UART bytes into ASH frames (UG101).
///
/// A pure value type: no I/O, no timers. Bytes may arrive in any split; the output for a byte stream
/// does not depend on how it was chunked. Handles byte un-stuffing, the flag byte (end of frame),
/// the cancel byte (discards the partial frame), the substitute byte (marks the frame being received
/// as bad), XON/XOFF (ignored), CRC checking and data de-randomisation. Never traps, and never keeps
/// more than `maximumFrameLength` bytes.
public struct ASHDecoder: Sendable {
    /// Why bytes between two flags did not yield a frame.
    public enum InvalidReason: Sendable, Hashable {
        /// The CRC over control + data did not match the two trailing bytes.
        case badCRC(expected: UInt16, received: UInt16)
        /// Fewer than three bytes (control + CRC) before the flag.
        case tooShort(length: Int)
        /// More than `maximumFrameLength` un-stuffed bytes before the flag; the frame was dropped.
        case tooLong
        /// A control byte that is not DATA, ACK, NAK, RST, RSTACK or ERROR.
        case unknownControlByte(UInt8)
        /// A known control byte with a data field of the wrong length.
        case badLength(control: UInt8, dataLength: Int)
        /// A substitute byte (0x18) was received inside the frame.
        case substituted
        /// A cancel byte (0x1A) discarded a partially received frame.
        case cancelled
        /// An escape byte was immediately followed by the flag byte.
        case badEscape
    }

    public enum Output: Sendable, Hashable {
        case frame(ASHFrame)
        case invalid(InvalidReason)
    }

    /// Largest accepted frame, counting un-stuffed control, data and CRC bytes.
    public static let defaultMaximumFrameLength = 256

    public let maximumFrameLength: Int

    private var buffer: [UInt8] = []
    private var escaping = false
    private var substituted = false
    private var overflowed = false

    public init(maximumFrameLength: Int = ASHDecoder.defaultMaximumFrameLength) {
        self.maximumFrameLength = max(3, maximumFrameLength)
        buffer.reserveCapacity(self.maximumFrameLength)
    }

    /// True when bytes of an unfinished frame are pending.
    public var hasPartialFrame: Bool {
        !buffer.isEmpty || escaping || substituted || overflowed
    }

    /// Feeds received bytes; returns the frames (and rejected frames) they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Output] {
        var outputs: [Output] = []
        for byte in bytes {
            if let output = consume(byte) { outputs.append(output) }
        }
        return outputs
    }

    /// Feeds one byte.
    public mutating func consume(_ byte: UInt8) -> Output? {
        switch byte {
        case ASHFrame.flagByte:
            return finishFrame()
        case ASHFrame.cancelByte:
            let hadData = hasPartialFrame
            discardPartialFrame()
            return hadData ? .invalid(.cancelled) : nil
        case ASHFrame.substituteByte:
            substituted = true
            escaping = false
            return nil
        case ASHFrame.xonByte, ASHFrame.xoffByte:
            // Software flow control; not part of any frame. A pending escape stays pending.
            return nil
        case ASHFrame.escapeByte:
            escaping = true
            return nil
        default:
            var value = byte
            if escaping {
                value ^= ASHFrame.escapeMask
                escaping = false
            }
            append(value)
            return nil
        }
    }

    // MARK: Private

    private mutating func append(_ value: UInt8) {
        guard !overflowed, !substituted else { return }
        if buffer.count >= maximumFrameLength {
            overflowed = true
            buffer.removeAll(keepingCapacity: true)
            return
        }
        buffer.append(value)
    }

    private mutating func discardPartialFrame() {
        buffer.removeAll(keepingCapacity: true)
        escaping = false
        substituted = false
        overflowed = false
    }

    private mutating func finishFrame() -> Output? {
        defer { discardPartialFrame() }
        if substituted { return .invalid(.substituted) }
        if overflowed { return .invalid(.tooLong) }
        if escaping { return .invalid(.badEscape) }
        if buffer.isEmpty { return nil }  // back-to-back flags
        guard buffer.count >= 3 else { return .invalid(.tooShort(length: buffer.count)) }

        let crcIndex = buffer.count - 2
        let received = UInt16(buffer[crcIndex]) << 8 | UInt16(buffer[crcIndex + 1])
        let expected = ASHCRC.checksum(buffer[..<crcIndex])
        guard received == expected else { return .invalid(.badCRC(expected: expected, received: received)) }

        switch ASHFrame.parse(control: buffer[0], data: buffer[1..<crcIndex]) {
        case let .success(frame):
            return .frame(frame)
        case let .failure(.unknownControlByte(control)):
            return .invalid(.unknownControlByte(control))
        case let .failure(.badLength(control, length)):
            return .invalid(.badLength(control: control, dataLength: length))
        }
    }
}
