/// The host side of an HCI controller as a state machine (pure; timeouts are events): it
/// resets the controller, reads its version and address, sets the event masks and starts
/// passive LE scanning, one command at a time, then turns advertising reports into
/// advertisements.
public struct HCIHost: Sendable {
    public enum Event: Sendable, Hashable {
        case start
        case packet(H4Packet)
        case commandTimeout
    }

    public enum Action: Sendable, Hashable {
        case send(H4Packet)
        /// Arm (or re-arm) the command timer.
        case startTimer(seconds: Double)
        case ready(ControllerInfo)
        case advertisement(LEAdvertisingReport)
        case failed(String)
    }

    public struct ControllerInfo: Sendable, Hashable {
        public var hciVersion: UInt8 = 0
        public var manufacturer: UInt16 = 0
        public var address: [UInt8] = []
    }

    /// Opcodes (OGF << 10 | OCF) of the start-up sequence (Core Vol 4 Part E §7).
    public enum Opcode {
        public static let reset: UInt16 = 0x0C03
        public static let setEventMask: UInt16 = 0x0C01
        public static let readLocalVersion: UInt16 = 0x1001
        public static let readBDADDR: UInt16 = 0x1009
        public static let leSetEventMask: UInt16 = 0x2001
        public static let leSetScanParameters: UInt16 = 0x200B
        public static let leSetScanEnable: UInt16 = 0x200C
    }

    enum State: Sendable, Hashable { case idle, starting(step: Int), scanning, failed }

    var state: State = .idle
    public private(set) var info = ControllerInfo()
    public var commandTimeout: Double = 2
    public var retries = 2
    var attempt = 0

    public init() {}

    /// The start-up commands, in order.
    static let steps: [H4Packet] = [
        .command(opcode: Opcode.reset, parameters: []),
        .command(opcode: Opcode.readLocalVersion, parameters: []),
        .command(opcode: Opcode.readBDADDR, parameters: []),
        // Events: the spec's default mask 0x00001FFFFFFFFFFF plus LE Meta (bit 61), little-endian.
        .command(opcode: Opcode.setEventMask, parameters: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00, 0x20]),
        // LE events: LE Advertising Report (bit 1) and the basic ones.
        .command(opcode: Opcode.leSetEventMask, parameters: [0x1F, 0, 0, 0, 0, 0, 0, 0]),
        // Passive scanning, interval = window = 0x0010 (10 ms), public address, accept all.
        .command(opcode: Opcode.leSetScanParameters, parameters: [0x00, 0x10, 0x00, 0x10, 0x00, 0x00, 0x00]),
        // Enable, duplicates not filtered by the controller (the host rate-limits).
        .command(opcode: Opcode.leSetScanEnable, parameters: [0x01, 0x00]),
    ]

    public var isScanning: Bool { state == .scanning }

    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.idle, .start), (.failed, .start):
            state = .starting(step: 0)
            attempt = 0
            return [.send(Self.steps[0]), .startTimer(seconds: commandTimeout)]
        case (.starting(let step), .packet(.event(0x0E, let p))):
            // Command Complete: num packets, opcode (LE), status, return parameters.
            guard p.count >= 4 else { return [] }
            let opcode = UInt16(p[1]) | UInt16(p[2]) << 8
            guard case .command(let expected, _) = Self.steps[step], opcode == expected else { return [] }
            let status = p[3]
            guard status == 0 else {
                state = .failed
                return [.failed("command 0x\(String(opcode, radix: 16)) failed with status 0x\(String(status, radix: 16))")]
            }
            let ret = Array(p.dropFirst(4))
            if opcode == Opcode.readLocalVersion, ret.count >= 8 {
                info.hciVersion = ret[0]
                info.manufacturer = UInt16(ret[4]) | UInt16(ret[5]) << 8
            }
            if opcode == Opcode.readBDADDR, ret.count >= 6 { info.address = Array(ret.prefix(6)) }
            attempt = 0
            let next = step + 1
            if next == Self.steps.count {
                state = .scanning
                return [.ready(info)]
            }
            state = .starting(step: next)
            return [.send(Self.steps[next]), .startTimer(seconds: commandTimeout)]
        case (.starting(let step), .commandTimeout):
            attempt += 1
            guard attempt <= retries else {
                state = .failed
                return [.failed("the controller did not answer command \(step + 1) of the start-up sequence")]
            }
            return [.send(Self.steps[step]), .startTimer(seconds: commandTimeout)]
        case (.scanning, .packet(.event(0x3E, let p))):
            return (LEAdvertisingReport.parse(leMetaParameters: p) ?? []).map { .advertisement($0) }
        default:
            return []
        }
    }
}
