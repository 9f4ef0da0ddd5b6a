import ZigbeeCore

/// MT interfaces a device was built with (SYS_PING reply; bit layout as in zigpy-znp `MTCapabilities`).
public struct MTCapabilities: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let sys = MTCapabilities(rawValue: 1 << 0)
    public static let mac = MTCapabilities(rawValue: 1 << 1)
    public static let nwk = MTCapabilities(rawValue: 1 << 2)
    public static let af = MTCapabilities(rawValue: 1 << 3)
    public static let zdo = MTCapabilities(rawValue: 1 << 4)
    public static let sapi = MTCapabilities(rawValue: 1 << 5)
    public static let util = MTCapabilities(rawValue: 1 << 6)
    public static let debug = MTCapabilities(rawValue: 1 << 7)
    public static let app = MTCapabilities(rawValue: 1 << 8)
    public static let zgp = MTCapabilities(rawValue: 1 << 9)
    public static let appConfig = MTCapabilities(rawValue: 1 << 10)
}

/// SYS_VERSION reply. Z-Stack 3 builds append a code revision and bootloader details.
public struct ZNPVersion: Sendable, Hashable {
    public var transportRevision: UInt8
    /// 0: Z-Stack 1.2, 1: Z-Stack 3.0.x, 2: Z-Stack 3.x.0 (as zigpy-znp interprets it).
    public var productID: UInt8
    public var major: UInt8
    public var minor: UInt8
    public var maintenance: UInt8
    /// Firmware build date as YYYYMMDD on Koenkk builds; nil when the reply is the short form.
    public var codeRevision: UInt32?

    public init(transportRevision: UInt8, productID: UInt8, major: UInt8, minor: UInt8, maintenance: UInt8, codeRevision: UInt32? = nil) {
        self.transportRevision = transportRevision
        self.productID = productID
        self.major = major
        self.minor = minor
        self.maintenance = maintenance
        self.codeRevision = codeRevision
    }

    /// Z-Stack 1.2 (CC2530/CC2531 "home automation" builds) keeps its NV marker elsewhere.
    public var isZStack12: Bool { productID == 0 }
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

/// Ids of the OSAL NV items the adapter touches (Z-Stack ZComDef.h; zigpy-znp `OsalNvIds`).
public struct NVItemID: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// ZCD_NV_STARTUP_OPTION: bit 0 clear configuration, bit 1 clear network state on next reset.
    public static let startupOption = NVItemID(rawValue: 0x0003)
    /// ZCD_NV_LOGICAL_TYPE: 0 coordinator, 1 router, 2 end device.
    public static let logicalType = NVItemID(rawValue: 0x0087)
    /// Marker a host writes (0x55) once it has configured a Z-Stack 3.x device.
    public static let hasConfiguredZStack3 = NVItemID(rawValue: 0x0060)
    /// The same marker on Z-Stack 1.2.
    public static let hasConfiguredZStack12 = NVItemID(rawValue: 0x0F00)

    /// Value of the "has configured" marker.
    public static let configuredMarker: UInt8 = 0x55

    public var description: String { "NV(0x\(String(rawValue, radix: 16, uppercase: true)))" }
}

/// SYS_RESET_REQ type.
public enum ZNPResetType: UInt8, Sendable, Hashable {
    /// Watchdog reset.
    case hard = 0x00
    /// Jump to the reset vector (keeps a USB CDC link up on CC2531).
    case soft = 0x01
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

/// AF_DATA_REQUEST transmit options (SWRA198 §3.2.1.2).
public struct AFTransmitOptions: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let wildcardProfileID = AFTransmitOptions(rawValue: 0x02)
    public static let apsAck = AFTransmitOptions(rawValue: 0x10)
    public static let suppressRouteDiscovery = AFTransmitOptions(rawValue: 0x20)
    public static let apsSecurity = AFTransmitOptions(rawValue: 0x40)
    public static let skipRouting = AFTransmitOptions(rawValue: 0x80)
}

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

/// An endpoint the host registers on the coordinator (AF_REGISTER).
public struct AFEndpoint: Sendable, Hashable {
    public var endpoint: UInt8
    public var profileID: UInt16
    public var deviceID: UInt16
    public var deviceVersion: UInt8
    public var inputClusters: [UInt16]
    public var outputClusters: [UInt16]

    public init(endpoint: UInt8, profileID: UInt16, deviceID: UInt16, deviceVersion: UInt8 = 0,
                inputClusters: [UInt16] = [], outputClusters: [UInt16] = []) {
        self.endpoint = endpoint
        self.profileID = profileID
        self.deviceID = deviceID
        self.deviceVersion = deviceVersion
        self.inputClusters = inputClusters
        self.outputClusters = outputClusters
    }

    /// Endpoint 1, Home Automation profile, configuration tool device; no clusters.
    public static let defaultCoordinator = AFEndpoint(endpoint: 1, profileID: 0x0104, deviceID: 0x0005)
}

/// One unicast AF_DATA_REQUEST.
public struct AFDataRequest: Sendable, Hashable {
    public var destination: UInt16
    public var destinationEndpoint: UInt8
    public var sourceEndpoint: UInt8
    public var clusterID: UInt16
    /// Echoed in AF_DATA_CONFIRM; pick one per request.
    public var transactionID: UInt8
    public var options: AFTransmitOptions
    public var radius: UInt8
    public var data: [UInt8]

    public init(destination: UInt16, destinationEndpoint: UInt8, sourceEndpoint: UInt8 = 1, clusterID: UInt16,
                transactionID: UInt8, options: AFTransmitOptions = [], radius: UInt8 = 30, data: [UInt8]) {
        self.destination = destination
        self.destinationEndpoint = destinationEndpoint
        self.sourceEndpoint = sourceEndpoint
        self.clusterID = clusterID
        self.transactionID = transactionID
        self.options = options
        self.radius = radius
        self.data = data
    }
}

/// Where ZDO_BIND_REQ points the binding.
public enum ZDOBindDestination: Sendable, Hashable {
    case group(UInt16)
    case device(IEEEAddress, endpoint: UInt8)
}

/// Target of ZDO_MGMT_PERMIT_JOIN_REQ.
public enum ZDOPermitJoinTarget: Sendable, Hashable {
    /// One router (or the coordinator, 0x0000).
    case device(UInt16)
    /// All routers and the coordinator (broadcast 0xFFFC).
    case allRouters
}
