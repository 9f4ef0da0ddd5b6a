import ZigbeeCore

/// UTIL_GET_DEVICE_INFO reply.
public struct ZNPDeviceInfo: Sendable, Hashable {
    public var status: MTStatus
    public var ieeeAddress: IEEEAddress
    public var networkAddress: UInt16
    /// Bit 0 coordinator, bit 1 router, bit 2 end device: the roles the firmware supports.
    public var deviceTypeCapabilities: UInt8
    public var state: ZNPDeviceState
    public var associatedDevices: [UInt16]

    public init(status: MTStatus, ieeeAddress: IEEEAddress, networkAddress: UInt16, deviceTypeCapabilities: UInt8,
                state: ZNPDeviceState, associatedDevices: [UInt16] = []) {
        self.status = status
        self.ieeeAddress = ieeeAddress
        self.networkAddress = networkAddress
        self.deviceTypeCapabilities = deviceTypeCapabilities
        self.state = state
        self.associatedDevices = associatedDevices
    }
}

/// ZDO device state (ZDO_STATE_CHANGE_IND, UTIL_GET_DEVICE_INFO; values per SWRA198 devStates_t).
public enum ZNPDeviceState: Sendable, Hashable {
    case initializedNotStarted       // 0x00
    case initializedNotConnected     // 0x01
    case discoveringPANs             // 0x02
    case joining                     // 0x03
    case rejoining                   // 0x04
    case joinedNotAuthenticated      // 0x05
    case endDevice                   // 0x06
    case router                      // 0x07
    case startingAsCoordinator       // 0x08
    case coordinator                 // 0x09
    case lostParent                  // 0x0A
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0x00: self = .initializedNotStarted
        case 0x01: self = .initializedNotConnected
        case 0x02: self = .discoveringPANs
        case 0x03: self = .joining
        case 0x04: self = .rejoining
        case 0x05: self = .joinedNotAuthenticated
        case 0x06: self = .endDevice
        case 0x07: self = .router
        case 0x08: self = .startingAsCoordinator
        case 0x09: self = .coordinator
        case 0x0A: self = .lostParent
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .initializedNotStarted: 0x00
        case .initializedNotConnected: 0x01
        case .discoveringPANs: 0x02
        case .joining: 0x03
        case .rejoining: 0x04
        case .joinedNotAuthenticated: 0x05
        case .endDevice: 0x06
        case .router: 0x07
        case .startingAsCoordinator: 0x08
        case .coordinator: 0x09
        case .lostParent: 0x0A
        case .other(let value): value
        }
    }
}

/// ZDO_STARTUP_FROM_APP reply.
public enum ZNPStartupState: Sendable, Hashable {
    case restoredNetwork  // 0x00
    case newNetwork       // 0x01
    case notStarted       // 0x02
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0x00: self = .restoredNetwork
        case 0x01: self = .newNetwork
        case 0x02: self = .notStarted
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .restoredNetwork: 0
        case .newNetwork: 1
        case .notStarted: 2
        case .other(let value): value
        }
    }
}
