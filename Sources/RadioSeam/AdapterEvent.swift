import Foundation

/// Everything an adapter reports to the bridge.
public enum AdapterEvent: Sendable, Hashable {
    /// A device joined (or was found at start-up) and finished its interview.
    case deviceJoined(DeviceIdentity, [FunctionalUnit])
    /// A device left the network or was removed.
    case deviceLeft(DeviceAddress)
    /// A device's units changed (re-interview, firmware update).
    case deviceUpdated(DeviceAddress, [FunctionalUnit])
    /// A value report (attribute report, read answer, advertisement).
    case report(DeviceAddress, UnitKey, RadioValue, timestamp: Date)
    /// The device became reachable or unreachable.
    case availability(DeviceAddress, online: Bool)
    /// A sleepy device is awake and will take commands now (Z-Wave Wake Up Notification,
    /// ZigBee poll / check-in). Queued commands are sent.
    case awake(DeviceAddress)
    /// A momentary event such as a button press, with its arguments.
    case event(DeviceAddress, UnitKey, name: String, args: [String: RadioValue])
    /// The adapter's own state changed.
    case stateChanged(AdapterState)
}
