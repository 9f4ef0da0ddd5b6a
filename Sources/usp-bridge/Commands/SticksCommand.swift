import ArgumentParser
import Foundation
import Runtime

/// `usp-bridge sticks`: which radio sticks are plugged in, and which adapter fits each.
struct SticksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sticks",
        abstract: "List the radio sticks that are present (serial ports and the USB bus), with the stack that fits and the port to configure.",
        discussion: """
        Looks at /dev/serial/by-id, /dev/ttyUSB* and /dev/ttyACM*, and reads each port's USB \\
        vendor and product IDs from sysfs. Use the by-id path in the configuration: it stays \\
        the same when sticks are plugged in another order.
        """)

    func run() throws {
        let report = StickFinder().find()
        if let note = report.note { print(note) }
        for s in report.sticks {
            print(s.port)
            if s.byID != nil { print("  device   \(s.device)") }
            if let v = s.vendorID, let p = s.productID {
                let at = s.usbBus.flatMap { b in s.usbAddress.map { " (bus \(b) address \($0))" } } ?? ""
                print("  usb      \(v):\(p)\(at)  \([s.manufacturer, s.product].compactMap { $0 }.joined(separator: " "))")
            }
            print("  fits     \(s.hint)")
            print("  port     \(s.kind == .usbWithoutPort ? "(none yet)" : s.port)")
        }
        if let usb = report.usbNote { print("note: \(usb)") }
    }
}
