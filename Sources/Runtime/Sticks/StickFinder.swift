import Foundation

/// Finds radio sticks on serial ports: `/dev/serial/by-id/*`, `/dev/ttyUSB*`, `/dev/ttyACM*`,
/// with the USB vendor/product read from sysfs, and says which adapter fits each. The root
/// directories are parameters so tests can build a fake tree.
public struct StickFinder: Sendable {
    public struct Stick: Sendable, Equatable {
        public var device: String
        public var byID: String?
        public var vendorID: String?
        public var productID: String?
        public var manufacturer: String?
        public var product: String?
        public var hint: String
    }

    public struct KnownStick: Sendable {
        var vid: String, pid: String, hint: String
    }

    /// USB bridges and sticks commonly used for home radios (vendor:product → what it usually is).
    public static let known: [KnownStick] = [
        .init(vid: "10c4", pid: "ea60", hint: "Silicon Labs CP210x bridge: Sonoff ZBDongle-P (ZigBee, stack znp), Home Assistant SkyConnect/ZBT-1 (ZigBee, stack ezsp) or another stick: check the product name"),
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
    public init(devRoot: String = "/dev", sysRoot: String = "/sys") { self.devRoot = devRoot; self.sysRoot = sysRoot }

    /// The sticks found, or a reason when there is nothing to look at.
    public func find() -> (sticks: [Stick], note: String?) {
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
                    break
                }
            }
            if let k = Self.known.first(where: { $0.vid == s.vendorID && $0.pid == s.productID }) { s.hint = k.hint }
            sticks.append(s)
        }
        if sticks.isEmpty {
            let why = fm.fileExists(atPath: sysRoot + "/bus/usb") ? "no USB serial device is plugged in"
                : "this machine has no USB bus (\(sysRoot)/bus/usb is absent)"
            return ([], "no radio sticks found: \(why); network sticks are configured as tcp://host:port")
        }
        return (sticks, nil)
    }

    func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
