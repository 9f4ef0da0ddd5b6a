import CUSB
import Foundation
import SerialPort
import USBSupport

/// How H4 packets map onto the USB transport of a Bluetooth controller (Core Vol 4 Part B):
/// commands go out as class requests on the control endpoint, ACL data on bulk OUT 0x02;
/// events come in on interrupt IN 0x81, ACL data on bulk IN 0x82. Pure, tested on its own.
public enum USBHCIFraming {
    public enum Out: Sendable, Hashable {
        /// bmRequestType 0x20 (host-to-device, class, device), bRequest 0, wValue 0, wIndex 0.
        case control([UInt8])
        case bulk([UInt8])
    }

    public static let interruptIn: UInt8 = 0x81
    public static let bulkIn: UInt8 = 0x82
    public static let bulkOut: UInt8 = 0x02

    /// Splits H4 bytes (whole packets) into USB transfers. Throws on an unknown or partial packet.
    public static func transfers(_ h4: [UInt8]) throws(SerialPortError) -> [Out] {
        var out: [Out] = []
        var i = 0
        while i < h4.count {
            switch h4[i] {
            case 0x01:
                guard i + 4 <= h4.count else { throw SerialPortError(.io, "partial HCI command") }
                let n = 3 + Int(h4[i + 3])
                guard i + 1 + n <= h4.count else { throw SerialPortError(.io, "partial HCI command") }
                out.append(.control(Array(h4[(i + 1)..<(i + 1 + n)])))
                i += 1 + n
            case 0x02:
                guard i + 5 <= h4.count else { throw SerialPortError(.io, "partial ACL packet") }
                let n = 4 + (Int(h4[i + 3]) | Int(h4[i + 4]) << 8)
                guard i + 1 + n <= h4.count else { throw SerialPortError(.io, "partial ACL packet") }
                out.append(.bulk(Array(h4[(i + 1)..<(i + 1 + n)])))
                i += 1 + n
            default:
                throw SerialPortError(.io, "H4 packet type 0x\(String(h4[i], radix: 16)) cannot be sent over USB by this host")
            }
        }
        return out
    }

    /// An event as read from the interrupt endpoint, as H4 bytes.
    public static func h4Event(_ usb: ArraySlice<UInt8>) -> [UInt8] { [0x04] + usb }
    /// ACL data as read from the bulk endpoint, as H4 bytes.
    public static func h4ACL(_ usb: ArraySlice<UInt8>) -> [UInt8] { [0x02] + usb }
}

/// A USB Bluetooth dongle driven directly through libusb (no kernel driver): found by its USB
/// class (E0/01/01), interface 0 claimed (the kernel's btusb driver is detached while we hold
/// it), events read by a dedicated thread.
public final class USBHCITransport: HCITransport, @unchecked Sendable {
    public let bytes: AsyncStream<[UInt8]>
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private let bus: USBBus
    private let handle: OpaquePointer
    private let lock = NSLock()
    private var closed = false
    private var reason: String?
    private let done = DispatchSemaphore(value: 0)
    public let name: String

    /// Finds and opens the controller. `vendorID`/`productID` nil: the first Bluetooth controller.
    public init(vendorID: UInt16?, productID: UInt16?) throws(SerialPortError) {
        let label = HCIPortAddress.usb(vendorID: vendorID, productID: productID).description
        let bus: USBBus
        do { bus = try USBBus() } catch { throw SerialPortError(.notFound, "\(label): \(error.message)") }
        let devices: [USBDeviceInfo]
        do { devices = try bus.devices() } catch { throw SerialPortError(.io, "\(label): \(error.message)") }
        guard let dev = Self.choose(devices, vendorID: vendorID, productID: productID) else {
            let why = devices.isEmpty ? "no USB device is plugged in (or this machine has no USB bus)"
                : "none of the \(devices.count) USB devices is a Bluetooth controller (class E0/01/01)\(vendorID != nil ? " with that ID" : "")"
            throw SerialPortError(.notFound, "\(label): \(why)")
        }
        let h: OpaquePointer
        do { h = try bus.open(bus: dev.bus, address: dev.address) } catch { throw SerialPortError(.permissionDenied, "\(label): \(error.message)") }
        _ = libusb_set_auto_detach_kernel_driver(h, 1)
        let rc = libusb_claim_interface(h, 0)
        guard rc == 0 else {
            libusb_close(h)
            throw SerialPortError(.busy, "\(label): \(USBError(libusb: rc, "claiming interface 0").message)")
        }
        self.bus = bus
        handle = h
        name = "usb:\(dev.id)"
        (bytes, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .unbounded)
        let t = Thread { [self] in self.readLoop() }
        t.name = "usb-hci"
        t.start()
    }

    /// The device the transport would use (pure; tested with descriptor lists).
    public static func choose(_ devices: [USBDeviceInfo], vendorID: UInt16?, productID: UInt16?) -> USBDeviceInfo? {
        devices.first { d in
            if let vendorID, let productID { return d.vendorID == vendorID && d.productID == productID }
            return d.isBluetoothController
        }
    }

    public var endReason: String? { lock.withLock { reason } }

    public func write(_ h4: [UInt8]) throws {
        if lock.withLock({ closed }) { throw SerialPortError(.closed, "\(name): closed") }
        for t in try USBHCIFraming.transfers(h4) {
            switch t {
            case .control(var data):
                let rc = libusb_control_transfer(handle, 0x20, 0, 0, 0, &data, UInt16(data.count), 1000)
                guard rc == Int32(data.count) else { throw SerialPortError(.io, USBError(libusb: rc, "\(name): HCI command").message) }
            case .bulk(var data):
                var sent: Int32 = 0
                let rc = libusb_bulk_transfer(handle, USBHCIFraming.bulkOut, &data, Int32(data.count), &sent, 1000)
                guard rc == 0 else { throw SerialPortError(.io, USBError(libusb: rc, "\(name): ACL data").message) }
            }
        }
    }

    public func close() {
        let first: Bool = lock.withLock { if closed { return false }; closed = true; return true }
        guard first else { return }
        _ = done.wait(timeout: .now() + 2)
        libusb_release_interface(handle, 0)
        libusb_close(handle)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !lock.withLock({ closed }) {
            var n: Int32 = 0
            let rc = libusb_interrupt_transfer(handle, USBHCIFraming.interruptIn, &buffer, Int32(buffer.count), &n, 200)
            if rc == 0, n > 0 {
                continuation.yield(USBHCIFraming.h4Event(buffer[0..<Int(n)]))
            } else if rc == Int32(LIBUSB_ERROR_TIMEOUT.rawValue) {
                continue
            } else if rc != 0 {
                lock.withLock { if !closed { reason = USBError(libusb: rc, name).message } }
                break
            }
        }
        continuation.finish()
        done.signal()
    }
}
