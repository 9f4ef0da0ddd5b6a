import ZigbeeCore

/// `EmberNetworkParameters` (UG100 "Structure Definitions"): 20 bytes, little-endian —
/// extended PAN id 8, PAN id 2, radio TX power 1 (signed dBm), channel 1, join method 1,
/// network manager id 2, network update id 1, channel mask 4.
/// Layout: bellows `bellows/types/struct.py` (EmberNetworkParameters); zigbee-herdsman
/// `readEmberNetworkParameters`.
public struct EmberNetworkParameters: Hashable, Sendable {
    /// The extended PAN id as a 64-bit value (sent little-endian, like an EUI-64).
    public var extendedPanId: UInt64
    public var panId: UInt16
    public var radioTxPower: Int8
    public var radioChannel: UInt8
    public var joinMethod: EmberJoinMethod
    public var nwkManagerId: UInt16
    public var nwkUpdateId: UInt8
    /// Bit n set = channel n allowed (11...26 for 2.4 GHz).
    public var channels: UInt32

    public init(extendedPanId: UInt64, panId: UInt16, radioTxPower: Int8, radioChannel: UInt8,
                joinMethod: EmberJoinMethod = .macAssociation, nwkManagerId: UInt16 = 0x0000,
                nwkUpdateId: UInt8 = 0, channels: UInt32? = nil) {
        self.extendedPanId = extendedPanId
        self.panId = panId
        self.radioTxPower = radioTxPower
        self.radioChannel = radioChannel
        self.joinMethod = joinMethod
        self.nwkManagerId = nwkManagerId
        self.nwkUpdateId = nwkUpdateId
        self.channels = channels ?? (radioChannel < 32 ? UInt32(1) << UInt32(radioChannel) : 0)
    }

    public static let encodedLength = 20

    public func encode(into out: inout [UInt8]) {
        out.appendLE(extendedPanId)
        out.appendLE(panId)
        out.append(UInt8(bitPattern: radioTxPower))
        out.append(radioChannel)
        out.append(joinMethod.code)
        out.appendLE(nwkManagerId)
        out.append(nwkUpdateId)
        out.appendLE(channels)
    }

    static func read(_ reader: inout ByteReader) throws -> EmberNetworkParameters {
        EmberNetworkParameters(
            extendedPanId: try reader.readUInt64(),
            panId: try reader.readUInt16(),
            radioTxPower: try reader.readInt8(),
            radioChannel: try reader.readUInt8(),
            joinMethod: EmberJoinMethod(code: try reader.readUInt8()),
            nwkManagerId: try reader.readUInt16(),
            nwkUpdateId: try reader.readUInt8(),
            channels: try reader.readUInt32())
    }
}
