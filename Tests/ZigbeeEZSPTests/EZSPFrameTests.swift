import Testing
import ZigbeeEZSP

// Fixtures:
// - bellows `tests/test_ezsp_v4.py::test_ezsp_frame` (legacy) and
//   `tests/test_ezsp_v8.py::test_ezsp_frame` (extended): the version command at sequence 0x22.
// - zigbee-herdsman `test/adapter/ember/consts.ts`: ASH frames captured from an NCP
//   (SEND_DATA_VERSION, RCED_DATA_VERSION, SET_POLICY_ASH_RAW, SET_POLICY_REPLY_FN1_ASH_RAW).
@Suite struct EZSPFrameTests {
    @Test func legacyVersionCommand() throws {
        let frame = try EZSPFrameCodec.initial.commandFrame(sequence: 0x22, frameID: 0x0000, parameters: [6])
        #expect(frame.format == .legacy)
        #expect(frame.encoded() == [0x22, 0x00, 0x00, 0x06])
    }

    @Test func extendedVersionCommand() throws {
        let codec = EZSPFrameCodec(protocolVersion: 8)
        let frame = try codec.commandFrame(sequence: 0x22, frameID: 0x0000, parameters: [8])
        #expect(frame.encoded() == [0x22, 0x00, 0x01, 0x00, 0x00, 0x08])
    }

    @Test func firstVersionIsLegacyEvenWithExtendedCodec() throws {
        let codec = EZSPFrameCodec(protocolVersion: 13)
        let frame = try codec.commandFrame(sequence: 0, frameID: 0, parameters: [13], forceLegacy: true)
        #expect(frame.encoded() == [0x00, 0x00, 0x00, 0x0D])
    }

    /// herdsman SEND_DATA_VERSION (004221a8597c057e) carries version(13) in legacy form, sequence 0.
    @Test func herdsmanVersionCommandMatches() throws {
        let payload = try #require(ezspPayload(ofASH: hex("004221a8597c057e")))
        let frame = try EZSPFrameCodec.initial.commandFrame(sequence: 0, frameID: 0, parameters: [13])
        #expect(payload == frame.encoded())
    }

    /// herdsman RCED_DATA_VERSION: the NCP's legacy answer (protocol 13, stack type 2, stack 0x7410).
    @Test func legacyVersionResponse() throws {
        let payload = try #require(ezspPayload(ofASH: hex("0142a1a8592805c6a8777e")))
        #expect(payload == [0x00, 0x80, 0x00, 0x0D, 0x02, 0x10, 0x74])
        let frame = try EZSPFrameCodec.initial.decode(payload)
        #expect(frame.format == .legacy)
        #expect(frame.sequence == 0 && frame.frameID == 0)
        #expect(frame.frameControl.isResponse)
        #expect(frame.frameControl.callbackType == .none)
        let answer = try EZSPCommands.Version.decodeResponse(frame.parameters, version: 0)
        #expect(answer == .init(protocolVersion: 13, stackType: 2, stackVersion: 29712))
    }

    /// The legacy answer still decodes once an extended version is set (third byte = frame id 0).
    @Test func legacyResponseUnderExtendedCodec() throws {
        let frame = try EZSPFrameCodec(protocolVersion: 13).decode([0x00, 0x80, 0x00, 0x0D, 0x02, 0x10, 0x74])
        #expect(frame.format == .legacy)
        #expect(frame.frameID == 0)
    }

    /// herdsman SET_POLICY_ASH_RAW / SET_POLICY_REPLY_FN1_ASH_RAW (sequence 0x4F, v14+ sl_status).
    @Test func extendedSetPolicyRoundTrip() throws {
        let sent = try #require(ezspPayload(ofASH: hex("700d21a9012a15b0f5667e")))
        let codec = EZSPFrameCodec(protocolVersion: 14)
        let command = EZSPCommands.SetPolicy(.trustCenterPolicy, EzspDecision(rawValue: 0x02))
        let frame = try codec.commandFrame(sequence: 0x4F, frameID: EZSPCommands.SetPolicy.id,
                                           parameters: command.encodeParameters(version: 14))
        #expect(frame.encoded() == sent)

        let reply = try #require(ezspPayload(ofASH: hex("100da1a9012a15b259944fb87e")))
        let response = try codec.decode(reply)
        #expect(response.format == .extended)
        #expect(response.sequence == 0x4F)
        #expect(response.frameID == 0x0055)
        #expect(response.frameControl == EZSPFrameControl(lowByte: 0x80, highByte: 0x01))
        let status = try EZSPCommands.SetPolicy.decodeResponse(response.parameters, version: 14).status
        #expect(status == .sl(.ok))
    }

    @Test func frameControlBits() {
        let control = EZSPFrameControl(lowByte: 0x80 | 0x40 | 0x10 | 0x04 | 0x02 | 0x01, highByte: 0x01)
        #expect(control.isResponse)
        #expect(control.networkIndex == 2)
        #expect(control.callbackType == .asynchronous)
        #expect(control.callbackPending)
        #expect(control.truncated)
        #expect(control.overflow)
        #expect(EZSPFrameControl(lowByte: 0x88).callbackType == .synchronous)
        #expect(EZSPFrameControl(lowByte: 0x80).callbackType == .none)
        // Response-only bits mean nothing in a command (there they are the sleep mode).
        #expect(!EZSPFrameControl(lowByte: 0x03).overflow)
        #expect(EZSPFrameControl.command(networkIndex: 1, extended: true).bytes == [0x20, 0x01])
        #expect(EZSPFrameControl(lowByte: 0x80, highByte: 0xC1).isSecured)
        #expect(EZSPFrameControl(lowByte: 0x80, highByte: 0xC1).isPadded)
    }

    @Test func decodeErrors() {
        let codec = EZSPFrameCodec(protocolVersion: 13)
        #expect(throws: EZSPFrameError.tooShort(length: 2)) { try codec.decode([0x01, 0x80]) }
        #expect(throws: EZSPFrameError.tooShort(length: 4)) { try codec.decode([0x01, 0x80, 0x01, 0x05]) }
        #expect(throws: EZSPFrameError.wrongDirection) { try codec.decode([0x01, 0x00, 0x01, 0x05, 0x00]) }
        #expect(throws: EZSPFrameError.unsupportedFrameControl(highByte: 0x05)) {
            try codec.decode([0x01, 0x80, 0x05, 0x05, 0x00])
        }
        #expect(throws: EZSPFrameError.frameIDTooLargeForLegacy(0x0102)) {
            try EZSPFrameCodec.initial.commandFrame(sequence: 0, frameID: 0x0102, parameters: [])
        }
    }

    @Test func extendedFrameIDIsLittleEndian() throws {
        let frame = try EZSPFrameCodec(protocolVersion: 14).decode([0x07, 0x90, 0x01, 0x02, 0x01, 0xAA])
        #expect(frame.frameID == 0x0102)
        #expect(frame.parameters == [0xAA])
    }
}
