import ZigbeeCore

// Configuration and utility frames (UG100 "Configuration Frames", "Utilities Frames").
// Frame ids and layouts: bellows `bellows/ezsp/v4/commands.py` (unchanged through v14 apart from
// the sl_status swap of `v14/commands.py`); zigbee-herdsman `ezsp.ts`.

extension EZSPCommands {
    /// `version` 0x0000. The first one after reset travels in the legacy frame form.
    public struct Version: EZSPCommand {
        public static let id: UInt16 = 0x0000
        public var desiredProtocolVersion: UInt8
        public init(desiredProtocolVersion: UInt8) { self.desiredProtocolVersion = desiredProtocolVersion }
        public func encodeParameters(version: UInt8) -> [UInt8] { [desiredProtocolVersion] }

        public struct Response: EZSPDecodable {
            /// The version the NCP runs (not necessarily the one asked for).
            public var protocolVersion: UInt8
            /// 2 = mesh stack.
            public var stackType: UInt8
            /// Nibbles major.minor.patch.build, e.g. 0x7410 = 7.4.1.0.
            public var stackVersion: UInt16

            public init(protocolVersion: UInt8, stackType: UInt8, stackVersion: UInt16) {
                self.protocolVersion = protocolVersion; self.stackType = stackType; self.stackVersion = stackVersion
            }

            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(protocolVersion: try reader.readUInt8(), stackType: try reader.readUInt8(),
                                stackVersion: try reader.readUInt16())
            }
        }
    }

    /// `getConfigurationValue` 0x0052.
    public struct GetConfigurationValue: EZSPCommand {
        public static let id: UInt16 = 0x0052
        public var configId: EzspConfigId
        public init(_ configId: EzspConfigId) { self.configId = configId }
        public func encodeParameters(version: UInt8) -> [UInt8] { [configId.code] }

        public struct Response: EZSPDecodable {
            public var status: NCPStatus
            public var value: UInt16
            public init(status: NCPStatus, value: UInt16) { self.status = status; self.value = value }

            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(status: try NCPStatus.readEzsp(&reader, version: version), value: try reader.readUInt16())
            }
        }
    }

    /// `setConfigurationValue` 0x0053. Only accepted before the network is initialised.
    public struct SetConfigurationValue: EZSPCommand {
        public typealias Response = EzspStatusResponse
        public static let id: UInt16 = 0x0053
        public var configId: EzspConfigId
        public var value: UInt16
        public init(_ configId: EzspConfigId, _ value: UInt16) { self.configId = configId; self.value = value }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out = [configId.code]
            out.appendLE(value)
            return out
        }
    }

    /// `setPolicy` 0x0055: policy id 1, decision 1.
    public struct SetPolicy: EZSPCommand {
        public typealias Response = EzspStatusResponse
        public static let id: UInt16 = 0x0055
        public var policy: EzspPolicyId
        public var decision: EzspDecision
        public init(_ policy: EzspPolicyId, _ decision: EzspDecision) { self.policy = policy; self.decision = decision }
        public func encodeParameters(version: UInt8) -> [UInt8] { [policy.code, decision.rawValue] }
    }

    /// `getValue` 0x00AA: answers status and a length-prefixed value.
    public struct GetValue: EZSPCommand {
        public static let id: UInt16 = 0x00AA
        public var valueId: EzspValueId
        public init(_ valueId: EzspValueId) { self.valueId = valueId }
        public func encodeParameters(version: UInt8) -> [UInt8] { [valueId.code] }

        public struct Response: EZSPDecodable {
            public var status: NCPStatus
            public var value: [UInt8]
            public init(status: NCPStatus, value: [UInt8]) { self.status = status; self.value = value }

            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                return Response(status: try NCPStatus.readEzsp(&reader, version: version),
                                value: try reader.readLengthPrefixed())
            }
        }
    }

    /// `setValue` 0x00AB: value id, length-prefixed value.
    public struct SetValue: EZSPCommand {
        public typealias Response = EzspStatusResponse
        public static let id: UInt16 = 0x00AB
        public let valueId: EzspValueId
        public let value: [UInt8]

        public init(_ valueId: EzspValueId, _ value: [UInt8]) throws(EZSPCommandError) {
            guard value.count <= 0xFF else { throw .payloadTooLong(count: value.count) }
            self.valueId = valueId
            self.value = value
        }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out = [valueId.code]
            out.appendLengthPrefixed(value)
            return out
        }
    }

    /// `addEndpoint` 0x0002: endpoint 1, profile 2, device id 2, device version 1, input count 1,
    /// output count 1, input clusters 2 each, output clusters 2 each.
    public struct AddEndpoint: EZSPCommand {
        public typealias Response = EzspStatusResponse
        public static let id: UInt16 = 0x0002
        public let endpoint: UInt8
        public let profileId: UInt16
        public let deviceId: UInt16
        public let deviceVersion: UInt8
        public let inputClusters: [UInt16]
        public let outputClusters: [UInt16]

        public init(endpoint: UInt8, profileId: UInt16, deviceId: UInt16, deviceVersion: UInt8 = 0,
                    inputClusters: [UInt16], outputClusters: [UInt16]) throws(EZSPCommandError) {
            guard inputClusters.count <= 0xFF else { throw .tooManyClusters(count: inputClusters.count) }
            guard outputClusters.count <= 0xFF else { throw .tooManyClusters(count: outputClusters.count) }
            self.endpoint = endpoint; self.profileId = profileId; self.deviceId = deviceId
            self.deviceVersion = deviceVersion; self.inputClusters = inputClusters; self.outputClusters = outputClusters
        }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out = [endpoint]
            out.appendLE(profileId)
            out.appendLE(deviceId)
            out.append(deviceVersion)
            out.append(UInt8(inputClusters.count))
            out.append(UInt8(outputClusters.count))
            for cluster in inputClusters { out.appendLE(cluster) }
            for cluster in outputClusters { out.appendLE(cluster) }
            return out
        }
    }

    /// `nop` 0x0005: checks the link; the response frame control still reports overflow/pending.
    public struct Nop: EZSPCommand {
        public typealias Response = EZSPEmptyResponse
        public static let id: UInt16 = 0x0005
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }
    }

    /// `callback` 0x0006: asks for a pending callback (needed over SPI; over UART callbacks arrive
    /// on their own). The NCP answers with a callback frame or `noCallbacks` (0x0007).
    public struct Callback: EZSPCommand {
        public typealias Response = EZSPEmptyResponse
        public static let id: UInt16 = 0x0006
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }
    }
}
