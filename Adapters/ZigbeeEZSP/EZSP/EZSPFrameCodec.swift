/// Encodes commands and decodes responses for one negotiated protocol version.
///
/// Before negotiation (`protocolVersion == nil`) only the legacy form is used: the first `version`
/// command always travels in it, and the NCP answers in it (zigbee-herdsman `startCommand` /
/// `sendCommand` send only that first `version` in legacy form; its test fixture
/// `RCED_DATA_VERSION` is the legacy answer `00 80 00 0D 02 10 74`). Once a version of 8 or more is
/// negotiated every command, a repeated `version` included, uses the extended form (bellows
/// `EZSPv8._ezsp_frame_tx`, zigbee-herdsman `startCommand`).
///
/// Received frames: with an extended version negotiated, a frame whose third byte carries
/// frame-format version 1 is extended, otherwise legacy (how zigbee-herdsman's `getFrameId` tells
/// them apart); before negotiation every frame is legacy.
public struct EZSPFrameCodec: Hashable, Sendable {
    public let protocolVersion: UInt8?

    public init(protocolVersion: UInt8?) {
        self.protocolVersion = protocolVersion
    }

    /// Nothing negotiated yet.
    public static let initial = EZSPFrameCodec(protocolVersion: nil)

    public var usesExtendedFrames: Bool {
        (protocolVersion ?? 0) >= EZSPProtocolVersion.extendedFrames
    }

    /// The frame for a command. `forceLegacy` sends the first `version` command.
    public func commandFrame(sequence: UInt8, frameID: UInt16, parameters: [UInt8], forceLegacy: Bool = false,
                             networkIndex: UInt8 = 0) throws(EZSPFrameError) -> EZSPFrame {
        let extended = usesExtendedFrames && !forceLegacy
        if !extended && frameID > 0xFF { throw .frameIDTooLargeForLegacy(frameID) }
        return EZSPFrame(sequence: sequence, frameControl: .command(networkIndex: networkIndex, extended: extended),
                         frameID: frameID, parameters: parameters)
    }

    /// Parses a frame received from the NCP.
    public func decode(_ bytes: [UInt8]) throws(EZSPFrameError) -> EZSPFrame {
        guard bytes.count >= 3 else { throw .tooShort(length: bytes.count) }
        let control = bytes[1]
        guard control & EZSPFrameControl.responseBit != 0 else { throw .wrongDirection }
        let high = bytes[2]
        if usesExtendedFrames && high & EZSPFrameControl.formatVersionMask == EZSPFrameControl.formatVersion1 {
            guard bytes.count >= 5 else { throw .tooShort(length: bytes.count) }
            guard high & EZSPFrameControl.highByteReservedMask == 0 else {
                throw .unsupportedFrameControl(highByte: high)
            }
            return EZSPFrame(sequence: bytes[0], frameControl: EZSPFrameControl(lowByte: control, highByte: high),
                             frameID: UInt16(bytes[3]) | UInt16(bytes[4]) << 8, parameters: Array(bytes[5...]))
        }
        return EZSPFrame(sequence: bytes[0], frameControl: EZSPFrameControl(lowByte: control),
                         frameID: UInt16(bytes[2]), parameters: Array(bytes[3...]))
    }
}
