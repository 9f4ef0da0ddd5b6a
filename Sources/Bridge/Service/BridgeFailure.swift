import DataModel

/// Why a Set or a command on a proxied device failed, with its USP error codes.
enum BridgeFailure: Error, Sendable, Equatable {
    case radio(AdapterError, device: DeviceAddress)
    case rejected(status: Int, reason: String, device: DeviceAddress)
    /// A sleepy device did not wake up in time.
    case asleep(device: DeviceAddress, waited: Duration)
    case passive(device: DeviceAddress)
    case notSupported(String)
    case invalidValue(String)
    case gone(device: DeviceAddress)

    var message: String {
        switch self {
        case .radio(let e, let d):
            switch e.code {
            case .timeout: return "device \(d) did not answer in time (\(e.message))"
            case .unreachable: return "device \(d) is unreachable (\(e.message))"
            case .adapterDown: return "the radio of device \(d) is not running (\(e.message))"
            case .busy: return "the radio is busy; try again (\(e.message))"
            case .unsupported: return "device \(d) does not support this command (\(e.message))"
            case .other: return "radio error for device \(d): \(e.message)"
            }
        case .rejected(let s, let r, let d): return "device \(d) rejected the command (status \(s)\(r.isEmpty ? "" : ": " + r))"
        case .asleep(let d, let w): return "device \(d) is asleep and did not wake up within \(w.components.seconds) s; the command was dropped"
        case .passive(let d): return "device \(d) only broadcasts; it takes no commands"
        case .notSupported(let m): return m
        case .invalidValue(let m): return m
        case .gone(let d): return "device \(d) left the network"
        }
    }

    /// Code for a Set parameter failure.
    var setCode: USPErrorCode {
        switch self {
        case .invalidValue: .invalidValue
        case .rejected, .notSupported: .parameterActionFailed
        case .radio, .asleep, .passive, .gone: .requestDenied
        }
    }

    /// The error for an Operate command failure.
    var commandError: USPError {
        switch self {
        case .invalidValue(let m): USPError(.invalidCommandArguments, m)
        default: USPError(.commandFailure, message)
        }
    }
}
