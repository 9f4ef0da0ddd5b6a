/// SYS_RESET_IND body.
public struct ZNPResetIndication: Sendable, Hashable {
    public var reason: ZNPResetReason
    public var version: ZNPVersion

    public init(reason: ZNPResetReason, version: ZNPVersion) {
        self.reason = reason
        self.version = version
    }
}

/// SYS_RESET_IND reason.
public enum ZNPResetReason: Sendable, Hashable {
    case powerUp, external, watchdog
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0: self = .powerUp
        case 1: self = .external
        case 2: self = .watchdog
        default: self = .other(rawValue)
        }
    }
}

/// SYS_RESET_REQ type.
public enum ZNPResetType: UInt8, Sendable, Hashable {
    /// Watchdog reset.
    case hard = 0x00
    /// Jump to the reset vector (keeps a USB CDC link up on CC2531).
    case soft = 0x01
}
