import ZigbeeCore

// Messaging frames (UG100 "Messaging Frames"). Frame ids and layouts: bellows
// `bellows/ezsp/v4/commands.py` (through v13) and `bellows/ezsp/v14/commands.py`; zigbee-herdsman
// `ezsp.ts` (ezspSendUnicast/Broadcast/Multicast switch at `version < 0x0E`). Both answer
// status + APS sequence (`EZSPSendResponse`). The message tag is 1 byte before version 14, 2 from 14
// (only the low byte travels before 14).

extension EZSPCommands {
    /// `sendUnicast` 0x0034: type 1, destination or table index 2, EmberApsFrame 11, tag 1|2,
    /// length-prefixed message.
    public struct SendUnicast: EZSPCommand {
        public typealias Response = EZSPSendResponse
        public static let id: UInt16 = 0x0034
        public let type: EmberOutgoingMessageType
        public let indexOrDestination: UInt16
        public let apsFrame: EmberApsFrame
        public let messageTag: UInt16
        public let message: [UInt8]

        public init(type: EmberOutgoingMessageType = .direct, indexOrDestination: UInt16, apsFrame: EmberApsFrame,
                    messageTag: UInt16, message: [UInt8]) throws(EZSPCommandError) {
            guard message.count <= 0xFF else { throw .payloadTooLong(count: message.count) }
            self.type = type; self.indexOrDestination = indexOrDestination; self.apsFrame = apsFrame
            self.messageTag = messageTag; self.message = message
        }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out = [type.code]
            out.appendLE(indexOrDestination)
            apsFrame.encode(into: &out)
            out.appendMessageTag(messageTag, version: version)
            out.appendLengthPrefixed(message)
            return out
        }
    }

    /// `sendBroadcast` 0x0036.
    /// Before 14: destination 2, EmberApsFrame, radius 1, tag 1, message.
    /// From 14: alias 2, destination 2, NWK sequence 1, EmberApsFrame, radius 1, tag 2, message.
    public struct SendBroadcast: EZSPCommand {
        public typealias Response = EZSPSendResponse
        public static let id: UInt16 = 0x0036
        /// 0xFFFF all devices, 0xFFFD rx-on-when-idle, 0xFFFC routers and coordinator.
        public let destination: UInt16
        public let apsFrame: EmberApsFrame
        public let radius: UInt8
        public let messageTag: UInt16
        public let message: [UInt8]
        /// Version 14+: source alias (0xFFFF = none) and its NWK sequence.
        public let alias: UInt16
        public let nwkSequence: UInt8

        public init(destination: UInt16, apsFrame: EmberApsFrame, radius: UInt8 = 0, messageTag: UInt16,
                    message: [UInt8], alias: UInt16 = 0xFFFF, nwkSequence: UInt8 = 0) throws(EZSPCommandError) {
            guard message.count <= 0xFF else { throw .payloadTooLong(count: message.count) }
            self.destination = destination; self.apsFrame = apsFrame; self.radius = radius
            self.messageTag = messageTag; self.message = message; self.alias = alias; self.nwkSequence = nwkSequence
        }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out: [UInt8] = []
            if version >= EZSPProtocolVersion.slStatus {
                out.appendLE(alias)
                out.appendLE(destination)
                out.append(nwkSequence)
            } else {
                out.appendLE(destination)
            }
            apsFrame.encode(into: &out)
            out.append(radius)
            out.appendMessageTag(messageTag, version: version)
            out.appendLengthPrefixed(message)
            return out
        }
    }

    /// `sendMulticast` 0x0038 (group id in the APS frame).
    /// Before 14: EmberApsFrame, hops 1, non-member radius 1, tag 1, message.
    /// From 14: EmberApsFrame, hops 1, broadcast address 2, alias 2, NWK sequence 1, tag 2, message.
    public struct SendMulticast: EZSPCommand {
        public typealias Response = EZSPSendResponse
        public static let id: UInt16 = 0x0038
        public let apsFrame: EmberApsFrame
        public let hops: UInt8
        /// Before 14 only.
        public let nonMemberRadius: UInt8
        /// Version 14+.
        public let broadcastAddress: UInt16
        public let alias: UInt16
        public let nwkSequence: UInt8
        public let messageTag: UInt16
        public let message: [UInt8]

        public init(apsFrame: EmberApsFrame, hops: UInt8 = 0, nonMemberRadius: UInt8 = 7, broadcastAddress: UInt16 = 0xFFFD,
                    alias: UInt16 = 0xFFFF, nwkSequence: UInt8 = 0, messageTag: UInt16,
                    message: [UInt8]) throws(EZSPCommandError) {
            guard message.count <= 0xFF else { throw .payloadTooLong(count: message.count) }
            self.apsFrame = apsFrame; self.hops = hops; self.nonMemberRadius = nonMemberRadius
            self.broadcastAddress = broadcastAddress; self.alias = alias; self.nwkSequence = nwkSequence
            self.messageTag = messageTag; self.message = message
        }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out: [UInt8] = []
            apsFrame.encode(into: &out)
            out.append(hops)
            if version >= EZSPProtocolVersion.slStatus {
                out.appendLE(broadcastAddress)
                out.appendLE(alias)
                out.append(nwkSequence)
            } else {
                out.append(nonMemberRadius)
            }
            out.appendMessageTag(messageTag, version: version)
            out.appendLengthPrefixed(message)
            return out
        }
    }
}
