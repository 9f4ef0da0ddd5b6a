import SerialPort

/// A byte path to an HCI controller carrying H4 packets (an indicator byte, then the packet):
/// a UART or `tcp://` port, a BlueZ HCI user-channel socket, or a USB dongle (whose endpoints
/// are framed into H4 here). The host logic never knows which.
public protocol HCITransport: AnyObject, Sendable {
    /// H4 bytes from the controller. Finishes when the transport closes or fails.
    var bytes: AsyncStream<[UInt8]> { get }
    /// Sends H4 bytes (one or more whole packets) to the controller.
    func write(_ h4: [UInt8]) throws
    func close()
    /// Why the byte stream ended, when the far side went away.
    var endReason: String? { get }
}

/// A serial port (tty, pty, TCP, or a BlueZ socket adopted as one) already carries H4.
extension SerialPort: HCITransport {}

/// Where the Bluetooth controller is, as written in the configuration's `port`.
public enum HCIPortAddress: Sendable, Hashable, CustomStringConvertible {
    /// An H4 UART (`/dev/ttyACM0`) or a network bridge (`tcp://host:6638`).
    case serial(PortAddress)
    /// A controller owned by the Linux kernel, used through a BlueZ HCI user-channel socket:
    /// `bluez:hci0` (or `bluez:` + its address).
    case bluez(device: String)
    /// A USB dongle through libusb: `usb:auto` (the first Bluetooth controller) or `usb:VID:PID`.
    case usb(vendorID: UInt16?, productID: UInt16?)

    public init(parsing text: String) throws(SerialPortError) {
        if text.hasPrefix("bluez:") {
            let dev = String(text.dropFirst(6))
            guard !dev.isEmpty else { throw SerialPortError(.badAddress, "\(text): name the controller, e.g. bluez:hci0") }
            self = .bluez(device: dev)
        } else if text.hasPrefix("usb:") {
            let rest = text.dropFirst(4)
            if rest == "auto" { self = .usb(vendorID: nil, productID: nil); return }
            let parts = rest.split(separator: ":")
            guard parts.count == 2, parts.allSatisfy({ $0.count == 4 }), let v = UInt16(parts[0], radix: 16), let p = UInt16(parts[1], radix: 16) else {
                throw SerialPortError(.badAddress, "\(text): expected usb:auto or usb:VID:PID with 4 hex digits each, e.g. usb:0a12:0001")
            }
            self = .usb(vendorID: v, productID: p)
        } else {
            self = .serial(try PortAddress(parsing: text))
        }
    }

    public var description: String {
        switch self {
        case .serial(let p): p.description
        case .bluez(let d): "bluez:\(d)"
        case .usb(nil, _), .usb(_, nil): "usb:auto"
        case .usb(let v?, let p?): "usb:" + String(format4(v)) + ":" + format4(p)
        }
    }
}

func format4(_ v: UInt16) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 4 - s.count) + s
}
