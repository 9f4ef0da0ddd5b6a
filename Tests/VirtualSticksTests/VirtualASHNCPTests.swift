import Testing
import VirtualSticks
import ZigbeeEZSP

/// The NCP side of ASH, checked against the UG101 byte examples and against the host `ASHLink`.
@Suite struct VirtualASHNCPTests {
    static func connected() -> VirtualASHNCP {
        var ncp = VirtualASHNCP()
        _ = ncp.receive([0xC0, 0x38, 0xBC, 0x7E])
        return ncp
    }

    static func frames(_ wire: [UInt8]) -> [ASHFrame] {
        var decoder = ASHDecoder()
        return decoder.feed(wire).compactMap { if case .frame(let f) = $0 { f } else { nil } }
    }

    /// UG101: RST is C0 38 BC 7E (hosts put a cancel byte in front); the NCP answers RSTACK.
    @Test func rstIsAnsweredWithRstAck() {
        var ncp = VirtualASHNCP()
        #expect(!ncp.connected)
        let (wire, ezsp) = ncp.receive([0x1A, 0xC0, 0x38, 0xBC, 0x7E])
        #expect(ezsp.isEmpty)
        #expect(wire == ASHFrame.rstAck(version: 2, resetCode: VirtualASHNCP.resetSoftware).encoded())
        #expect(Self.frames(wire) == [.rstAck(version: 2, resetCode: 0x0B)])
        #expect(ncp.connected && ncp.resets == 1)
    }

    /// UG101's RSTACK example (C1 02 02 9B 7B 7E) is a power-on reset announced unsolicited.
    @Test func unsolicitedResetMatchesTheUG101Example() {
        var ncp = Self.connected()
        #expect(ncp.resetUnsolicited(code: VirtualASHNCP.resetPowerOn) == [0xC1, 0x02, 0x02, 0x9B, 0x7B, 0x7E])
    }

    @Test func dataBeforeResetIsIgnored() {
        var ncp = VirtualASHNCP()
        let (wire, ezsp) = ncp.receive([0x00, 0x42, 0x21, 0xA8, 0x52, 0xCD, 0x6E, 0x7E])
        #expect(wire.isEmpty && ezsp.isEmpty)
        #expect(ncp.send([0x01]) == [])
    }

    /// DATA(0, 0) carrying version(6) is delivered and acknowledged with UG101's ACK(1) bytes;
    /// its retransmission is acknowledged again and not delivered twice.
    @Test func dataIsAcknowledgedAndRetransmissionsReAcknowledged() {
        var ncp = Self.connected()
        let (wire, ezsp) = ncp.receive([0x00, 0x42, 0x21, 0xA8, 0x52, 0xCD, 0x6E, 0x7E])
        #expect(ezsp == [[0x00, 0x00, 0x00, 0x06]])
        #expect(wire == [0x81, 0x60, 0x59, 0x7E])
        let again = ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: true, payload: [0x00, 0x00, 0x00, 0x06]).encoded()
        let (wire2, ezsp2) = ncp.receive(again)
        #expect(ezsp2.isEmpty)
        #expect(wire2 == [0x81, 0x60, 0x59, 0x7E])
        #expect(ncp.received == 1)
    }

    /// UG101's DATA(2, 5) example arrives when frame 0 is expected: NAK(0).
    @Test func outOfSequenceDataIsNaked() {
        var ncp = Self.connected()
        let (wire, ezsp) = ncp.receive([0x25, 0x42, 0x21, 0xA8, 0x56, 0xA6, 0x09, 0x7E])
        #expect(ezsp.isEmpty)
        #expect(Self.frames(wire) == [.nak(ackNumber: 0, notReady: false)])
        #expect(ncp.naksSent == 1)
    }

    @Test func corruptedFrameIsNaked() {
        var ncp = Self.connected()
        var bytes = ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [0x00, 0x00, 0x00, 0x06]).encoded()
        bytes[2] ^= 0x04
        let (wire, ezsp) = ncp.receive(bytes)
        #expect(ezsp.isEmpty)
        #expect(wire == ASHFrame.nak(ackNumber: 0, notReady: false).encoded())
        #expect(ncp.badFrames == 1)
    }

    /// The NCP numbers its frames, piggy-backs its ACK, drops acknowledged ones and resends the
    /// rest (reTx set) when the host NAKs.
    @Test func ncpFramesAreNumberedAndRetransmittedOnNak() {
        var ncp = Self.connected()
        _ = ncp.receive(ASHFrame.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [1]).encoded())
        let first = ncp.send([0xAA])
        let second = ncp.send([0xBB])
        #expect(Self.frames(first) == [.data(frameNumber: 0, ackNumber: 1, retransmitted: false, payload: [0xAA])])
        #expect(Self.frames(second) == [.data(frameNumber: 1, ackNumber: 1, retransmitted: false, payload: [0xBB])])
        #expect(ncp.unacknowledged == 2)
        // ACK(1): frame 0 arrived; NAK(1): frame 1 did not.
        _ = ncp.receive(ASHFrame.ack(ackNumber: 1, notReady: false).encoded())
        #expect(ncp.unacknowledged == 1)
        let (wire, _) = ncp.receive(ASHFrame.nak(ackNumber: 1, notReady: false).encoded())
        #expect(Self.frames(wire) == [.data(frameNumber: 1, ackNumber: 1, retransmitted: true, payload: [0xBB])])
        #expect(ncp.retransmitted == 1)
        _ = ncp.receive(ASHFrame.ack(ackNumber: 2, notReady: false).encoded())
        #expect(ncp.unacknowledged == 0)
        #expect(ncp.retransmitUnacknowledged().isEmpty)
    }

    @Test func faultsDropCorruptAndMute() {
        var ncp = Self.connected()
        ncp.inject(.dropOutgoing(1))
        #expect(ncp.send([1]).isEmpty)
        #expect(ncp.unacknowledged == 1, "a dropped frame still waits for its ACK")
        ncp.inject(.corruptOutgoing(1))
        var decoder = ASHDecoder()
        let out = decoder.feed(ncp.send([2]))
        #expect(out.count == 1)
        if case .frame = out.first { Issue.record("a corrupted frame decoded") }
        // The ACK timer resends both, intact.
        #expect(Self.frames(ncp.retransmitUnacknowledged()).count == 2)
        ncp.inject(.mute)
        #expect(ncp.receive([0x1A, 0xC0, 0x38, 0xBC, 0x7E]).wire.isEmpty)
        ncp.inject(.none)
        #expect(!ncp.receive([0x1A, 0xC0, 0x38, 0xBC, 0x7E]).wire.isEmpty)
    }

    // MARK: Against the host ASHLink

    /// Host ASHLink ↔ NCP over a simulated wire; the host's ACK timer fires when the wire is quiet.
    struct Wire {
        var host = ASHLink()
        var ncp = VirtualASHNCP()
        var hostDecoder = ASHDecoder()
        var toNCP: [UInt8] = []
        var hostGot: [[UInt8]] = []
        var ncpGot: [[UInt8]] = []
        var hostConnected = false
        var ackTimer = false

        mutating func host(_ event: ASHLink.Event) {
            for action in host.handle(event) {
                switch action {
                case .write(let bytes): toNCP += bytes
                case .deliver(let payload): hostGot.append(payload)
                case .connected: hostConnected = true
                case .startAckTimer: ackTimer = true
                case .cancelAckTimer: ackTimer = false
                default: break
                }
            }
        }

        mutating func toHost(_ bytes: [UInt8]) {
            for output in hostDecoder.feed(bytes) {
                if case .frame(let f) = output { host(.received(f)) }
            }
        }

        /// Moves bytes until both sides are quiet, firing the host's ACK timer and the NCP's
        /// retransmission when frames stay unacknowledged.
        mutating func settle() {
            for _ in 0..<50 {
                if !toNCP.isEmpty {
                    let bytes = toNCP
                    toNCP = []
                    let (wire, ezsp) = ncp.receive(bytes)
                    ncpGot += ezsp
                    toHost(wire)
                } else if ackTimer {
                    ackTimer = false
                    host(.ackTimeout)
                } else if ncp.unacknowledged > 0 {
                    toHost(ncp.retransmitUnacknowledged())
                } else {
                    return
                }
            }
        }
    }

    @Test func hostLinkConnectsAndExchangesFramesBothWays() {
        var wire = Wire()
        wire.host(.start)
        wire.settle()
        #expect(wire.hostConnected && wire.ncp.connected)
        for i in 0..<12 {
            wire.host(.send(payload: [UInt8(i), 0x55]))
            wire.settle()
            wire.toHost(wire.ncp.send([0x80, UInt8(i)]))
            wire.settle()
        }
        #expect(wire.ncpGot == (0..<12).map { [UInt8($0), 0x55] })
        #expect(wire.hostGot == (0..<12).map { [0x80, UInt8($0)] })
        #expect(wire.ncp.unacknowledged == 0 && wire.host.unacknowledgedCount == 0)
    }

    @Test func hostLinkRecoversFromDroppedAndCorruptedNCPFrames() {
        var wire = Wire()
        wire.host(.start)
        wire.settle()
        wire.ncp.inject(.dropOutgoing(1))
        wire.toHost(wire.ncp.send([1]))
        wire.toHost(wire.ncp.send([2])) // out of sequence for the host: it NAKs, the NCP resends
        wire.settle()
        wire.ncp.inject(.corruptOutgoing(1))
        wire.toHost(wire.ncp.send([3]))
        wire.settle()
        #expect(wire.hostGot == [[1], [2], [3]])
        // A lost ACK from the NCP: the host's timer resends, the NCP re-acknowledges once.
        wire.ncp.inject(.dropOutgoing(1))
        wire.host(.send(payload: [9]))
        wire.settle()
        #expect(wire.ncpGot == [[9]])
        #expect(wire.host.unacknowledgedCount == 0)
    }
}
