import Testing
import ZigbeeCore
import ZigbeeZNP

private func callback(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ZNPCallback? {
    var decoder = MTDecoder()
    guard case .frame(let frame)? = decoder.feed(bytes).first else {
        Issue.record("no frame", sourceLocation: sourceLocation)
        return nil
    }
    return ZNPCallback(frame: frame)
}

private func areq(_ subsystem: MTSubsystem, _ id: UInt8, _ payload: [UInt8]) -> ZNPCallback {
    ZNPCallback(frame: MTFrame(type: .areq, subsystem: subsystem, commandID: id, payload: payload))
}

/// Callback layouts: SWRA198 §3.2.2, §3.8.2, §3.12.2; APP_CNF from zigpy-znp `commands/app_config.py`.
@Suite struct ZNPCallbackTests {
    static let ieee = IEEEAddress(0x0012_4B00_0102_0304)

    @Test func resetIndication() {
        #expect(callback(MTFixtures.resetIndication) == .resetIndication(ZNPResetIndication(
            reason: .powerUp, version: ZNPVersion(transportRevision: 2, productID: 1, major: 2, minor: 7, maintenance: 1))))
    }

    @Test func incomingMessage() {
        #expect(callback(MTFixtures.afIncomingMessage) == .afIncomingMessage(AFIncomingMessage(
            clusterID: 0x0006, sourceAddress: 0x1234, sourceEndpoint: 1, destinationEndpoint: 1, linkQuality: 0x50,
            timestamp: 0x1234_5678, transactionSequence: 0x2A, data: [0x18, 0x2A, 0x0B], macSourceAddress: 0x1234)))
        // Without the Z-Stack 3 trailer.
        let short = Array(MTFixtures.afIncomingMessage[4..<(4 + 20)])
        guard case .afIncomingMessage(let message) = areq(.af, 0x81, short) else {
            Issue.record("expected an incoming message")
            return
        }
        #expect(message.macSourceAddress == nil)
        #expect(message.data == [0x18, 0x2A, 0x0B])
    }

    @Test func deviceAnnounceAndState() {
        #expect(callback(MTFixtures.endDeviceAnnounce) == .endDeviceAnnounce(ZNPEndDeviceAnnounce(
            source: 0x1234, networkAddress: 0x1234, ieeeAddress: Self.ieee,
            capabilities: [.fullFunctionDevice, .mainsPowered, .receiverOnWhenIdle, .allocateAddress])))
        #expect(callback(MTFixtures.stateChangeCoordinator) == .stateChanged(.coordinator))
        #expect(callback(MTFixtures.dataConfirm) == .afDataConfirm(status: .success, endpoint: 1, transactionID: 0x2A))
    }

    @Test func leaveIndication() {
        #expect(areq(.zdo, 0xC9, [0x34, 0x12, 0x04, 0x03, 0x02, 0x01, 0x00, 0x4B, 0x12, 0x00, 0x00, 0x00, 0x01])
                == .leaveIndication(ZNPLeaveIndication(networkAddress: 0x1234, ieeeAddress: Self.ieee, isRequest: false,
                                                       removeChildren: false, rejoin: true)))
    }

    @Test func zdoResponses() {
        // ZDO_NODE_DESC_RSP: router, 2.4 GHz, mains powered, manufacturer 0x117C.
        let node = areq(.zdo, 0x82, [0x34, 0x12, 0x00, 0x34, 0x12, 0x01, 0x40, 0x8E, 0x7C, 0x11, 0x52, 0x52, 0x00,
                                     0x00, 0x2C, 0x52, 0x00, 0x00])
        guard case .zdoResponse(0x1234, .nodeDescriptor(.success, 0x1234, let descriptor?)) = node else {
            Issue.record("expected a node descriptor, got \(node)")
            return
        }
        #expect(descriptor.logicalType == .router)
        #expect(descriptor.manufacturerCode == 0x117C)
        #expect(descriptor.isMainsPowered)

        #expect(areq(.zdo, 0x85, [0x34, 0x12, 0x00, 0x34, 0x12, 0x02, 0x01, 0xF2])
                == .zdoResponse(source: 0x1234, .activeEndpoints(status: .success, networkAddress: 0x1234, endpoints: [1, 0xF2])))
        #expect(areq(.zdo, 0x84, [0x34, 0x12, 0x00, 0x34, 0x12, 0x0E, 0x01, 0x04, 0x01, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00,
                                  0x06, 0x00, 0x01, 0x19, 0x00])
                == .zdoResponse(source: 0x1234, .simpleDescriptor(status: .success, networkAddress: 0x1234, descriptor: ZigbeeSimpleDescriptor(
                    endpoint: 1, profileId: 0x0104, deviceId: 0x0100, deviceVersion: 1, inputClusters: [0x0000, 0x0006], outputClusters: [0x0019]))))
        #expect(areq(.zdo, 0xA1, [0x34, 0x12, 0x00]) == .zdoResponse(source: 0x1234, .bind(.success)))
        #expect(areq(.zdo, 0xB4, [0x34, 0x12, 0x84]) == .zdoResponse(source: 0x1234, .mgmtLeave(.notSupported)))
        #expect(areq(.zdo, 0xB6, [0x00, 0x00, 0x00]) == .zdoResponse(source: 0x0000, .mgmtPermitJoining(.success)))
        // A failing node descriptor answer without descriptor bytes.
        #expect(areq(.zdo, 0x82, [0x34, 0x12, 0x81, 0x34, 0x12])
                == .zdoResponse(source: 0x1234, .nodeDescriptor(status: .deviceNotFound, networkAddress: 0x1234, descriptor: nil)))
    }

    @Test func commissioningNotification() {
        #expect(areq(.appConfig, 0x80, [0x01, 0x04, 0x04])
                == .bdbCommissioningNotification(status: .inProgress, mode: .networkFormation, remainingModes: .networkFormation))
        #expect(areq(.appConfig, 0x80, [0x00, 0x04, 0x00])
                == .bdbCommissioningNotification(status: .success, mode: .networkFormation, remainingModes: []))
    }

    @Test func unknownAndMalformed() {
        #expect(areq(.sys, 0x81, [0x01]) == .unknown(subsystem: .sys, id: 0x81, payload: [0x01]))
        #expect(areq(.mac, 0x82, []) == .unknown(subsystem: .mac, id: 0x82, payload: []))
        #expect(areq(.zdo, 0xC0, []) == .malformed(subsystem: .zdo, id: 0xC0, payload: [], error: MTDecodingError(.truncated, offset: 0)))
        guard case .malformed(_, 0x84, _, let error) = areq(.zdo, 0x84, [0x34, 0x12, 0x00, 0x34, 0x12, 0x0E, 0x01]) else {
            Issue.record("expected a malformed simple descriptor")
            return
        }
        #expect(error.code == .truncated)
        // SRSP frames are not callbacks.
        #expect(ZNPCallback(frame: MTFrame(type: .srsp, subsystem: .sys, commandID: 0x01, payload: [0x59, 0x06]))
                == .unknown(subsystem: .sys, id: 0x01, payload: [0x59, 0x06]))
    }
}
