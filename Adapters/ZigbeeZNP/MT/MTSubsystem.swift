/// Cmd0 bits 4-0 (SWRA198 §2.1.2; APP_CNF and ZGP as in later Z-Stack 3.x releases).
public struct MTSubsystem: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue & 0x1F
    }

    /// RPC error replies (an SRSP saying a request was not understood).
    public static let rpcError = MTSubsystem(rawValue: 0x00)
    public static let sys = MTSubsystem(rawValue: 0x01)
    public static let mac = MTSubsystem(rawValue: 0x02)
    public static let nwk = MTSubsystem(rawValue: 0x03)
    public static let af = MTSubsystem(rawValue: 0x04)
    public static let zdo = MTSubsystem(rawValue: 0x05)
    public static let sapi = MTSubsystem(rawValue: 0x06)
    public static let util = MTSubsystem(rawValue: 0x07)
    public static let debug = MTSubsystem(rawValue: 0x08)
    public static let app = MTSubsystem(rawValue: 0x09)
    public static let appConfig = MTSubsystem(rawValue: 0x0F)
    public static let zgp = MTSubsystem(rawValue: 0x15)

    public var description: String {
        switch rawValue {
        case 0x00: "RPC_ERROR"
        case 0x01: "SYS"
        case 0x02: "MAC"
        case 0x03: "NWK"
        case 0x04: "AF"
        case 0x05: "ZDO"
        case 0x06: "SAPI"
        case 0x07: "UTIL"
        case 0x08: "DEBUG"
        case 0x09: "APP"
        case 0x0F: "APP_CNF"
        case 0x15: "ZGP"
        default: "SUBSYSTEM_\(rawValue)"
        }
    }
}
