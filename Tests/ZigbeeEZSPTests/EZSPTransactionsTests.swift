import Testing
import ZigbeeEZSP

private func sent(_ actions: [EZSPTransactions.Action]) -> [[UInt8]] {
    actions.compactMap { if case let .send(bytes) = $0 { bytes } else { nil } }
}

private func negotiated(_ version: UInt8 = 13) -> EZSPTransactions {
    var machine = EZSPTransactions()
    _ = machine.handle(.setProtocolVersion(version))
    return machine
}

private func request(_ tag: UInt64, _ frameID: UInt16, _ parameters: [UInt8] = []) -> EZSPTransactions.Event {
    .submit(EZSPRequest(tag: tag, frameID: frameID, parameters: parameters))
}

@Suite struct EZSPTransactionsTests {
    @Test func legacyVersionThenResponse() {
        var machine = EZSPTransactions()
        let actions = machine.handle(.submit(EZSPRequest(EZSPCommands.Version(desiredProtocolVersion: 13), tag: 1,
                                                         version: 0, forceLegacy: true)))
        #expect(actions == [.send([0x00, 0x00, 0x00, 0x0D]), .startResponseTimer(milliseconds: 5000)])
        let answer = machine.handle(.received([0x00, 0x80, 0x00, 0x0D, 0x02, 0x10, 0x74]))
        #expect(answer == [.cancelResponseTimer, .completed(tag: 1, frame: EZSPFrame(
            sequence: 0, frameControl: EZSPFrameControl(lowByte: 0x80), frameID: 0, parameters: [0x0D, 0x02, 0x10, 0x74]))])
        #expect(!machine.isBusy)
    }

    @Test func oneOutstandingOthersQueued() {
        var machine = negotiated()
        #expect(sent(machine.handle(request(1, 0x0027))) == [[0x00, 0x00, 0x01, 0x27, 0x00]])
        #expect(machine.handle(request(2, 0x0026)) == [])
        #expect(machine.handle(request(3, 0x0028)) == [])
        #expect(machine.queuedCount == 2)

        let first = machine.handle(.received([0x00, 0x80, 0x01, 0x27, 0x00, 0x00, 0x00]))
        #expect(first.contains(.completed(tag: 1, frame: EZSPFrame(sequence: 0, frameControl: .init(lowByte: 0x80, highByte: 0x01),
                                                                    frameID: 0x0027, parameters: [0x00, 0x00]))))
        // The next queued command goes out with the next sequence number.
        #expect(sent(first) == [[0x01, 0x00, 0x01, 0x26, 0x00]])
        #expect(machine.queuedCount == 1)
    }

    @Test func mismatchedSequenceOrFrameIDIgnored() {
        var machine = negotiated()
        _ = machine.handle(request(7, 0x0027))
        #expect(machine.handle(.received([0x05, 0x80, 0x01, 0x27, 0x00, 0x00, 0x00]))
            == [.discarded(.unmatchedResponse(sequence: 5, frameID: 0x0027))])
        #expect(machine.handle(.received([0x00, 0x80, 0x01, 0x26, 0x00, 0x00, 0x00]))
            == [.discarded(.unmatchedResponse(sequence: 0, frameID: 0x0026))])
        #expect(machine.isBusy)
        #expect(machine.handle(.received([0x00, 0x80, 0x01, 0x27, 0x00, 0x34, 0x12])).contains(where: {
            if case .completed(tag: 7, _) = $0 { true } else { false }
        }))
    }

    @Test func timeoutFailsAndSendsNext() {
        var machine = negotiated()
        _ = machine.handle(request(1, 0x0027))
        _ = machine.handle(request(2, 0x0026))
        let actions = machine.handle(.responseTimeout)
        #expect(actions.first == .failed(tag: 1, .timeout))
        #expect(sent(actions) == [[0x01, 0x00, 0x01, 0x26, 0x00]])
        // A late answer to the timed-out command is discarded.
        #expect(machine.handle(.received([0x00, 0x80, 0x01, 0x27, 0x00, 0x00, 0x00]))
            == [.discarded(.unmatchedResponse(sequence: 0, frameID: 0x0027))])
        // A spurious timer expiry with nothing pending does nothing.
        _ = machine.handle(.received([0x01, 0x80, 0x01, 0x26, 0x00] + [UInt8](repeating: 0, count: 8)))
        #expect(machine.handle(.responseTimeout) == [])
    }

    @Test func asyncCallbacksPassUpWhileWaiting() {
        var machine = negotiated()
        _ = machine.handle(request(1, 0x0017, [0, 0]))
        // Same sequence as the pending command, but flagged as an asynchronous callback.
        let callback = machine.handle(.received([0x00, 0x90, 0x01, 0x19, 0x00, 0x90]))
        #expect(callback == [.callback(.stackStatusHandler(status: .ember(.networkUp)))])
        #expect(machine.isBusy)
        // With nothing pending too.
        var idle = negotiated(14)
        #expect(idle.handle(.received([0x09, 0x90, 0x01, 0x19, 0x00, 0x15, 0, 0, 0]))
            == [.callback(.stackStatusHandler(status: .sl(.networkUp)))])
        // Overflow is reported as a warning, the frame still handled.
        #expect(idle.handle(.received([0x09, 0x91, 0x01, 0x7C, 0x00, 0x01, 0x00]))
            == [.ncpOverflow, .callback(.idConflictHandler(nodeId: 1))])
        #expect(idle.handle(.received([0x09, 0x90, 0x01, 0x45, 0x00, 0x00]))
            == [.discarded(.malformedCallback(frameID: 0x0045, .init(.truncated, offset: 1)))])
    }

    @Test func invalidCommandAndTruncated() {
        var machine = negotiated()
        _ = machine.handle(request(1, 0x0099))
        #expect(machine.handle(.received([0x00, 0x80, 0x01, 0x58, 0x00, 0x31]))
            == [.cancelResponseTimer, .failed(tag: 1, .invalidCommand(.ezsp(.invalidFrameID)))])
        _ = machine.handle(request(2, 0x0027))
        #expect(machine.handle(.received([0x01, 0x82, 0x01, 0x27, 0x00]))
            == [.cancelResponseTimer, .failed(tag: 2, .truncated)])
    }

    @Test func ashResetFailsEverythingAndForgetsVersion() {
        var machine = negotiated()
        _ = machine.handle(request(1, 0x0027))
        _ = machine.handle(request(2, 0x0026))
        #expect(machine.handle(.linkReset)
            == [.cancelResponseTimer, .failed(tag: 1, .ncpReset), .failed(tag: 2, .ncpReset), .ncpReset])
        #expect(!machine.isBusy && machine.queuedCount == 0)
        #expect(machine.codec == .initial)
        // Idle link failure still signals the owner.
        #expect(machine.handle(.linkFailed) == [.ncpReset])
    }

    @Test func queueLimit() {
        var machine = EZSPTransactions(configuration: .init(responseTimeoutMilliseconds: 100, maxQueued: 1))
        _ = machine.handle(.setProtocolVersion(8))
        #expect(machine.handle(request(1, 0x0005)).contains(.startResponseTimer(milliseconds: 100)))
        #expect(machine.handle(request(2, 0x0005)) == [])
        #expect(machine.handle(request(3, 0x0005)) == [.failed(tag: 3, .queueFull)])
    }

    @Test func sequenceWrapsAround() {
        var machine = negotiated()
        for index in 0..<256 {
            _ = machine.handle(request(UInt64(index), 0x0005))
            _ = machine.handle(.received([UInt8(index), 0x80, 0x01, 0x05, 0x00]))
        }
        #expect(sent(machine.handle(request(999, 0x0005))) == [[0x00, 0x00, 0x01, 0x05, 0x00]])
    }
}
