import Testing
import UDSTransport

/// Framing (TR-369 "Sending a Message over a UNIX Domain Socket", R-UDS.6 … R-UDS.15).
@Suite struct UDSFrameTests {
    /// The Handshake frame for endpoint "os::00256D-0123456789", the spec's handshake example
    /// ("Handshaking with UNIX Domain Sockets"), built by hand from the rules: the sync bytes
    /// (R-UDS.8), the length of the rest as 4 big-endian bytes (R-UDS.9), then one TLV with
    /// type 1 (R-UDS.10, R-UDS.12) and a 4-byte big-endian length (R-UDS.11). The ID is 21
    /// bytes, so the TLV is 1 + 4 + 21 = 26 (0x1A) bytes.
    static let handshakeExample: [UInt8] = [0x5F, 0x55, 0x53, 0x50, 0x00, 0x00, 0x00, 0x1A, 0x01, 0x00, 0x00, 0x00, 0x15]
        + Array("os::00256D-0123456789".utf8)

    @Test func handshakeExampleEncodes() {
        #expect(Array("os::00256D-0123456789".utf8).count == 0x15)
        #expect(UDSFrame.handshake("os::00256D-0123456789").encoded() == Self.handshakeExample)
        #expect(UDSFrame.handshake("os::00256D-0123456789").encoded().count == 8 + 0x1A)
    }

    @Test func errorAndRecordFramesEncode() {
        #expect(UDSFrame.error("no").encoded() == [0x5F, 0x55, 0x53, 0x50, 0, 0, 0, 7, 2, 0, 0, 0, 2, 0x6E, 0x6F])
        let record = [UInt8](repeating: 0xAB, count: 300)
        let bytes = UDSFrame.record(record).encoded()
        #expect(Array(bytes[0..<13]) == [0x5F, 0x55, 0x53, 0x50, 0, 0, 0x01, 0x31, 3, 0, 0, 0x01, 0x2C])
        #expect(Array(bytes[13...]) == record)
    }

    @Test func decodesByteByByte() {
        var d = UDSFrameDecoder()
        for (i, b) in Self.handshakeExample.enumerated() {
            let out = d.feed([b])
            if i < Self.handshakeExample.count - 1 {
                #expect(out.isEmpty, "a frame came out after \(i + 1) bytes")
            } else {
                #expect(out == [.success(.handshake("os::00256D-0123456789"))])
            }
        }
        #expect(d.bufferedCount == 0)
        #expect(d.next() == nil)
    }

    @Test func decodesBursts() throws {
        let frames: [UDSFrame] = [
            .handshake("proto::a"), .record([1, 2, 3]), .error("bad"), .record([]),
            UDSFrame([UDSTLV(type: 9, value: [7, 7]), UDSTLV(type: UDSTLV.record, value: Array(0..<200))]),
            .record([UInt8](repeating: 0x42, count: 70_000)),
        ]
        let stream = frames.flatMap { $0.encoded() }
        // Everything at once, then in chunks of several sizes (including splits inside headers).
        for size in [stream.count, 1, 3, 7, 8, 13, 1000, 65_536] {
            var d = UDSFrameDecoder()
            var got: [UDSFrame] = []
            var i = 0
            while i < stream.count {
                for r in d.feed(stream[i..<min(i + size, stream.count)]) { got.append(try r.get()) }
                i += size
            }
            #expect(got == frames, "chunk size \(size)")
            #expect(d.bufferedCount == 0)
        }
    }

    @Test func unknownTLVTypesAreKept() throws {
        // Type 0x7F is unknown: the decoder keeps it, the session ignores it (R-UDS.15).
        let bytes: [UInt8] = [0x5F, 0x55, 0x53, 0x50, 0, 0, 0, 13, 0x7F, 0, 0, 0, 3, 1, 2, 3, 1, 0, 0, 0, 0]
        var d = UDSFrameDecoder()
        let frame = try #require(try d.feed(bytes).first?.get())
        #expect(frame.fields == [UDSTLV(type: 0x7F, value: [1, 2, 3]), UDSTLV(type: 1, value: [])])
    }

    @Test func badSyncFailsAtTheFirstWrongByte() {
        var d = UDSFrameDecoder()
        let r = d.feed(Array("GET / HTTP/1.1\r\n".utf8))
        #expect(r.count == 1)
        #expect(Self.code(r.first) == .badSync)
        var d2 = UDSFrameDecoder()
        #expect(d2.feed([0x5F, 0x55]).isEmpty)
        #expect(Self.code(d2.feed([0x54]).first) == .badSync)
        // A second frame with bad sync after a good one.
        var d3 = UDSFrameDecoder()
        let r3 = d3.feed(Self.handshakeExample + [0x5F, 0x55, 0x53, 0x51, 0, 0, 0, 1])
        #expect(r3.count == 2)
        #expect(Self.code(r3.last) == .badSync)
    }

    @Test func oversizedEmptyAndOverrunningFramesFail() {
        var big = UDSFrameDecoder()
        #expect(Self.code(big.feed(UDSFrame.sync + [0x7F, 0xFF, 0xFF, 0xFF]).first) == .frameTooLong)
        var small = UDSFrameDecoder(maxFrameLength: 100)
        #expect(Self.code(small.feed(UDSFrame.record([UInt8](repeating: 0, count: 96)).encoded()).first) == .frameTooLong)
        var empty = UDSFrameDecoder()
        #expect(Self.code(empty.feed(UDSFrame.sync + [0, 0, 0, 0]).first) == .emptyFrame)
        // TLV value longer than the frame.
        var overrun = UDSFrameDecoder()
        #expect(Self.code(overrun.feed(UDSFrame.sync + [0, 0, 0, 6, 3, 0, 0, 0, 9, 0xAA]).first) == .tlvOverrun)
        // Frame ends inside a TLV header.
        var cut = UDSFrameDecoder()
        #expect(Self.code(cut.feed(UDSFrame.sync + [0, 0, 0, 3, 3, 0, 0]).first) == .tlvOverrun)
        // A good TLV followed by 2 stray bytes.
        var stray = UDSFrameDecoder()
        #expect(Self.code(stray.feed(UDSFrame.sync + [0, 0, 0, 7, 3, 0, 0, 0, 0, 1, 2]).first) == .tlvOverrun)
    }

    @Test func failureIsSticky() {
        var d = UDSFrameDecoder()
        _ = d.feed([0x00])
        d.append(Self.handshakeExample)
        #expect(Self.code(d.next()) == .badSync)
        #expect(Self.code(d.next()) == .badSync)
        #expect(d.failure?.code == .badSync)
        #expect(d.bufferedCount == 0)
    }

    static func code(_ r: Result<UDSFrame, UDSFrameError>?) -> UDSFrameError.Code? {
        if case .failure(let e)? = r { return e.code }
        return nil
    }
}
