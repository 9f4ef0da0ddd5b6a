/// Cmd0 bits 7-5 (SWRA198 §2.1.2).
public enum MTCommandType: Sendable, Hashable {
    case poll
    /// Synchronous request: the device answers with exactly one SRSP.
    case sreq
    /// Asynchronous request or callback; no reply.
    case areq
    /// Synchronous response to an SREQ.
    case srsp
    /// Values 4...7.
    case reserved(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue & 0x07 {
        case 0: self = .poll
        case 1: self = .sreq
        case 2: self = .areq
        case 3: self = .srsp
        default: self = .reserved(rawValue & 0x07)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .poll: 0
        case .sreq: 1
        case .areq: 2
        case .srsp: 3
        case .reserved(let value): value & 0x07
        }
    }
}
