/// BDB commissioning modes (APP_CNF_BDB_START_COMMISSIONING; zigpy-znp `BDBCommissioningMode`).
public struct BDBCommissioningMode: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let touchlinkInitiator = BDBCommissioningMode(rawValue: 1 << 0)
    public static let networkSteering = BDBCommissioningMode(rawValue: 1 << 1)
    public static let networkFormation = BDBCommissioningMode(rawValue: 1 << 2)
    public static let findingAndBinding = BDBCommissioningMode(rawValue: 1 << 3)
    public static let touchlinkTarget = BDBCommissioningMode(rawValue: 1 << 4)
    public static let parentLost = BDBCommissioningMode(rawValue: 1 << 5)
}

/// Status in APP_CNF_BDB_COMMISSIONING_NOTIFICATION (zigpy-znp `BDBCommissioningStatus`).
public enum BDBCommissioningStatus: Sendable, Hashable {
    case success             // 0x00
    case inProgress          // 0x01
    case noNetwork           // 0x02
    case formationFailure    // 0x08
    case networkRestored     // 0x0D
    case failure             // 0x0E
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0x00: self = .success
        case 0x01: self = .inProgress
        case 0x02: self = .noNetwork
        case 0x08: self = .formationFailure
        case 0x0D: self = .networkRestored
        case 0x0E: self = .failure
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .success: 0x00
        case .inProgress: 0x01
        case .noNetwork: 0x02
        case .formationFailure: 0x08
        case .networkRestored: 0x0D
        case .failure: 0x0E
        case .other(let value): value
        }
    }
}
