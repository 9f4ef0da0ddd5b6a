import Foundation
import Logging
import SerialPort

/// A virtual Bluetooth HCI controller (H4 UART) on a pseudo-terminal: a host driver opens
/// `link` as it would open a UART dongle. Runs until cancelled.
public actor VirtualHCIStick {
    public nonisolated let terminal: PseudoTerminal
    private var controller: VirtualHCIController
    private let logger: Logger
    private let started = ContinuousClock.now
    /// Seconds of scenario time per second of real time (tests speed the home up).
    private let timeScale: Double

    public init(link: String?, scenario: BLEScenario = .home, timeScale: Double = 1, logger: Logger) throws(SerialPortError) {
        terminal = try PseudoTerminal(link: link)
        controller = VirtualHCIController(scenario: scenario)
        self.logger = logger
        self.timeScale = timeScale
    }

    /// The path a host opens: the link if one was asked for, else the pty slave.
    public nonisolated var path: String { terminal.link ?? terminal.slavePath }

    public var isScanning: Bool { controller.scanning }
    public var receivedOpcodes: [UInt16] { controller.receivedOpcodes }

    /// Stops (or resumes) answering, to test a host's time-outs.
    public func setMute(_ on: Bool) { controller.mute = on }

    public func run() async {
        logger.info("virtual HCI controller on \(path) (\(terminal.slavePath))")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.readLoop() }
            group.addTask { await self.tickLoop() }
            await group.next()
            group.cancelAll()
        }
        terminal.close()
    }

    private func readLoop() async {
        for await chunk in terminal.port.bytes {
            if Task.isCancelled { break }
            feed(chunk)
        }
    }

    private func feed(_ chunk: [UInt8]) {
        let out = controller.receive(chunk)
        guard !out.isEmpty else { return }
        do { try terminal.port.write(out) } catch { logger.warning("virtual HCI: \(error)") }
    }

    private func tickLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            tick()
        }
    }

    private func tick() {
        let elapsed = ContinuousClock.now - started
        let seconds = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) * timeScale
        let out = controller.tick(at: seconds)
        guard !out.isEmpty else { return }
        do { try terminal.port.write(out) } catch let e {
            // Nobody has the port open and its buffer is full: drop, as a radio would.
            if e.code != .writeTimeout { logger.debug("virtual HCI: \(e)") }
        }
    }
}
