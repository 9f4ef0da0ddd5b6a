/// What the start-up learnt about the coordinator.
public struct ZNPCoordinatorInfo: Sendable, Hashable {
    public var capabilities: MTCapabilities = []
    public var version: ZNPVersion?
    /// ZCD_NV_STARTUP_OPTION as read (nil when it could not be read).
    public var startupOption: UInt8?
    /// True when this start-up formed a new network.
    public var formedNetwork = false
    public var deviceInfo: ZNPDeviceInfo?

    public init() {}
}
