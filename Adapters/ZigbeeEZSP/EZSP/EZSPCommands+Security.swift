import ZigbeeCore

// Security and trust-center frames (UG100 "Security Frames", "Trust Center Frames"). Frame ids and
// layouts: bellows `bellows/ezsp/v4/commands.py` with the v14 sl_status swap; zigbee-herdsman
// `ezsp.ts` (ezspSetInitialSecurityState, ezspGetCurrentSecurityState, ezspRemoveDevice).

extension EZSPCommands {
    /// `setInitialSecurityState` 0x0068: EmberInitialSecurityState (43 bytes).
    public struct SetInitialSecurityState: EZSPCommand {
        public typealias Response = EmberStatusResponse
        public static let id: UInt16 = 0x0068
        public var state: EmberInitialSecurityState
        public init(_ state: EmberInitialSecurityState) { self.state = state }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out: [UInt8] = []
            state.encode(into: &out)
            return out
        }
    }

    /// `getCurrentSecurityState` 0x0069: status and EmberCurrentSecurityState.
    public struct GetCurrentSecurityState: EZSPCommand {
        public static let id: UInt16 = 0x0069
        public init() {}
        public func encodeParameters(version: UInt8) -> [UInt8] { [] }

        public struct Response: EZSPDecodable {
            public var status: NCPStatus
            public var state: EmberCurrentSecurityState?

            public init(status: NCPStatus, state: EmberCurrentSecurityState?) { self.status = status; self.state = state }

            public static func decode(_ parameters: [UInt8], version: UInt8) throws -> Response {
                var reader = ByteReader(parameters)
                let status = try NCPStatus.readEmber(&reader, version: version)
                guard status.isSuccess else { return Response(status: status, state: nil) }
                return Response(status: status, state: try EmberCurrentSecurityState.read(&reader))
            }
        }
    }

    /// `removeDevice` 0x00A8: tells `destination` (short 2, long 8) to make `target` (long 8) leave.
    public struct RemoveDevice: EZSPCommand {
        public typealias Response = EmberStatusResponse
        public static let id: UInt16 = 0x00A8
        public var destinationShort: UInt16
        public var destinationLong: IEEEAddress
        public var target: IEEEAddress

        public init(destinationShort: UInt16, destinationLong: IEEEAddress, target: IEEEAddress) {
            self.destinationShort = destinationShort; self.destinationLong = destinationLong; self.target = target
        }

        public func encodeParameters(version: UInt8) -> [UInt8] {
            var out: [UInt8] = []
            out.appendLE(destinationShort)
            out.appendLE(destinationLong.rawValue)
            out.appendLE(target.rawValue)
            return out
        }
    }
}
