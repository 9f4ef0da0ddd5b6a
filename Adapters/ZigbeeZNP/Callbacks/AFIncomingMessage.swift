/// AF_INCOMING_MSG body.
public struct AFIncomingMessage: Sendable, Hashable {
    public var groupID: UInt16
    public var clusterID: UInt16
    public var sourceAddress: UInt16
    public var sourceEndpoint: UInt8
    public var destinationEndpoint: UInt8
    public var wasBroadcast: Bool
    public var linkQuality: UInt8
    public var securityUsed: Bool
    public var timestamp: UInt32
    public var transactionSequence: UInt8
    public var data: [UInt8]
    /// The neighbour the frame came through (Z-Stack 3 appends it; nil on older firmware).
    public var macSourceAddress: UInt16?

    public init(groupID: UInt16 = 0, clusterID: UInt16, sourceAddress: UInt16, sourceEndpoint: UInt8, destinationEndpoint: UInt8,
                wasBroadcast: Bool = false, linkQuality: UInt8, securityUsed: Bool = false, timestamp: UInt32 = 0,
                transactionSequence: UInt8, data: [UInt8], macSourceAddress: UInt16? = nil) {
        self.groupID = groupID
        self.clusterID = clusterID
        self.sourceAddress = sourceAddress
        self.sourceEndpoint = sourceEndpoint
        self.destinationEndpoint = destinationEndpoint
        self.wasBroadcast = wasBroadcast
        self.linkQuality = linkQuality
        self.securityUsed = securityUsed
        self.timestamp = timestamp
        self.transactionSequence = transactionSequence
        self.data = data
        self.macSourceAddress = macSourceAddress
    }
}
