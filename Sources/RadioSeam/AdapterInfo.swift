/// The running state of a radio stick.
public enum AdapterState: String, Sendable, Hashable, Codable {
    case starting, running, permitJoin, resetting, failed, stopped
}

/// What a radio adapter tells about itself (shown under `Device.X_USPBRIDGE_Radio.{i}.`).
public struct AdapterInfo: Sendable, Hashable {
    public var radioProtocol: RadioProtocol
    /// Stack name: `ZNP`, `EZSP`, `Z-Wave Serial API`, `HCI` …
    public var stack: String
    /// Serial port or device path (`/dev/ttyUSB0`, `hci0`).
    public var port: String
    public var firmware: String
    public var state: AdapterState

    public init(radioProtocol: RadioProtocol, stack: String, port: String, firmware: String = "", state: AdapterState = .starting) {
        self.radioProtocol = radioProtocol; self.stack = stack; self.port = port; self.firmware = firmware; self.state = state
    }
}
