import ZigbeeCore

// ZDO subsystem requests (SWRA198 §3.12; zigpy-znp commands/zdo.py). Each SRSP only says whether the
// request was queued; the answer from the remote device arrives later as a ZDO_*_RSP callback.

enum ZDO {
    struct NodeDescriptorRequest: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.zdo
        static let id: UInt8 = 0x02
        var destination: UInt16
        var addressOfInterest: UInt16
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(destination)
            writer.uint16(addressOfInterest)
            return writer.bytes
        }
    }

    struct SimpleDescriptorRequest: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.zdo
        static let id: UInt8 = 0x04
        var destination: UInt16
        var addressOfInterest: UInt16
        var endpoint: UInt8
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(destination)
            writer.uint16(addressOfInterest)
            writer.uint8(endpoint)
            return writer.bytes
        }
    }

    struct ActiveEndpointsRequest: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.zdo
        static let id: UInt8 = 0x05
        var destination: UInt16
        var addressOfInterest: UInt16
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(destination)
            writer.uint16(addressOfInterest)
            return writer.bytes
        }
    }

    /// ZDO_BIND_REQ. SWRA198 gives the destination address a fixed 8-byte field (a group address
    /// occupies its low two bytes) followed by the destination endpoint.
    struct BindRequest: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.zdo
        static let id: UInt8 = 0x21
        var target: UInt16
        var source: IEEEAddress
        var sourceEndpoint: UInt8
        var clusterID: UInt16
        var destination: ZDOBindDestination
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(target)
            writer.ieee(source)
            writer.uint8(sourceEndpoint)
            writer.uint16(clusterID)
            switch destination {
            case .group(let group):
                writer.uint8(0x01)
                writer.ieee(IEEEAddress(UInt64(group)))
                writer.uint8(0x00)
            case .device(let address, let endpoint):
                writer.uint8(0x03)
                writer.ieee(address)
                writer.uint8(endpoint)
            }
            return writer.bytes
        }
    }

    struct MgmtLeaveRequest: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.zdo
        static let id: UInt8 = 0x34
        var target: UInt16
        var device: IEEEAddress
        var rejoin: Bool
        var removeChildren: Bool
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(target)
            writer.ieee(device)
            writer.uint8((rejoin ? 0x01 : 0) | (removeChildren ? 0x02 : 0))
            return writer.bytes
        }
    }

    struct MgmtPermitJoinRequest: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.zdo
        static let id: UInt8 = 0x36
        var target: ZDOPermitJoinTarget
        var seconds: UInt8
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            switch target {
            case .device(let address):
                writer.uint8(0x02)
                writer.uint16(address)
            case .allRouters:
                writer.uint8(0x0F)
                writer.uint16(0xFFFC)
            }
            writer.uint8(seconds)
            writer.uint8(0x00)  // TC significance (ignored by Z-Stack)
            return writer.bytes
        }
    }

    struct StartupFromApp: MTCommand {
        typealias Response = ZNPStartupState
        static let subsystem = MTSubsystem.zdo
        static let id: UInt8 = 0x40
        var delayMilliseconds: UInt16
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(delayMilliseconds)
            return writer.bytes
        }
    }
}

extension ZNPStartupState: MTDecodable {
    init(reader: inout MTReader) throws(MTDecodingError) {
        self.init(rawValue: try reader.uint8())
    }
    var response: ZNPResponse { .startupState(self) }
}
