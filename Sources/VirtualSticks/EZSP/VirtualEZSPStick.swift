import Foundation
import Logging
import SerialPort

/// A virtual Silicon Labs EmberZNet NCP stick on a pseudo-terminal: ASH (UG101) framing by
/// `VirtualASHNCP`, EZSP (UG100) by `VirtualEZSPNCP`, hosting the simulated ZigBee network. A
/// host driver (bellows, zigbee-herdsman's ember adapter, usp-bridge) opens `path` as it would
/// open the stick's UART. Runs until cancelled.
///
/// The NCP sends at most `window` DATA frames before the host acknowledges them, and sends the
/// unacknowledged ones again when no acknowledgement came for `ackTimeout` (UG101 T_RX_ACK).
/// An RST from the host reboots the EZSP layer; the formed network survives, as in flash.
public actor VirtualEZSPStick {
    public nonisolated let terminal: PseudoTerminal
    private var ash = VirtualASHNCP()
    private var ncp: VirtualEZSPNCP
    private let logger: Logger
    private let started = ContinuousClock.now
    /// Seconds of scenario time per second of real time.
    private let timeScale: Double
    /// EZSP frames waiting for room in the ASH window.
    private var outgoing: [[UInt8]] = []
    private let window = 3
    private let ackTimeout: Duration
    private var lastAckProgress = ContinuousClock.now
    /// Retransmission rounds since the host last acknowledged something; after
    /// `maxRetransmissions` the NCP waits for the host (which will reset the link) instead.
    private var retransmissionRounds = 0
    private let maxRetransmissions = 5
    private let tick: Duration

    public init(link: String?, scenario: ZigbeeScenario = .home, configuration: VirtualEZSPNCP.Configuration = .init(),
                timeScale: Double = 1, tick: Duration = .milliseconds(100), ackTimeout: Duration = .milliseconds(800),
                logger: Logger) throws(SerialPortError) {
        terminal = try PseudoTerminal(link: link)
        ncp = VirtualEZSPNCP(network: scenario.network(), configuration: configuration)
        self.logger = logger
        self.timeScale = timeScale
        self.tick = tick
        self.ackTimeout = ackTimeout
    }

    /// The path a host opens: the link if one was asked for, else the pty slave.
    public nonisolated var path: String { terminal.link ?? terminal.slavePath }

    // MARK: State for tests and logs

    public var isNetworkUp: Bool { ncp.networkUp }
    public var isNetworkFormed: Bool { ncp.formed }
    public var commandLog: [UInt16] { ncp.commandLog }
    public var outcomes: [VirtualEZSPNCP.Outcome] { ncp.outcomes }
    public var network: VirtualZigbeeNetwork { ncp.network }
    /// ASH counters: (DATA frames received, NAKs sent, frames retransmitted, bad frames).
    public var linkCounters: (received: Int, naks: Int, retransmitted: Int, bad: Int) {
        (ash.received, ash.naksSent, ash.retransmitted, ash.badFrames)
    }

    // MARK: Faults

    /// Drops or corrupts the next outgoing frames, mutes the NCP, or clears the faults.
    public func inject(_ fault: VirtualASHNCP.Fault) { ash.inject(fault) }

    /// The NCP reboots on its own (a watchdog): it sends an unsolicited RSTACK and forgets the
    /// EZSP session; the network it formed stays.
    public func resetUnsolicited() {
        ncp.reset()
        outgoing = []
        retransmissionRounds = 0
        write(ash.resetUnsolicited(code: VirtualASHNCP.resetSoftware))
    }

    /// A device leaves on its own.
    public func leave(deviceNamed name: String) {
        enqueue(ncp.leave(deviceNamed: name, at: now))
    }

    // MARK: Running

    public func run() async {
        logger.info("virtual EZSP NCP (protocol \(ncp.configuration.protocolVersion)) on \(path) (\(terminal.slavePath))")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.readLoop() }
            group.addTask { await self.tickLoop() }
            await group.next()
            group.cancelAll()
        }
        terminal.close()
    }

    private var now: Double {
        let c = (ContinuousClock.now - started).components
        return (Double(c.seconds) + Double(c.attoseconds) * 1e-18) * timeScale
    }

    private func readLoop() async {
        for await chunk in terminal.port.bytes {
            if Task.isCancelled { break }
            probe.bytesArrived()
            feed(chunk)
        }
    }

    private func feed(_ chunk: [UInt8]) {
        let resets = ash.resets
        let unacked = ash.unacknowledged
        let (wire, frames) = ash.receive(chunk)
        if ash.resets != resets {
            // RST reboots the NCP: the EZSP session starts again, queued frames are gone.
            ncp.reset()
            outgoing = []
            retransmissionRounds = 0
            logger.debug("virtual EZSP: reset by the host")
        }
        if ash.unacknowledged < unacked {
            lastAckProgress = .now
            retransmissionRounds = 0
        }
        write(wire)
        for frame in frames { enqueue(ncp.handle(ezspFrame: frame, at: now)) }
        pump()
    }

    private func tickLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            if Task.isCancelled { break }
            onTick()
        }
    }

    private func onTick() {
        enqueue(ncp.advance(to: now))
        if ash.unacknowledged > 0, retransmissionRounds < maxRetransmissions,
           ContinuousClock.now - lastAckProgress > ackTimeout {
            lastAckProgress = .now
            retransmissionRounds += 1
            write(ash.retransmitUnacknowledged())
        }
        pump()
    }

    private func enqueue(_ frames: [[UInt8]]) {
        outgoing += frames
        pump()
    }

    /// Sends queued EZSP frames while the ASH window has room.
    private func pump() {
        while !outgoing.isEmpty, ash.connected, ash.unacknowledged < window {
            if ash.unacknowledged == 0 { lastAckProgress = .now }
            let bytes = ash.send(outgoing.removeFirst())
            write(bytes)
        }
    }

    private func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        do { try terminal.port.write(bytes) } catch let e {
            // Nobody has the port open and its buffer is full: drop, as a UART would.
            if e.code != .writeTimeout { logger.debug("virtual EZSP: \(e)") }
        }
    }

    // MARK: timing hook (benchmarks)

    private var probe = ArrivalProbe()

    /// The next bytes from the host will be time-stamped (for "command → first byte" figures).
    public func armArrival() { probe.arm() }

    /// When the first bytes after `armArrival()` arrived.
    public func awaitArrival() async -> ContinuousClock.Instant {
        if let t = probe.recorded { return t }
        return await withCheckedContinuation { probe.wait($0) }
    }
}
