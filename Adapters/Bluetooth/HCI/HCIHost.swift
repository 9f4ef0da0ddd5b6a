/// The host side of an HCI controller as a state machine (pure; timeouts are events): it
/// resets the controller, reads its version and address, sets the event masks and starts
/// passive or active LE scanning (extended when the controller has it), one command at a time, then turns advertising reports into
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
        public static let leReadLocalSupportedFeatures: UInt16 = 0x2003
        public static let leSetScanParameters: UInt16 = 0x200B
        public static let leSetScanEnable: UInt16 = 0x200C
        public static let leSetExtendedScanParameters: UInt16 = 0x2041
        public static let leSetExtendedScanEnable: UInt16 = 0x2042
    }

    /// Passive scanning only listens; active scanning also asks for scan responses (names).
    public enum ScanMode: String, Sendable, Hashable { case passive, active }

    enum State: Sendable, Hashable { case idle, starting(step: Int), scanning, failed }

    var state: State = .idle
    public private(set) var info = ControllerInfo()
    public var commandTimeout: Double = 2
    public var retries = 2
    public var scanMode: ScanMode
    /// Use the extended scanning commands when the controller has LE Extended Advertising.
    public var preferExtended: Bool
    /// True once the controller said it has LE Extended Advertising and extended scanning is used.
    public private(set) var usesExtendedScanning = false
    var attempt = 0
    var steps: [H4Packet]

    public init(scanMode: ScanMode = .passive, preferExtended: Bool = true) {
        self.scanMode = scanMode
        self.preferExtended = preferExtended
        steps = Self.commonSteps
    }

    /// The start-up commands up to the choice of scanning commands, in order.
    static let commonSteps: [H4Packet] = [
        .command(opcode: Opcode.reset, parameters: []),
        .command(opcode: Opcode.readLocalVersion, parameters: []),
        .command(opcode: Opcode.readBDADDR, parameters: []),
        // Events: the spec's default mask 0x00001FFFFFFFFFFF plus LE Meta (bit 61), little-endian.
        .command(opcode: Opcode.setEventMask, parameters: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00, 0x20]),
        .command(opcode: Opcode.leReadLocalSupportedFeatures, parameters: []),
    ]

    /// The rest of the sequence once the features are known. Interval = window = 0x0010
    /// (10 ms): the radio listens all the time. Duplicates are not filtered by the controller
    /// (the host rate-limits per device, so changing values are not lost).
    func scanSteps(extended: Bool) -> [H4Packet] {
        let type: UInt8 = scanMode == .active ? 0x01 : 0x00
        if extended {
            return [
                // LE events: the basic ones plus Extended Advertising Report (bit 12).
                .command(opcode: Opcode.leSetEventMask, parameters: [0x1F, 0x10, 0, 0, 0, 0, 0, 0]),
                // Own address public, accept all, 1M PHY: type, interval, window.
                .command(opcode: Opcode.leSetExtendedScanParameters, parameters: [0x00, 0x00, 0x01, type, 0x10, 0x00, 0x10, 0x00]),
                // Enable, no duplicate filter, no duration, no period.
                .command(opcode: Opcode.leSetExtendedScanEnable, parameters: [0x01, 0x00, 0x00, 0x00, 0x00, 0x00]),
            ]
        }
        return [
            // LE events: LE Advertising Report (bit 1) and the basic ones.
            .command(opcode: Opcode.leSetEventMask, parameters: [0x1F, 0, 0, 0, 0, 0, 0, 0]),
            .command(opcode: Opcode.leSetScanParameters, parameters: [type, 0x10, 0x00, 0x10, 0x00, 0x00, 0x00]),
            .command(opcode: Opcode.leSetScanEnable, parameters: [0x01, 0x00]),
        ]
    }

    public var isScanning: Bool { state == .scanning }

    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (_, .start):
            // From any state: a reopened port means a controller that must be set up again.
            state = .starting(step: 0)
            attempt = 0
            steps = Self.commonSteps
            usesExtendedScanning = false
            return [.send(steps[0]), .startTimer(seconds: commandTimeout)]
        case (.starting(let step), .packet(.event(0x0E, let p))):
            // Command Complete: num packets, opcode (LE), status, return parameters.
            guard p.count >= 4 else { return [] }
            let opcode = UInt16(p[1]) | UInt16(p[2]) << 8
            guard case .command(let expected, _) = steps[step], opcode == expected else { return [] }
            let status = p[3]
            let ret = Array(p.dropFirst(4))
            if opcode == Opcode.leReadLocalSupportedFeatures {
                // Controllers before 4.0 features or without the command answer 0x01: scan the legacy way.
                let extended = preferExtended && status == 0 && ret.count >= 2 && ret[1] & 0x10 != 0
                usesExtendedScanning = extended
                steps = Self.commonSteps + scanSteps(extended: extended)
                attempt = 0
                state = .starting(step: step + 1)
                return [.send(steps[step + 1]), .startTimer(seconds: commandTimeout)]
            }
            guard status == 0 else {
                state = .failed
                return [.failed("command 0x\(String(opcode, radix: 16)) failed with status 0x\(String(status, radix: 16))")]
            }
            if opcode == Opcode.readLocalVersion, ret.count >= 8 {
                info.hciVersion = ret[0]
                info.manufacturer = UInt16(ret[4]) | UInt16(ret[5]) << 8
            }
            if opcode == Opcode.readBDADDR, ret.count >= 6 { info.address = Array(ret.prefix(6)) }
            attempt = 0
            let next = step + 1
            if next == steps.count {
                state = .scanning
                return [.ready(info)]
            }
            state = .starting(step: next)
            return [.send(steps[next]), .startTimer(seconds: commandTimeout)]
        case (.starting(let step), .commandTimeout):
            attempt += 1
            guard attempt <= retries else {
                state = .failed
                return [.failed("the controller did not answer command \(step + 1) of the start-up sequence")]
            }
            return [.send(steps[step]), .startTimer(seconds: commandTimeout)]
        case (.starting(let step), .packet(.event(0x0F, let p))):
            // Command Status (a controller that answers a start-up command this way): fail on an error.
            guard p.count >= 4 else { return [] }
            let opcode = UInt16(p[2]) | UInt16(p[3]) << 8
            guard case .command(let expected, _) = steps[step], opcode == expected, p[0] != 0 else { return [] }
            state = .failed
            return [.failed("command 0x\(String(opcode, radix: 16)) failed with status 0x\(String(p[0], radix: 16))")]
        case (.scanning, .packet(.event(0x3E, let p))):
            return (LEAdvertisingReport.parse(leMetaParameters: p) ?? []).map { .advertisement($0) }
        default:
            return []
        }
    }
}
