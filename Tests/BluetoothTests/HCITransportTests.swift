import Bluetooth
import Glibc
import SerialPort
import Testing
import USBSupport

/// The transports behind one interface, tested at their boundaries: this machine has no
/// Bluetooth sockets and no USB bus, so opening must fail with a clear, typed error.
@Suite struct HCITransportTests {
    @Test func portAddressesParse() throws {
        #expect(try HCIPortAddress(parsing: "/dev/ttyACM0") == .serial(.device(path: "/dev/ttyACM0")))
        #expect(try HCIPortAddress(parsing: "tcp://10.0.0.5:6638") == .serial(.tcp(host: "10.0.0.5", port: 6638)))
        #expect(try HCIPortAddress(parsing: "bluez:hci0") == .bluez(device: "hci0"))
        #expect(try HCIPortAddress(parsing: "usb:auto") == .usb(vendorID: nil, productID: nil))
        #expect(try HCIPortAddress(parsing: "usb:0a12:0001") == .usb(vendorID: 0x0A12, productID: 0x0001))
        #expect(try HCIPortAddress(parsing: "usb:0a12:0001").description == "usb:0a12:0001")
        for bad in ["bluez:", "usb:", "usb:12:34", "usb:0a12", "hci0"] {
            #expect(throws: SerialPortError.self, "\(bad)") { try HCIPortAddress(parsing: bad) }
        }
    }

    @Test func blueZSocketFailsClearlyWhereThereIsNone() {
        do {
            let p = try BlueZHCISocket.open(device: "hci97")
            p.close()
            Issue.record("opened hci97")
        } catch {
            // EAFNOSUPPORT here; ENODEV (no hci97) or EPERM on a machine with Bluetooth.
            #expect([.notFound, .permissionDenied].contains(error.code), "\(error)")
            #expect(error.message.hasPrefix("bluez:hci97: "))
        }
        let noSockets = BlueZHCISocket.explain(errno: EAFNOSUPPORT, device: "hci0", step: .socket)
        #expect(noSockets.code == .notFound && noSockets.message.contains("EAFNOSUPPORT") && noSockets.message.contains("usb:auto"))
        let busy = BlueZHCISocket.explain(errno: EBUSY, device: "hci1", step: .bind)
        #expect(busy.code == .busy && busy.message.contains("btmgmt --index 1 power off"))
        #expect(BlueZHCISocket.explain(errno: EPERM, device: "hci0", step: .bind).code == .permissionDenied)
        #expect(BlueZHCISocket.explain(errno: ENODEV, device: "hci3", step: .bind).code == .notFound)
    }

    @Test func usbFramingOfRecordedPackets() throws {
        // HCI_Reset as H4 (01 03 0C 00): a control transfer carrying 03 0C 00.
        #expect(try USBHCIFraming.transfers([0x01, 0x03, 0x0C, 0x00]) == [.control([0x03, 0x0C, 0x00])])
        // LE Set Scan Enable followed by ACL data in one write.
        let two: [UInt8] = [0x01, 0x0C, 0x20, 0x02, 0x01, 0x00, 0x02, 0x40, 0x20, 0x02, 0x00, 0xAA, 0xBB]
        #expect(try USBHCIFraming.transfers(two) == [.control([0x0C, 0x20, 0x02, 0x01, 0x00]), .bulk([0x40, 0x20, 0x02, 0x00, 0xAA, 0xBB])])
        #expect(throws: SerialPortError.self) { try USBHCIFraming.transfers([0x01, 0x03, 0x0C]) }
        #expect(throws: SerialPortError.self) { try USBHCIFraming.transfers([0x01, 0x03, 0x0C, 0x02, 0x00]) }
        #expect(throws: SerialPortError.self) { try USBHCIFraming.transfers([0x04, 0x0E, 0x00]) }
        // A Command Complete read from the interrupt endpoint becomes the H4 event.
        let usb: [UInt8] = [0x0E, 0x04, 0x01, 0x03, 0x0C, 0x00]
        var d = H4Decoder()
        #expect(d.feed(USBHCIFraming.h4Event(usb[...])) == [.packet(.event(code: 0x0E, parameters: [0x01, 0x03, 0x0C, 0x00]))])
    }

    @Test func usbDongleIsFoundByItsClass() {
        let cp210x = USBDeviceInfo(bus: 1, address: 2, vendorID: 0x10C4, productID: 0xEA60, deviceClass: 0, deviceSubclass: 0,
                                   deviceProtocol: 0, interfaces: [.init(number: 0, interfaceClass: 0xFF, subclass: 0, interfaceProtocol: 0)])
        let csr = USBDeviceInfo(bus: 1, address: 3, vendorID: 0x0A12, productID: 0x0001, deviceClass: 0xE0, deviceSubclass: 0x01,
                                deviceProtocol: 0x01, interfaces: [])
        // Composite device: Bluetooth on interface 0 only (Intel/Realtek style).
        let composite = USBDeviceInfo(bus: 2, address: 4, vendorID: 0x8087, productID: 0x0026, deviceClass: 0xEF, deviceSubclass: 0x02,
                                      deviceProtocol: 0x01, interfaces: [.init(number: 0, interfaceClass: 0xE0, subclass: 0x01, interfaceProtocol: 0x01)])
        #expect(!cp210x.isBluetoothController && csr.isBluetoothController && composite.isBluetoothController)
        #expect(USBHCITransport.choose([cp210x, composite, csr], vendorID: nil, productID: nil) == composite)
        #expect(USBHCITransport.choose([cp210x, composite, csr], vendorID: 0x0A12, productID: 0x0001) == csr)
        #expect(USBHCITransport.choose([cp210x], vendorID: nil, productID: nil) == nil)
        #expect(csr.id == "0a12:0001")
    }

    @Test func usbOpenDegradesWithoutABus() {
        do {
            let t = try USBHCITransport(vendorID: nil, productID: nil)
            t.close()
            // A machine with a real dongle: fine too.
        } catch {
            #expect(error.code == .notFound || error.code == .permissionDenied || error.code == .busy, "\(error)")
            #expect(error.message.hasPrefix("usb:auto: "))
        }
    }
}
