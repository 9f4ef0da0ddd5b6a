import ZigbeeCore

/// A callback from the NCP (over UART sent unsolicited, with the asynchronous-callback bit set).
///
/// Frame ids and layouts: bellows `bellows/ezsp/v4/commands.py` (through v13) and
/// `bellows/ezsp/v14/commands.py`; zigbee-herdsman `ezsp.ts` `callbackDispatch` (layouts switch at
/// `version < 0x0E`) and its fixtures in `test/adapter/ember/consts.ts`.
public enum EZSPCallback: Hashable, Sendable {
    /// 0x0019: the stack went up, down, or changed (NETWORK_UP 0x90 / SL 0x0015 ...).
    case stackStatusHandler(status: NCPStatus)
    /// 0x0023: a child joined (`joining`) or left.
    case childJoinHandler(ChildJoin)
    /// 0x0024: the trust center saw a device join, rejoin or leave.
    case trustCenterJoinHandler(TrustCenterJoin)
    /// 0x0045: an APS message arrived.
    case incomingMessageHandler(IncomingMessage)
    /// 0x003F: the fate of a message sent with sendUnicast/Broadcast/Multicast.
    case messageSentHandler(MessageSent)
    /// 0x0080: a route error towards `target`.
    case incomingRouteErrorHandler(status: NCPStatus, target: UInt16)
    /// 0x007C: another node uses our short id.
    case idConflictHandler(nodeId: UInt16)
    /// 0x0007: the answer to `callback` when none is pending.
    case noCallbacks
    /// Any other callback, kept opaque.
    case unknown(frameID: UInt16, parameters: [UInt8])

    public static let stackStatusHandlerID: UInt16 = 0x0019
    public static let childJoinHandlerID: UInt16 = 0x0023
    public static let trustCenterJoinHandlerID: UInt16 = 0x0024
    public static let incomingMessageHandlerID: UInt16 = 0x0045
    public static let messageSentHandlerID: UInt16 = 0x003F
    public static let incomingRouteErrorHandlerID: UInt16 = 0x0080
    public static let idConflictHandlerID: UInt16 = 0x007C
    public static let noCallbacksID: UInt16 = 0x0007

    public struct ChildJoin: Hashable, Sendable {
        public var index: UInt8
        public var joining: Bool
        public var childId: UInt16
        public var childEUI64: IEEEAddress
        public var childType: EmberNodeType

        public init(index: UInt8, joining: Bool, childId: UInt16, childEUI64: IEEEAddress, childType: EmberNodeType) {
            self.index = index; self.joining = joining; self.childId = childId
            self.childEUI64 = childEUI64; self.childType = childType
        }
    }

    public struct TrustCenterJoin: Hashable, Sendable {
        public var newNodeId: UInt16
        public var newNodeEUI64: IEEEAddress
        public var status: EmberDeviceUpdate
        public var policyDecision: EmberJoinDecision
        public var parentOfNewNodeId: UInt16

        public init(newNodeId: UInt16, newNodeEUI64: IEEEAddress, status: EmberDeviceUpdate,
                    policyDecision: EmberJoinDecision, parentOfNewNodeId: UInt16) {
            self.newNodeId = newNodeId; self.newNodeEUI64 = newNodeEUI64; self.status = status
            self.policyDecision = policyDecision; self.parentOfNewNodeId = parentOfNewNodeId
        }
    }

    /// incomingMessageHandler in either layout.
    /// Before 14: type, EmberApsFrame, last-hop LQI, last-hop RSSI, sender, binding index,
    /// address index, message. From 14: type, EmberApsFrame, then EmberRxPacketInfo (sender,
    /// sender EUI-64, binding index, address index, LQI, RSSI, timestamp 4), message.
    public struct IncomingMessage: Hashable, Sendable {
        public var type: EmberIncomingMessageType
        public var apsFrame: EmberApsFrame
        public var sender: UInt16
        /// Version 14+ only (all zero when the stack does not know it); nil before.
        public var senderEUI64: IEEEAddress?
        public var bindingIndex: UInt8
        public var addressIndex: UInt8
        public var lastHopLqi: UInt8
        public var lastHopRssi: Int8
        /// Version 14+ only.
        public var timestamp: UInt32?
        public var message: [UInt8]

        public init(type: EmberIncomingMessageType, apsFrame: EmberApsFrame, sender: UInt16, senderEUI64: IEEEAddress? = nil,
                    bindingIndex: UInt8 = 0xFF, addressIndex: UInt8 = 0xFF, lastHopLqi: UInt8, lastHopRssi: Int8,
                    timestamp: UInt32? = nil, message: [UInt8]) {
            self.type = type; self.apsFrame = apsFrame; self.sender = sender; self.senderEUI64 = senderEUI64
            self.bindingIndex = bindingIndex; self.addressIndex = addressIndex; self.lastHopLqi = lastHopLqi
            self.lastHopRssi = lastHopRssi; self.timestamp = timestamp; self.message = message
        }

        /// The radio-neutral form ZigbeeCore's interview and codecs use.
        public func apsMessage(localNodeId: UInt16) -> ZigbeeAPSMessage {
            ZigbeeAPSMessage(source: sender, sourceEndpoint: apsFrame.sourceEndpoint,
                             destination: localNodeId, destinationEndpoint: apsFrame.destinationEndpoint,
                             profileId: apsFrame.profileId, clusterId: apsFrame.clusterId,
                             payload: message, linkQuality: lastHopLqi)
        }
    }

    /// messageSentHandler in either layout.
    /// Before 14: type, index or destination, EmberApsFrame, tag 1, EmberStatus, message.
    /// From 14: sl_status 4, type, index or destination, EmberApsFrame, tag 2, message.
    public struct MessageSent: Hashable, Sendable {
        public var status: NCPStatus
        public var type: EmberOutgoingMessageType
        public var indexOrDestination: UInt16
        public var apsFrame: EmberApsFrame
        public var messageTag: UInt16
        /// Empty unless the message-contents-in-callback policy asks for it.
        public var message: [UInt8]

        public init(status: NCPStatus, type: EmberOutgoingMessageType, indexOrDestination: UInt16,
                    apsFrame: EmberApsFrame, messageTag: UInt16, message: [UInt8] = []) {
            self.status = status; self.type = type; self.indexOrDestination = indexOrDestination
            self.apsFrame = apsFrame; self.messageTag = messageTag; self.message = message
        }
    }

    // MARK: Decoding

    /// Decodes a callback frame's parameters for a protocol version. Unknown frame ids become
    /// `.unknown`; a known id with too few bytes throws `ZigbeeCodecError(.truncated)`.
    public static func decode(frameID: UInt16, parameters: [UInt8], version: UInt8) throws -> EZSPCallback {
        var reader = ByteReader(parameters)
        let modern = version >= EZSPProtocolVersion.slStatus
        switch frameID {
        case stackStatusHandlerID:
            return .stackStatusHandler(status: try NCPStatus.readEmber(&reader, version: version))
        case childJoinHandlerID:
            return .childJoinHandler(ChildJoin(index: try reader.readUInt8(), joining: try reader.readBool(),
                                               childId: try reader.readUInt16(),
                                               childEUI64: IEEEAddress(try reader.readUInt64()),
                                               childType: EmberNodeType(code: try reader.readUInt8())))
        case trustCenterJoinHandlerID:
            return .trustCenterJoinHandler(TrustCenterJoin(
                newNodeId: try reader.readUInt16(), newNodeEUI64: IEEEAddress(try reader.readUInt64()),
                status: EmberDeviceUpdate(code: try reader.readUInt8()),
                policyDecision: EmberJoinDecision(code: try reader.readUInt8()),
                parentOfNewNodeId: try reader.readUInt16()))
        case incomingMessageHandlerID:
            return .incomingMessageHandler(modern ? try readIncomingMessageV14(&reader) : try readIncomingMessage(&reader))
        case messageSentHandlerID:
            return .messageSentHandler(try readMessageSent(&reader, version: version))
        case incomingRouteErrorHandlerID:
            return .incomingRouteErrorHandler(status: try NCPStatus.readEmber(&reader, version: version),
                                              target: try reader.readUInt16())
        case idConflictHandlerID:
            return .idConflictHandler(nodeId: try reader.readUInt16())
        case noCallbacksID:
            return .noCallbacks
        default:
            return .unknown(frameID: frameID, parameters: parameters)
        }
    }

    private static func readIncomingMessage(_ reader: inout ByteReader) throws -> IncomingMessage {
        let type = EmberIncomingMessageType(code: try reader.readUInt8())
        let apsFrame = try EmberApsFrame.read(&reader)
        let lqi = try reader.readUInt8()
        let rssi = try reader.readInt8()
        let sender = try reader.readUInt16()
        let bindingIndex = try reader.readUInt8()
        let addressIndex = try reader.readUInt8()
        return IncomingMessage(type: type, apsFrame: apsFrame, sender: sender, bindingIndex: bindingIndex,
                               addressIndex: addressIndex, lastHopLqi: lqi, lastHopRssi: rssi,
                               message: try reader.readLengthPrefixed())
    }

    private static func readIncomingMessageV14(_ reader: inout ByteReader) throws -> IncomingMessage {
        let type = EmberIncomingMessageType(code: try reader.readUInt8())
        let apsFrame = try EmberApsFrame.read(&reader)
        let sender = try reader.readUInt16()
        let senderEUI64 = IEEEAddress(try reader.readUInt64())
        let bindingIndex = try reader.readUInt8()
        let addressIndex = try reader.readUInt8()
        let lqi = try reader.readUInt8()
        let rssi = try reader.readInt8()
        let timestamp = try reader.readUInt32()
        return IncomingMessage(type: type, apsFrame: apsFrame, sender: sender, senderEUI64: senderEUI64,
                               bindingIndex: bindingIndex, addressIndex: addressIndex, lastHopLqi: lqi,
                               lastHopRssi: rssi, timestamp: timestamp, message: try reader.readLengthPrefixed())
    }

    private static func readMessageSent(_ reader: inout ByteReader, version: UInt8) throws -> MessageSent {
        if version >= EZSPProtocolVersion.slStatus {
            let status = try NCPStatus.readEmber(&reader, version: version)
            let type = EmberOutgoingMessageType(code: try reader.readUInt8())
            let destination = try reader.readUInt16()
            let apsFrame = try EmberApsFrame.read(&reader)
            let tag = try reader.readMessageTag(version: version)
            let message = reader.isAtEnd ? [] : try reader.readLengthPrefixed()
            return MessageSent(status: status, type: type, indexOrDestination: destination, apsFrame: apsFrame,
                               messageTag: tag, message: message)
        }
        let type = EmberOutgoingMessageType(code: try reader.readUInt8())
        let destination = try reader.readUInt16()
        let apsFrame = try EmberApsFrame.read(&reader)
        let tag = try reader.readMessageTag(version: version)
        let status = try NCPStatus.readEmber(&reader, version: version)
        let message = reader.isAtEnd ? [] : try reader.readLengthPrefixed()
        return MessageSent(status: status, type: type, indexOrDestination: destination, apsFrame: apsFrame,
                           messageTag: tag, message: message)
    }
}
