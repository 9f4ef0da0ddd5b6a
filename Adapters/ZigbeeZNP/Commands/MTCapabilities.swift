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
