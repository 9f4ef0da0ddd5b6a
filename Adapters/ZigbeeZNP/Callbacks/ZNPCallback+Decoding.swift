import ZigbeeCore

// Layouts: SWRA198 §3.8.2 (SYS), §3.2.2 (AF), §3.12.2 (ZDO) and zigpy-znp commands/{sys,af,zdo,
// app_config}.py. MT ZDO answers carry the source address followed by the ZDP response body as the
// Zigbee specification defines it, so they are handed to ZigbeeCore's ZDO decoder; their MT command
// id is 0x80 plus the low byte of the request cluster.

extension ZNPCallback {
    /// MT ZDO callback ids whose body after the source address is a standard ZDP response.
    static let zdoResponseIDs: Set<UInt8> = [0x82, 0x84, 0x85, 0xA1, 0xA2, 0xB4, 0xB6]

    /// Interprets an AREQ frame from the device. Frames of another type become `.unknown`.
    public init(frame: MTFrame) {
        let payload = frame.payload
        guard frame.type == .areq else {
            self = .unknown(subsystem: frame.subsystem, id: frame.commandID, payload: payload)
            return
        }
        do {
            if let decoded = try ZNPCallback.decode(subsystem: frame.subsystem, id: frame.commandID, payload: payload) {
                self = decoded
            } else {
                self = .unknown(subsystem: frame.subsystem, id: frame.commandID, payload: payload)
            }
        } catch {
            self = .malformed(subsystem: frame.subsystem, id: frame.commandID, payload: payload, error: error)
        }
    }

    private static func decode(subsystem: MTSubsystem, id: UInt8, payload: [UInt8]) throws(MTDecodingError) -> ZNPCallback? {
        var reader = MTReader(payload)
        switch (subsystem, id) {
        case (.sys, 0x80):
            let reason = ZNPResetReason(rawValue: try reader.uint8())
            return .resetIndication(ZNPResetIndication(reason: reason, version: try ZNPVersion(reader: &reader)))
        case (.af, 0x80):
            return .afDataConfirm(status: MTStatus(rawValue: try reader.uint8()), endpoint: try reader.uint8(),
                                  transactionID: try reader.uint8())
        case (.af, 0x81):
            return .afIncomingMessage(try decodeIncomingMessage(&reader))
        case (.zdo, 0xC0):
            return .stateChanged(ZNPDeviceState(rawValue: try reader.uint8()))
        case (.zdo, 0xC1):
            return .endDeviceAnnounce(ZNPEndDeviceAnnounce(
                source: try reader.uint16(), networkAddress: try reader.uint16(), ieeeAddress: try reader.ieee(),
                capabilities: ZigbeeMACCapabilities(rawValue: try reader.uint8())))
        case (.zdo, 0xC9):
            return .leaveIndication(ZNPLeaveIndication(
                networkAddress: try reader.uint16(), ieeeAddress: try reader.ieee(), isRequest: try reader.uint8() != 0,
                removeChildren: try reader.uint8() != 0, rejoin: try reader.uint8() != 0))
        case (.zdo, let id) where zdoResponseIDs.contains(id):
            let source = try reader.uint16()
            let body = reader.rest()
            let cluster = ZDOClusterID.response(for: UInt16(id & 0x7F))
            let zdo: ZDOFrame
            do {
                zdo = try ZDOFrame(clusterId: cluster, bytes: [0] + body)
            } catch let error as ZigbeeCodecError {
                let offset = 2 + max(0, (error.offset ?? 1) - 1)
                throw MTDecodingError(error.code == .truncated ? .truncated : .invalidValue, offset: offset)
            } catch {
                throw MTDecodingError(.invalidValue, offset: 2)
            }
            guard case .response(let response) = zdo.message else { return nil }
            return .zdoResponse(source: source, response)
        case (.appConfig, 0x80):
            return .bdbCommissioningNotification(
                status: BDBCommissioningStatus(rawValue: try reader.uint8()),
                mode: BDBCommissioningMode(rawValue: try reader.uint8()),
                remainingModes: BDBCommissioningMode(rawValue: try reader.uint8()))
        default:
            return nil
        }
    }

    private static func decodeIncomingMessage(_ reader: inout MTReader) throws(MTDecodingError) -> AFIncomingMessage {
        var message = AFIncomingMessage(
            groupID: try reader.uint16(), clusterID: try reader.uint16(), sourceAddress: try reader.uint16(),
            sourceEndpoint: try reader.uint8(), destinationEndpoint: try reader.uint8(),
            wasBroadcast: try reader.uint8() != 0, linkQuality: try reader.uint8(), securityUsed: try reader.uint8() != 0,
            timestamp: try reader.uint32(), transactionSequence: try reader.uint8(), data: try reader.shortBytes())
        if reader.remaining >= 2 { message.macSourceAddress = try reader.uint16() }
        return message
    }
}
