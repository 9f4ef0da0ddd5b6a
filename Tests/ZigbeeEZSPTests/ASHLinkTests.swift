import Testing
import ZigbeeEZSP

/// Frames found in the `.write` actions (decoded back, so assertions read as frames).
private func writtenFrames(_ actions: [ASHLink.Action]) -> [ASHFrame] {
    var decoder = ASHDecoder()
    return actions.flatMap { action -> [ASHFrame] in
        guard case let .write(bytes) = action else { return [] }
        return decoder.feed(bytes).compactMap {
            if case let .frame(frame) = $0 { return frame }
            return nil
        }
    }
}

private func delivered(_ actions: [ASHLink.Action]) -> [[UInt8]] {
    actions.compactMap {
        if case let .deliver(payload) = $0 { return payload }
        return nil
    }
}

/// A link that has completed RST → RSTACK.
private func connectedLink(_ configuration: ASHLink.Configuration = .init()) -> ASHLink {
    var link = ASHLink(configuration: configuration)
    _ = link.handle(.start)
    _ = link.handle(.received(.rstAck(version: 2, resetCode: 0x0B)))
    return link
}

private func ncpData(_ frameNumber: UInt8, ack: UInt8, reTx: Bool = false, _ payload: [UInt8]) -> ASHLink.Event {
    .received(.data(frameNumber: frameNumber, ackNumber: ack, retransmitted: reTx, payload: payload))
}

@Suite struct ASHLinkTests {
    @Test func startUp() {
        var link = ASHLink()
        #expect(link.state == .disconnected)
        let start = link.handle(.start)
        // UG101 §3 "Frame Formats" RST example, preceded by the cancel byte.
        #expect(start == [.write([0x1A, 0xC0, 0x38, 0xBC, 0x7E]), .startResetTimer(milliseconds: 3200)])
        #expect(link.state == .resetting)

        let up = link.handle(.received(.rstAck(version: 2, resetCode: 0x0B)))
        #expect(up == [.cancelResetTimer, .connected(version: 2, resetCode: 0x0B)])
        #expect(link.state == .connected)
    }

    @Test func startUpRetriesThenFails() {
        var link = ASHLink(configuration: .init(maxResetAttempts: 3))
        _ = link.handle(.start)
        for _ in 0..<2 {
            let retry = link.handle(.resetTimeout)
            #expect(writtenFrames(retry) == [.rst])
            #expect(retry.contains(.startResetTimer(milliseconds: 3200)))
        }
        #expect(link.handle(.resetTimeout) == [.cancelResetTimer, .failed(.resetTimeout)])
        #expect(link.state == .failed)
        // Starting again works.
        _ = link.handle(.start)
        _ = link.handle(.received(.rstAck(version: 2, resetCode: 2)))
        #expect(link.state == .connected)
    }

    @Test func wrongVersionFails() {
        var link = ASHLink()
        _ = link.handle(.start)
        #expect(link.handle(.received(.rstAck(version: 3, resetCode: 2))) == [.cancelResetTimer, .failed(.unsupportedVersion(3))])
    }

    @Test func payloadQueuedBeforeConnectIsSentAfterRSTACK() {
        var link = ASHLink()
        _ = link.handle(.start)
        #expect(link.handle(.send(payload: [0, 0, 0, 2])) == [])
        let up = link.handle(.received(.rstAck(version: 2, resetCode: 2)))
        #expect(writtenFrames(up) == [.data(frameNumber: 0, ackNumber: 0, retransmitted: false, payload: [0, 0, 0, 2])])
    }

    @Test func sendAndAck() {
        var link = connectedLink()
        let sent = link.handle(.send(payload: [0x00, 0x00, 0x00, 0x06]))
        // Derived from the rules: DATA(0, 0, 0) with the EZSP version command for version 6.
        #expect(sent == [.write([0x00, 0x42, 0x21, 0xA8, 0x52, 0xCD, 0x6E, 0x7E]), .startAckTimer(milliseconds: 1600)])
        #expect(link.unacknowledgedCount == 1)

        // Window 1: the next payload waits.
        #expect(link.handle(.send(payload: [1, 2, 3])) == [])
        #expect(link.queuedCount == 1)

        let acked = link.handle(.received(.ack(ackNumber: 1, notReady: false)))
        #expect(acked.first == .cancelAckTimer)
        #expect(writtenFrames(acked) == [.data(frameNumber: 1, ackNumber: 0, retransmitted: false, payload: [1, 2, 3])])
        #expect(acked.last == .startAckTimer(milliseconds: 1600))

        #expect(link.handle(.received(.ack(ackNumber: 2, notReady: false))) == [.cancelAckTimer])
        #expect(link.unacknowledgedCount == 0)
        // A stale ACK changes nothing.
        #expect(link.handle(.received(.ack(ackNumber: 2, notReady: false))) == [])
    }

    @Test func receivedDataIsAckedAndDelivered() {
        var link = connectedLink()
        let actions = link.handle(ncpData(0, ack: 0, [0x00, 0x80, 0x00, 0x06]))
        #expect(writtenFrames(actions) == [.ack(ackNumber: 1, notReady: false)])
        #expect(delivered(actions) == [[0x00, 0x80, 0x00, 0x06]])
    }

    @Test func piggyBackedAcks() {
        var link = connectedLink()
        _ = link.handle(.send(payload: [0xAA]))
        // The NCP answers with DATA whose ackNum acknowledges our frame 0.
        let answer = link.handle(ncpData(0, ack: 1, [0xBB]))
        #expect(answer.contains(.cancelAckTimer))
        #expect(delivered(answer) == [[0xBB]])
        #expect(link.unacknowledgedCount == 0)
        // Our next DATA carries ackNum 1 (the NCP's next frame).
        let next = link.handle(.send(payload: [0xCC]))
        #expect(writtenFrames(next) == [.data(frameNumber: 1, ackNumber: 1, retransmitted: false, payload: [0xCC])])
    }

    @Test func nakRetransmitsWithReTx() {
        var link = connectedLink()
        _ = link.handle(.send(payload: [0x42]))
        let nak = link.handle(.received(.nak(ackNumber: 0, notReady: false)))
        #expect(writtenFrames(nak) == [.data(frameNumber: 0, ackNumber: 0, retransmitted: true, payload: [0x42])])
        #expect(nak.last == .startAckTimer(milliseconds: 1600))
        // The reTx bit is bit 3 of the control byte on the wire.
        guard case let .write(bytes) = nak.first else {
            Issue.record("expected a write")
            return
        }
        #expect(bytes.first == 0x08)
    }

    @Test func windowedSendingAndGoBackN() {
        var link = connectedLink(.init(windowSize: 3))
        var writes: [ASHFrame] = []
        for value in UInt8(0)..<5 { writes += writtenFrames(link.handle(.send(payload: [value]))) }
        #expect(writes.map(\.controlByte) == [0x00, 0x10, 0x20])
        #expect(link.unacknowledgedCount == 3)
        #expect(link.queuedCount == 2)
        // NAK(1): frame 0 acknowledged, frames 1 and 2 resent, then frame 3 fills the window.
        let nak = link.handle(.received(.nak(ackNumber: 1, notReady: false)))
        #expect(writtenFrames(nak).map(\.controlByte) == [0x18, 0x28, 0x30])
        // ACK(4) releases three frames; frame 4 goes out.
        let ack = link.handle(.received(.ack(ackNumber: 4, notReady: false)))
        #expect(writtenFrames(ack) == [.data(frameNumber: 4, ackNumber: 0, retransmitted: false, payload: [4])])
    }

    @Test func frameNumbersWrapModulo8() {
        var link = connectedLink()
        for index in 0..<10 {
            let sent = writtenFrames(link.handle(.send(payload: [UInt8(index)])))
            #expect(sent == [.data(frameNumber: UInt8(index % 8), ackNumber: UInt8(index % 8), retransmitted: false, payload: [UInt8(index)])])
            let received = link.handle(ncpData(UInt8(index % 8), ack: UInt8((index + 1) % 8), [UInt8(index)]))
            #expect(delivered(received) == [[UInt8(index)]])
        }
    }

    @Test func timeoutRetransmitsThenFails() {
        var link = connectedLink()
        _ = link.handle(.send(payload: [7]))
        let expectedTimers = [3200, 3200, 3200, 3200, 3200]
        for timer in expectedTimers {
            let retry = link.handle(.ackTimeout)
            #expect(writtenFrames(retry) == [.data(frameNumber: 0, ackNumber: 0, retransmitted: true, payload: [7])])
            #expect(retry.last == .startAckTimer(milliseconds: timer))
        }
        // The timer has just expired, so there is nothing to cancel.
        #expect(link.handle(.ackTimeout) == [.failed(.tooManyRetransmissions)])
        #expect(link.state == .failed)
    }

    @Test func ackResetsRetransmitCount() {
        var link = connectedLink(.init(maxRetransmissions: 2))
        _ = link.handle(.send(payload: [1]))
        _ = link.handle(.ackTimeout)
        _ = link.handle(.ackTimeout)
        _ = link.handle(.received(.ack(ackNumber: 1, notReady: false)))
        _ = link.handle(.send(payload: [2]))
        let retry = link.handle(.ackTimeout)
        #expect(writtenFrames(retry).count == 1)
        #expect(link.state == .connected)
    }

    @Test func duplicateIsReackedNotDelivered() {
        var link = connectedLink()
        let first = link.handle(ncpData(0, ack: 0, [0x10]))
        #expect(delivered(first) == [[0x10]])
        // Our ACK was lost; the NCP retransmits frame 0.
        let again = link.handle(ncpData(0, ack: 0, reTx: true, [0x10]))
        #expect(writtenFrames(again) == [.ack(ackNumber: 1, notReady: false)])
        #expect(delivered(again).isEmpty)
        let next = link.handle(ncpData(1, ack: 0, [0x11]))
        #expect(delivered(next) == [[0x11]])
    }

    @Test func outOfSequenceIsNakedOnceAndNotDelivered() {
        var link = connectedLink()
        _ = link.handle(ncpData(0, ack: 0, [0]))
        // Frame 1 lost; frames 2 and 3 arrive.
        let gap = link.handle(ncpData(2, ack: 0, [2]))
        #expect(writtenFrames(gap) == [.nak(ackNumber: 1, notReady: false)])
        #expect(delivered(gap).isEmpty)
        let more = link.handle(ncpData(3, ack: 0, [3]))
        #expect(more.isEmpty, "reject condition: no second NAK")
        // The retransmission of frame 1 clears the reject condition.
        let fixed = link.handle(ncpData(1, ack: 0, reTx: true, [1]))
        #expect(delivered(fixed) == [[1]])
        #expect(writtenFrames(fixed) == [.ack(ackNumber: 2, notReady: false)])
        let after = link.handle(ncpData(2, ack: 0, reTx: true, [2]))
        #expect(delivered(after) == [[2]])
    }

    @Test func unsolicitedResetAck() {
        var link = connectedLink()
        _ = link.handle(.send(payload: [1]))
        let reset = link.handle(.received(.rstAck(version: 2, resetCode: 0x09)))
        #expect(reset == [.cancelAckTimer, .reset(resetCode: 0x09)])
        #expect(link.state == .disconnected)
        #expect(link.unacknowledgedCount == 0)
    }

    @Test func errorFrameFails() {
        var link = connectedLink()
        #expect(link.handle(.received(.error(version: 2, code: 0x51))) == [.failed(.ncpError(version: 2, code: 0x51))])
        #expect(link.state == .failed)
        // Frames after failure are ignored.
        #expect(link.handle(ncpData(0, ack: 0, [1])) == [])
    }

    @Test func framesBeforeConnectAreIgnored() {
        var link = ASHLink()
        #expect(link.handle(ncpData(0, ack: 0, [1])) == [])
        #expect(link.handle(.received(.ack(ackNumber: 1, notReady: false))) == [])
        #expect(link.handle(.ackTimeout) == [])
        #expect(link.handle(.resetTimeout) == [])
    }

    @Test func windowSizeIsClamped() {
        #expect(ASHLink.Configuration(windowSize: 12).windowSize == 7)
        #expect(ASHLink.Configuration(windowSize: 0).windowSize == 1)
    }
}
