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
