import Foundation
import USBSupport

/// Finds radio sticks: serial ports (`/dev/serial/by-id/*`, `/dev/ttyUSB*`, `/dev/ttyACM*`) with
/// their USB identity from sysfs, and the USB bus itself through libusb (Bluetooth dongles by
/// their USB class, known sticks whose serial driver is not bound). Says which adapter fits each
/// and what to write as its `port:`. The roots and the USB source are parameters so tests can
/// build a fake machine.
public struct StickFinder: Sendable {
    public enum Kind: String, Sendable, Equatable {
        /// A serial port (a USB-serial bridge or a CDC-ACM device).
        case serial
        /// A USB Bluetooth controller driven through libusb (`port: usb:VID:PID`).
        case usbBluetooth
        /// A known stick on the USB bus with no serial port: its kernel driver is missing or unbound.
        case usbWithoutPort
    }

    public struct Stick: Sendable, Equatable {
        public var kind: Kind = .serial
        public var device: String
        public var byID: String?
        public var vendorID: String?
        public var productID: String?
        public var manufacturer: String?
        public var product: String?
        /// Bus and address on the USB bus, when known.
        public var usbBus: Int?
        public var usbAddress: Int?
        public var hint: String
        /// What to put in a radio's `port:`.
        public var port: String { kind == .serial ? (byID ?? device) : device }
    }

    public struct KnownStick: Sendable {
        var vid: String, pid: String, hint: String
        /// Refinements by USB product string (several sticks share one bridge chip).
        var byProduct: [(contains: String, hint: String)] = []
    }

    /// What `find()` saw.
    public struct Report: Sendable {
        public var sticks: [Stick]
        /// Why nothing was found, when nothing was.
        public var note: String?
        /// Why the USB bus could not be listed through libusb, if it could not.
        public var usbNote: String?
    }

    /// USB bridges and sticks commonly used for home radios (vendor:product → what it usually is).
    public static let known: [KnownStick] = [
        .init(vid: "10c4", pid: "ea60", hint: "Silicon Labs CP210x bridge: Sonoff ZBDongle-P (ZigBee, stack znp), Home Assistant SkyConnect/ZBT-1 (ZigBee, stack ezsp) or a Z-Wave 700 stick: check the product name",
              byProduct: [("SkyConnect", "Home Assistant SkyConnect (ZigBee, stack ezsp)"),
                          ("ZBT-1", "Home Assistant Connect ZBT-1 (ZigBee, stack ezsp)"),
                          ("Dongle Plus", "Sonoff ZBDongle-P (ZigBee, stack znp)"),
                          ("ZST10", "Zooz ZST10 700 (Z-Wave, Serial API)")]),
        .init(vid: "1a86", pid: "55d4", hint: "WCH CH9102: Sonoff ZBDongle-E (ZigBee, stack ezsp)"),
        .init(vid: "1a86", pid: "7523", hint: "WCH CH340: CC2652/CC1352 boards (ZigBee, stack znp) and others"),
        .init(vid: "0403", pid: "6015", hint: "FTDI FT231X: SLZB and CC2652 boards (ZigBee, stack znp) or Z-Wave sticks"),
        .init(vid: "0403", pid: "6001", hint: "FTDI FT232R: serial radio boards"),
        .init(vid: "1cf1", pid: "0030", hint: "dresden elektronik ConBee II (ZigBee, deCONZ protocol: not supported)"),
        .init(vid: "0658", pid: "0200", hint: "Sigma Designs / Aeotec Z-Stick (Z-Wave, Serial API)"),
        .init(vid: "10c4", pid: "8a2a", hint: "Nortek HUSBZB-1 (ZigBee ezsp + Z-Wave)"),
        .init(vid: "1915", pid: "521f", hint: "Nordic nRF52840 dongle (Bluetooth HCI or ZigBee firmware)"),
        .init(vid: "2fe3", pid: "0100", hint: "Zephyr USB device: nRF52840 with HCI UART firmware (Bluetooth, stack hci)"),
    ]

    public var devRoot: String
    public var sysRoot: String
    /// Lists the USB bus; throws `.noBus` where there is none.
    public var usbDevices: @Sendable () throws(USBError) -> [USBDeviceInfo]

    public init(devRoot: String = "/dev", sysRoot: String = "/sys",
                usbDevices: @escaping @Sendable () throws(USBError) -> [USBDeviceInfo] = { () throws(USBError) in try USBBus().devices() }) {
        self.devRoot = devRoot; self.sysRoot = sysRoot; self.usbDevices = usbDevices
    }

    public static func hint(vendorID: String?, productID: String?, product: String?) -> String? {
        guard let k = known.first(where: { $0.vid == vendorID && $0.pid == productID }) else { return nil }
        if let product, let r = k.byProduct.first(where: { product.localizedCaseInsensitiveContains($0.contains) }) { return r.hint }
        return k.hint
    }

    /// The sticks found, and why there are none when there are none.
    public func find() -> Report {
        var sticks = serialPorts()
        var usbNote: String?
        do {
            let bus = try usbDevices()
            let taken = Set(sticks.compactMap { s in s.usbBus.flatMap { b in s.usbAddress.map { "\(b):\($0)" } } })
            for d in bus where !taken.contains("\(d.bus):\(d.address)") {
                let vid = String(d.id.prefix(4)), pid = String(d.id.suffix(4))
                if d.isBluetoothController {
                    sticks.append(Stick(kind: .usbBluetooth, device: "usb:\(d.id)", vendorID: vid, productID: pid,
                                        usbBus: Int(d.bus), usbAddress: Int(d.address),
                                        hint: "Bluetooth controller over USB (protocol bluetooth, stack hci); the kernel's btusb driver must not hold it"))
                } else if let h = Self.hint(vendorID: vid, productID: pid, product: nil) {
                    sticks.append(Stick(kind: .usbWithoutPort, device: "usb \(d.bus):\(d.address)", vendorID: vid, productID: pid,
                                        usbBus: Int(d.bus), usbAddress: Int(d.address),
                                        hint: h + "; it has no serial port: is its kernel driver (cp210x, ch341, ftdi_sio, cdc_acm) loaded?"))
                }
            }
        } catch {
            usbNote = error.code == .noBus ? "libusb: \(error.message); serial ports only" : "libusb: \(error.message)"
        }
        if sticks.isEmpty {
            let why = FileManager.default.fileExists(atPath: sysRoot + "/bus/usb") ? "no USB radio stick is plugged in"
                : "this machine has no USB bus (\(sysRoot)/bus/usb is absent)"
            return Report(sticks: [], note: "no radio sticks found: \(why); network sticks are configured as tcp://host:port", usbNote: usbNote)
        }
        return Report(sticks: sticks, note: nil, usbNote: usbNote)
    }

    func serialPorts() -> [Stick] {
        let fm = FileManager.default
        var byIDFor: [String: String] = [:]
        let byIDDir = devRoot + "/serial/by-id"
        if let links = try? fm.contentsOfDirectory(atPath: byIDDir) {
            for l in links.sorted() {
                let path = byIDDir + "/" + l
                if let target = try? fm.destinationOfSymbolicLink(atPath: path) {
                    let resolved = target.hasPrefix("/") ? target : URL(fileURLWithPath: byIDDir).appendingPathComponent(target).standardized.path
                    byIDFor[(resolved as NSString).lastPathComponent] = path
                }
            }
        }
        let ttys = ((try? fm.contentsOfDirectory(atPath: devRoot)) ?? [])
            .filter { $0.hasPrefix("ttyUSB") || $0.hasPrefix("ttyACM") }.sorted()
        var sticks: [Stick] = []
        for name in ttys {
            var s = Stick(device: devRoot + "/" + name, byID: byIDFor[name], hint: "unknown serial device")
            // /sys/class/tty/<name>/device → the USB interface; its parent holds idVendor/idProduct.
            let dev = sysRoot + "/class/tty/\(name)/device"
            let iface = (try? fm.destinationOfSymbolicLink(atPath: dev)).map { t in
                t.hasPrefix("/") ? t : URL(fileURLWithPath: sysRoot + "/class/tty/\(name)").appendingPathComponent(t).standardized.path
            } ?? dev
            for dir in [iface + "/..", iface + "/../.."] {
                let url = URL(fileURLWithPath: dir).standardized.path
                if let vid = read(url + "/idVendor") {
                    s.vendorID = vid; s.productID = read(url + "/idProduct")
                    s.manufacturer = read(url + "/manufacturer"); s.product = read(url + "/product")
                    s.usbBus = read(url + "/busnum").flatMap { Int($0) }
                    s.usbAddress = read(url + "/devnum").flatMap { Int($0) }
                    break
                }
            }
            if let h = Self.hint(vendorID: s.vendorID, productID: s.productID, product: (s.product ?? s.byID)?.replacingOccurrences(of: "_", with: " ")) { s.hint = h }
            sticks.append(s)
        }
        return sticks
    }

    func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
