import Testing
import ZigbeeCore
import ZigbeeEZSP

// Expected bytes follow the layouts in bellows `bellows/ezsp/v4/commands.py`, `v6`, `v10`,
// `v14/commands.py` and `bellows/types/struct.py`, and zigbee-herdsman `ezsp.ts`; the sendUnicast
// v14 bytes are herdsman's captured SEND_UNICAST_ASH_RAW (`test/adapter/ember/consts.ts`).
@Suite struct EZSPCommandTests {
    private let aps = EmberApsFrame(profileId: 0x0104, clusterId: 0x0006, sourceEndpoint: 1, destinationEndpoint: 1,
                                    options: [.retry, .enableRouteDiscovery, .enableAddressDiscovery], groupId: 0, sequence: 0)
    private let apsBytes: [UInt8] = [0x04, 0x01, 0x06, 0x00, 0x01, 0x01, 0x40, 0x11, 0x00, 0x00, 0x00]

    @Test func frameIDs() {
        #expect(EZSPCommands.Version.id == 0x0000)
        #expect(EZSPCommands.AddEndpoint.id == 0x0002)
        #expect(EZSPCommands.Nop.id == 0x0005)
        #expect(EZSPCommands.Callback.id == 0x0006)
        #expect(EZSPCommands.SetConcentrator.id == 0x0010)
        #expect(EZSPCommands.NetworkInit.id == 0x0017)
        #expect(EZSPCommands.NetworkState.id == 0x0018)
        #expect(EZSPCommands.FormNetwork.id == 0x001E)
        #expect(EZSPCommands.LeaveNetwork.id == 0x0020)
        #expect(EZSPCommands.PermitJoining.id == 0x0022)
        #expect(EZSPCommands.GetEui64.id == 0x0026)
        #expect(EZSPCommands.GetNodeId.id == 0x0027)
        #expect(EZSPCommands.GetNetworkParameters.id == 0x0028)
        #expect(EZSPCommands.SendUnicast.id == 0x0034)
        #expect(EZSPCommands.SendBroadcast.id == 0x0036)
        #expect(EZSPCommands.SendMulticast.id == 0x0038)
        #expect(EZSPCommands.GetChildData.id == 0x004A)
        #expect(EZSPCommands.GetConfigurationValue.id == 0x0052)
        #expect(EZSPCommands.SetConfigurationValue.id == 0x0053)
        #expect(EZSPCommands.SetPolicy.id == 0x0055)
        #expect(EZSPCommands.SetInitialSecurityState.id == 0x0068)
        #expect(EZSPCommands.GetCurrentSecurityState.id == 0x0069)
        #expect(EZSPCommands.GetNeighbor.id == 0x0079)
        #expect(EZSPCommands.NeighborCount.id == 0x007A)
        #expect(EZSPCommands.RemoveDevice.id == 0x00A8)
        #expect(EZSPCommands.GetValue.id == 0x00AA)
        #expect(EZSPCommands.SetValue.id == 0x00AB)
    }

    @Test func configurationCommands() throws {
        #expect(EZSPCommands.Version(desiredProtocolVersion: 13).encodeParameters(version: 0) == [0x0D])
        #expect(EZSPCommands.GetConfigurationValue(.addressTableSize).encodeParameters(version: 8) == [0x05])
        #expect(EZSPCommands.SetConfigurationValue(.stackProfile, 2).encodeParameters(version: 8) == [0x0C, 0x02, 0x00])
        #expect(EZSPCommands.SetConfigurationValue(.indirectTransmissionTimeout, 7680).encodeParameters(version: 14)
            == [0x12, 0x00, 0x1E])
        #expect(EZSPCommands.SetConfigurationValue(.sourceRouteTableSize, 200).encodeParameters(version: 8) == [0x1A, 0xC8, 0x00])
        #expect(EZSPCommands.SetConfigurationValue(.apsUnicastMessageCount, 32).encodeParameters(version: 8) == [0x03, 0x20, 0x00])
        #expect(EZSPCommands.SetConfigurationValue(.packetBufferCount, 255).encodeParameters(version: 8) == [0x01, 0xFF, 0x00])
        #expect(EZSPCommands.SetConfigurationValue(.maxEndDeviceChildren, 32).encodeParameters(version: 8) == [0x11, 0x20, 0x00])
        #expect(EZSPCommands.SetConfigurationValue(.securityLevel, 5).encodeParameters(version: 8) == [0x0D, 0x05, 0x00])
        #expect(EZSPCommands.SetPolicy(.trustCenterPolicy, .trustCenter(.allowJoins, .allowUnsecuredRejoins))
            .encodeParameters(version: 8) == [0x00, 0x03])
        #expect(EZSPCommands.SetPolicy(.tcKeyRequestPolicy, .allowTCKeyRequestsAndSendCurrentKey)
            .encodeParameters(version: 8) == [0x05, 0x51])
        #expect(EZSPCommands.GetValue(.versionInfo).encodeParameters(version: 8) == [0x11])
        #expect(try EZSPCommands.SetValue(.endDeviceKeepAliveSupportMode, [0x03]).encodeParameters(version: 8) == [0x3F, 0x01, 0x03])
        #expect(throws: EZSPCommandError.payloadTooLong(count: 256)) {
            try EZSPCommands.SetValue(.versionInfo, [UInt8](repeating: 0, count: 256))
        }
        let endpoint = try EZSPCommands.AddEndpoint(endpoint: 1, profileId: 0x0104, deviceId: 0x0005, deviceVersion: 0,
                                                    inputClusters: [0x0000, 0x0006], outputClusters: [0x0500])
        #expect(endpoint.encodeParameters(version: 8)
            == [0x01, 0x04, 0x01, 0x05, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x06, 0x00, 0x00, 0x05])
        #expect(EZSPCommands.Nop().encodeParameters(version: 8) == [])
        #expect(EZSPCommands.Callback().encodeParameters(version: 8) == [])
    }

    @Test func networkingCommands() {
        #expect(EZSPCommands.NetworkInit().encodeParameters(version: 8) == [0x00, 0x00])
        #expect(EZSPCommands.NetworkState().encodeParameters(version: 8) == [])
        let parameters = EmberNetworkParameters(extendedPanId: 0xDDDD_DDDD_DDDD_DDDD, panId: 0x1A62, radioTxPower: 8,
                                                radioChannel: 15)
        #expect(EZSPCommands.FormNetwork(parameters).encodeParameters(version: 8) == [
            0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, // extended PAN id
            0x62, 0x1A, // PAN id
            0x08, 0x0F, 0x00, // tx power, channel, join method
            0x00, 0x00, 0x00, // nwk manager, nwk update id
            0x00, 0x80, 0x00, 0x00, // channel mask: bit 15
        ])
        #expect(EZSPCommands.LeaveNetwork().encodeParameters(version: 13) == [])
        #expect(EZSPCommands.LeaveNetwork().encodeParameters(version: 14) == [0x00])
        #expect(EZSPCommands.PermitJoining(duration: 254).encodeParameters(version: 8) == [0xFE])
        #expect(EZSPCommands.GetEui64().encodeParameters(version: 8) == [])
        #expect(EZSPCommands.GetNodeId().encodeParameters(version: 8) == [])
        #expect(EZSPCommands.GetNetworkParameters().encodeParameters(version: 8) == [])
        #expect(EZSPCommands.GetChildData(index: 3).encodeParameters(version: 8) == [0x03])
        #expect(EZSPCommands.NeighborCount().encodeParameters(version: 8) == [])
        #expect(EZSPCommands.GetNeighbor(index: 1).encodeParameters(version: 8) == [0x01])
        #expect(EZSPCommands.SetConcentrator(on: true).encodeParameters(version: 8)
            == [0x01, 0xF9, 0xFF, 0x3C, 0x00, 0x10, 0x0E, 0x08, 0x08, 0x00])
    }

    @Test func securityCommands() {
        let key = EmberKeyData(Array(0x01...0x10))!
        let state = EmberInitialSecurityState.coordinator(networkKey: key)
        let bytes = EZSPCommands.SetInitialSecurityState(state).encodeParameters(version: 8)
        #expect(bytes.count == 43)
        // 0x0004 | 0x0084 | 0x0100 | 0x0200 | 0x0800 = 0x0B84
        #expect(Array(bytes[0..<2]) == [0x84, 0x0B])
        #expect(Array(bytes[2..<18]) == Array("ZigBeeAlliance09".utf8))
        #expect(Array(bytes[18..<34]) == Array(0x01...0x10))
        #expect(bytes[34] == 0)
        #expect(Array(bytes[35...]) == [UInt8](repeating: 0, count: 8))
        #expect(EZSPCommands.GetCurrentSecurityState().encodeParameters(version: 8) == [])
        let remove = EZSPCommands.RemoveDevice(destinationShort: 0x1234, destinationLong: IEEEAddress(0x0011_2233_4455_6677),
                                               target: IEEEAddress(0x8899_AABB_CCDD_EEFF))
        #expect(remove.encodeParameters(version: 8) == [0x34, 0x12, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00,
                                                       0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88])
    }

    @Test func sendUnicastLayouts() throws {
        let command = try EZSPCommands.SendUnicast(indexOrDestination: 0xC9DE, apsFrame: aps, messageTag: 3,
                                                   message: [0x01, 0x04, 0x00])
        // herdsman SEND_UNICAST_ASH_RAW, sequence 0x27: 27 00 01 34 00 | 00 DE C9 <aps> 03 00 03 01 04 00
        let captured = try #require(ezspPayload(ofASH: hex("706521a9602a156c90904b23aa5493098d4e27abeece648af9c677b97e")))
        let frame = try EZSPFrameCodec(protocolVersion: 14).commandFrame(
            sequence: 0x27, frameID: EZSPCommands.SendUnicast.id, parameters: command.encodeParameters(version: 14))
        #expect(frame.encoded() == captured)
        // Before 14 the tag is one byte.
        #expect(command.encodeParameters(version: 13) == [0x00, 0xDE, 0xC9] + apsBytes + [0x03, 0x03, 0x01, 0x04, 0x00])
        #expect(throws: EZSPCommandError.payloadTooLong(count: 300)) {
            try EZSPCommands.SendUnicast(indexOrDestination: 0, apsFrame: aps, messageTag: 0, message: .init(repeating: 0, count: 300))
        }
    }

    @Test func sendBroadcastAndMulticastLayouts() throws {
        let broadcast = try EZSPCommands.SendBroadcast(destination: 0xFFFD, apsFrame: aps, radius: 0, messageTag: 0x0102,
                                                       message: [0xAA])
        #expect(broadcast.encodeParameters(version: 13) == [0xFD, 0xFF] + apsBytes + [0x00, 0x02, 0x01, 0xAA])
        #expect(broadcast.encodeParameters(version: 14)
            == [0xFF, 0xFF, 0xFD, 0xFF, 0x00] + apsBytes + [0x00, 0x02, 0x01, 0x01, 0xAA])

        var group = aps
        group.groupId = 0x0007
        let groupBytes = [0x04, 0x01, 0x06, 0x00, 0x01, 0x01, 0x40, 0x11, 0x07, 0x00, 0x00] as [UInt8]
        let multicast = try EZSPCommands.SendMulticast(apsFrame: group, hops: 0, nonMemberRadius: 3, messageTag: 9,
                                                       message: [0xBB])
        #expect(multicast.encodeParameters(version: 8) == groupBytes + [0x00, 0x03, 0x09, 0x01, 0xBB])
        #expect(multicast.encodeParameters(version: 14)
            == groupBytes + [0x00, 0xFD, 0xFF, 0xFF, 0xFF, 0x00, 0x09, 0x00, 0x01, 0xBB])
    }

    // MARK: Responses

    @Test func statusWidthChangesAtVersion14() throws {
        #expect(try EmberStatusResponse.decode([0x93], version: 13).status == .ember(.notJoined))
        #expect(try EmberStatusResponse.decode([0x17, 0, 0, 0], version: 14).status == .sl(.notJoined))
        #expect(try EzspStatusResponse.decode([0x36], version: 8).status.isInvalidValue)
        #expect(try EzspStatusResponse.decode([0x21, 0, 0, 0], version: 14).status.isInvalidValue)
        #expect(try EmberStatusResponse.decode([0xEE], version: 8).status == .ember(.other(0xEE)))
        #expect(try EmberStatusResponse.decode([0x34, 0x12, 0, 0], version: 14).status == .sl(.other(0x1234)))
        #expect(throws: ZigbeeCodecError.self) { try EmberStatusResponse.decode([0x00], version: 14) }
        // herdsman SEND_UNICAST_REPLY_FN0_EZSP parameters: OK, APS sequence 0x9A.
        #expect(try EZSPSendResponse.decode(hex("000000009a"), version: 14) == .init(status: .sl(.ok), apsSequence: 0x9A))
        #expect(try EZSPSendResponse.decode([0x00, 0x9A], version: 13) == .init(status: .ember(.success), apsSequence: 0x9A))
    }

    @Test func codedValuesRoundTrip() {
        #expect(EmberStatus(code: 0x90) == .networkUp)
        #expect(EmberStatus.networkUp.code == 0x90)
        #expect(EmberStatus(code: 0x77).code == 0x77)
        #expect(EzspStatus(code: 0x36) == .invalidValue)
        #expect(SLStatus(code: 0x0015) == .networkUp)
        #expect(SLStatus.other(0x0C99).code == 0x0C99)
        #expect(EmberNetworkStatus(code: 0x02) == .joinedNetwork)
        #expect(EmberJoinDecision(code: 0x02) == .denyJoin)
        #expect(EmberDeviceUpdate(code: 0x02) == .deviceLeft)
        #expect(EmberDeviceUpdate(code: 0x06) == .other(0x06))
        #expect(EzspConfigId.packetBufferCount.code == 0x01)
        #expect(NCPStatus.sl(.networkUp).encoded(version: 14) == [0x15, 0, 0, 0])
        #expect(NCPStatus.ember(.networkUp).encoded(version: 13) == [0x90])
    }

    @Test func valueAndConfigurationResponses() throws {
        #expect(try EZSPCommands.GetConfigurationValue.decodeResponse([0x00, 0x10, 0x00], version: 8)
            == .init(status: .ezsp(.success), value: 16))
        #expect(try EZSPCommands.GetConfigurationValue.decodeResponse([0, 0, 0, 0, 0xC8, 0x00], version: 14)
            == .init(status: .sl(.ok), value: 200))
        #expect(try EZSPCommands.GetValue.decodeResponse([0x00, 0x02, 0xAB, 0xCD], version: 8)
            == .init(status: .ezsp(.success), value: [0xAB, 0xCD]))
        #expect(try EZSPCommands.NetworkState.decodeResponse([0x02], version: 14).status == .joinedNetwork)
    }

    @Test func nodeResponses() throws {
        #expect(try EZSPCommands.GetNodeId.decodeResponse([0x00, 0x00], version: 8).nodeId == 0)
        #expect(try EZSPCommands.GetEui64.decodeResponse([0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00], version: 8).eui64
            == IEEEAddress(0x0011_2233_4455_6677))
        let params: [UInt8] = [0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0x62, 0x1A, 0xF8, 0x0F, 0x00, 0x00, 0x00, 0x01,
                               0x00, 0x80, 0x00, 0x00]
        let v13 = try EZSPCommands.GetNetworkParameters.decodeResponse([0x00, 0x01] + params, version: 13)
        #expect(v13.status == .ember(.success))
        #expect(v13.nodeType == .coordinator)
        #expect(v13.parameters.panId == 0x1A62)
        #expect(v13.parameters.radioTxPower == -8)
        #expect(v13.parameters.radioChannel == 15)
        #expect(v13.parameters.nwkUpdateId == 1)
        #expect(v13.parameters.channels == 1 << 15)
        let v14 = try EZSPCommands.GetNetworkParameters.decodeResponse([0, 0, 0, 0, 0x01] + params, version: 14)
        #expect(v14.parameters == v13.parameters)
    }

    @Test func tableResponses() throws {
        let child: [UInt8] = [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x04, 0x34, 0x12, 0x00, 0x00, 0x08]
        let v8 = try EZSPCommands.GetChildData.decodeResponse([0x00] + child, version: 8)
        #expect(v8.child == EmberChildData(eui64: IEEEAddress(0x0102_0304_0506_0708), type: .sleepyEndDevice, id: 0x1234,
                                           timeout: 8))
        let v10 = try EZSPCommands.GetChildData.decodeResponse([0x00] + child + [0x10, 0x00, 0x00, 0x00], version: 10)
        #expect(v10.child?.remainingTimeout == 16)
        #expect(try EZSPCommands.GetChildData.decodeResponse([0x93] + child, version: 8).child == nil)

        let neighbor: [UInt8] = [0x34, 0x12, 0xF0, 0x01, 0x01, 0x03, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]
        let entry = try EZSPCommands.GetNeighbor.decodeResponse([0, 0, 0, 0] + neighbor, version: 14).entry
        #expect(entry == EmberNeighborTableEntry(shortId: 0x1234, averageLqi: 0xF0, inCost: 1, outCost: 1, age: 3,
                                                 longId: IEEEAddress(0x0102_0304_0506_0708)))
        #expect(try EZSPCommands.NeighborCount.decodeResponse([0x04], version: 8).count == 4)
        let security = try EZSPCommands.GetCurrentSecurityState.decodeResponse(
            [0x00, 0x84, 0x00, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01], version: 8)
        #expect(security.state == EmberCurrentSecurityState(bitmask: 0x0084, trustCenterLongAddress: IEEEAddress(0x0102_0304_0506_0708)))
    }
}
