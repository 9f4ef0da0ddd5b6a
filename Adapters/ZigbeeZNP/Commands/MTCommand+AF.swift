// AF subsystem requests (SWRA198 §3.2; zigpy-znp commands/af.py).

enum AF {
    struct Register: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.af
        static let id: UInt8 = 0x00
        var endpoint: AFEndpoint
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint8(endpoint.endpoint)
            writer.uint16(endpoint.profileID)
            writer.uint16(endpoint.deviceID)
            writer.uint8(endpoint.deviceVersion)
            writer.uint8(0x00)  // LatencyReq: no latency requirements
            writer.uint16List(endpoint.inputClusters)
            writer.uint16List(endpoint.outputClusters)
            return writer.bytes
        }
    }

    struct DataRequest: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.af
        static let id: UInt8 = 0x01
        var request: AFDataRequest
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(request.destination)
            writer.uint8(request.destinationEndpoint)
            writer.uint8(request.sourceEndpoint)
            writer.uint16(request.clusterID)
            writer.uint8(request.transactionID)
            writer.uint8(request.options.rawValue)
            writer.uint8(request.radius)
            writer.shortBytes(request.data)
            return writer.bytes
        }
    }
}
