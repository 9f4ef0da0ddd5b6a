/// Timeouts and intervals of the bridge.
public struct BridgeOptions: Sendable {
    /// How long a command to an awake device may take on the radio.
    public var commandTimeout: Duration = .seconds(5)
    /// How long a USP Set to a sleepy device waits for it to wake up. The agent answers no other
    /// message meanwhile, so keep it short.
    public var setWakeTimeout: Duration = .seconds(10)
    /// How long an Operate (async) for a sleepy device waits for it to wake up.
    public var commandWakeTimeout: Duration = .seconds(900)
    /// How long a sleepy device stays awake after it reported itself awake.
    public var awakeWindow: Duration = .seconds(10)
    /// Last-known values are written to SQLite at most this often.
    public var flushInterval: Duration = .seconds(2)

    public init() {}
}
