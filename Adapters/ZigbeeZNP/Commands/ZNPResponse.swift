/// The SRSP to a `ZNPRequest`.
public enum ZNPResponse: Sendable, Hashable {
    case status(MTStatus)
    case capabilities(MTCapabilities)
    case version(ZNPVersion)
    case nvValue(status: MTStatus, value: [UInt8])
    /// SYS_SET_TX_POWER: the power applied (or a status on older firmware).
    case txPower(Int8)
    case deviceInfo(ZNPDeviceInfo)
    case startupState(ZNPStartupState)
    /// The request was an AREQ: there is no reply.
    case none

    /// The status the reply carries, if it has one.
    public var status: MTStatus? {
        switch self {
        case .status(let status), .nvValue(let status, _): status
        case .deviceInfo(let info): info.status
        case .capabilities, .version, .txPower, .startupState, .none: nil
        }
    }
}
