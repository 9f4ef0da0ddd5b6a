/// Ids of the OSAL NV items the adapter touches (Z-Stack ZComDef.h; zigpy-znp `OsalNvIds`).
public struct NVItemID: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// ZCD_NV_STARTUP_OPTION: bit 0 clear configuration, bit 1 clear network state on next reset.
    public static let startupOption = NVItemID(rawValue: 0x0003)
    /// ZCD_NV_LOGICAL_TYPE: 0 coordinator, 1 router, 2 end device.
    public static let logicalType = NVItemID(rawValue: 0x0087)
    /// Marker a host writes (0x55) once it has configured a Z-Stack 3.x device.
    public static let hasConfiguredZStack3 = NVItemID(rawValue: 0x0060)
    /// The same marker on Z-Stack 1.2.
    public static let hasConfiguredZStack12 = NVItemID(rawValue: 0x0F00)

    /// Value of the "has configured" marker.
    public static let configuredMarker: UInt8 = 0x55

    public var description: String { "NV(0x\(String(rawValue, radix: 16, uppercase: true)))" }
}
