import Testing
import ZigbeeZNP

/// Feeds `bytes` to a fresh decoder in one batch and byte by byte; expects identical output.
private func decodeBothWays(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [MTDecoder.Output] {
    var batch = MTDecoder()
    let batchOutput = batch.feed(bytes)
    var single = MTDecoder()
    var singleOutput: [MTDecoder.Output] = []
    for byte in bytes { singleOutput += single.feed([byte]) }
    #expect(batchOutput == singleOutput, sourceLocation: sourceLocation)
    return batchOutput
}

private func frames(_ outputs: [MTDecoder.Output]) -> [MTFrame] {
    outputs.compactMap {
        if case let .frame(frame) = $0 { return frame }
        return nil
    }
}

@Suite struct MTDecoderTests {
    @Test func pingRequestFromSWRA198() {
        let output = decodeBothWays(MTFixtures.pingRequest)
        #expect(output == [.frame(MTFrame(type: .sreq, subsystem: .sys, commandID: 0x01))])
    }

    @Test func pingResponse() {
        let output = decodeBothWays(MTFixtures.pingResponse)
        #expect(output == [.frame(MTFrame(type: .srsp, subsystem: .sys, commandID: 0x01, payload: [0x59, 0x06]))])
    }

    @Test func callbacksDecode() {
        let reset = frames(decodeBothWays(MTFixtures.resetIndication))
        #expect(reset == [MTFrame(type: .areq, subsystem: .sys, commandID: 0x80, payload: [0x00, 0x02, 0x01, 0x02, 0x07, 0x01])])
        let incoming = frames(decodeBothWays(MTFixtures.afIncomingMessage))
        #expect(incoming.first?.subsystem == .af)
        #expect(incoming.first?.commandID == 0x81)
        #expect(incoming.first?.payload.count == 0x17)
        let announce = frames(decodeBothWays(MTFixtures.endDeviceAnnounce))
        #expect(announce.first?.type == .areq)
        #expect(announce.first?.subsystem == .zdo)
        #expect(announce.first?.commandID == 0xC1)
    }

    @Test(arguments: MTFixtures.all)
    func fixtureRoundTrips(_ bytes: [UInt8]) throws {
        let decoded = frames(decodeBothWays(bytes))
        #expect(decoded.count == 1)
        #expect(try decoded.first?.encoded() == bytes)
    }

    @Test func allFixturesInOneBurst() {
        let bytes = MTFixtures.all.flatMap { $0 }
        #expect(frames(decodeBothWays(bytes)).count == MTFixtures.all.count)
    }

    @Test func randomSplitsGiveTheSameFrames() {
        let bytes = MTFixtures.all.flatMap { $0 }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var decoder = MTDecoder()
            var output: [MTDecoder.Output] = []
            var index = 0
            while index < bytes.count {
                let size = 1 + Int(generator.next() % 40)
                let end = min(bytes.count, index + size)
                output += decoder.feed(bytes[index..<end])
                index = end
            }
            #expect(frames(output).count == MTFixtures.all.count)
        }
    }

    // MARK: Encoder

    @Test func encoder() throws {
        #expect(try MTFrame(type: .sreq, subsystem: .sys, commandID: 0x01).encoded() == MTFixtures.pingRequest)
        #expect(try MTFrame(type: .sreq, subsystem: .util, commandID: 0x00).encoded() == MTFixtures.deviceInfoRequest)
        #expect(MTFrame(cmd0: 0x61, cmd1: 0x02).type == .srsp)
        #expect(MTFrame(cmd0: 0x61, cmd1: 0x02).subsystem == .sys)
        #expect(MTFrame(cmd0: 0xEF, cmd1: 0x00).type == .reserved(7))
        #expect(MTFrame(cmd0: 0xEF, cmd1: 0x00).cmd0 == 0xEF)
        let maximal = MTFrame(type: .areq, subsystem: .af, commandID: 0x81, payload: [UInt8](repeating: 0xFE, count: 250))
        #expect(frames(decodeBothWays(try maximal.encoded())) == [maximal])
        let tooLong = MTFrame(type: .areq, subsystem: .af, commandID: 0x81, payload: [UInt8](repeating: 0, count: 251))
        #expect(throws: MTFrameError(.payloadTooLong(251))) { try tooLong.encoded() }
    }

    // MARK: Errors and resynchronisation

    @Test func garbageBeforeFrameIsSkipped() {
        let output = decodeBothWays([0x00, 0x11, 0x22] + MTFixtures.pingRequest)
        #expect(output == [.discarded(byteCount: 3), .frame(MTFrame(type: .sreq, subsystem: .sys, commandID: 0x01))])
    }

    @Test func badFCSIsReportedAndTheNextFrameSurvives() {
        var corrupted = MTFixtures.pingResponse
        corrupted[corrupted.count - 1] ^= 0xFF
        let output = decodeBothWays(corrupted + MTFixtures.versionRequest)
        #expect(output.first == .invalid(.badFCS(expected: 0x3D, received: 0xC2)))
        #expect(frames(output) == [MTFrame(type: .sreq, subsystem: .sys, commandID: 0x02)])
        var decoder = MTDecoder()
        _ = decoder.feed(corrupted + MTFixtures.versionRequest)
        #expect(decoder.statistics.badFCS == 1)
        #expect(decoder.statistics.frames == 1)
    }

    @Test func corruptedPayloadByteFailsFCS() {
        var bytes = MTFixtures.afIncomingMessage
        bytes[10] ^= 0x40
        let output = decodeBothWays(bytes)
        #expect(frames(output).isEmpty)
        #expect(output.contains { if case .invalid(.badFCS) = $0 { true } else { false } })
    }

    @Test func truncatedFrameFollowedByAGoodOne() {
        // The AF_INCOMING_MSG is cut after 9 bytes; the decoder first swallows the next frame as payload,
        // fails the FCS, rescans and still finds the ping response and the state change behind it.
        let truncated = Array(MTFixtures.afIncomingMessage.prefix(9))
        let bytes = truncated + MTFixtures.pingResponse + MTFixtures.stateChangeCoordinator + MTFixtures.pingRequest
            + [UInt8](repeating: 0x00, count: 20)
        let output = decodeBothWays(bytes)
        #expect(frames(output).map(\.commandID).contains(0x01))
        #expect(frames(output).contains(MTFrame(type: .areq, subsystem: .zdo, commandID: 0xC0, payload: [0x09])))
        #expect(frames(output).last == MTFrame(type: .sreq, subsystem: .sys, commandID: 0x01))
    }

    @Test func truncatedFrameAtEndStaysPending() {
        var decoder = MTDecoder()
        #expect(decoder.feed(MTFixtures.versionResponse.prefix(6)) == [])
        #expect(decoder.hasPartialFrame)
        #expect(frames(decoder.feed(MTFixtures.versionResponse.dropFirst(6))).count == 1)
        #expect(!decoder.hasPartialFrame)
        // reset() drops a stalled frame.
        _ = decoder.feed(MTFixtures.versionResponse.prefix(3))
        decoder.reset()
        #expect(!decoder.hasPartialFrame)
        #expect(frames(decoder.feed(MTFixtures.pingRequest)).count == 1)
    }

    @Test func duplicatedFramesDecodeTwice() {
        let output = decodeBothWays(MTFixtures.dataConfirm + MTFixtures.dataConfirm)
        #expect(frames(output).count == 2)
        #expect(frames(output)[0] == frames(output)[1])
    }

    @Test func repeatedStartBytesResynchronise() {
        // Several SOF bytes in a row: each stray one is a length byte > 250 and gets rescanned.
        let output = decodeBothWays([0xFE, 0xFE, 0xFE] + MTFixtures.pingRequest)
        #expect(output == [.invalid(.lengthTooLong(0xFE)), .invalid(.lengthTooLong(0xFE)), .invalid(.lengthTooLong(0xFE)),
                           .frame(MTFrame(type: .sreq, subsystem: .sys, commandID: 0x01))])
    }

    @Test func lengthAbove250IsRejected() {
        let output = decodeBothWays([0xFE, 0xFB, 0x21, 0x01] + MTFixtures.pingRequest)
        #expect(output.first == .invalid(.lengthTooLong(0xFB)))
        #expect(frames(output) == [MTFrame(type: .sreq, subsystem: .sys, commandID: 0x01)])
    }

    @Test func strayStartByteInsideGarbage() {
        // A lone 0xFE followed by a plausible length: the fake frame eats the real one, fails its FCS,
        // and the rescan recovers the real frame.
        let output = decodeBothWays([0xFE, 0x03, 0x00] + MTFixtures.stateChangeCoordinator)
        #expect(frames(output) == [MTFrame(type: .areq, subsystem: .zdo, commandID: 0xC0, payload: [0x09])])
    }

    @Test func randomBytesNeverTrap() {
        var generator = SplitMix64(seed: 0x2E_5A_11)
        var decoder = MTDecoder()
        var produced = 0
        for round in 0..<5_000 {
            let length = Int(generator.next() % 300)
            var buffer = [UInt8](repeating: 0, count: length)
            for index in buffer.indices {
                let value = generator.next()
                buffer[index] = value % 7 == 0 ? 0xFE : UInt8(truncatingIfNeeded: value >> 8)
            }
            if round % 3 == 0 { buffer += MTFixtures.all[Int(generator.next() % UInt64(MTFixtures.all.count))] }
            var whole = MTDecoder()
            var split = MTDecoder()
            let cut = buffer.isEmpty ? 0 : Int(generator.next() % UInt64(buffer.count))
            let once = whole.feed(buffer)
            #expect(once == split.feed(buffer[..<cut]) + split.feed(buffer[cut...]))
            produced += decoder.feed(buffer).count
        }
        #expect(produced > 0)
        decoder.reset()
        #expect(frames(decoder.feed(MTFixtures.pingRequest)).count == 1)
    }
}

/// A small deterministic generator for the robustness loops.
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
