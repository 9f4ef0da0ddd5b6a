/// Destination of a Bind/Unbind request (DstAddrMode 0x01 group, 0x03 extended address + endpoint).
public enum ZDOBindDestination: Hashable, Sendable {
    case group(UInt16)
    case device(IEEEAddress, endpoint: UInt8)
}

/// Bind_req / Unbind_req body (Zigbee spec 2.4.3.2.2 / 2.4.3.2.3).
public struct ZDOBinding: Hashable, Sendable {
    public var sourceAddress: IEEEAddress
    public var sourceEndpoint: UInt8
    public var clusterId: UInt16
    public var destination: ZDOBindDestination

    public init(sourceAddress: IEEEAddress, sourceEndpoint: UInt8, clusterId: UInt16, destination: ZDOBindDestination) {
        self.sourceAddress = sourceAddress
        self.sourceEndpoint = sourceEndpoint
        self.clusterId = clusterId
        self.destination = destination
    }
}

/// Device_annce body (Zigbee spec 2.4.3.1.11).
public struct ZDODeviceAnnounce: Hashable, Sendable {
    public var networkAddress: UInt16
    public var ieeeAddress: IEEEAddress
    public var capabilities: ZigbeeMACCapabilities

    public init(networkAddress: UInt16, ieeeAddress: IEEEAddress, capabilities: ZigbeeMACCapabilities) {
        self.networkAddress = networkAddress
        self.ieeeAddress = ieeeAddress
        self.capabilities = capabilities
    }
}

/// ZDO client requests (and the Device_annce broadcast). The ZDP transaction sequence number
/// is carried by `ZDOFrame`.
public enum ZDORequest: Hashable, Sendable {
    /// NWK_addr_req 0x0000. `extended` = RequestType 0x01 (include associated devices).
    case networkAddress(ieee: IEEEAddress, extended: Bool = false, startIndex: UInt8 = 0)
    /// IEEE_addr_req 0x0001.
    case ieeeAddress(networkAddress: UInt16, extended: Bool = false, startIndex: UInt8 = 0)
    /// Node_Desc_req 0x0002.
    case nodeDescriptor(networkAddress: UInt16)
    /// Simple_Desc_req 0x0004.
    case simpleDescriptor(networkAddress: UInt16, endpoint: UInt8)
    /// Active_EP_req 0x0005.
    case activeEndpoints(networkAddress: UInt16)
    /// Device_annce 0x0013.
    case deviceAnnounce(ZDODeviceAnnounce)
    /// Bind_req 0x0021.
    case bind(ZDOBinding)
    /// Unbind_req 0x0022.
    case unbind(ZDOBinding)
    /// Mgmt_Lqi_req 0x0031.
    case mgmtLqi(startIndex: UInt8)
    /// Mgmt_Leave_req 0x0034.
    case mgmtLeave(ieee: IEEEAddress, removeChildren: Bool = false, rejoin: Bool = false)
    /// Mgmt_Permit_Joining_req 0x0036. Duration in seconds (0 disables, 0xFF = no limit).
    case mgmtPermitJoining(durationSeconds: UInt8, trustCenterSignificance: Bool = true)

    public var clusterId: UInt16 {
        switch self {
        case .networkAddress: return ZDOClusterID.networkAddressRequest
        case .ieeeAddress: return ZDOClusterID.ieeeAddressRequest
        case .nodeDescriptor: return ZDOClusterID.nodeDescriptorRequest
        case .simpleDescriptor: return ZDOClusterID.simpleDescriptorRequest
        case .activeEndpoints: return ZDOClusterID.activeEndpointsRequest
        case .deviceAnnounce: return ZDOClusterID.deviceAnnounce
        case .bind: return ZDOClusterID.bindRequest
        case .unbind: return ZDOClusterID.unbindRequest
        case .mgmtLqi: return ZDOClusterID.mgmtLqiRequest
        case .mgmtLeave: return ZDOClusterID.mgmtLeaveRequest
        case .mgmtPermitJoining: return ZDOClusterID.mgmtPermitJoiningRequest
        }
    }

    /// Cluster id of the matching response (none for Device_annce).
    public var responseClusterId: UInt16? {
        if case .deviceAnnounce = self { return nil }
        return ZDOClusterID.response(for: clusterId)
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .networkAddress(let ieee, let extended, let start):
            out.appendLE(ieee.rawValue)
            out += [extended ? 0x01 : 0x00, start]
        case .ieeeAddress(let nwk, let extended, let start):
            out.appendLE(nwk)
            out += [extended ? 0x01 : 0x00, start]
        case .nodeDescriptor(let nwk), .activeEndpoints(let nwk):
            out.appendLE(nwk)
        case .simpleDescriptor(let nwk, let endpoint):
            out.appendLE(nwk)
            out.append(endpoint)
        case .deviceAnnounce(let announce):
            out.appendLE(announce.networkAddress)
            out.appendLE(announce.ieeeAddress.rawValue)
            out.append(announce.capabilities.rawValue)
        case .bind(let binding), .unbind(let binding):
            out.appendLE(binding.sourceAddress.rawValue)
            out.append(binding.sourceEndpoint)
            out.appendLE(binding.clusterId)
            switch binding.destination {
            case .group(let group):
                out.append(0x01)
                out.appendLE(group)
            case .device(let ieee, let endpoint):
                out.append(0x03)
                out.appendLE(ieee.rawValue)
                out.append(endpoint)
            }
        case .mgmtLqi(let start):
            out.append(start)
        case .mgmtLeave(let ieee, let removeChildren, let rejoin):
            out.appendLE(ieee.rawValue)
            out.append((removeChildren ? 0x40 : 0) | (rejoin ? 0x80 : 0))
        case .mgmtPermitJoining(let duration, let significance):
            out += [duration, significance ? 0x01 : 0x00]
        }
    }

    /// Decodes a request body (after the transaction sequence number); nil for unknown clusters.
    static func read(clusterId: UInt16, from r: inout ByteReader) throws -> ZDORequest? {
        switch clusterId {
        case ZDOClusterID.networkAddressRequest:
            let ieee = IEEEAddress(try r.readUInt64())
            return .networkAddress(ieee: ieee, extended: try r.readUInt8() == 0x01, startIndex: try r.readUInt8())
        case ZDOClusterID.ieeeAddressRequest:
            let nwk = try r.readUInt16()
            return .ieeeAddress(networkAddress: nwk, extended: try r.readUInt8() == 0x01, startIndex: try r.readUInt8())
        case ZDOClusterID.nodeDescriptorRequest:
            return .nodeDescriptor(networkAddress: try r.readUInt16())
        case ZDOClusterID.simpleDescriptorRequest:
            return .simpleDescriptor(networkAddress: try r.readUInt16(), endpoint: try r.readUInt8())
        case ZDOClusterID.activeEndpointsRequest:
            return .activeEndpoints(networkAddress: try r.readUInt16())
        case ZDOClusterID.deviceAnnounce:
            let nwk = try r.readUInt16()
            let ieee = IEEEAddress(try r.readUInt64())
            return .deviceAnnounce(ZDODeviceAnnounce(networkAddress: nwk, ieeeAddress: ieee, capabilities: ZigbeeMACCapabilities(rawValue: try r.readUInt8())))
        case ZDOClusterID.bindRequest, ZDOClusterID.unbindRequest:
            let source = IEEEAddress(try r.readUInt64())
            let endpoint = try r.readUInt8()
            let cluster = try r.readUInt16()
            let modeOffset = r.offset
            let destination: ZDOBindDestination
            switch try r.readUInt8() {
            case 0x01: destination = .group(try r.readUInt16())
            case 0x03:
                let ieee = IEEEAddress(try r.readUInt64())
                destination = .device(ieee, endpoint: try r.readUInt8())
            default: throw ZigbeeCodecError(.invalidValue, offset: modeOffset)
            }
            let binding = ZDOBinding(sourceAddress: source, sourceEndpoint: endpoint, clusterId: cluster, destination: destination)
            return clusterId == ZDOClusterID.bindRequest ? .bind(binding) : .unbind(binding)
        case ZDOClusterID.mgmtLqiRequest:
            return .mgmtLqi(startIndex: try r.readUInt8())
        case ZDOClusterID.mgmtLeaveRequest:
            let ieee = IEEEAddress(try r.readUInt64())
            let flags = try r.readUInt8()
            return .mgmtLeave(ieee: ieee, removeChildren: flags & 0x40 != 0, rejoin: flags & 0x80 != 0)
        case ZDOClusterID.mgmtPermitJoiningRequest:
            return .mgmtPermitJoining(durationSeconds: try r.readUInt8(), trustCenterSignificance: try r.readUInt8() != 0)
        default:
            return nil
        }
    }
}
