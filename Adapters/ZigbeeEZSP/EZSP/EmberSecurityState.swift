import ZigbeeCore

/// A 128-bit key (`EmberKeyData`), sent as its 16 bytes in order.
public struct EmberKeyData: Hashable, Sendable {
    public let bytes: [UInt8]

    /// nil unless exactly 16 bytes.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The ZigBee 3.0 well-known trust-center link key "ZigBeeAlliance09".
    public static let zigbeeAlliance09 = EmberKeyData(Array("ZigBeeAlliance09".utf8))!
    public static let zero = EmberKeyData([UInt8](repeating: 0, count: 16))!
}

/// `EmberInitialSecurityBitmask` bits (bellows `bellows/types/named.py`).
public struct EmberInitialSecurityBitmask: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let distributedTrustCenterMode = Self(rawValue: 0x0002)
    public static let trustCenterGlobalLinkKey = Self(rawValue: 0x0004)
    public static let preconfiguredNetworkKeyMode = Self(rawValue: 0x0008)
    public static let haveTrustCenterEUI64 = Self(rawValue: 0x0040)
    public static let trustCenterUsesHashedLinkKey = Self(rawValue: 0x0084)
    public static let havePreconfiguredKey = Self(rawValue: 0x0100)
    public static let haveNetworkKey = Self(rawValue: 0x0200)
    public static let getLinkKeyWhenJoining = Self(rawValue: 0x0400)
    public static let requireEncryptedKey = Self(rawValue: 0x0800)
    public static let noFrameCounterReset = Self(rawValue: 0x1000)
    public static let getPreconfiguredKeyFromInstallCode = Self(rawValue: 0x2000)
}

/// `EmberInitialSecurityState` (UG100 "Structure Definitions"): 43 bytes — bitmask 2, preconfigured
/// key 16, network key 16, network key sequence 1, preconfigured trust-center EUI-64 8.
/// Layout: bellows `bellows/types/struct.py`; zigbee-herdsman `writeEmberInitialSecurityState`.
public struct EmberInitialSecurityState: Hashable, Sendable {
    public var bitmask: EmberInitialSecurityBitmask
    public var preconfiguredKey: EmberKeyData
    public var networkKey: EmberKeyData
    public var networkKeySequenceNumber: UInt8
    public var preconfiguredTrustCenterEUI64: IEEEAddress

    public init(bitmask: EmberInitialSecurityBitmask, preconfiguredKey: EmberKeyData, networkKey: EmberKeyData,
                networkKeySequenceNumber: UInt8 = 0, preconfiguredTrustCenterEUI64: IEEEAddress = IEEEAddress(0)) {
        self.bitmask = bitmask
        self.preconfiguredKey = preconfiguredKey
        self.networkKey = networkKey
        self.networkKeySequenceNumber = networkKeySequenceNumber
        self.preconfiguredTrustCenterEUI64 = preconfiguredTrustCenterEUI64
    }

    /// A centralised trust center with the well-known link key and the given network key: the
    /// bits a ZigBee 3.0 coordinator forms with (global hashed link key, preconfigured and network
    /// key present, encrypted key transport).
    public static func coordinator(networkKey: EmberKeyData) -> EmberInitialSecurityState {
        EmberInitialSecurityState(
            bitmask: [.trustCenterGlobalLinkKey, .trustCenterUsesHashedLinkKey, .havePreconfiguredKey,
                      .haveNetworkKey, .requireEncryptedKey],
            preconfiguredKey: .zigbeeAlliance09, networkKey: networkKey)
    }

    public static let encodedLength = 43

    public func encode(into out: inout [UInt8]) {
        out.appendLE(bitmask.rawValue)
        out.append(contentsOf: preconfiguredKey.bytes)
        out.append(contentsOf: networkKey.bytes)
        out.append(networkKeySequenceNumber)
        out.appendLE(preconfiguredTrustCenterEUI64.rawValue)
    }
}

/// `EmberCurrentSecurityState`: bitmask 2 (EmberCurrentSecurityBitmask), trust-center EUI-64 8.
public struct EmberCurrentSecurityState: Hashable, Sendable {
    public var bitmask: UInt16
    public var trustCenterLongAddress: IEEEAddress

    public init(bitmask: UInt16, trustCenterLongAddress: IEEEAddress) {
        self.bitmask = bitmask
        self.trustCenterLongAddress = trustCenterLongAddress
    }

    static func read(_ reader: inout ByteReader) throws -> EmberCurrentSecurityState {
        EmberCurrentSecurityState(bitmask: try reader.readUInt16(),
                                  trustCenterLongAddress: IEEEAddress(try reader.readUInt64()))
    }
}
