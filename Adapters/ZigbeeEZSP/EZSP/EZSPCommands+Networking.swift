import ZigbeeCore

// Networking frames (UG100 "Networking Frames"). Frame ids and layouts: bellows
// `bellows/ezsp/v4/commands.py`, with networkInit's bitmask from `v6/commands.py`, EmberChildData
// from `v7`/`v10`, and the sl_status swap of `v14/commands.py`; zigbee-herdsman `ezsp.ts`
// (leaveNetwork's option byte from version 0x0E).

extension EZSPCommands {
    /// `networkInit` 0x0017: resumes the network stored in the NCP's tokens. Answers SUCCESS (then
    /// stackStatusHandler NETWORK_UP follows) or NOT_JOINED when nothing is stored. Takes
    /// EmberNetworkInitStruct (a 16-bit bitmask) from version 6.
    public struct NetworkInit: EZSPCommand {
        public typealias Response = EmberStatusResponse
        public static let id: UInt16 = 0x0017
        /// EmberNetworkInitBitmask: 0x0001 parent info in token, 0x0002 end-device rejoin on reboot.
        public var bitmask: UInt16
        public init(bitmask: UInt16 = 0) { self.bitmask = bitmask }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out: [UInt8] = []
            out.appendLE(bitmask)
            return out
        }
    }

    /// `networkState` 0x0018: answers an EmberNetworkStatus (one byte in every version).
    public struct NetworkState: EZSPCommand {
        public static let id: UInt16 = 0x0018
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }

        public struct Response: EZSPDecodable {
            public var status: EmberNetworkStatus
            public init(status: EmberNetworkStatus) { self.status = status }
            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(status: EmberNetworkStatus(code: try reader.readUInt8()))
            }
        }
    }

    /// `formNetwork` 0x001E: EmberNetworkParameters.
    public struct FormNetwork: EZSPCommand {
        public typealias Response = EmberStatusResponse
        public static let id: UInt16 = 0x001E
        public var parameters: EmberNetworkParameters
        public init(_ parameters: EmberNetworkParameters) { self.parameters = parameters }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out: [UInt8] = []
            parameters.encode(into: &out)
            return out
        }
    }

    /// `leaveNetwork` 0x0020: no parameters before version 14; from 14 a leave-option byte
    /// (zigbee-herdsman writes it from 0x0E; bellows' v14 table still sends none — see the report).
    public struct LeaveNetwork: EZSPCommand {
        public typealias Response = EmberStatusResponse
        public static let id: UInt16 = 0x0020
        public var options: UInt8
        public init(options: UInt8 = 0) { self.options = options }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            version >= EZSPProtocolVersion.slStatus ? [options] : []
        }
    }

    /// `permitJoining` 0x0022: seconds (0 closes, 0xFF opens until closed).
    public struct PermitJoining: EZSPCommand {
        public typealias Response = EmberStatusResponse
        public static let id: UInt16 = 0x0022
        public var duration: UInt8
        public init(duration: UInt8) { self.duration = duration }
        public func encodeParameters(version: UInt8) -> [UInt8] { [duration] }
    }

    /// `getEui64` 0x0026.
    public struct GetEui64: EZSPCommand {
        public static let id: UInt16 = 0x0026
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }

        public struct Response: EZSPDecodable {
            public var eui64: IEEEAddress
            public init(eui64: IEEEAddress) { self.eui64 = eui64 }
            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(eui64: IEEEAddress(try reader.readUInt64()))
            }
        }
    }

    /// `getNodeId` 0x0027.
    public struct GetNodeId: EZSPCommand {
        public static let id: UInt16 = 0x0027
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }

        public struct Response: EZSPDecodable {
            public var nodeId: UInt16
            public init(nodeId: UInt16) { self.nodeId = nodeId }
            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(nodeId: try reader.readUInt16())
            }
        }
    }

    /// `getNetworkParameters` 0x0028: status, node type, EmberNetworkParameters.
    public struct GetNetworkParameters: EZSPCommand {
        public static let id: UInt16 = 0x0028
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }

        public struct Response: EZSPDecodable {
            public var status: NCPStatus
            public var nodeType: EmberNodeType
            public var parameters: EmberNetworkParameters

            public init(status: NCPStatus, nodeType: EmberNodeType, parameters: EmberNetworkParameters) {
                self.status = status; self.nodeType = nodeType; self.parameters = parameters
            }

            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(status: try NCPStatus.readEmber(&reader, version: version),
                                nodeType: EmberNodeType(code: try reader.readUInt8()),
                                parameters: try EmberNetworkParameters.read(&reader))
            }
        }
    }

    /// `getChildData` 0x004A: status and EmberChildData (layout per `EmberChildData`).
    public struct GetChildData: EZSPCommand {
        public static let id: UInt16 = 0x004A
        public var index: UInt8
        public init(index: UInt8) { self.index = index }
        public func encodeParameters(version: UInt8) -> [UInt8] { [index] }

        public struct Response: EZSPDecodable {
            public var status: NCPStatus
            /// nil when the status is not success (the NCP still sends the bytes; they mean nothing).
            public var child: EmberChildData?

            public init(status: NCPStatus, child: EmberChildData?) { self.status = status; self.child = child }

            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                let status = try NCPStatus.readEmber(&reader, version: version)
                guard status.isSuccess else { return Response(status: status, child: nil) }
                return Response(status: status, child: try EmberChildData.read(&reader, version: version))
            }
        }
    }

    /// `neighborCount` 0x007A.
    public struct NeighborCount: EZSPCommand {
        public static let id: UInt16 = 0x007A
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }

        public struct Response: EZSPDecodable {
            public var count: UInt8
            public init(count: UInt8) { self.count = count }
            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(count: try reader.readUInt8())
            }
        }
    }

    /// `getNeighbor` 0x0079: status and EmberNeighborTableEntry.
    public struct GetNeighbor: EZSPCommand {
        public static let id: UInt16 = 0x0079
        public var index: UInt8
        public init(index: UInt8) { self.index = index }
        public func encodeParameters(version: UInt8) -> [UInt8] { [index] }

        public struct Response: EZSPDecodable {
            public var status: NCPStatus
            public var entry: EmberNeighborTableEntry?

            public init(status: NCPStatus, entry: EmberNeighborTableEntry?) { self.status = status; self.entry = entry }

            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                let status = try NCPStatus.readEmber(&reader, version: version)
                guard status.isSuccess else { return Response(status: status, entry: nil) }
                return Response(status: status, entry: try EmberNeighborTableEntry.read(&reader))
            }
        }
    }

    /// `setConcentrator` 0x0010: on 1, type 2 (0xFFF8 low-RAM, 0xFFF9 high-RAM), min time 2,
    /// max time 2, route-error threshold 1, delivery-failure threshold 1, max hops 1.
    public struct SetConcentrator: EZSPCommand {
        public typealias Response = EmberStatusResponse
        public static let id: UInt16 = 0x0010
        public static let lowRamConcentrator: UInt16 = 0xFFF8
        public static let highRamConcentrator: UInt16 = 0xFFF9

        public var on: Bool
        public var concentratorType: UInt16
        public var minTime: UInt16
        public var maxTime: UInt16
        public var routeErrorThreshold: UInt8
        public var deliveryFailureThreshold: UInt8
        public var maxHops: UInt8

        public init(on: Bool, concentratorType: UInt16 = highRamConcentrator, minTime: UInt16 = 60,
                    maxTime: UInt16 = 3600, routeErrorThreshold: UInt8 = 8, deliveryFailureThreshold: UInt8 = 8,
                    maxHops: UInt8 = 0) {
            self.on = on; self.concentratorType = concentratorType; self.minTime = minTime; self.maxTime = maxTime
            self.routeErrorThreshold = routeErrorThreshold; self.deliveryFailureThreshold = deliveryFailureThreshold
            self.maxHops = maxHops
        }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out: [UInt8] = [on ? 1 : 0]
            out.appendLE(concentratorType)
            out.appendLE(minTime)
            out.appendLE(maxTime)
            out.append(contentsOf: [routeErrorThreshold, deliveryFailureThreshold, maxHops])
            return out
        }
    }
}
