import Foundation
import Logging
import SerialPort
import ZigbeeZNP

/// A virtual Z-Stack ZNP coordinator stick (a CC2652 with Z-Stack 3.x coordinator firmware) on a
/// pseudo-terminal: a host opens `path` as it would open the stick's USB serial port and speaks
/// MT to it. The simulated network advances on a clock (every 100 ms of real time, `timeScale`
/// scenario seconds per real second). Runs until cancelled.
///
/// Faults for tests: drop or corrupt (bad FCS) the next outgoing frames, go mute, reset on its
/// own (SYS_RESET_IND; NV and the formed network survive).
public actor VirtualZNPStick {
    public enum Fault: Sendable, Hashable {
        /// The next `n` frames the stick sends are lost.
        case dropOutgoing(Int)
        /// The next `n` frames the stick sends have a wrong FCS.
        case corruptOutgoing(Int)
        /// The stick ignores everything until `.none`.
        case mute
        /// Clears every fault.
        case none
    }

    public nonisolated let terminal: PseudoTerminal
    private var coordinator: VirtualZNPCoordinator
    private var decoder = MTDecoder()
    private let logger: Logger
    private let started = ContinuousClock.now
    private let timeScale: Double
    private var dropCount = 0
    private var corruptCount = 0
    private var muted = false
    /// When the last byte from the host arrived; a frame left half-way for 500 ms is dropped,
    /// as the firmware's UART receive timeout does.
    private var lastByte = ContinuousClock.now
    /// Frames received with a bad FCS or length (the host's or the line's fault).
    public private(set) var badFrames = 0

    public init(link: String?, network: VirtualZigbeeNetwork, flash: VirtualZNPFlash = .factory,
                configuration: VirtualZNPCoordinator.Configuration = .init(), timeScale: Double = 1,
                logger: Logger) throws(SerialPortError) {
        terminal = try PseudoTerminal(link: link)
        coordinator = VirtualZNPCoordinator(network: network, flash: flash, configuration: configuration)
        self.logger = logger
        self.timeScale = timeScale
    }

    /// The path a host opens: the link if one was asked for, else the pty slave.
    public nonisolated var path: String { terminal.link ?? terminal.slavePath }

    public var isUp: Bool { coordinator.isUp }
    /// The simulated network behind the coordinator (device states, for tests and logs).
    public var network: VirtualZigbeeNetwork { coordinator.network }
    public var flash: VirtualZNPFlash { coordinator.flash }
    public var receivedCommands: [String] { coordinator.receivedCommands }
    /// Whether the named device is in the network.
    public func isMember(named name: String) -> Bool {
        coordinator.network.device(named: name).map { coordinator.network.members.contains($0.ieee) } ?? false
    }

    public func inject(_ fault: Fault) {
        switch fault {
        case .dropOutgoing(let n): dropCount = n
        case .corruptOutgoing(let n): corruptCount = n
        case .mute: muted = true
        case .none: muted = false; dropCount = 0; corruptCount = 0
        }
    }

    /// The chip resets on its own (watchdog): SYS_RESET_IND goes out, the network stops until
    /// the host starts it again.
    public func resetUnsolicited() {
        send(coordinator.reset(reason: .watchdog))
    }

    /// A device leaves on its own.
    public func leave(deviceNamed name: String) {
        send(coordinator.leave(deviceNamed: name))
    }

    public func run() async {
        logger.info("virtual ZNP coordinator on \(path) (\(terminal.slavePath))")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.readLoop() }
            group.addTask { await self.tickLoop() }
            await group.next()
            group.cancelAll()
        }
        terminal.close()
    }

    // MARK: Private

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
        lastByte = ContinuousClock.now
        for output in decoder.feed(chunk) {
            switch output {
            case .frame(let frame):
                guard !muted else { continue }
                logger.trace("virtual ZNP: <- \(frame.subsystem) 0x\(String(frame.commandID, radix: 16)) \(frame.type)")
                send(coordinator.handle(frame: frame, at: now))
            case .invalid(let reason):
                badFrames += 1
                logger.debug("virtual ZNP: bad frame from the host: \(reason)")
            case .discarded:
                break
            }
        }
    }

    private func tickLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            if decoder.hasPartialFrame, ContinuousClock.now - lastByte > .milliseconds(500) { decoder.reset() }
            send(coordinator.advance(to: now))
        }
    }

    private func send(_ frames: [MTFrame]) {
        guard !muted else { return }
        for frame in frames {
            guard var bytes = try? frame.encoded() else { continue }
            if dropCount > 0 {
                dropCount -= 1
                continue
            }
            if corruptCount > 0 {
                corruptCount -= 1
                bytes[bytes.count - 1] ^= 0xFF
            }
            do { try terminal.port.write(bytes) } catch let e {
                // Nobody has the port open and its buffer is full: drop, as a radio would.
                if e.code != .writeTimeout { logger.debug("virtual ZNP: \(e)") }
            }
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
