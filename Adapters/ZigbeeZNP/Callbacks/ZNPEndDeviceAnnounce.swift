import ZigbeeCore

/// ZDO_END_DEVICE_ANNCE_IND body.
public struct ZNPEndDeviceAnnounce: Sendable, Hashable {
    /// Who relayed the announcement.
    public var source: UInt16
    public var networkAddress: UInt16
    public var ieeeAddress: IEEEAddress
    public var capabilities: ZigbeeMACCapabilities

    public init(source: UInt16, networkAddress: UInt16, ieeeAddress: IEEEAddress, capabilities: ZigbeeMACCapabilities) {
        self.source = source
        self.networkAddress = networkAddress
        self.ieeeAddress = ieeeAddress
        self.capabilities = capabilities
    }
}
