/// Where a radio stick is: a character device (`/dev/ttyUSB0`, `/dev/serial/by-id/…`, a
/// pseudo-terminal) or a network-attached stick (`tcp://host:port`, ser2net, SLZB-06 …).
public enum PortAddress: Sendable, Hashable, CustomStringConvertible {
    case device(path: String)
    case tcp(host: String, port: Int)

    /// Parses a port as written in the configuration. `tcp://host:port` (IPv6 hosts in
    /// brackets) or an absolute device path.
    public init(parsing text: String) throws(SerialPortError) {
        if text.hasPrefix("tcp://") {
            let rest = String(text.dropFirst(6))
            let host: String, portText: String
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                let after = rest[rest.index(after: close)...]
                guard after.hasPrefix(":") else { throw SerialPortError(.badAddress, "\(text): expected tcp://[host]:port") }
                portText = String(after.dropFirst())
            } else {
                guard let colon = rest.lastIndex(of: ":") else { throw SerialPortError(.badAddress, "\(text): expected tcp://host:port") }
                host = String(rest[..<colon])
                portText = String(rest[rest.index(after: colon)...])
            }
            guard !host.isEmpty else { throw SerialPortError(.badAddress, "\(text): the host is empty") }
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw SerialPortError(.badAddress, "\(text): the port must be a number from 1 to 65535")
            }
            self = .tcp(host: host, port: port)
        } else if text.hasPrefix("/") {
            self = .device(path: text)
        } else {
            throw SerialPortError(.badAddress, "\(text): expected a device path such as /dev/ttyUSB0, or tcp://host:port")
        }
    }

    public var description: String {
        switch self {
        case .device(let p): p
        case .tcp(let h, let p): h.contains(":") ? "tcp://[\(h)]:\(p)" : "tcp://\(h):\(p)"
        }
    }
}

/// Line settings of a serial port. Ignored for `tcp://` ports (the far end sets its line).
public struct SerialSettings: Sendable, Hashable {
    public enum FlowControl: String, Sendable, Hashable, CaseIterable {
        /// No flow control.
        case none
        /// RTS/CTS lines (most EZSP sticks at 115200 and above).
        case hardware
        /// XON/XOFF bytes in the stream.
        case software
    }

    public var baudRate: Int
    public var flowControl: FlowControl

    public init(baudRate: Int = 115_200, flowControl: FlowControl = .none) {
        self.baudRate = baudRate; self.flowControl = flowControl
    }

    /// The baud rates a Linux tty accepts.
    public static let supportedBaudRates: [Int] = [
        1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200, 230_400, 460_800, 500_000, 576_000,
        921_600, 1_000_000, 1_152_000, 1_500_000, 2_000_000, 3_000_000, 4_000_000,
    ]
}

/// Why a port could not be opened or used. `code` is what callers switch on.
public struct SerialPortError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case badAddress, notFound, permissionDenied, busy, badSettings, connectFailed, io, closed, writeTimeout
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }
    public var description: String { message }
}
