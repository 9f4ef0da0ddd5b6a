/// An RPC error SRSP (subsystem 0, command 0): the device could not process a request.
/// Data field: error code, then cmd0 and cmd1 of the refused request (zigpy-znp rpc_error.py).
public struct MTRPCError: Sendable, Hashable {
    public enum Code: Sendable, Hashable {
        case invalidSubsystem     // 0x01
        case invalidCommandID     // 0x02
        case invalidParameter     // 0x03
        case invalidLength        // 0x04
        case other(UInt8)

        public init(rawValue: UInt8) {
            switch rawValue {
            case 0x01: self = .invalidSubsystem
            case 0x02: self = .invalidCommandID
            case 0x03: self = .invalidParameter
            case 0x04: self = .invalidLength
            default: self = .other(rawValue)
            }
        }
    }

    /// nil when the data field was empty.
    public var code: Code?
    public var cmd0: UInt8?
    public var cmd1: UInt8?

    public init(code: Code?, cmd0: UInt8?, cmd1: UInt8?) {
        self.code = code
        self.cmd0 = cmd0
        self.cmd1 = cmd1
    }

    init(payload: [UInt8]) {
        self.init(code: payload.first.map(Code.init(rawValue:)),
                  cmd0: payload.count > 1 ? payload[1] : nil,
                  cmd1: payload.count > 2 ? payload[2] : nil)
    }
}
