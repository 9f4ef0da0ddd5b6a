/// An action a command invokes on a functional unit.
public enum CommandAction: Sendable, Hashable {
    case toggle, stepUp, stepDown
    /// An adapter-specific command (`move_to_level`, `move_to_color_temperature` …).
    case named(String)
}

/// A command to a device, in the radio's terms (built by the bridge from a mapping).
public enum DeviceCommand: Sendable, Hashable {
    /// Writes the unit's value (the adapter picks the radio mechanism: attribute write, On/Off …).
    case write(UnitKey, RadioValue)
    /// Invokes an action on the unit with arguments.
    case invoke(UnitKey, action: CommandAction, args: [String: RadioValue])

    public var unit: UnitKey {
        switch self {
        case .write(let u, _), .invoke(let u, _, _): u
        }
    }
}

/// What the radio said about a command.
public enum CommandOutcome: Sendable, Hashable {
    /// Done; the new value when the device confirmed one.
    case success(RadioValue?)
    /// The device answered with an error status (ZCL status, Z-Wave supervision fail …).
    case rejected(status: Int, reason: String)
}

/// Why an adapter could not carry out a request.
public struct AdapterError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// No answer within the timeout.
        case timeout
        /// The device is not reachable (left, no route, offline).
        case unreachable
        /// The device or unit does not support the command.
        case unsupported
        /// The stick is not running (not started, unplugged, resetting).
        case adapterDown
        /// The device is busy or the radio's queue is full.
        case busy
        case other
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }
    public var description: String { "\(code): \(message)" }
}
