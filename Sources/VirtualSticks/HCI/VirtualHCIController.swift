import Bluetooth

/// The controller side of HCI as a pure value: H4 bytes from the host go in, H4 bytes for the
/// host come out. It answers what hosts send at start-up (BlueZ, Bumble, our own `HCIHost`):
/// reset, version, features, buffer sizes, address, event masks and LE scanning (legacy and
/// extended), and answers anything else with "Unknown HCI Command" (status 0x01) as a real
/// controller does. While scanning is on, `tick(at:)` turns the scenario into advertising
/// reports.
public struct VirtualHCIController: Sendable {
    public private(set) var scanning = false
    public private(set) var extendedScanning = false
    /// Commands received, oldest first (opcode), for tests and the stick's log.
    public private(set) var receivedOpcodes: [UInt16] = []
    public var address: [UInt8]
    var decoder = H4Decoder()
    var scenario: BLEScenario
    var nextDue: [Double]
    var state: [BLEScenario.DeviceState]
    /// When set, the controller stops answering (fault injection).
    public var mute = false

    public init(scenario: BLEScenario, address: [UInt8] = [0x01, 0xEE, 0xC0, 0xDE, 0x5A, 0x00]) {
        self.scenario = scenario
        self.address = address
        nextDue = scenario.devices.map { $0.phase }
        state = scenario.devices.map { _ in BLEScenario.DeviceState() }
    }

    /// Feeds host bytes; returns bytes to send back.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        for o in decoder.feed(bytes) {
            guard case .packet(.command(let opcode, let params)) = o else { continue }
            receivedOpcodes.append(opcode)
            if receivedOpcodes.count > 512 { receivedOpcodes.removeFirst(256) }
            guard !mute else { continue }
            out += answer(opcode, params).encoded()
        }
        return out
    }

    func complete(_ opcode: UInt16, _ ret: [UInt8]) -> H4Packet {
        .event(code: 0x0E, parameters: [0x01, UInt8(opcode & 0xFF), UInt8(opcode >> 8)] + ret)
    }

    mutating func answer(_ opcode: UInt16, _ p: [UInt8]) -> H4Packet {
        switch opcode {
        case 0x0C03: // Reset
            scanning = false; extendedScanning = false
            return complete(opcode, [0x00])
        case 0x0C01, 0x0C63, 0x2001, 0x0C6D, 0x0C56, 0x0C13, 0x0C16, 0x0C18, 0x0C1A, 0x0C24, 0x2016, 0x200B, 0x2041:
            // Set Event Mask (page 2), LE Set Event Mask, LE Host Supported, SSP mode, name,
            // timeouts, scan enable (BR/EDR), class of device, LE scan parameters (legacy/extended).
            return complete(opcode, [0x00])
        case 0x1001: // Read Local Version Information: HCI 5.3, revision, LMP 5.3, Linux Foundation (0x05F1)
            return complete(opcode, [0x00, 0x0C, 0x00, 0x00, 0x0C, 0xF1, 0x05, 0x00, 0x00])
        case 0x1002: // Read Local Supported Commands: claim the LE scanning commands
            var cmds = [UInt8](repeating: 0, count: 64)
            cmds[0] = 0x20 // octet 0 bit 5: Disconnect (commonly checked)
            cmds[5] = 0xC0 // Set Event Mask, Reset
            cmds[14] = 0x28 // Read Local Version, Read Local Supported Features
            cmds[15] = 0x02 // Read BD_ADDR
            cmds[25] = 0xF7 // LE Set Event Mask, LE Read Buffer Size, LE Read Local Features, LE Set Random Address …
            cmds[26] = 0x3F // LE Set Scan Parameters, LE Set Scan Enable …
            cmds[37] = 0x60 // LE Set Extended Scan Parameters/Enable
            return complete(opcode, [0x00] + cmds)
        case 0x1003: // Read Local Supported Features: LE supported (controller), BR/EDR not supported
            return complete(opcode, [0x00, 0x00, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00])
        case 0x1005: // Read Buffer Size
            return complete(opcode, [0x00, 0xFB, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00])
        case 0x1009: // Read BD_ADDR
            return complete(opcode, [0x00] + address)
        case 0x2002: // LE Read Buffer Size
            return complete(opcode, [0x00, 0xFB, 0x00, 0x08])
        case 0x2003: // LE Read Local Supported Features: LE extended advertising (bit 12)
            return complete(opcode, [0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
        case 0x200F: // LE Read Filter Accept List Size
            return complete(opcode, [0x00, 0x10])
        case 0x201C: // LE Read Supported States
            return complete(opcode, [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0x00, 0x00])
        case 0x200C: // LE Set Scan Enable
            guard p.count >= 2 else { return complete(opcode, [0x12]) } // invalid parameters
            scanning = p[0] == 1
            if scanning { extendedScanning = false }
            return complete(opcode, [0x00])
        case 0x2042: // LE Set Extended Scan Enable
            guard p.count >= 6 else { return complete(opcode, [0x12]) }
            extendedScanning = p[0] == 1
            scanning = extendedScanning
            return complete(opcode, [0x00])
        default:
            return complete(opcode, [0x01]) // Unknown HCI Command
        }
    }

    /// Advertising reports due at `time` (seconds since the stick started).
    public mutating func tick(at time: Double) -> [UInt8] {
        guard scanning, !mute else { return [] }
        var out: [UInt8] = []
        for i in scenario.devices.indices where time >= nextDue[i] {
            let dev = scenario.devices[i]
            nextDue[i] = max(nextDue[i] + dev.interval, time)
            let ad = dev.advertisement(at: time, state: &state[i])
            let addr = dev.currentAddress(at: time)
            if extendedScanning {
                // LE Extended Advertising Report (subevent 0x0D), legacy PDU, complete data.
                var r: [UInt8] = [0x0D, 0x01, 0x10, 0x00, dev.addressType] + addr
                r += [0x01, 0x00, 0xFF, 0x7F, UInt8(bitPattern: dev.rssi), 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
                r += [UInt8(ad.count)] + ad
                out += H4Packet.event(code: 0x3E, parameters: r).encoded()
            } else {
                // LE Advertising Report (subevent 0x02): ADV_NONCONN_IND.
                let r: [UInt8] = [0x02, 0x01, 0x03, dev.addressType] + addr + [UInt8(ad.count)] + ad + [UInt8(bitPattern: dev.rssi)]
                out += H4Packet.event(code: 0x3E, parameters: r).encoded()
            }
        }
        return out
    }
}
