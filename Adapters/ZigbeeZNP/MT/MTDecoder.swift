/// Turns a stream of UART bytes into MT frames (SWRA198 §2.1).
///
/// A pure value type: no I/O, no timers. Bytes may arrive in any split; the output for a byte stream
/// does not depend on how it was chunked. Bytes outside a frame are skipped until a start-of-frame
/// byte. A frame whose FCS does not match, or whose length byte exceeds 250, is reported and the
/// search for the next frame resumes at the byte after its start-of-frame byte, so a stray 0xFE or a
/// truncated frame costs at most the frame that follows it being delayed, not lost. Never traps and
/// never buffers more than one maximal frame (255 bytes).
///
/// A frame that stops arriving half-way stays pending; the owner may call `reset()` after an
/// inter-byte timeout of its choosing.
public struct MTDecoder: Sendable {
    public enum InvalidReason: Sendable, Hashable {
        /// The FCS byte did not equal the XOR of length, cmd0, cmd1 and data.
        case badFCS(expected: UInt8, received: UInt8)
        /// The length byte announced more than `MTFrame.maximumPayloadLength` data bytes.
        case lengthTooLong(UInt8)
    }

    public enum Output: Sendable, Hashable {
        case frame(MTFrame)
        case invalid(InvalidReason)
        /// Bytes skipped while looking for a start-of-frame byte; reported when the next one arrives.
        case discarded(byteCount: Int)
    }

    /// Running totals since creation.
    public struct Statistics: Sendable, Hashable {
        public var frames = 0
        public var badFCS = 0
        public var lengthTooLong = 0
        public var discardedBytes = 0

        public init() {}
    }

    public private(set) var statistics = Statistics()

    /// Bytes of the frame being received, starting with its SOF.
    private var buffer: [UInt8] = []
    /// Non-SOF bytes skipped since the last frame start.
    private var skipped = 0
    /// The bytes after the SOF of the frame rejected last.
    private var rejected: [UInt8] = []

    public init() {
        buffer.reserveCapacity(MTFrame.maximumPayloadLength + MTFrame.overhead)
    }

    /// True when bytes of an unfinished frame are pending.
    public var hasPartialFrame: Bool { !buffer.isEmpty }

    /// Drops a partially received frame (e.g. after an inter-byte timeout).
    public mutating func reset() {
        statistics.discardedBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Feeds received bytes; returns the frames (and problems) they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Output] {
        var outputs: [Output] = []
        for byte in bytes { consume(byte, into: &outputs) }
        return outputs
    }

    /// Feeds one byte.
    public mutating func consume(_ byte: UInt8, into outputs: inout [Output]) {
        guard step(byte, &outputs) else { return }
        // A rejected frame: look for a frame start again in the bytes after its SOF. A frame that
        // fails during this rescan began inside `replay` (the buffer was empty when it started), so
        // rescanning after its SOF is just moving the index back.
        let replay = rejected
        var index = 0
        var frameStart = 0
        while index < replay.count {
            if buffer.isEmpty { frameStart = index }
            let next = replay[index]
            index += 1
            if step(next, &outputs) { index = frameStart + 1 }
        }
    }

    // MARK: Private

    /// Advances by one byte. Returns true when the current frame was rejected; its bytes after the
    /// SOF (the current byte included) are then in `rejected`.
    private mutating func step(_ byte: UInt8, _ outputs: inout [Output]) -> Bool {
        if buffer.isEmpty {
            if byte == MTFrame.startOfFrame {
                if skipped > 0 {
                    outputs.append(.discarded(byteCount: skipped))
                    skipped = 0
                }
                buffer.append(byte)
            } else {
                skipped += 1
                statistics.discardedBytes += 1
            }
            return false
        }
        buffer.append(byte)
        if buffer.count == 2, Int(byte) > MTFrame.maximumPayloadLength {
            statistics.lengthTooLong += 1
            outputs.append(.invalid(.lengthTooLong(byte)))
            reject()
            return true
        }
        let total = Int(buffer[1]) + MTFrame.overhead
        guard buffer.count == total else { return false }

        let received = buffer[total - 1]
        let expected = MTFrame.checksum(buffer[1..<(total - 1)])
        guard received == expected else {
            statistics.badFCS += 1
            outputs.append(.invalid(.badFCS(expected: expected, received: received)))
            reject()
            return true
        }
        statistics.frames += 1
        outputs.append(.frame(MTFrame(cmd0: buffer[2], cmd1: buffer[3], payload: Array(buffer[4..<(total - 1)]))))
        buffer.removeAll(keepingCapacity: true)
        return false
    }

    /// Abandons the current frame, keeping its bytes after the SOF for the rescan; the SOF counts
    /// as discarded.
    private mutating func reject() {
        rejected.removeAll(keepingCapacity: true)
        rejected.append(contentsOf: buffer.dropFirst())
        buffer.removeAll(keepingCapacity: true)
        statistics.discardedBytes += 1
    }
}
