/// One APS data frame as a coordinator's stack hands it over or takes it: addressing, profile,
/// cluster and the payload (a ZCL frame, or a ZDO frame on endpoint 0 / profile 0x0000).
/// EZSP (incomingMessageHandler / sendUnicast) and Z-Stack (AF_INCOMING_MSG / AF_DATA_REQUEST)
/// both reduce to this.
public struct ZigbeeAPSMessage: Hashable, Sendable {
    public var source: UInt16
    public var sourceEndpoint: UInt8
    public var destination: UInt16
    public var destinationEndpoint: UInt8
    public var profileId: UInt16
    public var clusterId: UInt16
    public var payload: [UInt8]
    /// Link quality of the received frame (0–255), when the stack reports it.
    public var linkQuality: UInt8

    public init(source: UInt16, sourceEndpoint: UInt8, destination: UInt16, destinationEndpoint: UInt8,
                profileId: UInt16, clusterId: UInt16, payload: [UInt8], linkQuality: UInt8 = 255) {
        self.source = source; self.sourceEndpoint = sourceEndpoint
        self.destination = destination; self.destinationEndpoint = destinationEndpoint
        self.profileId = profileId; self.clusterId = clusterId; self.payload = payload; self.linkQuality = linkQuality
    }

    /// The Home Automation profile (ZCL) and the ZDO profile.
    public static let homeAutomationProfile: UInt16 = 0x0104
    public static let zdoProfile: UInt16 = 0x0000

    public var isZDO: Bool { profileId == Self.zdoProfile && destinationEndpoint == 0 }
}
