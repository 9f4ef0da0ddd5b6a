/// Logical device type (node descriptor bits 0-2; neighbor table device type).
public enum ZigbeeLogicalType: Hashable, Sendable {
    case coordinator
    case router
    case endDevice
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0: self = .coordinator
        case 1: self = .router
        case 2: self = .endDevice
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .coordinator: return 0
        case .router: return 1
        case .endDevice: return 2
        case .other(let value): return value
        }
    }
}

/// MAC capability flags (IEEE 802.15.4 capability information, Zigbee spec 2.3.2.3.6).
public struct ZigbeeMACCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let alternatePANCoordinator = ZigbeeMACCapabilities(rawValue: 0x01)
    /// Full function device (router capable).
    public static let fullFunctionDevice = ZigbeeMACCapabilities(rawValue: 0x02)
    public static let mainsPowered = ZigbeeMACCapabilities(rawValue: 0x04)
    /// Receiver stays on when idle; absent means a sleepy (polling) end device.
    public static let receiverOnWhenIdle = ZigbeeMACCapabilities(rawValue: 0x08)
    public static let securityCapable = ZigbeeMACCapabilities(rawValue: 0x40)
    public static let allocateAddress = ZigbeeMACCapabilities(rawValue: 0x80)
}

/// Supported frequency bands (node descriptor byte 1, bits 3-7).
public struct ZigbeeFrequencyBands: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let band868MHz = ZigbeeFrequencyBands(rawValue: 0x01)
    public static let band902MHz = ZigbeeFrequencyBands(rawValue: 0x04)
    public static let band2400MHz = ZigbeeFrequencyBands(rawValue: 0x08)
    public static let europeanSubGHz = ZigbeeFrequencyBands(rawValue: 0x10)
}

/// Server mask (node descriptor bytes 8-9).
public struct ZigbeeServerMask: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let primaryTrustCenter = ZigbeeServerMask(rawValue: 1 << 0)
    public static let backupTrustCenter = ZigbeeServerMask(rawValue: 1 << 1)
    public static let primaryBindingTableCache = ZigbeeServerMask(rawValue: 1 << 2)
    public static let backupBindingTableCache = ZigbeeServerMask(rawValue: 1 << 3)
    public static let primaryDiscoveryCache = ZigbeeServerMask(rawValue: 1 << 4)
    public static let backupDiscoveryCache = ZigbeeServerMask(rawValue: 1 << 5)
    public static let networkManager = ZigbeeServerMask(rawValue: 1 << 6)

    /// Stack compliance revision (bits 9-15, Zigbee r21 and later; 0 for older stacks).
    public var stackComplianceRevision: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 9) }
}

/// Node descriptor (Zigbee spec 2.3.2.3), 13 bytes on the wire:
/// byte 0: logical type (bits 0-2), complex descriptor available (3), user descriptor available (4);
/// byte 1: APS flags (bits 0-2), frequency band (bits 3-7); byte 2: MAC capability flags;
/// bytes 3-4 manufacturer code; 5 maximum buffer size; 6-7 maximum incoming transfer size;
/// 8-9 server mask; 10-11 maximum outgoing transfer size; 12 descriptor capability field.
public struct ZigbeeNodeDescriptor: Hashable, Sendable {
    public var logicalType: ZigbeeLogicalType
    public var complexDescriptorAvailable: Bool
    public var userDescriptorAvailable: Bool
    public var apsFlags: UInt8
    public var frequencyBands: ZigbeeFrequencyBands
    public var macCapabilities: ZigbeeMACCapabilities
    public var manufacturerCode: UInt16
    public var maximumBufferSize: UInt8
    public var maximumIncomingTransferSize: UInt16
    public var serverMask: ZigbeeServerMask
    public var maximumOutgoingTransferSize: UInt16
    public var descriptorCapabilities: UInt8

    public init(
        logicalType: ZigbeeLogicalType,
        complexDescriptorAvailable: Bool = false,
        userDescriptorAvailable: Bool = false,
        apsFlags: UInt8 = 0,
        frequencyBands: ZigbeeFrequencyBands = .band2400MHz,
        macCapabilities: ZigbeeMACCapabilities,
        manufacturerCode: UInt16,
        maximumBufferSize: UInt8 = 0x52,
        maximumIncomingTransferSize: UInt16 = 0x0052,
        serverMask: ZigbeeServerMask = [],
        maximumOutgoingTransferSize: UInt16 = 0x0052,
        descriptorCapabilities: UInt8 = 0
    ) {
        self.logicalType = logicalType
        self.complexDescriptorAvailable = complexDescriptorAvailable
        self.userDescriptorAvailable = userDescriptorAvailable
        self.apsFlags = apsFlags
        self.frequencyBands = frequencyBands
        self.macCapabilities = macCapabilities
        self.manufacturerCode = manufacturerCode
        self.maximumBufferSize = maximumBufferSize
        self.maximumIncomingTransferSize = maximumIncomingTransferSize
        self.serverMask = serverMask
        self.maximumOutgoingTransferSize = maximumOutgoingTransferSize
        self.descriptorCapabilities = descriptorCapabilities
    }

    /// A device whose receiver is off when idle only hears us when it polls its parent.
    public var isSleepy: Bool { !macCapabilities.contains(.receiverOnWhenIdle) }
    public var isMainsPowered: Bool { macCapabilities.contains(.mainsPowered) }

    static func read(_ r: inout ByteReader) throws -> ZigbeeNodeDescriptor {
        let byte0 = try r.readUInt8()
        let byte1 = try r.readUInt8()
        return ZigbeeNodeDescriptor(
            logicalType: ZigbeeLogicalType(rawValue: byte0 & 0x07),
            complexDescriptorAvailable: byte0 & 0x08 != 0,
            userDescriptorAvailable: byte0 & 0x10 != 0,
            apsFlags: byte1 & 0x07,
            frequencyBands: ZigbeeFrequencyBands(rawValue: byte1 >> 3),
            macCapabilities: ZigbeeMACCapabilities(rawValue: try r.readUInt8()),
            manufacturerCode: try r.readUInt16(),
            maximumBufferSize: try r.readUInt8(),
            maximumIncomingTransferSize: try r.readUInt16(),
            serverMask: ZigbeeServerMask(rawValue: try r.readUInt16()),
            maximumOutgoingTransferSize: try r.readUInt16(),
            descriptorCapabilities: try r.readUInt8()
        )
    }

    func write(to out: inout [UInt8]) {
        var byte0 = logicalType.rawValue & 0x07
        if complexDescriptorAvailable { byte0 |= 0x08 }
        if userDescriptorAvailable { byte0 |= 0x10 }
        out.append(byte0)
        out.append((apsFlags & 0x07) | (frequencyBands.rawValue << 3))
        out.append(macCapabilities.rawValue)
        out.appendLE(manufacturerCode)
        out.append(maximumBufferSize)
        out.appendLE(maximumIncomingTransferSize)
        out.appendLE(serverMask.rawValue)
        out.appendLE(maximumOutgoingTransferSize)
        out.append(descriptorCapabilities)
    }
}

/// Simple descriptor of one endpoint (Zigbee spec 2.3.2.5).
public struct ZigbeeSimpleDescriptor: Hashable, Sendable {
    public var endpoint: UInt8
    public var profileId: UInt16
    public var deviceId: UInt16
    /// Application device version (low 4 bits of the wire byte).
    public var deviceVersion: UInt8
    /// Server clusters (input cluster list).
    public var inputClusters: [UInt16]
    /// Client clusters (output cluster list).
    public var outputClusters: [UInt16]

    public init(endpoint: UInt8, profileId: UInt16, deviceId: UInt16, deviceVersion: UInt8 = 0, inputClusters: [UInt16], outputClusters: [UInt16]) {
        self.endpoint = endpoint
        self.profileId = profileId
        self.deviceId = deviceId
        self.deviceVersion = deviceVersion
        self.inputClusters = inputClusters
        self.outputClusters = outputClusters
    }

    static func read(_ r: inout ByteReader) throws -> ZigbeeSimpleDescriptor {
        let endpoint = try r.readUInt8()
        let profile = try r.readUInt16()
        let device = try r.readUInt16()
        let version = try r.readUInt8() & 0x0F
        var inputs: [UInt16] = []
        for _ in 0..<(try r.readUInt8()) { inputs.append(try r.readUInt16()) }
        var outputs: [UInt16] = []
        for _ in 0..<(try r.readUInt8()) { outputs.append(try r.readUInt16()) }
        return ZigbeeSimpleDescriptor(endpoint: endpoint, profileId: profile, deviceId: device, deviceVersion: version, inputClusters: inputs, outputClusters: outputs)
    }

    func write(to out: inout [UInt8]) throws {
        guard inputClusters.count <= 0xFF, outputClusters.count <= 0xFF else { throw ZigbeeCodecError(.valueOutOfRange) }
        out.append(endpoint)
        out.appendLE(profileId)
        out.appendLE(deviceId)
        out.append(deviceVersion & 0x0F)
        out.append(UInt8(inputClusters.count))
        for cluster in inputClusters { out.appendLE(cluster) }
        out.append(UInt8(outputClusters.count))
        for cluster in outputClusters { out.appendLE(cluster) }
    }
}
