import Testing
import ZigbeeCore
import ZigbeeZNP

private func frame(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> MTFrame {
    var decoder = MTDecoder()
    guard case .frame(let frame)? = decoder.feed(bytes).first else {
        Issue.record("fixture does not decode", sourceLocation: sourceLocation)
        return MTFrame(type: .poll, subsystem: .rpcError, commandID: 0)
    }
    return frame
}

private func srsp(_ subsystem: MTSubsystem, _ id: UInt8, _ payload: [UInt8]) -> ZNPLink.Event {
    .received(MTFrame(type: .srsp, subsystem: subsystem, commandID: id, payload: payload))
}

private func areq(_ subsystem: MTSubsystem, _ id: UInt8, _ payload: [UInt8]) -> ZNPLink.Event {
    .received(MTFrame(type: .areq, subsystem: subsystem, commandID: id, payload: payload))
}

private func written(_ actions: [ZNPLink.Action]) -> [[UInt8]] {
    actions.compactMap { if case .write(let bytes) = $0 { bytes } else { nil } }
}

private let resetIndication = ZNPResetIndication(
    reason: .powerUp, version: ZNPVersion(transportRevision: 2, productID: 1, major: 2, minor: 7, maintenance: 1))

private func dataRequest(_ transactionID: UInt8, bytes: Int = 3) -> ZNPRequest {
    .afDataRequest(AFDataRequest(destination: 0x1234, destinationEndpoint: 1, clusterID: 0x0006, transactionID: transactionID,
                                 data: [UInt8](repeating: 0x01, count: bytes)))
}

@Suite struct ZNPLinkTests {
    @Test func singleRequest() {
        var link = ZNPLink()
        #expect(link.handle(.send(.ping, id: 1)) == [.write(MTFixtures.pingRequest), .startTimer(.response(1), milliseconds: 6_000)])
        #expect(link.outstandingRequest == 1)
        #expect(link.handle(.received(frame(MTFixtures.pingResponse)))
                == [.cancelTimer(.response(1)), .completed(1, .success(.init(response: .capabilities([.sys, .af, .zdo, .util, .zgp, .appConfig]))))])
        #expect(link.outstandingRequest == nil)
    }

    @Test func oneSREQAtATime() {
        var link = ZNPLink()
        _ = link.handle(.send(.ping, id: 1))
        #expect(link.handle(.send(.version, id: 2)) == [])
        #expect(link.handle(.send(.getDeviceInfo, id: 3)) == [])
        #expect(link.queuedCount == 2)
        let afterPing = link.handle(.received(frame(MTFixtures.pingResponse)))
        #expect(written(afterPing) == [MTFixtures.versionRequest])
        #expect(afterPing.last == .startTimer(.response(2), milliseconds: 6_000))
        let afterVersion = link.handle(.received(frame(MTFixtures.versionResponse)))
        #expect(afterVersion.contains(.completed(2, .success(.init(response: .version(
            ZNPVersion(transportRevision: 2, productID: 1, major: 2, minor: 7, maintenance: 1)))))))
        #expect(written(afterVersion) == [MTFixtures.deviceInfoRequest])
    }

    @Test func responseMatchedBySubsystemAndCommand() {
        var link = ZNPLink()
        _ = link.handle(.send(.ping, id: 1))
        // SYS_VERSION's SRSP does not answer SYS_PING; neither does a UTIL command with id 0x01.
        let wrong = MTFrame(type: .srsp, subsystem: .sys, commandID: 0x02, payload: [2, 1, 2, 7, 1])
        #expect(link.handle(.received(wrong)) == [.unexpectedFrame(wrong)])
        #expect(link.handle(srsp(.util, 0x01, [0x00])).count == 1)
        #expect(link.outstandingRequest == 1)
        // A response with nothing outstanding is unexpected too.
        _ = link.handle(.received(frame(MTFixtures.pingResponse)))
        #expect(link.handle(.received(frame(MTFixtures.pingResponse))) == [.unexpectedFrame(frame(MTFixtures.pingResponse))])
    }

    @Test func responseTimeoutFailsAndMovesOn() {
        var link = ZNPLink(configuration: .init(responseTimeoutMilliseconds: 6_000))
        _ = link.handle(.send(.ping, id: 1))
        _ = link.handle(.send(.version, id: 2))
        let timeout = link.handle(.timerExpired(.response(1)))
        #expect(timeout == [.completed(1, .failure(.responseTimeout)), .write(MTFixtures.versionRequest),
                            .startTimer(.response(2), milliseconds: 6_000)])
        // A stale timer does nothing.
        #expect(link.handle(.timerExpired(.response(1))) == [])
        // The late ping SRSP does not complete the version request.
        #expect(link.handle(.received(frame(MTFixtures.pingResponse))) == [.unexpectedFrame(frame(MTFixtures.pingResponse))])
        #expect(link.outstandingRequest == 2)
    }

    @Test func dataRequestWaitsForConfirmWithoutBlockingTheQueue() {
        var link = ZNPLink()
        let request = dataRequest(0x2A)
        _ = link.handle(.send(request, id: 1, awaiting: request.expectedCallback))
        _ = link.handle(.send(.getDeviceInfo, id: 2))
        let srspActions = link.handle(.received(frame(MTFixtures.dataRequestResponse)))
        #expect(srspActions == [.cancelTimer(.response(1)), .startTimer(.callback(1), milliseconds: 10_000),
                                .write(MTFixtures.deviceInfoRequest), .startTimer(.response(2), milliseconds: 6_000)])
        #expect(link.awaitingCallbackCount == 1)
        // Another transaction's confirm is passed up.
        #expect(link.handle(areq(.af, 0x80, [0x00, 0x01, 0x2B])) == [.callback(.afDataConfirm(status: .success, endpoint: 1, transactionID: 0x2B))])
        // Ours completes the request, with the MAC failure it reports.
        #expect(link.handle(areq(.af, 0x80, [0xE9, 0x01, 0x2A]))
                == [.cancelTimer(.callback(1)),
                    .completed(1, .success(.init(response: .status(.success), callback: .afDataConfirm(status: .macNoAck, endpoint: 1, transactionID: 0x2A))))])
        #expect(link.awaitingCallbackCount == 0)
    }

    @Test func failedSRSPStatusEndsTheWait() {
        var link = ZNPLink()
        let request = dataRequest(7)
        _ = link.handle(.send(request, id: 1, awaiting: request.expectedCallback))
        #expect(link.handle(srsp(.af, 0x01, [0xCD])) == [.cancelTimer(.response(1)), .completed(1, .failure(.rejected(.status(.nwkNoRoute))))])
        #expect(link.awaitingCallbackCount == 0)
    }

    @Test func callbackTimeout() {
        var link = ZNPLink()
        _ = link.handle(.send(.nodeDescriptor(of: 0x1234), id: 5, awaiting: ZNPRequest.nodeDescriptor(of: 0x1234).expectedCallback,
                              callbackTimeoutMilliseconds: 15_000))
        #expect(link.handle(srsp(.zdo, 0x02, [0x00])).contains(.startTimer(.callback(5), milliseconds: 15_000)))
        #expect(link.handle(.timerExpired(.callback(5))) == [.completed(5, .failure(.callbackTimeout(.status(.success))))])
        // The answer arriving afterwards is just a callback.
        let late = link.handle(areq(.zdo, 0x82, [0x34, 0x12, 0x81, 0x34, 0x12]))
        #expect(late == [.callback(.zdoResponse(source: 0x1234, .nodeDescriptor(status: .deviceNotFound, networkAddress: 0x1234, descriptor: nil)))])
    }

    @Test func zdoRequestCompletesWithItsResponse() {
        var link = ZNPLink()
        let request = ZNPRequest.activeEndpoints(of: 0x1234)
        _ = link.handle(.send(request, id: 9, awaiting: request.expectedCallback))
        _ = link.handle(srsp(.zdo, 0x05, [0x00]))
        // An answer from another device does not match.
        #expect(link.handle(areq(.zdo, 0x85, [0x78, 0x56, 0x00, 0x78, 0x56, 0x01, 0x01])).count == 1)
        let done = link.handle(areq(.zdo, 0x85, [0x34, 0x12, 0x00, 0x34, 0x12, 0x02, 0x01, 0xF2]))
        #expect(done.last == .completed(9, .success(.init(
            response: .status(.success),
            callback: .zdoResponse(source: 0x1234, .activeEndpoints(status: .success, networkAddress: 0x1234, endpoints: [1, 0xF2]))))))
    }

    @Test func unsolicitedResetFailsEverythingInFlight() {
        var link = ZNPLink()
        let request = dataRequest(1)
        _ = link.handle(.send(request, id: 1, awaiting: request.expectedCallback))
        _ = link.handle(.received(frame(MTFixtures.dataRequestResponse)))
        _ = link.handle(.send(.version, id: 2))
        _ = link.handle(.send(.ping, id: 3))
        #expect(link.outstandingRequest == 2)
        let actions = link.handle(.received(frame(MTFixtures.resetIndication)))
        #expect(actions == [
            .cancelTimer(.response(2)), .completed(2, .failure(.deviceReset(resetIndication))),
            .cancelTimer(.callback(1)), .completed(1, .failure(.deviceReset(resetIndication))),
            .reset(resetIndication),
            // The queued ping had not been written: it goes out to the rebooted device.
            .write(MTFixtures.pingRequest), .startTimer(.response(3), milliseconds: 6_000),
        ])
    }

    @Test func requestedResetHoldsTheQueueUntilTheIndication() {
        var link = ZNPLink()
        let reset = link.handle(.send(.reset(.soft), id: 1, awaiting: .resetIndication))
        #expect(reset == [.write([0xFE, 0x01, 0x41, 0x00, 0x01, 0x41]), .startTimer(.callback(1), milliseconds: 10_000)])
        #expect(link.handle(.send(.ping, id: 2)) == [])
        let indication = link.handle(.received(frame(MTFixtures.resetIndication)))
        #expect(indication == [.cancelTimer(.callback(1)),
                               .completed(1, .success(.init(response: .none, callback: .resetIndication(resetIndication)))),
                               .write(MTFixtures.pingRequest), .startTimer(.response(2), milliseconds: 6_000)])
    }

    @Test func resetWithoutWaitingCompletesOnWrite() {
        var link = ZNPLink()
        #expect(link.handle(.send(.reset(.hard), id: 1)) == [.write([0xFE, 0x01, 0x41, 0x00, 0x00, 0x40]),
                                                            .completed(1, .success(.init(response: .none)))])
    }

    @Test func rpcErrorFailsTheRequest() {
        var link = ZNPLink()
        _ = link.handle(.send(.setNetworkFrameCounter(5), id: 1))
        // An RPC error naming another command is stale.
        #expect(link.handle(srsp(.rpcError, 0x00, [0x02, 0x21, 0x55])).count == 1)
        #expect(link.handle(srsp(.rpcError, 0x00, [0x02, 0x2F, 0xFF]))
                == [.cancelTimer(.response(1)), .completed(1, .failure(.rpcError(MTRPCError(code: .invalidCommandID, cmd0: 0x2F, cmd1: 0xFF))))])
    }

    @Test func malformedResponse() {
        var link = ZNPLink()
        _ = link.handle(.send(.getDeviceInfo, id: 1))
        #expect(link.handle(srsp(.util, 0x00, [0x00, 0x01]))
                == [.cancelTimer(.response(1)), .completed(1, .failure(.malformedResponse(MTDecodingError(.truncated, offset: 1))))])
    }

    @Test func oversizedRequestFailsWithoutBlocking() {
        var link = ZNPLink()
        let actions = link.handle(.send(dataRequest(1, bytes: 245), id: 1))
        #expect(actions.first == .completed(1, .failure(.encoding(MTFrameError(.payloadTooLong(255))))))
        #expect(link.handle(.send(.ping, id: 2)).first == .write(MTFixtures.pingRequest))
    }

    @Test func unsolicitedCallbacksArePassedUp() {
        var link = ZNPLink()
        #expect(link.handle(.received(frame(MTFixtures.stateChangeCoordinator))) == [.callback(.stateChanged(.coordinator))])
        #expect(link.handle(areq(.debug, 0x80, [0x41])) == [.callback(.unknown(subsystem: .debug, id: 0x80, payload: [0x41]))])
        let sreq = MTFrame(type: .sreq, subsystem: .sys, commandID: 0x01)
        #expect(link.handle(.received(sreq)) == [.unexpectedFrame(sreq)])
    }
}
