import Foundation
import Runtime
import Testing
import USBSupport

/// `usp-bridge sticks` against a fake /dev and /sys tree built like the kernel's.
@Suite struct StickFinderTests {
    func tree() throws -> (String, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sticks-\(UUID().uuidString.prefix(6))").path
        let dev = root + "/dev", sys = root + "/sys"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dev + "/serial/by-id", withIntermediateDirectories: true)
        for n in ["ttyUSB0", "ttyACM0"] { fm.createFile(atPath: dev + "/" + n, contents: nil) }
        try fm.createSymbolicLink(atPath: dev + "/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus_V2-if00-port0", withDestinationPath: "../../ttyUSB0")
        // /sys/devices/.../1-1 holds idVendor; ...:1.0 is the interface; tty/ttyUSB0/device → interface.
        let usb = sys + "/devices/pci0000:00/usb1/1-1"
        try fm.createDirectory(atPath: usb + "/1-1:1.0", withIntermediateDirectories: true)
        try "1a86\n".write(toFile: usb + "/idVendor", atomically: true, encoding: .utf8)
        try "55d4\n".write(toFile: usb + "/idProduct", atomically: true, encoding: .utf8)
        try "ITEAD\n".write(toFile: usb + "/manufacturer", atomically: true, encoding: .utf8)
        try "1\n".write(toFile: usb + "/busnum", atomically: true, encoding: .utf8)
        try "4\n".write(toFile: usb + "/devnum", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: sys + "/class/tty/ttyUSB0", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: sys + "/class/tty/ttyUSB0/device", withDestinationPath: usb + "/1-1:1.0")
        try fm.createDirectory(atPath: sys + "/bus/usb", withIntermediateDirectories: true)
        return (dev, sys)
    }

    @Test func recognisesKnownSticksAndKeepsUnknownOnes() throws {
        let (dev, sys) = try tree()
        // libusb sees the ZBDongle-E (same bus:address as its tty), a Bluetooth dongle found by
        // its class (E0/01/01 on interface 0), a CP210x whose driver is not bound, and a keyboard.
        let usb: [USBDeviceInfo] = [
            USBDeviceInfo(bus: 1, address: 4, vendorID: 0x1A86, productID: 0x55D4, deviceClass: 2, deviceSubclass: 0, deviceProtocol: 0, interfaces: []),
            USBDeviceInfo(bus: 1, address: 5, vendorID: 0x0BDA, productID: 0x8771, deviceClass: 0xE0, deviceSubclass: 1, deviceProtocol: 1,
                          interfaces: [USBInterfaceClass(number: 0, interfaceClass: 0xE0, subclass: 1, interfaceProtocol: 1)]),
            USBDeviceInfo(bus: 1, address: 6, vendorID: 0x10C4, productID: 0xEA60, deviceClass: 0, deviceSubclass: 0, deviceProtocol: 0, interfaces: []),
            USBDeviceInfo(bus: 1, address: 7, vendorID: 0x046D, productID: 0xC31C, deviceClass: 0, deviceSubclass: 0, deviceProtocol: 0,
                          interfaces: [USBInterfaceClass(number: 0, interfaceClass: 3, subclass: 1, interfaceProtocol: 1)]),
        ]
        let report = StickFinder(devRoot: dev, sysRoot: sys, usbDevices: { usb }).find()
        let sticks = report.sticks
        #expect(report.note == nil && report.usbNote == nil)
        #expect(sticks.count == 4)
        let bt = try #require(sticks.first { $0.kind == .usbBluetooth })
        #expect(bt.port == "usb:0bda:8771" && bt.hint.contains("stack hci"))
        let unbound = try #require(sticks.first { $0.kind == .usbWithoutPort })
        #expect(unbound.vendorID == "10c4" && unbound.hint.contains("driver"))
        #expect(!sticks.contains { $0.vendorID == "046d" })
        let e = try #require(sticks.first { $0.device.hasSuffix("ttyUSB0") })
        #expect(e.vendorID == "1a86" && e.productID == "55d4" && e.manufacturer == "ITEAD")
        #expect(e.hint.contains("ezsp"))
        #expect(e.byID?.hasSuffix("usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus_V2-if00-port0") == true)
        #expect(e.port == e.byID && e.usbBus == 1 && e.usbAddress == 4)
        let a = try #require(sticks.first { $0.device.hasSuffix("ttyACM0") })
        #expect(a.vendorID == nil && a.hint == "unknown serial device")
    }

    @Test func noUSBBusIsSaidClearly() {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("nosticks-\(UUID().uuidString.prefix(6))").path
        try? FileManager.default.createDirectory(atPath: empty + "/dev", withIntermediateDirectories: true)
        let report = StickFinder(devRoot: empty + "/dev", sysRoot: empty + "/sys",
                                 usbDevices: { () throws(USBError) in throw USBError(.noBus, "USB is not available on this machine") }).find()
        #expect(report.sticks.isEmpty)
        #expect(report.note?.contains("no USB bus") == true)
        #expect(report.usbNote?.contains("serial ports only") == true)
    }

    @Test func productNameRefinesASharedBridgeChip() {
        #expect(StickFinder.hint(vendorID: "10c4", productID: "ea60", product: "SkyConnect v1.0")?.contains("ezsp") == true)
        #expect(StickFinder.hint(vendorID: "10c4", productID: "ea60", product: "Sonoff Zigbee 3.0 USB Dongle Plus")?.contains("znp") == true)
        #expect(StickFinder.hint(vendorID: "10c4", productID: "ea60", product: nil)?.contains("check the product name") == true)
        #expect(StickFinder.hint(vendorID: "dead", productID: "beef", product: "x") == nil)
    }
}
