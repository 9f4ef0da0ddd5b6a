/// Body of a ZDO frame.
public enum ZDOMessage: Hashable, Sendable {
    case request(ZDORequest)
    case response(ZDOResponse)
    /// ZDO cluster not modelled by this library, kept opaque.
    case other(clusterId: UInt16, payload: [UInt8])

    public var clusterId: UInt16 {
        switch self {
        case .request(let request): return request.clusterId
        case .response(let response): return response.clusterId
        case .other(let clusterId, _): return clusterId
        }
    }
}

/// A ZDO (ZDP) frame as carried in the APS payload on endpoint 0, profile 0x0000:
/// transaction sequence number (1) followed by the command body (Zigbee spec 2.4.2.8).
public struct ZDOFrame: Hashable, Sendable {
    public var transactionSequence: UInt8
    public var message: ZDOMessage

    public init(transactionSequence: UInt8, message: ZDOMessage) {
        self.transactionSequence = transactionSequence
        self.message = message
    }

    public var clusterId: UInt16 { message.clusterId }

    /// Decodes the APS payload received on ZDO cluster `clusterId`. Trailing bytes after a
    /// known body are ignored (later stack revisions append TLVs).
    public init(clusterId: UInt16, bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        transactionSequence = try r.readUInt8()
        let bodyStart = r
        if ZDOClusterID.isResponse(clusterId) {
            if let response = try ZDOResponse.read(clusterId: clusterId, from: &r) {
                message = .response(response)
                return
            }
        } else if let request = try ZDORequest.read(clusterId: clusterId, from: &r) {
            message = .request(request)
            return
        }
        r = bodyStart
        message = .other(clusterId: clusterId, payload: r.readRest())
    }

    /// The APS payload bytes (transaction sequence number + body).
    public func encoded() throws -> [UInt8] {
        var out: [UInt8] = [transactionSequence]
        switch message {
        case .request(let request): request.write(to: &out)
        case .response(let response): try response.write(to: &out)
        case .other(_, let payload): out += payload
        }
        return out
    }
}
