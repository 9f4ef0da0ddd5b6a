/// ZDP status values (Zigbee spec 2.4.5 "ZDP Enumeration Description").
public enum ZDOStatus: Hashable, Sendable {
    case success                 // 0x00
    case invalidRequestType      // 0x80
    case deviceNotFound          // 0x81
    case invalidEndpoint         // 0x82
    case notActive               // 0x83
    case notSupported            // 0x84
    case timeout                 // 0x85
    case noMatch                 // 0x86
    case noEntry                 // 0x88
    case noDescriptor            // 0x89
    case insufficientSpace       // 0x8A
    case notPermitted            // 0x8B
    case tableFull               // 0x8C
    case notAuthorized           // 0x8D
    case deviceBindingTableFull  // 0x8E
    case invalidIndex            // 0x8F
    case unknown(UInt8)

    private static let table: [(UInt8, ZDOStatus)] = [
        (0x00, .success), (0x80, .invalidRequestType), (0x81, .deviceNotFound),
        (0x82, .invalidEndpoint), (0x83, .notActive), (0x84, .notSupported), (0x85, .timeout),
        (0x86, .noMatch), (0x88, .noEntry), (0x89, .noDescriptor), (0x8A, .insufficientSpace),
        (0x8B, .notPermitted), (0x8C, .tableFull), (0x8D, .notAuthorized),
        (0x8E, .deviceBindingTableFull), (0x8F, .invalidIndex),
    ]

    public init(rawValue: UInt8) {
        self = Self.table.first { $0.0 == rawValue }?.1 ?? .unknown(rawValue)
    }

    public var rawValue: UInt8 {
        if case .unknown(let value) = self { return value }
        return Self.table.first { $0.1 == self }?.0 ?? 0xFF
    }

    public var isSuccess: Bool { self == .success }
}

/// ZDO cluster ids (Zigbee spec 2.4.3 / 2.4.4). Responses are the request id | 0x8000.
public enum ZDOClusterID {
    public static let networkAddressRequest: UInt16 = 0x0000
    public static let ieeeAddressRequest: UInt16 = 0x0001
    public static let nodeDescriptorRequest: UInt16 = 0x0002
    public static let simpleDescriptorRequest: UInt16 = 0x0004
    public static let activeEndpointsRequest: UInt16 = 0x0005
    public static let deviceAnnounce: UInt16 = 0x0013
    public static let bindRequest: UInt16 = 0x0021
    public static let unbindRequest: UInt16 = 0x0022
    public static let mgmtLqiRequest: UInt16 = 0x0031
    public static let mgmtLeaveRequest: UInt16 = 0x0034
    public static let mgmtPermitJoiningRequest: UInt16 = 0x0036

    public static let responseFlag: UInt16 = 0x8000

    public static func response(for request: UInt16) -> UInt16 { request | responseFlag }
    public static func isResponse(_ clusterId: UInt16) -> Bool { clusterId & responseFlag != 0 }
}
