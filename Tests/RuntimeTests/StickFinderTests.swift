import Foundation
import Runtime
import Testing

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
        try fm.createDirectory(atPath: sys + "/class/tty/ttyUSB0", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: sys + "/class/tty/ttyUSB0/device", withDestinationPath: usb + "/1-1:1.0")
        try fm.createDirectory(atPath: sys + "/bus/usb", withIntermediateDirectories: true)
        return (dev, sys)
    }

    @Test func recognisesKnownSticksAndKeepsUnknownOnes() throws {
        let (dev, sys) = try tree()
        let (sticks, note) = StickFinder(devRoot: dev, sysRoot: sys).find()
        #expect(note == nil)
        #expect(sticks.count == 2)
        let e = try #require(sticks.first { $0.device.hasSuffix("ttyUSB0") })
        #expect(e.vendorID == "1a86" && e.productID == "55d4" && e.manufacturer == "ITEAD")
        #expect(e.hint.contains("ezsp"))
        #expect(e.byID?.hasSuffix("usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus_V2-if00-port0") == true)
        let a = try #require(sticks.first { $0.device.hasSuffix("ttyACM0") })
        #expect(a.vendorID == nil && a.hint == "unknown serial device")
    }

    @Test func noUSBBusIsSaidClearly() {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("nosticks-\(UUID().uuidString.prefix(6))").path
        try? FileManager.default.createDirectory(atPath: empty + "/dev", withIntermediateDirectories: true)
        let (sticks, note) = StickFinder(devRoot: empty + "/dev", sysRoot: empty + "/sys").find()
        #expect(sticks.isEmpty)
        #expect(note?.contains("no USB bus") == true)
    }
}
