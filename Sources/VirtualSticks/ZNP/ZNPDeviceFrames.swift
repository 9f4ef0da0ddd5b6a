import ZigbeeCore
import ZigbeeZNP

/// The frames a Z-Stack ZNP device sends: SRSPs and AREQ callbacks. ZigbeeZNP only decodes these
/// (it is the host side), so the device side builds them here. Layouts per TI SWRA198 (MT API)
/// and the Z-Stack 3.x additions (trailing fields of SYS_VERSION and AF_INCOMING_MSG), which is
/// also what ZigbeeZNP's decoders read.
enum ZNPDeviceFrames {
    /// Little-endian parameter writer.
    struct Writer {
        private(set) var bytes: [UInt8] = []
        mutating func u8(_ v: UInt8) { bytes.append(v) }
        mutating func u16(_ v: UInt16) { bytes += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
        mutating func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
        mutating func ieee(_ v: IEEEAddress) { for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v.rawValue >> UInt64(s))) } }
        mutating func raw(_ v: [UInt8]) { bytes += v }
        /// A length byte and at most 255 bytes.
        mutating func short(_ v: [UInt8]) { u8(UInt8(min(v.count, 0xFF))); bytes += v.prefix(0xFF) }
    }

    /// Bounds-checked little-endian reader over a request's data field; nil when it runs out.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var remaining: Int { bytes.count - offset }
        mutating func u8() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }
        mutating func u16() -> UInt16? {
            guard remaining >= 2 else { return nil }
            defer { offset += 2 }
            return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
        }
        mutating func u32() -> UInt32? {
            guard let lo = u16(), let hi = u16() else { return nil }
            return UInt32(lo) | UInt32(hi) << 16
        }
        mutating func ieee() -> IEEEAddress? {
            guard remaining >= 8 else { return nil }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return IEEEAddress(v)
        }
        mutating func take(_ n: Int) -> [UInt8]? {
            guard n >= 0, remaining >= n else { return nil }
            defer { offset += n }
            return Array(bytes[offset..<(offset + n)])
        }
        /// A length byte then that many bytes.
        mutating func short() -> [UInt8]? {
            guard let n = u8() else { return nil }
            return take(Int(n))
        }
        mutating func u16List() -> [UInt16]? {
            guard let n = u8() else { return nil }
            var out: [UInt16] = []
            for _ in 0..<n {
                guard let v = u16() else { return nil }
                out.append(v)
            }
            return out
        }
    }

    /// RPC error codes of the SRSP on subsystem 0, command 0 (SWRA198 §2.1.4 / MT_RPC_ERR_*).
    enum RPCErrorCode: UInt8 {
        case invalidSubsystem = 0x01
        case invalidCommandID = 0x02
        case invalidParameter = 0x03
        case invalidLength = 0x04
    }

    static func srsp(_ subsystem: MTSubsystem, _ id: UInt8, _ payload: [UInt8]) -> MTFrame {
        MTFrame(type: .srsp, subsystem: subsystem, commandID: id, payload: payload)
    }

    static func areq(_ subsystem: MTSubsystem, _ id: UInt8, _ payload: [UInt8]) -> MTFrame {
        MTFrame(type: .areq, subsystem: subsystem, commandID: id, payload: payload)
    }

    /// The SRSP answering `request` with a status byte.
    static func status(_ request: MTFrame, _ status: MTStatus) -> MTFrame {
        srsp(request.subsystem, request.commandID, [status.rawValue])
    }

    /// The RPC error SRSP naming the refused request.
    static func rpcError(_ code: RPCErrorCode, for request: MTFrame) -> MTFrame {
        srsp(.rpcError, 0x00, [code.rawValue, request.cmd0, request.commandID])
    }

    // MARK: Callbacks

    /// SYS_RESET_IND: reason, transport revision, product id, major, minor, hardware revision.
    static func resetIndication(reason: UInt8, version: ZNPVersion, hardwareRevision: UInt8 = 1) -> MTFrame {
        areq(.sys, 0x80, [reason, version.transportRevision, version.productID, version.major, version.minor, hardwareRevision])
    }

    /// ZDO_STATE_CHANGE_IND.
    static func stateChanged(_ state: ZNPDeviceState) -> MTFrame {
        areq(.zdo, 0xC0, [state.rawValue])
    }

    /// APP_CNF_BDB_COMMISSIONING_NOTIFICATION.
    static func commissioningNotification(_ status: BDBCommissioningStatus, mode: BDBCommissioningMode,
                                          remaining: BDBCommissioningMode) -> MTFrame {
        areq(.appConfig, 0x80, [status.rawValue, mode.rawValue, remaining.rawValue])
    }

    /// AF_DATA_CONFIRM: status, endpoint, transaction id.
    static func dataConfirm(_ status: MTStatus, endpoint: UInt8, transactionID: UInt8) -> MTFrame {
        areq(.af, 0x80, [status.rawValue, endpoint, transactionID])
    }

    /// AF_INCOMING_MSG, with the Z-Stack 3 trailer (MAC source address, radius).
    static func incomingMessage(_ m: ZigbeeAPSMessage, groupID: UInt16 = 0, wasBroadcast: Bool = false,
                                timestamp: UInt32, transactionSequence: UInt8) -> MTFrame {
        var w = Writer()
        w.u16(groupID)
        w.u16(m.clusterId)
        w.u16(m.source)
        w.u8(m.sourceEndpoint)
        w.u8(m.destinationEndpoint)
        w.u8(wasBroadcast ? 1 : 0)
        w.u8(m.linkQuality)
        w.u8(0)  // SecurityUse: APS security is not used for ZCL on a HA network
        w.u32(timestamp)
        w.u8(transactionSequence)
        w.short(Array(m.payload.prefix(0xFF)))
        w.u16(m.source)  // MacSrcAddr: every virtual device is a direct neighbour
        w.u8(0)          // MsgResultRadius
        return areq(.af, 0x81, w.bytes)
    }

    /// ZDO_END_DEVICE_ANNCE_IND: relaying source, network address, IEEE address, capabilities.
    static func endDeviceAnnounce(source: UInt16, networkAddress: UInt16, ieee: IEEEAddress, capabilities: UInt8) -> MTFrame {
        var w = Writer()
        w.u16(source)
        w.u16(networkAddress)
        w.ieee(ieee)
        w.u8(capabilities)
        return areq(.zdo, 0xC1, w.bytes)
    }

    /// ZDO_TC_DEV_IND: a device joined through the trust centre (network address, IEEE, parent).
    static func trustCenterDevice(networkAddress: UInt16, ieee: IEEEAddress, parent: UInt16) -> MTFrame {
        var w = Writer()
        w.u16(networkAddress)
        w.ieee(ieee)
        w.u16(parent)
        return areq(.zdo, 0xCA, w.bytes)
    }

    /// ZDO_LEAVE_IND: network address, IEEE address, request, remove children, rejoin.
    static func leaveIndication(networkAddress: UInt16, ieee: IEEEAddress, rejoin: Bool = false) -> MTFrame {
        var w = Writer()
        w.u16(networkAddress)
        w.ieee(ieee)
        w.u8(0)
        w.u8(0)
        w.u8(rejoin ? 1 : 0)
        return areq(.zdo, 0xC9, w.bytes)
    }

    /// The MT ZDO callback for a ZDP response received over the air: command id 0x80 plus the
    /// request cluster's low bits; the data field is the source address followed by the ZDP body
    /// without its sequence number. NWK_addr_rsp and IEEE_addr_rsp carry no source address.
    static func zdoResponse(_ m: ZigbeeAPSMessage) -> MTFrame? {
        guard m.clusterId & 0x8000 != 0, m.clusterId & 0x7F00 == 0, !m.payload.isEmpty else { return nil }
        let id = UInt8(0x80 | (m.clusterId & 0x7F))
        let body = Array(m.payload.dropFirst())
        if id == 0x80 || id == 0x81 { return areq(.zdo, id, body) }
        var w = Writer()
        w.u16(m.source)
        w.raw(body)
        return areq(.zdo, id, w.bytes)
    }
}
