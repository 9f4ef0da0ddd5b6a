/// SYS_VERSION reply. Z-Stack 3 builds append a code revision and bootloader details.
public struct ZNPVersion: Sendable, Hashable {
    public var transportRevision: UInt8
    /// 0: Z-Stack 1.2, 1: Z-Stack 3.x.0 (CC2652/CC1352 builds), 2: Z-Stack 3.0.x (CC2530/CC2538 3.0 builds).
    public var productID: UInt8
    public var major: UInt8
    public var minor: UInt8
    public var maintenance: UInt8
    /// Firmware build date as YYYYMMDD on Koenkk builds; nil when the reply is the short form.
    public var codeRevision: UInt32?

    public init(transportRevision: UInt8, productID: UInt8, major: UInt8, minor: UInt8, maintenance: UInt8, codeRevision: UInt32? = nil) {
        self.transportRevision = transportRevision
        self.productID = productID
        self.major = major
        self.minor = minor
        self.maintenance = maintenance
        self.codeRevision = codeRevision
    }

    /// Z-Stack 1.2 (CC2530/CC2531 "home automation" builds) keeps its NV marker elsewhere.
    public var isZStack12: Bool { productID == 0 }
}
