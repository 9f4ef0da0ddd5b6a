import Testing
import ZigbeeCore
import ZigbeeEZSP

// v14 fixtures: zigbee-herdsman `test/adapter/ember/consts.ts` (INCOMING_MESSAGE_HANDLER_FN2_EZSP,
// MESSAGE_SENT_HANDLER_FN1_EZSP: frames captured from an EmberZNet 7.4+/8 NCP).
// Pre-14 fixtures are derived from the layouts in bellows `bellows/ezsp/v4/commands.py` (unchanged
// through v13) and zigbee-herdsman `callbackDispatch` (`version < 0x0E` branches).
@Suite struct EZSPCallbackTests {
    private let codec14 = EZSPFrameCodec(protocolVersion: 14)

    @Test func incomingMessageV14FromHerdsman() throws {
        let payload = try #require(ezspPayload(ofASH: hex(
            "2065b1a97d312a15b658924a24ab5593499c3ef962edce678bfdc6638903813ca7edcdde6f8ae7c3d0d5d26b68937e")))
        #expect(payload == hex("2790014500000401060001010001000070dec90000000000000000ffff0300060000000518040b000002"))
        let frame = try codec14.decode(payload)
        #expect(frame.frameControl.callbackType == .asynchronous)
        #expect(frame.frameID == EZSPCallback.incomingMessageHandlerID)
        let callback = try EZSPCallback.decode(frameID: frame.frameID, parameters: frame.parameters, version: 14)
        let expected = EZSPCallback.IncomingMessage(
            type: .unicast,
            apsFrame: EmberApsFrame(profileId: 0x0104, clusterId: 0x0006, sourceEndpoint: 1, destinationEndpoint: 1,
                                    options: [.enableRouteDiscovery], groupId: 0, sequence: 0x70),
            sender: 0xC9DE, senderEUI64: IEEEAddress(0), bindingIndex: 0xFF, addressIndex: 0xFF,
            lastHopLqi: 3, lastHopRssi: 0, timestamp: 6, message: [0x18, 0x04, 0x0B, 0x00, 0x00])
        #expect(callback == .incomingMessageHandler(expected))
        let aps = expected.apsMessage(localNodeId: 0x0000)
        #expect(aps.source == 0xC9DE && aps.clusterId == 6 && aps.payload == [0x18, 0x04, 0x0B, 0x00, 0x00])
        #expect(aps.linkQuality == 3)
    }

    @Test func incomingMessageV8Layout() throws {
        let parameters: [UInt8] = [
            0x00, // INCOMING_UNICAST
            0x04, 0x01, 0x06, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x70, // EmberApsFrame
            0xFF, 0xC4, // last-hop LQI, RSSI -60
            0xDE, 0xC9, // sender
            0xFF, 0xFF, // binding index, address index
            0x05, 0x18, 0x04, 0x0B, 0x00, 0x00, // message
        ]
        let callback = try EZSPCallback.decode(frameID: 0x0045, parameters: parameters, version: 8)
        guard case let .incomingMessageHandler(message) = callback else {
            Issue.record("not an incoming message: \(callback)")
            return
        }
        #expect(message.sender == 0xC9DE)
        #expect(message.senderEUI64 == nil && message.timestamp == nil)
        #expect(message.lastHopLqi == 0xFF && message.lastHopRssi == -60)
        #expect(message.apsFrame.sequence == 0x70)
        #expect(message.message == [0x18, 0x04, 0x0B, 0x00, 0x00])
        // The same bytes read as v14 are too short for the packet info: an error, not a crash.
        #expect(throws: ZigbeeCodecError.self) {
            try EZSPCallback.decode(frameID: 0x0045, parameters: Array(parameters.prefix(20)), version: 14)
        }
    }

    @Test func messageSentV14FromHerdsman() throws {
        let payload = try #require(ezspPayload(ofASH: hex("1065b1a96b2a15b259944afb6351934f9c4f26ebfcce677d31fec66357897e")))
        let frame = try codec14.decode(payload)
        let callback = try EZSPCallback.decode(frameID: frame.frameID, parameters: frame.parameters, version: 14)
        #expect(callback == .messageSentHandler(.init(
            status: .sl(.ok), type: .direct, indexOrDestination: 0xC9DE,
            apsFrame: EmberApsFrame(profileId: 0x0104, clusterId: 6, sourceEndpoint: 1, destinationEndpoint: 1,
                                    options: [.retry, .enableRouteDiscovery, .enableAddressDiscovery], sequence: 0x9A),
            messageTag: 3, message: [])))
    }

    @Test func messageSentV8Layout() throws {
        let parameters: [UInt8] = [0x00, 0xDE, 0xC9, 0x04, 0x01, 0x06, 0x00, 0x01, 0x01, 0x40, 0x11, 0x00, 0x00, 0x9A,
                                   0x03, 0x66, 0x00]
        let callback = try EZSPCallback.decode(frameID: 0x003F, parameters: parameters, version: 8)
        guard case let .messageSentHandler(sent) = callback else {
            Issue.record("not messageSent: \(callback)")
            return
        }
        #expect(sent.status == .ember(.deliveryFailed))
        #expect(sent.messageTag == 3)
        #expect(sent.indexOrDestination == 0xC9DE)
    }

    @Test func stackStatusBothWidths() throws {
        #expect(try EZSPCallback.decode(frameID: 0x0019, parameters: [0x90], version: 8) == .stackStatusHandler(status: .ember(.networkUp)))
        let v14 = try EZSPCallback.decode(frameID: 0x0019, parameters: [0x15, 0, 0, 0], version: 14)
        #expect(v14 == .stackStatusHandler(status: .sl(.networkUp)))
        guard case let .stackStatusHandler(status) = v14 else { return }
        #expect(status.isNetworkUp)
    }

    @Test func joinCallbacks() throws {
        let eui: [UInt8] = [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]
        #expect(try EZSPCallback.decode(frameID: 0x0023, parameters: [0x02, 0x01, 0x34, 0x12] + eui + [0x04], version: 13)
            == .childJoinHandler(.init(index: 2, joining: true, childId: 0x1234, childEUI64: IEEEAddress(0x0102_0304_0506_0708),
                                       childType: .sleepyEndDevice)))
        #expect(try EZSPCallback.decode(frameID: 0x0024, parameters: [0x34, 0x12] + eui + [0x01, 0x00, 0x00, 0x00], version: 14)
            == .trustCenterJoinHandler(.init(newNodeId: 0x1234, newNodeEUI64: IEEEAddress(0x0102_0304_0506_0708),
                                             status: .standardSecurityUnsecuredJoin, policyDecision: .usePreconfiguredKey,
                                             parentOfNewNodeId: 0x0000)))
        #expect(try EZSPCallback.decode(frameID: 0x007C, parameters: [0x34, 0x12], version: 8) == .idConflictHandler(nodeId: 0x1234))
        #expect(try EZSPCallback.decode(frameID: 0x0080, parameters: [0xA9, 0x34, 0x12], version: 8)
            == .incomingRouteErrorHandler(status: .ember(.sourceRouteFailure), target: 0x1234))
    }

    @Test func unknownCallbackStaysOpaque() throws {
        #expect(try EZSPCallback.decode(frameID: 0x0062, parameters: [1, 2, 3], version: 13)
            == .unknown(frameID: 0x0062, parameters: [1, 2, 3]))
        #expect(try EZSPCallback.decode(frameID: 0x0007, parameters: [], version: 13) == .noCallbacks)
    }
}
