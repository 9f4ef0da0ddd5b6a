import ZigbeeCore

/// `EmberApsFrame` (UG100 "Structure Definitions"): 11 bytes — profile 2, cluster 2, source
/// endpoint 1, destination endpoint 1, options 2, group 2, APS sequence 1.
/// Layout: bellows `bellows/types/struct.py` (EmberApsFrame); matches the herdsman fixtures in
/// `test/adapter/ember/consts.ts`.
public struct EmberApsFrame: Hashable, Sendable {
    public var profileId: UInt16
    public var clusterId: UInt16
    public var sourceEndpoint: UInt8
    public var destinationEndpoint: UInt8
    public var options: EmberApsOptions
    public var groupId: UInt16
    public var sequence: UInt8

    public init(profileId: UInt16, clusterId: UInt16, sourceEndpoint: UInt8, destinationEndpoint: UInt8,
                options: EmberApsOptions = [], groupId: UInt16 = 0, sequence: UInt8 = 0) {
        self.profileId = profileId
        self.clusterId = clusterId
        self.sourceEndpoint = sourceEndpoint
        self.destinationEndpoint = destinationEndpoint
        self.options = options
        self.groupId = groupId
        self.sequence = sequence
    }

    public static let encodedLength = 11

    public func encode(into out: inout [UInt8]) {
        out.appendLE(profileId)
        out.appendLE(clusterId)
        out.append(sourceEndpoint)
        out.append(destinationEndpoint)
        out.appendLE(options.rawValue)
        out.appendLE(groupId)
        out.append(sequence)
    }

    static func read(_ reader: inout ByteReader) throws -> EmberApsFrame {
        EmberApsFrame(
            profileId: try reader.readUInt16(),
            clusterId: try reader.readUInt16(),
            sourceEndpoint: try reader.readUInt8(),
            destinationEndpoint: try reader.readUInt8(),
            options: EmberApsOptions(rawValue: try reader.readUInt16()),
            groupId: try reader.readUInt16(),
            sequence: try reader.readUInt8())
    }
}

/// `EmberApsOption` bits (bellows `bellows/types/named.py`).
public struct EmberApsOptions: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let encryption = EmberApsOptions(rawValue: 0x0020)
    public static let retry = EmberApsOptions(rawValue: 0x0040)
    public static let enableRouteDiscovery = EmberApsOptions(rawValue: 0x0100)
    public static let forceRouteDiscovery = EmberApsOptions(rawValue: 0x0200)
    public static let sourceEUI64 = EmberApsOptions(rawValue: 0x0400)
    public static let destinationEUI64 = EmberApsOptions(rawValue: 0x0800)
    public static let enableAddressDiscovery = EmberApsOptions(rawValue: 0x1000)
}
