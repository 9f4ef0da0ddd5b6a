import Testing
import ZigbeeEZSP

@Suite struct ASHFrameTests {
    // MARK: Published frames

    /// UG101 §3 "Frame Formats", RST example: C0 38 BC 7E.
    @Test func rst() {
        #expect(ASHFrame.rst.encoded() == [0xC0, 0x38, 0xBC, 0x7E])
    }

    /// UG101 §3 "Frame Formats", RSTACK example: C1 02 02 9B 7B 7E.
    @Test func rstAck() {
        #expect(ASHFrame.rstAck(version: 2, resetCode: 2).encoded() == [0xC1, 0x02, 0x02, 0x9B, 0x7B, 0x7E])
    }

    /// UG101 §3 "Frame Formats", DATA(2, 5, 0) carrying the EZSP "version" command 00 00 00 02 with
    /// the pseudo-random sequence applied: 25 42 21 A8 56 A6 09 7E.
    @Test func dataVersionCommand() {
        let frame = ASHFrame.data(frameNumber: 2, ackNumber: 5, retransmitted: false, payload: [0x00, 0x00, 0x00, 0x02])
        #expect(frame.encoded() == [0x25, 0x42, 0x21, 0xA8, 0x56, 0xA6, 0x09, 0x7E])
    }

    /// Derived from the rules (not quoted from UG101): DATA(0, 0, 0) carrying an EZSP version
    /// command asking for protocol version 6 (00 00 00 06). Randomised 42 21 A8 52, CRC CD 6E.
    @Test func dataVersionSixCommand() {
        let frame = ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [0x00, 0x00, 0x00, 0x06])
        #expect(frame.encoded() == [0x00, 0x42, 0x21, 0xA8, 0x52, 0xCD, 0x6E, 0x7E])
    }

    /// UG101 §3 "Frame Formats", ACK and NAK examples.
    @Test func ackAndNak() {
        #expect(ASHFrame.ack(ackNumber: 1, notReady: false).encoded() == [0x81, 0x60, 0x59, 0x7E])
        #expect(ASHFrame.ack(ackNumber: 6, notReady: true).encoded() == [0x8E, 0x91, 0xB6, 0x7E])
        #expect(ASHFrame.nak(ackNumber: 6, notReady: false).encoded() == [0xA6, 0x34, 0xDC, 0x7E])
        #expect(ASHFrame.nak(ackNumber: 5, notReady: true).encoded() == [0xAD, 0x85, 0xB7, 0x7E])
    }

    /// Derived from the rules: ERROR(2, 0x51) = C2 02 51, CRC A8 BD.
    @Test func errorFrame() {
        #expect(ASHFrame.error(version: 2, code: 0x51).encoded() == [0xC2, 0x02, 0x51, 0xA8, 0xBD, 0x7E])
    }

    // MARK: Control byte

    @Test func controlBytes() {
        #expect(ASHFrame.data(frameNumber: 7, ackNumber: 7, retransmitted: true, payload: [1]).controlByte == 0x7F)
        #expect(ASHFrame.data(frameNumber: 3, ackNumber: 1, retransmitted: false, payload: [1]).controlByte == 0x31)
        #expect(ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: true, payload: [1]).controlByte == 0x08)
        #expect(ASHFrame.ack(ackNumber: 0, notReady: false).controlByte == 0x80)
        #expect(ASHFrame.nak(ackNumber: 7, notReady: true).controlByte == 0xAF)
        #expect(ASHFrame.rst.controlByte == 0xC0)
        #expect(ASHFrame.rstAck(version: 2, resetCode: 0).controlByte == 0xC1)
        #expect(ASHFrame.error(version: 2, code: 0).controlByte == 0xC2)
        // Numbers are taken modulo 8.
        #expect(ASHFrame.data(frameNumber: 9, ackNumber: 10, retransmitted: false, payload: [1]).controlByte == 0x12)
    }

    // MARK: Randomisation

    /// Derived from the rules: the first bytes of the sequence (seed 0x42) are 42 21 A8 54 2A 15 B2 59.
    @Test func pseudoRandomSequence() {
        #expect(ASHFrame.randomize([UInt8](repeating: 0, count: 8)) == [0x42, 0x21, 0xA8, 0x54, 0x2A, 0x15, 0xB2, 0x59])
    }

    @Test func randomisationIsAnInvolution() {
        let payload: [UInt8] = (0..<128).map { UInt8(truncatingIfNeeded: $0 &* 91) }
        #expect(ASHFrame.randomize(ASHFrame.randomize(payload)) == payload)
    }

    @Test func onlyDataPayloadsAreRandomised() {
        #expect(ASHFrame.rstAck(version: 2, resetCode: 0x0B).wireData == [0x02, 0x0B])
        #expect(ASHFrame.error(version: 2, code: 0x51).wireData == [0x02, 0x51])
        #expect(ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [0, 0]).wireData == [0x42, 0x21])
    }

    // MARK: Byte stuffing

    /// Derived from the rules: every reserved byte inside a frame becomes 7D, byte ^ 0x20.
    @Test func reservedBytesAreEscaped() {
        // XOR with the sequence start (42 21 A8 54 2A 15) so that the wire data is all reserved bytes.
        let wire: [UInt8] = [0x7E, 0x7D, 0x11, 0x13, 0x18, 0x1A]
        let sequence: [UInt8] = [0x42, 0x21, 0xA8, 0x54, 0x2A, 0x15]
        let payload = zip(wire, sequence).map { $0 ^ $1 }
        let frame = ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: payload)
        #expect(frame.wireData == wire)
        let encoded = frame.encoded()
        #expect(Array(encoded.prefix(13)) == [0x00, 0x7D, 0x5E, 0x7D, 0x5D, 0x7D, 0x31, 0x7D, 0x33, 0x7D, 0x38, 0x7D, 0x3A])
        #expect(encoded.last == 0x7E)
        #expect(encoded.dropLast().allSatisfy { $0 != 0x7E && $0 != 0x11 && $0 != 0x13 && $0 != 0x18 && $0 != 0x1A })
    }

    @Test func crcBytesAreEscapedToo() throws {
        // Search small frames for one whose CRC contains a reserved byte, and check it is escaped.
        var found = false
        for code in UInt8.min...UInt8.max {
            let frame = ASHFrame.rstAck(version: 2, resetCode: code)
            let body = frame.unstuffedBytes
            guard body.suffix(2).contains(where: ASHFrame.isReserved) else { continue }
            found = true
            var decoder = ASHDecoder()
            #expect(decoder.feed(frame.encoded()) == [.frame(frame)])
            #expect(frame.encoded().count > body.count + 1)
        }
        #expect(found)
    }

    // MARK: Parsing

    @Test func parseRejectsBadLengths() {
        #expect(ASHFrame.parse(control: 0xC0, data: [1]) == .failure(.badLength(control: 0xC0, dataLength: 1)))
        #expect(ASHFrame.parse(control: 0xC1, data: [2]) == .failure(.badLength(control: 0xC1, dataLength: 1)))
        #expect(ASHFrame.parse(control: 0x81, data: [0]) == .failure(.badLength(control: 0x81, dataLength: 1)))
        #expect(ASHFrame.parse(control: 0x00, data: []) == .failure(.badLength(control: 0x00, dataLength: 0)))
        #expect(ASHFrame.parse(control: 0xC3, data: []) == .failure(.unknownControlByte(0xC3)))
        #expect(ASHFrame.parse(control: 0xFF, data: []) == .failure(.unknownControlByte(0xFF)))
    }

    @Test func roundTripThroughDecoder() {
        let frames: [ASHFrame] = [
            .rst, .rstAck(version: 2, resetCode: 0x0B), .error(version: 2, code: 0x52),
            .ack(ackNumber: 3, notReady: true), .nak(ackNumber: 0, notReady: false),
            .data(frameNumber: 5, ackNumber: 2, retransmitted: true, payload: Array(0...127)),
            .data(frameNumber: 1, ackNumber: 7, retransmitted: false, payload: [0x7E, 0x7D, 0x11, 0x13, 0x18, 0x1A]),
        ]
        var decoder = ASHDecoder()
        let bytes = frames.flatMap { $0.encoded() }
        #expect(decoder.feed(bytes) == frames.map { .frame($0) })
    }
}
