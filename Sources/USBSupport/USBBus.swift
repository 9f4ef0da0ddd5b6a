import CUSB

/// What libusb tells about one USB device, without opening it.
public struct USBDeviceInfo: Sendable, Hashable {
    public var bus: UInt8
    public var address: UInt8
    public var vendorID: UInt16
    public var productID: UInt16
    public var deviceClass: UInt8
    public var deviceSubclass: UInt8
    public var deviceProtocol: UInt8
    /// (class, subclass, protocol) of each interface of the first configuration.
    public var interfaces: [USBInterfaceClass]

    public init(bus: UInt8, address: UInt8, vendorID: UInt16, productID: UInt16, deviceClass: UInt8, deviceSubclass: UInt8,
                deviceProtocol: UInt8, interfaces: [USBInterfaceClass]) {
        self.bus = bus; self.address = address; self.vendorID = vendorID; self.productID = productID
        self.deviceClass = deviceClass; self.deviceSubclass = deviceSubclass; self.deviceProtocol = deviceProtocol
        self.interfaces = interfaces
    }

    /// `10c4:ea60`
    public var id: String { Self.hex4(vendorID) + ":" + Self.hex4(productID) }

    /// A Bluetooth controller (HCI over USB): class E0 (Wireless Controller), subclass 01 (RF
    /// Controller), protocol 01 (Bluetooth Programming Interface), on the device or on an
    /// interface (composite devices).
    public var isBluetoothController: Bool {
        (deviceClass == 0xE0 && deviceSubclass == 0x01 && deviceProtocol == 0x01)
            || interfaces.contains { $0.interfaceClass == 0xE0 && $0.subclass == 0x01 && $0.interfaceProtocol == 0x01 }
    }

    static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}

public struct USBInterfaceClass: Sendable, Hashable {
    public var number: UInt8
    public var interfaceClass: UInt8
    public var subclass: UInt8
    public var interfaceProtocol: UInt8
    public init(number: UInt8, interfaceClass: UInt8, subclass: UInt8, interfaceProtocol: UInt8) {
        self.number = number; self.interfaceClass = interfaceClass; self.subclass = subclass; self.interfaceProtocol = interfaceProtocol
    }
}

/// Why the USB bus could not be used. Machines without USB (containers, VMs) get `.noBus`.
public struct USBError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable { case noBus, notFound, access, busy, io }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }
    public var description: String { message }

    /// From a libusb error number.
    public init(libusb rc: Int32, _ context: String) {
        let name = String(cString: libusb_error_name(rc))
        switch rc {
        case Int32(LIBUSB_ERROR_ACCESS.rawValue): self.init(.access, "\(context): permission denied (\(name)); add a udev rule or run as a user in the 'plugdev' group")
        case Int32(LIBUSB_ERROR_NO_DEVICE.rawValue), Int32(LIBUSB_ERROR_NOT_FOUND.rawValue): self.init(.notFound, "\(context): the device is gone (\(name))")
        case Int32(LIBUSB_ERROR_BUSY.rawValue): self.init(.busy, "\(context): the device is in use, e.g. by the kernel's btusb driver (\(name))")
        default: self.init(.io, "\(context): \(name)")
        }
    }
}

/// The USB bus through libusb. Creating one fails with `.noBus` where there is none.
public final class USBBus: @unchecked Sendable {
    let context: OpaquePointer

    public init() throws(USBError) {
        var ctx: OpaquePointer?
        let rc = libusb_init(&ctx)
        guard rc == 0, let ctx else {
            throw USBError(.noBus, "USB is not available on this machine (libusb: \(String(cString: libusb_error_name(rc))))")
        }
        context = ctx
    }

    deinit { libusb_exit(context) }

    /// Every device on every bus. Empty when the machine has USB but nothing is plugged in.
    public func devices() throws(USBError) -> [USBDeviceInfo] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = libusb_get_device_list(context, &list)
        guard n >= 0, let list else { throw USBError(libusb: Int32(n), "listing USB devices") }
        defer { libusb_free_device_list(list, 1) }
        var out: [USBDeviceInfo] = []
        for i in 0..<Int(n) {
            guard let dev = list[i] else { continue }
            var d = libusb_device_descriptor()
            guard libusb_get_device_descriptor(dev, &d) == 0 else { continue }
            var ifaces: [USBInterfaceClass] = []
            var cfg: UnsafeMutablePointer<libusb_config_descriptor>?
            if libusb_get_active_config_descriptor(dev, &cfg) == 0 || libusb_get_config_descriptor(dev, 0, &cfg) == 0, let cfg {
                for k in 0..<Int(cfg.pointee.bNumInterfaces) {
                    let iface = cfg.pointee.interface[k]
                    guard iface.num_altsetting > 0, let alt = iface.altsetting else { continue }
                    ifaces.append(USBInterfaceClass(number: alt.pointee.bInterfaceNumber, interfaceClass: alt.pointee.bInterfaceClass,
                                                    subclass: alt.pointee.bInterfaceSubClass, interfaceProtocol: alt.pointee.bInterfaceProtocol))
                }
                libusb_free_config_descriptor(cfg)
            }
            out.append(USBDeviceInfo(bus: libusb_get_bus_number(dev), address: libusb_get_device_address(dev),
                                     vendorID: d.idVendor, productID: d.idProduct, deviceClass: d.bDeviceClass,
                                     deviceSubclass: d.bDeviceSubClass, deviceProtocol: d.bDeviceProtocol, interfaces: ifaces))
        }
        return out
    }

    /// Opens a device by bus and address.
    public func open(bus: UInt8, address: UInt8) throws(USBError) -> OpaquePointer {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = libusb_get_device_list(context, &list)
        guard n >= 0, let list else { throw USBError(libusb: Int32(n), "listing USB devices") }
        defer { libusb_free_device_list(list, 1) }
        for i in 0..<Int(n) {
            guard let dev = list[i], libusb_get_bus_number(dev) == bus, libusb_get_device_address(dev) == address else { continue }
            var handle: OpaquePointer?
            let rc = libusb_open(dev, &handle)
            guard rc == 0, let handle else { throw USBError(libusb: rc, "opening USB device \(bus):\(address)") }
            return handle
        }
        throw USBError(.notFound, "USB device \(bus):\(address) is not present")
    }
}
