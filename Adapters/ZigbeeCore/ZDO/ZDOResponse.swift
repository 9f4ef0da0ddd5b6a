/// NWK_addr_rsp / IEEE_addr_rsp body (Zigbee spec 2.4.4.2.1 / 2.4.4.2.2).
public struct ZDOAddressResponse: Hashable, Sendable {
    public var status: ZDOStatus
    public var ieeeAddress: IEEEAddress
    public var networkAddress: UInt16
    /// Start index into the associated device list (present when devices are listed).
    public var startIndex: UInt8
    /// nil for a single-device response; the listed associated devices for an extended one.
    public var associatedDevices: [UInt16]?

    public init(status: ZDOStatus, ieeeAddress: IEEEAddress, networkAddress: UInt16, startIndex: UInt8 = 0, associatedDevices: [UInt16]? = nil) {
        self.status = status
        self.ieeeAddress = ieeeAddress
        self.networkAddress = networkAddress
        self.startIndex = startIndex
        self.associatedDevices = associatedDevices
    }
}

/// One Neighbor Table List Record of Mgmt_Lqi_rsp (Zigbee spec 2.4.4.4.2), 22 bytes.
public struct ZDONeighbor: Hashable, Sendable {
    public enum Relationship: Hashable, Sendable {
        case parent, child, sibling, none, previousChild
        case other(UInt8)

        init(rawValue: UInt8) {
            switch rawValue {
            case 0: self = .parent
            case 1: self = .child
            case 2: self = .sibling
            case 3: self = .none
            case 4: self = .previousChild
            default: self = .other(rawValue)
            }
        }

        var rawValue: UInt8 {
            switch self {
            case .parent: return 0
            case .child: return 1
            case .sibling: return 2
            case .none: return 3
            case .previousChild: return 4
            case .other(let value): return value & 0x07
            }
        }
    }

    public var extendedPanId: UInt64
    public var ieeeAddress: IEEEAddress
    public var networkAddress: UInt16
    /// 0 coordinator, 1 router, 2 end device, 3 unknown (`.other(3)`).
    public var deviceType: ZigbeeLogicalType
    /// nil when the neighbor's receiver state is unknown.
    public var receiverOnWhenIdle: Bool?
    public var relationship: Relationship
    /// nil when unknown.
    public var permitJoining: Bool?
    public var depth: UInt8
    public var linkQuality: UInt8

    public init(extendedPanId: UInt64, ieeeAddress: IEEEAddress, networkAddress: UInt16, deviceType: ZigbeeLogicalType,
                receiverOnWhenIdle: Bool?, relationship: Relationship, permitJoining: Bool?, depth: UInt8, linkQuality: UInt8) {
        self.extendedPanId = extendedPanId
        self.ieeeAddress = ieeeAddress
        self.networkAddress = networkAddress
        self.deviceType = deviceType
        self.receiverOnWhenIdle = receiverOnWhenIdle
        self.relationship = relationship
        self.permitJoining = permitJoining
        self.depth = depth
        self.linkQuality = linkQuality
    }

    private static func tristate(_ bits: UInt8) -> Bool? {
        switch bits {
        case 0: return false
        case 1: return true
        default: return nil
        }
    }

    static func read(_ r: inout ByteReader) throws -> ZDONeighbor {
        let panId = try r.readUInt64()
        let ieee = IEEEAddress(try r.readUInt64())
        let nwk = try r.readUInt16()
        let flags = try r.readUInt8()
        let joining = try r.readUInt8()
        return ZDONeighbor(
            extendedPanId: panId, ieeeAddress: ieee, networkAddress: nwk,
            deviceType: ZigbeeLogicalType(rawValue: flags & 0x03),
            receiverOnWhenIdle: tristate((flags >> 2) & 0x03),
            relationship: Relationship(rawValue: (flags >> 4) & 0x07),
            permitJoining: tristate(joining & 0x03),
            depth: try r.readUInt8(), linkQuality: try r.readUInt8()
        )
    }

    func write(to out: inout [UInt8]) {
        out.appendLE(extendedPanId)
        out.appendLE(ieeeAddress.rawValue)
        out.appendLE(networkAddress)
        let rx: UInt8 = receiverOnWhenIdle.map { $0 ? 1 : 0 } ?? 2
        out.append((deviceType.rawValue & 0x03) | (rx << 2) | (relationship.rawValue << 4))
        out.append(permitJoining.map { $0 ? 1 : 0 } ?? 2)
        out.append(depth)
        out.append(linkQuality)
    }
}

/// Mgmt_Lqi_rsp body (Zigbee spec 2.4.4.4.2).
public struct ZDOMgmtLqiResponse: Hashable, Sendable {
    public var status: ZDOStatus
    public var totalEntries: UInt8
    public var startIndex: UInt8
    public var neighbors: [ZDONeighbor]

    public init(status: ZDOStatus, totalEntries: UInt8 = 0, startIndex: UInt8 = 0, neighbors: [ZDONeighbor] = []) {
        self.status = status
        self.totalEntries = totalEntries
        self.startIndex = startIndex
        self.neighbors = neighbors
    }
}

/// ZDO server responses. Descriptors are present only with a SUCCESS status.
public enum ZDOResponse: Hashable, Sendable {
    case networkAddress(ZDOAddressResponse)                                                   // 0x8000
    case ieeeAddress(ZDOAddressResponse)                                                      // 0x8001
    case nodeDescriptor(status: ZDOStatus, networkAddress: UInt16, descriptor: ZigbeeNodeDescriptor?)      // 0x8002
    case simpleDescriptor(status: ZDOStatus, networkAddress: UInt16, descriptor: ZigbeeSimpleDescriptor?)  // 0x8004
    case activeEndpoints(status: ZDOStatus, networkAddress: UInt16, endpoints: [UInt8])       // 0x8005
    case bind(ZDOStatus)                                                                      // 0x8021
    case unbind(ZDOStatus)                                                                    // 0x8022
    case mgmtLqi(ZDOMgmtLqiResponse)                                                          // 0x8031
    case mgmtLeave(ZDOStatus)                                                                 // 0x8034
    case mgmtPermitJoining(ZDOStatus)                                                         // 0x8036

    public var clusterId: UInt16 {
        let request: UInt16
        switch self {
        case .networkAddress: request = ZDOClusterID.networkAddressRequest
        case .ieeeAddress: request = ZDOClusterID.ieeeAddressRequest
        case .nodeDescriptor: request = ZDOClusterID.nodeDescriptorRequest
        case .simpleDescriptor: request = ZDOClusterID.simpleDescriptorRequest
        case .activeEndpoints: request = ZDOClusterID.activeEndpointsRequest
        case .bind: request = ZDOClusterID.bindRequest
        case .unbind: request = ZDOClusterID.unbindRequest
        case .mgmtLqi: request = ZDOClusterID.mgmtLqiRequest
        case .mgmtLeave: request = ZDOClusterID.mgmtLeaveRequest
        case .mgmtPermitJoining: request = ZDOClusterID.mgmtPermitJoiningRequest
        }
        return ZDOClusterID.response(for: request)
    }

    public var status: ZDOStatus {
        switch self {
        case .networkAddress(let r), .ieeeAddress(let r): return r.status
        case .nodeDescriptor(let s, _, _), .simpleDescriptor(let s, _, _), .activeEndpoints(let s, _, _): return s
        case .bind(let s), .unbind(let s), .mgmtLeave(let s), .mgmtPermitJoining(let s): return s
        case .mgmtLqi(let r): return r.status
        }
    }

    func write(to out: inout [UInt8]) throws {
        out.append(status.rawValue)
        switch self {
        case .networkAddress(let r), .ieeeAddress(let r):
            out.appendLE(r.ieeeAddress.rawValue)
            out.appendLE(r.networkAddress)
            if let devices = r.associatedDevices {
                guard devices.count <= 0xFF else { throw ZigbeeCodecError(.valueOutOfRange) }
                out.append(UInt8(devices.count))
                if !devices.isEmpty {
                    out.append(r.startIndex)
                    for device in devices { out.appendLE(device) }
                }
            }
        case .nodeDescriptor(_, let nwk, let descriptor):
            out.appendLE(nwk)
            descriptor?.write(to: &out)
        case .simpleDescriptor(_, let nwk, let descriptor):
            out.appendLE(nwk)
            var body: [UInt8] = []
            try descriptor?.write(to: &body)
            guard body.count <= 0xFF else { throw ZigbeeCodecError(.valueOutOfRange) }
            out.append(UInt8(body.count))
            out += body
        case .activeEndpoints(_, let nwk, let endpoints):
            guard endpoints.count <= 0xFF else { throw ZigbeeCodecError(.valueOutOfRange) }
            out.appendLE(nwk)
            out.append(UInt8(endpoints.count))
            out += endpoints
        case .mgmtLqi(let r):
            guard r.neighbors.count <= 0xFF else { throw ZigbeeCodecError(.valueOutOfRange) }
            out += [r.totalEntries, r.startIndex, UInt8(r.neighbors.count)]
            for neighbor in r.neighbors { neighbor.write(to: &out) }
        case .bind, .unbind, .mgmtLeave, .mgmtPermitJoining:
            break
        }
    }

    /// Decodes a response body (after the transaction sequence number); nil for unknown clusters.
    /// Fields after the status that a failing device leaves out are tolerated.
    static func read(clusterId: UInt16, from r: inout ByteReader) throws -> ZDOResponse? {
        guard ZDOClusterID.isResponse(clusterId) else { return nil }
        let request = clusterId & ~ZDOClusterID.responseFlag
        switch request {
        case ZDOClusterID.networkAddressRequest, ZDOClusterID.ieeeAddressRequest:
            let status = ZDOStatus(rawValue: try r.readUInt8())
            let ieee = IEEEAddress(try r.readUInt64())
            let nwk = try r.readUInt16()
            var response = ZDOAddressResponse(status: status, ieeeAddress: ieee, networkAddress: nwk)
            if !r.isAtEnd {
                let count = try r.readUInt8()
                var devices: [UInt16] = []
                if count > 0 {
                    response.startIndex = try r.readUInt8()
                    for _ in 0..<count { devices.append(try r.readUInt16()) }
                }
                response.associatedDevices = devices
            }
            return request == ZDOClusterID.networkAddressRequest ? .networkAddress(response) : .ieeeAddress(response)
        case ZDOClusterID.nodeDescriptorRequest:
            let status = ZDOStatus(rawValue: try r.readUInt8())
            let nwk = r.isAtEnd ? 0 : try r.readUInt16()
            let descriptor = status.isSuccess ? try ZigbeeNodeDescriptor.read(&r) : nil
            return .nodeDescriptor(status: status, networkAddress: nwk, descriptor: descriptor)
        case ZDOClusterID.simpleDescriptorRequest:
            let status = ZDOStatus(rawValue: try r.readUInt8())
            let nwk = r.isAtEnd ? 0 : try r.readUInt16()
            let length = r.isAtEnd ? 0 : Int(try r.readUInt8())
            var descriptor: ZigbeeSimpleDescriptor?
            if status.isSuccess || length > 0 {
                var body = ByteReader(try r.readBytes(length))
                descriptor = try ZigbeeSimpleDescriptor.read(&body)
                try body.expectEnd()
            }
            return .simpleDescriptor(status: status, networkAddress: nwk, descriptor: descriptor)
        case ZDOClusterID.activeEndpointsRequest:
            let status = ZDOStatus(rawValue: try r.readUInt8())
            let nwk = r.isAtEnd ? 0 : try r.readUInt16()
            let count = r.isAtEnd ? 0 : Int(try r.readUInt8())
            return .activeEndpoints(status: status, networkAddress: nwk, endpoints: try r.readBytes(count))
        case ZDOClusterID.mgmtLqiRequest:
            let status = ZDOStatus(rawValue: try r.readUInt8())
            var response = ZDOMgmtLqiResponse(status: status)
            if !r.isAtEnd || status.isSuccess {
                response.totalEntries = try r.readUInt8()
                response.startIndex = try r.readUInt8()
                let count = try r.readUInt8()
                for _ in 0..<count { response.neighbors.append(try ZDONeighbor.read(&r)) }
            }
            return .mgmtLqi(response)
        case ZDOClusterID.bindRequest:
            return .bind(ZDOStatus(rawValue: try r.readUInt8()))
        case ZDOClusterID.unbindRequest:
            return .unbind(ZDOStatus(rawValue: try r.readUInt8()))
        case ZDOClusterID.mgmtLeaveRequest:
            return .mgmtLeave(ZDOStatus(rawValue: try r.readUInt8()))
        case ZDOClusterID.mgmtPermitJoiningRequest:
            return .mgmtPermitJoining(ZDOStatus(rawValue: try r.readUInt8()))
        default:
            return nil
        }
    }
}
