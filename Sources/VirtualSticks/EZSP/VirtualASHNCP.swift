import ZigbeeEZSP

/// The NCP side of ASH (UG101), as an EmberZNet NCP runs it: answers RST with RSTACK,
/// acknowledges the host's DATA frames in order (NAK for a gap or a bad CRC, re-ACK for a
/// retransmission it already has), numbers its own DATA frames with the host's acknowledgement
/// piggy-backed, and retransmits from the point a NAK names. Pure: bytes in, bytes out.
///
/// Faults for tests: drop or corrupt the next outgoing frames, go mute, reset on its own.
public struct VirtualASHNCP: Sendable {
    public enum Fault: Sendable, Hashable {
        /// The next `n` frames the NCP sends are lost.
        case dropOutgoing(Int)
        /// The next `n` frames the NCP sends have a byte flipped (their CRC fails).
        case corruptOutgoing(Int)
        /// The NCP stops answering anything until `.none`.
        case mute
        case none
    }

    /// Reset codes of RSTACK (UG101 "reset and error codes").
    public static let resetPowerOn: UInt8 = 0x02
    public static let resetSoftware: UInt8 = 0x0B

    var decoder = ASHDecoder()
    /// True after RST/RSTACK: DATA frames are accepted.
    public private(set) var connected = false
    /// The host's next frame number (our ackNum).
    var expected: UInt8 = 0
    /// Our next frame number.
    var nextFrame: UInt8 = 0
    /// Our DATA frames the host has not acknowledged yet: (frame number, EZSP payload).
    var unacked: [(UInt8, [UInt8])] = []
    var dropCount = 0, corruptCount = 0, mute = false
    /// Counters for tests and the stick's log.
    public private(set) var received = 0, naksSent = 0, retransmitted = 0, badFrames = 0
    /// RST frames answered: the owner resets the EZSP layer when this grows (RST reboots an NCP).
    public private(set) var resets = 0

    public init() {}

    public mutating func inject(_ fault: Fault) {
        switch fault {
        case .dropOutgoing(let n): dropCount = n
        case .corruptOutgoing(let n): corruptCount = n
        case .mute: mute = true
        case .none: mute = false; dropCount = 0; corruptCount = 0
        }
    }

    /// Bytes from the host. Returns the bytes to send back and the EZSP frames delivered, in order.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> (wire: [UInt8], ezsp: [[UInt8]]) {
        var wire: [UInt8] = [], ezsp: [[UInt8]] = []
        for output in decoder.feed(bytes) {
            guard !mute else { continue }
            switch output {
            case .invalid:
                badFrames += 1
                if connected { wire += emit(.nak(ackNumber: expected, notReady: false)); naksSent += 1 }
            case .frame(let frame):
                switch frame {
                case .rst:
                    connected = true
                    resets += 1
                    expected = 0; nextFrame = 0; unacked = []
                    wire += emit(.rstAck(version: ASHFrame.protocolVersion, resetCode: Self.resetSoftware))
                case .data(let f, let ack, _, let payload):
                    guard connected else { continue }
                    acknowledged(upTo: ack)
                    if f == expected {
                        expected = (expected + 1) & 7
                        received += 1
                        ezsp.append(payload)
                        wire += emit(.ack(ackNumber: expected, notReady: false))
                    } else if f == (expected &+ 7) & 7 {
                        // A retransmission of the frame we already have: acknowledge it again.
                        wire += emit(.ack(ackNumber: expected, notReady: false))
                    } else {
                        wire += emit(.nak(ackNumber: expected, notReady: false)); naksSent += 1
                    }
                case .ack(let ack, _):
                    acknowledged(upTo: ack)
                case .nak(let ack, _):
                    acknowledged(upTo: ack)
                    for (n, payload) in unacked {
                        wire += emit(.data(frameNumber: n, ackNumber: expected, retransmitted: true, payload: payload))
                        retransmitted += 1
                    }
                case .rstAck, .error:
                    break // host-bound frames: ignore
                }
            }
        }
        return (wire, ezsp)
    }

    /// An EZSP frame from the NCP (a response or a callback) as wire bytes.
    public mutating func send(_ ezsp: [UInt8]) -> [UInt8] {
        guard connected, !mute else { return [] }
        let n = nextFrame
        nextFrame = (nextFrame + 1) & 7
        unacked.append((n, ezsp))
        return emit(.data(frameNumber: n, ackNumber: expected, retransmitted: false, payload: ezsp))
    }

    /// The NCP resets on its own (a watchdog, a power glitch): it forgets the link and tells the
    /// host with an unsolicited RSTACK.
    public mutating func resetUnsolicited(code: UInt8 = resetSoftware) -> [UInt8] {
        connected = true
        expected = 0; nextFrame = 0; unacked = []
        decoder = ASHDecoder()
        return emit(.rstAck(version: ASHFrame.protocolVersion, resetCode: code))
    }

    /// Frames the host has not acknowledged (the owner keeps its window below 8 with this).
    public var unacknowledged: Int { unacked.count }

    /// The acknowledgement timer ran out: send every unacknowledged frame again, flagged reTx.
    public mutating func retransmitUnacknowledged() -> [UInt8] {
        guard connected, !mute else { return [] }
        var wire: [UInt8] = []
        for (n, payload) in unacked {
            wire += emit(.data(frameNumber: n, ackNumber: expected, retransmitted: true, payload: payload))
            retransmitted += 1
        }
        return wire
    }

    mutating func acknowledged(upTo ack: UInt8) {
        // Frames before `ack` (modulo 8) are acknowledged.
        while let first = unacked.first, first.0 != ack, ((ack &- first.0) & 7) <= UInt8(unacked.count) {
            unacked.removeFirst()
        }
    }

    mutating func emit(_ frame: ASHFrame) -> [UInt8] {
        if dropCount > 0 { dropCount -= 1; return [] }
        var bytes = frame.encoded()
        if corruptCount > 0, bytes.count > 2 {
            corruptCount -= 1
            bytes[0] ^= 0x01 // still a valid-looking byte, but the CRC fails
            if ASHFrame.isReserved(bytes[0]) { bytes[0] ^= 0x03 }
        }
        return bytes
    }
}
