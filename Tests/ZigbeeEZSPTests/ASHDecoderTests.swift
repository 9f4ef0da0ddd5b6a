import Testing
import ZigbeeEZSP

/// Feeds `bytes` to a fresh decoder in one batch and byte by byte; expects identical output.
private func decodeBothWays(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [ASHDecoder.Output] {
    var batch = ASHDecoder()
    let batchOutput = batch.feed(bytes)
    var single = ASHDecoder()
    var singleOutput: [ASHDecoder.Output] = []
    for byte in bytes { singleOutput += single.feed([byte]) }
    #expect(batchOutput == singleOutput, sourceLocation: sourceLocation)
    return batchOutput
}

/// Byte-stuffs a hand-made frame body (control, data, CRC) and appends the flag.
private func stuffed(_ body: [UInt8]) -> [UInt8] {
    body.flatMap { ASHFrame.isReserved($0) ? [0x7D, $0 ^ 0x20] : [$0] } + [0x7E]
}

@Suite struct ASHDecoderTests {
    struct Fixture: Sendable, CustomStringConvertible {
        let bytes: [UInt8]
        let frame: ASHFrame
        let source: String
        var description: String { source }
    }

    static let fixtures: [Fixture] = [
        // UG101 §3 "Frame Formats", RST example, preceded by the cancel byte a host sends first.
        Fixture(bytes: [0x1A, 0xC0, 0x38, 0xBC, 0x7E], frame: .rst, source: "RST"),
        // UG101 §3 "Frame Formats", RSTACK example.
        Fixture(bytes: [0xC1, 0x02, 0x02, 0x9B, 0x7B, 0x7E], frame: .rstAck(version: 2, resetCode: 2), source: "RSTACK"),
        // UG101 §3 "Frame Formats", ACK and NAK examples.
        Fixture(bytes: [0x81, 0x60, 0x59, 0x7E], frame: .ack(ackNumber: 1, notReady: false), source: "ACK(1)"),
        Fixture(bytes: [0x8E, 0x91, 0xB6, 0x7E], frame: .ack(ackNumber: 6, notReady: true), source: "ACK(6)+nRdy"),
        Fixture(bytes: [0xA6, 0x34, 0xDC, 0x7E], frame: .nak(ackNumber: 6, notReady: false), source: "NAK(6)"),
        Fixture(bytes: [0xAD, 0x85, 0xB7, 0x7E], frame: .nak(ackNumber: 5, notReady: true), source: "NAK(5)+nRdy"),
        // UG101 §3 "Frame Formats", DATA(2, 5, 0) "version" command, randomised.
        Fixture(bytes: [0x25, 0x42, 0x21, 0xA8, 0x56, 0xA6, 0x09, 0x7E],
                frame: .data(frameNumber: 2, ackNumber: 5, retransmitted: false, payload: [0, 0, 0, 2]), source: "DATA(2,5,0)"),
        // Derived from the rules (not quoted): DATA(0, 0, 0), EZSP version command for version 6.
        Fixture(bytes: [0x00, 0x42, 0x21, 0xA8, 0x52, 0xCD, 0x6E, 0x7E],
                frame: .data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [0, 0, 0, 6]), source: "DATA(0,0,0) v6"),
        // Derived from the rules: ERROR(2, 0x51).
        Fixture(bytes: [0xC2, 0x02, 0x51, 0xA8, 0xBD, 0x7E], frame: .error(version: 2, code: 0x51), source: "ERROR(2,0x51)"),
    ]

    @Test(arguments: fixtures)
    func decodesFixture(_ fixture: Fixture) {
        #expect(decodeBothWays(fixture.bytes) == [.frame(fixture.frame)])
    }

    @Test func allFixturesConcatenated() {
        let bytes = Self.fixtures.flatMap(\.bytes)
        #expect(decodeBothWays(bytes) == Self.fixtures.map { .frame($0.frame) })
    }

    @Test func repeatedFlagsAreIgnored() {
        #expect(decodeBothWays([0x7E, 0x7E, 0x81, 0x60, 0x59, 0x7E, 0x7E]) == [.frame(.ack(ackNumber: 1, notReady: false))])
    }

    // MARK: Errors

    @Test func corruptedCRC() {
        let output = decodeBothWays([0x81, 0x60, 0x58, 0x7E])
        #expect(output == [.invalid(.badCRC(expected: 0x6059, received: 0x6058))])
    }

    @Test func corruptedDataByteFailsCRC() {
        var bytes: [UInt8] = [0x25, 0x42, 0x21, 0xA8, 0x56, 0xA6, 0x09, 0x7E]
        bytes[3] ^= 0x01
        guard case .invalid(.badCRC) = decodeBothWays(bytes).first else {
            Issue.record("expected a CRC failure")
            return
        }
    }

    @Test func truncatedFrames() {
        #expect(decodeBothWays([0x81, 0x60, 0x7E]) == [.invalid(.tooShort(length: 2))])
        #expect(decodeBothWays([0x81, 0x7E]) == [.invalid(.tooShort(length: 1))])
        // A DATA frame cut short keeps a wrong CRC.
        guard case .invalid(.badCRC) = decodeBothWays([0x25, 0x42, 0x21, 0xA8, 0x7E]).first else {
            Issue.record("expected a CRC failure")
            return
        }
        // No flag yet: nothing to report, and the next flag finishes it.
        var decoder = ASHDecoder()
        #expect(decoder.feed([0xC1, 0x02, 0x02, 0x9B]) == [])
        #expect(decoder.hasPartialFrame)
        #expect(decoder.feed([0x7B, 0x7E]) == [.frame(.rstAck(version: 2, resetCode: 2))])
    }

    @Test func unknownControlByte() {
        let body: [UInt8] = [0xC5]
        #expect(decodeBothWays(stuffed(body + ASHCRC.bytes(body))) == [.invalid(.unknownControlByte(0xC5))])
    }

    @Test func badLengthForKnownControl() {
        let body: [UInt8] = [0xC1, 0x02]  // RSTACK with one data byte
        #expect(decodeBothWays(stuffed(body + ASHCRC.bytes(body))) == [.invalid(.badLength(control: 0xC1, dataLength: 1))])
    }

    @Test func cancelDiscardsPartialFrame() {
        // Garbage, cancel, then a good RSTACK: only the RSTACK (and the cancellation) come out.
        let bytes: [UInt8] = [0x33, 0x44, 0x1A, 0xC1, 0x02, 0x02, 0x9B, 0x7B, 0x7E]
        #expect(decodeBothWays(bytes) == [.invalid(.cancelled), .frame(.rstAck(version: 2, resetCode: 2))])
        // Cancel in the middle of a frame: the first half is gone.
        let split: [UInt8] = [0xC1, 0x02, 0x1A, 0x02, 0x9B, 0x7B, 0x7E]
        let output = decodeBothWays(split)
        #expect(output.first == .invalid(.cancelled))
        #expect(output.count == 2)
        #expect(!output.contains(.frame(.rstAck(version: 2, resetCode: 2))))
    }

    @Test func cancelWithNothingPendingIsSilent() {
        #expect(decodeBothWays([0x1A, 0x1A, 0x81, 0x60, 0x59, 0x7E]) == [.frame(.ack(ackNumber: 1, notReady: false))])
    }

    @Test func substituteMarksFrameBad() {
        let bytes: [UInt8] = [0xC1, 0x02, 0x18, 0x02, 0x9B, 0x7B, 0x7E, 0x81, 0x60, 0x59, 0x7E]
        #expect(decodeBothWays(bytes) == [.invalid(.substituted), .frame(.ack(ackNumber: 1, notReady: false))])
        // Substitute then cancel: the cancel wins, the frame after is fine.
        #expect(decodeBothWays([0x81, 0x18, 0x1A, 0x81, 0x60, 0x59, 0x7E])
                == [.invalid(.cancelled), .frame(.ack(ackNumber: 1, notReady: false))])
    }

    @Test func xonXoffAreIgnored() {
        let bytes: [UInt8] = [0x11, 0xC1, 0x13, 0x02, 0x02, 0x11, 0x9B, 0x7B, 0x13, 0x7E]
        #expect(decodeBothWays(bytes) == [.frame(.rstAck(version: 2, resetCode: 2))])
    }

    @Test func escapedBytesAreRestored() {
        let frame = ASHFrame.data(frameNumber: 1, ackNumber: 7, retransmitted: false,
                                  payload: ASHFrame.randomize([0x7E, 0x7D, 0x11, 0x13, 0x18, 0x1A]))
        #expect(decodeBothWays(frame.encoded()) == [.frame(frame)])
    }

    @Test func escapeBeforeFlagIsInvalid() {
        #expect(decodeBothWays([0x81, 0x60, 0x59, 0x7D, 0x7E, 0x81, 0x60, 0x59, 0x7E])
                == [.invalid(.badEscape), .frame(.ack(ackNumber: 1, notReady: false))])
    }

    @Test func duplicatedFramesDecodeTwice() {
        let bytes: [UInt8] = [0x25, 0x42, 0x21, 0xA8, 0x56, 0xA6, 0x09, 0x7E]
        let frame = ASHFrame.data(frameNumber: 2, ackNumber: 5, retransmitted: false, payload: [0, 0, 0, 2])
        #expect(decodeBothWays(bytes + bytes) == [.frame(frame), .frame(frame)])
    }

    @Test func overlongFrameIsDropped() {
        let long = [UInt8](repeating: 0x55, count: 300) + [0x7E]
        #expect(decodeBothWays(long + [0x81, 0x60, 0x59, 0x7E])
                == [.invalid(.tooLong), .frame(.ack(ackNumber: 1, notReady: false))])
        // Exactly 256 un-stuffed bytes is still accepted (a 253-byte DATA payload).
        let frame = ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [UInt8](repeating: 0x00, count: 253))
        #expect(frame.unstuffedBytes.count == 256)
        #expect(decodeBothWays(frame.encoded()) == [.frame(frame)])
        let tooBig = ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [UInt8](repeating: 0x00, count: 254))
        #expect(decodeBothWays(tooBig.encoded()) == [.invalid(.tooLong)])
    }

    // MARK: Robustness

    @Test func randomBytesNeverTrap() {
        var generator = SplitMix64(seed: 0xA5_4B_1D_CE)
        var decoder = ASHDecoder()
        var outputs = 0
        for round in 0..<10_000 {
            let length = Int(generator.next() % 300)
            var buffer = [UInt8](repeating: 0, count: length)
            for index in buffer.indices {
                // Bias towards reserved bytes so every path is exercised.
                let value = generator.next()
                buffer[index] = value % 5 == 0
                    ? [0x7E, 0x7D, 0x11, 0x13, 0x18, 0x1A][Int(value / 5 % 6)]
                    : UInt8(truncatingIfNeeded: value >> 8)
            }
            if round % 2 == 0 {
                outputs += decoder.feed(buffer).count
            } else {
                var fresh = ASHDecoder()
                var split = ASHDecoder()
                let whole = fresh.feed(buffer)
                let cut = buffer.isEmpty ? 0 : Int(generator.next() % UInt64(buffer.count))
                let parts = split.feed(buffer[..<cut]) + split.feed(buffer[cut...])
                #expect(whole == parts)
                outputs += whole.count
            }
        }
        #expect(outputs > 0)
        // Still working afterwards.
        #expect(decoder.feed([0x1A, 0x81, 0x60, 0x59, 0x7E]).last == .frame(.ack(ackNumber: 1, notReady: false)))
    }
}

/// A small deterministic generator for the robustness loop.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
