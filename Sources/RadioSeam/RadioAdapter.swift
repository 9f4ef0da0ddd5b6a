/// A long-running service for one radio stick. Adapters know nothing of USP; the bridge knows
/// nothing of radios: this protocol is the whole seam between them.
public protocol RadioAdapter: Sendable {
    /// What the adapter is; read at any time (state included).
    var info: AdapterInfo { get async }
    /// Every report, join, leave … The bridge consumes it from its own task for as long as it
    /// runs; the stream finishes when the adapter stops.
    var events: AsyncStream<AdapterEvent> { get }
    /// Runs the stick until cancelled (or a fatal error).
    func run() async throws
    /// Sends a command and waits for the device's answer, at most `timeout`.
    func send(_ command: DeviceCommand, to device: DeviceAddress, timeout: Duration) async throws(AdapterError) -> CommandOutcome
    /// Opens the network for joining for `seconds` (0 closes it).
    func permitJoin(seconds: Int) async throws(AdapterError)
    /// Asks the device to leave and forgets it; a `deviceLeft` event follows.
    func remove(device: DeviceAddress) async throws(AdapterError)
    /// Interviews the device again; a `deviceUpdated` event follows.
    func reinterview(device: DeviceAddress) async throws(AdapterError)
    /// Reads the unit's value (all units when nil) from the device; `report` events follow.
    func refresh(device: DeviceAddress, unit: UnitKey?) async throws(AdapterError)
}
