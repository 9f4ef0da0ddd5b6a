import CBluetooth
import Glibc
import SerialPort

/// A controller owned by the Linux kernel, opened through BlueZ's HCI user channel: the host
/// gets the controller to itself and reads and writes H4-framed packets on the socket (the
/// packet-type byte is the H4 indicator). The controller must be down (bluetoothd not using it).
///
/// Machines without Bluetooth sockets (containers, some VMs: EAFNOSUPPORT) get a clear error.
public enum BlueZHCISocket {
    public static func open(device: String) throws(SerialPortError) -> SerialPort {
        let fd = socket(AF_BLUETOOTH, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), BTPROTO_HCI)
        guard fd >= 0 else { throw explain(errno: errno, device: device, step: .socket) }
        let id: Int32
        if device.hasPrefix("hci"), let n = Int32(device.dropFirst(3)) {
            id = n
        } else {
            id = hci_devid(device) // a controller address, e.g. 00:1A:7D:DA:71:13
            guard id >= 0 else {
                Glibc.close(fd)
                throw SerialPortError(.notFound, "bluez:\(device): no such Bluetooth controller (use hci0, hci1 … or its address)")
            }
        }
        var addr = sockaddr_hci(hci_family: sa_family_t(AF_BLUETOOTH), hci_dev: UInt16(id), hci_channel: UInt16(HCI_CHANNEL_USER))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_hci>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(fd)
            throw explain(errno: e, device: device, step: .bind)
        }
        return try SerialPort(adopting: fd, name: "bluez:\(device)")
    }

    public enum Step: Sendable { case socket, bind }

    /// The error a user sees for an errno at each step (pure, tested on its own).
    public static func explain(errno e: Int32, device: String, step: Step) -> SerialPortError {
        let name = "bluez:\(device)"
        switch (step, e) {
        case (.socket, EAFNOSUPPORT), (.socket, EPROTONOSUPPORT):
            return SerialPortError(.notFound, "\(name): this kernel has no Bluetooth sockets (EAFNOSUPPORT); use a UART dongle (/dev/ttyACM0), usb:auto or tcp://host:port")
        case (_, EPERM), (_, EACCES):
            return SerialPortError(.permissionDenied, "\(name): the HCI user channel needs CAP_NET_ADMIN (run as root or grant the capability)")
        case (.bind, EBUSY):
            return SerialPortError(.busy, "\(name): the controller is up and used by bluetoothd; power it down first (`btmgmt --index \(device.dropFirst(3)) power off` or `hciconfig \(device) down`)")
        case (.bind, ENODEV):
            return SerialPortError(.notFound, "\(name): no such Bluetooth controller")
        default:
            return SerialPortError(.io, "\(name): \(String(cString: strerror(e)))")
        }
    }
}
