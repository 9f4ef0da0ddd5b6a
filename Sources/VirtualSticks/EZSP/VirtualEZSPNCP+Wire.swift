import ZigbeeCore
import ZigbeeEZSP

// The NCP's half of the EZSP wire: statuses as each protocol version carries them, the callbacks
// it sends, and readers for the command parameters the host encodes with `EZSPCommands`. Layouts
// mirror the host codec in ZigbeeEZSP (EZSPCallback.decode, EZSPCommands+*.swift), so whatever
// the host decodes there is exactly what this side writes.

extension VirtualEZSPNCP {
    /// A status the NCP reports, mapped per version onto the field's type: EmberStatus or
    /// EzspStatus (one byte) before version 14, sl_status (four bytes) from 14.
    public enum Status: Sendable, Hashable {
        case success
        case networkUp, networkDown, notJoined, networkOpened, networkClosed
        case invalidCall, deliveryFailed, badArgument, notFound
        /// EZSP-layer refusals (EzspStatus fields).
        case invalidValue, invalidID

        var ember: EmberStatus {
            switch self {
            case .success: .success
            case .networkUp: .networkUp
            case .networkDown: .networkDown
            case .notJoined: .notJoined
            case .networkOpened: .networkOpened
            case .networkClosed: .networkClosed
            case .invalidCall: .invalidCall
            case .deliveryFailed: .deliveryFailed
            case .badArgument, .invalidValue, .invalidID: .badArgument
            case .notFound: .notFound
            }
        }

        var ezsp: EzspStatus {
            switch self {
            case .success: .success
            case .invalidID: .invalidID
            case .invalidCall, .networkDown, .notJoined: .invalidCall
            default: .invalidValue
            }
        }

        var sl: SLStatus {
            switch self {
            case .success: .ok
            case .networkUp: .networkUp
            case .networkDown: .networkDown
            case .notJoined: .notJoined
            case .networkOpened: .zigbeeNetworkOpened
            case .networkClosed: .zigbeeNetworkClosed
            case .invalidCall: .invalidState
            case .deliveryFailed: .zigbeeDeliveryFailed
            case .badArgument, .invalidValue, .invalidID: .invalidParameter
            case .notFound: .notFound
            }
        }
    }

    /// A field typed EmberStatus in UG100.
    func emberStatus(_ status: Status) -> [UInt8] {
        version >= EZSPProtocolVersion.slStatus ? NCPStatus.sl(status.sl).encoded(version: version)
                                                : NCPStatus.ember(status.ember).encoded(version: version)
    }

    /// A field typed EzspStatus in UG100.
    func ezspStatus(_ status: Status) -> [UInt8] {
        version >= EZSPProtocolVersion.slStatus ? NCPStatus.sl(status.sl).encoded(version: version)
                                                : NCPStatus.ezsp(status.ezsp).encoded(version: version)
    }

    // MARK: Frames

    /// A response to the command with `sequence`, in the header form the command came in.
    func responseFrame(sequence: UInt8, commandControl: UInt8, extended: Bool, frameID: UInt16, parameters: [UInt8]) -> [UInt8] {
        let control = EZSPFrameControl(lowByte: EZSPFrameControl.responseBit | (commandControl & 0x60),
                                       highByte: extended ? EZSPFrameControl.formatVersion1 : nil)
        return EZSPFrame(sequence: sequence, frameControl: control, frameID: frameID, parameters: parameters).encoded()
    }

    /// A callback sent on the NCP's own initiative (UART: asynchronous-callback bit).
    func callbackFrame(_ frameID: UInt16, _ parameters: [UInt8]) -> [UInt8] {
        let extended = versionAnswered && version >= EZSPProtocolVersion.extendedFrames
        let control = EZSPFrameControl(lowByte: EZSPFrameControl.responseBit | EZSPFrameControl.asynchronousCallbackBit,
                                       highByte: extended ? EZSPFrameControl.formatVersion1 : nil)
        return EZSPFrame(sequence: lastSequence, frameControl: control, frameID: frameID, parameters: parameters).encoded()
    }

    // MARK: Callbacks

    func stackStatusCallback(_ status: Status) -> [UInt8] {
        callbackFrame(EZSPCallback.stackStatusHandlerID, emberStatus(status))
    }

    /// trustCenterJoinHandler: new node id 2, EUI-64 8, EmberDeviceUpdate 1, EmberJoinDecision 1,
    /// parent 2 (every version).
    func trustCenterJoinCallback(nodeId: UInt16, ieee: IEEEAddress, update: EmberDeviceUpdate,
                                 decision: EmberJoinDecision) -> [UInt8] {
        var p: [UInt8] = []
        p.appendLE(nodeId)
        p.appendLE(ieee.rawValue)
        p.append(update.code)
        p.append(decision.code)
        p.appendLE(UInt16(0x0000))
        return callbackFrame(EZSPCallback.trustCenterJoinHandlerID, p)
    }

    /// childJoinHandler: index 1, joining 1, child id 2, EUI-64 8, node type 1 (every version).
    func childJoinCallback(index: UInt8, joining: Bool, nodeId: UInt16, ieee: IEEEAddress, type: EmberNodeType) -> [UInt8] {
        var p: [UInt8] = [index, joining ? 1 : 0]
        p.appendLE(nodeId)
        p.appendLE(ieee.rawValue)
        p.append(type.code)
        return callbackFrame(EZSPCallback.childJoinHandlerID, p)
    }

    /// incomingMessageHandler. Before 14: type, EmberApsFrame, LQI, RSSI, sender, binding index,
    /// address index, message. From 14: type, EmberApsFrame, sender, sender EUI-64, binding index,
    /// address index, LQI, RSSI, timestamp 4, message.
    func incomingMessageCallback(_ m: ZigbeeAPSMessage, senderEUI64: IEEEAddress?, apsSequence: UInt8, at now: Double) -> [UInt8] {
        let broadcast = m.destination >= 0xFFF8
        let type: EmberIncomingMessageType = broadcast ? .broadcast : .unicast
        var p: [UInt8] = [type.code]
        EmberApsFrame(profileId: m.profileId, clusterId: m.clusterId, sourceEndpoint: m.sourceEndpoint,
                      destinationEndpoint: m.destinationEndpoint, options: [.enableRouteDiscovery], groupId: 0,
                      sequence: apsSequence).encode(into: &p)
        let lqi = m.linkQuality
        // A plausible RSSI for the LQI: -100 dBm at 0 up to -30 dBm at 255.
        let rssi = UInt8(bitPattern: Int8(-100 + Int(lqi) * 70 / 255))
        if version >= EZSPProtocolVersion.slStatus {
            p.appendLE(m.source)
            p.appendLE((senderEUI64 ?? IEEEAddress(0)).rawValue)
            p += [0xFF, 0xFF, lqi, rssi]
            p.appendLE(UInt32(truncatingIfNeeded: Int64(max(0, now) * 1000)))
        } else {
            p += [lqi, rssi]
            p.appendLE(m.source)
            p += [0xFF, 0xFF]
        }
        p.append(UInt8(truncatingIfNeeded: m.payload.count))
        p += m.payload.prefix(0xFF)
        return callbackFrame(EZSPCallback.incomingMessageHandlerID, p)
    }

    /// messageSentHandler. Before 14: type, destination, EmberApsFrame, tag 1, EmberStatus, message.
    /// From 14: sl_status, type, destination, EmberApsFrame, tag 2, message.
    func messageSentCallback(status: Status, type: UInt8, destination: UInt16, apsFrame: EmberApsFrame,
                             tag: UInt16, message: [UInt8]) -> [UInt8] {
        var p: [UInt8] = []
        let contents = messageContentsInCallback ? message : []
        if version >= EZSPProtocolVersion.slStatus {
            p += emberStatus(status)
            p.append(type)
            p.appendLE(destination)
            apsFrame.encode(into: &p)
            p.appendLE(tag)
        } else {
            p.append(type)
            p.appendLE(destination)
            apsFrame.encode(into: &p)
            p.append(UInt8(truncatingIfNeeded: tag))
            p += emberStatus(status)
        }
        p.append(UInt8(truncatingIfNeeded: contents.count))
        p += contents
        return callbackFrame(EZSPCallback.messageSentHandlerID, p)
    }
}

// MARK: Command parameters

/// Readers for what the host sends (the inverse of `EZSPCommands.*.encodeParameters`).
enum EZSPCommandReader {
    static func apsFrame(_ r: inout ByteReader) throws -> EmberApsFrame {
        EmberApsFrame(profileId: try r.readUInt16(), clusterId: try r.readUInt16(), sourceEndpoint: try r.readUInt8(),
                      destinationEndpoint: try r.readUInt8(), options: EmberApsOptions(rawValue: try r.readUInt16()),
                      groupId: try r.readUInt16(), sequence: try r.readUInt8())
    }

    static func networkParameters(_ r: inout ByteReader) throws -> EmberNetworkParameters {
        EmberNetworkParameters(extendedPanId: try r.readUInt64(), panId: try r.readUInt16(), radioTxPower: try r.readInt8(),
                               radioChannel: try r.readUInt8(), joinMethod: EmberJoinMethod(code: try r.readUInt8()),
                               nwkManagerId: try r.readUInt16(), nwkUpdateId: try r.readUInt8(), channels: try r.readUInt32())
    }

    static func lengthPrefixed(_ r: inout ByteReader) throws -> [UInt8] {
        try r.readBytes(Int(try r.readUInt8()))
    }

    static func tag(_ r: inout ByteReader, version: UInt8) throws -> UInt16 {
        version >= EZSPProtocolVersion.slStatus ? try r.readUInt16() : UInt16(try r.readUInt8())
    }
}
