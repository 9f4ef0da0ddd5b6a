import ArgumentParser
import Foundation
import Logging
import VirtualSticks

/// `usp-bridge virtual-stick KIND --link PATH`: a virtual radio stick on a pseudo-terminal.
struct VirtualStickCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "virtual-stick",
        abstract: "Run a virtual radio stick on a pseudo-terminal, for drivers to open like real hardware.",
        discussion: """
        Kinds in this build:
          znp   a ZigBee coordinator stick like a TI CC2652 with Z-Stack 3.x ZNP firmware, \\
                speaking MT (SREQ/SRSP/AREQ over UART). It forms or restores its network the way \\
                the firmware does and hosts a simulated ZigBee home (--scenario takes a ZigBee \\
                scenario YAML); NV survives resets while the stick runs.
          hci   a Bluetooth LE controller speaking HCI over H4 (UART). It answers the start-up \\
                commands a host sends (BlueZ, Bumble, usp-bridge) and, while the host scans, \\
                sends advertising reports for a home of BTHome, Xiaomi MiBeacon and pvvx-firmware \\
                sensors whose values change over time. Its "Bedroom" sensor encrypts (BTHome \\
                AES-CCM); the bridge reads it with bluetooth.bindkeys \\
                {"38:1F:8D:00:00:07": "3e1f6b520c94d7218a45b37016e9c25d"}.
          ezsp  a Silicon Labs EmberZNet NCP speaking ASH and EZSP (protocol version 8 to 14,
                --protocol-version, default 13), coordinator and trust centre of a simulated
                ZigBee home: two lights, a climate sensor, motion, a door contact, and a smart
                plug that joins when the host permits joining. It forms the network the host
                asks for and keeps it across resets, as a real stick keeps it in flash.
                --scenario takes a ZigBee scenario.

        The stick runs until Ctrl-C; the link is removed when it stops. Point a radio at it:
          radios: [{protocol: bluetooth, stack: hci, port: /tmp/bt0}]
          radios: [{protocol: zigbee, stack: ezsp, port: /tmp/zb0}]
          radios: [{protocol: zigbee, stack: znp, port: /tmp/zb1}]
        """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case znp
        case hci
        case ezsp
    }

    @Argument(help: "The kind of stick: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind

    @Option(name: .long, help: "Path of the symlink to create for the pseudo-terminal (e.g. /tmp/bt0, /tmp/zb0). An existing symlink is replaced; any other file is left alone.")
    var link: String

    @Option(name: .long, help: "YAML scenario of virtual devices (see docs/virtual-sticks.md): BLE sensors for hci, ZigBee devices for ezsp. Default: the demo home.")
    var scenario: String?

    @Option(name: .long, help: "ezsp: the EZSP protocol version the NCP runs (8 to 14).")
    var protocolVersion: UInt8 = 13

    @Option(name: .long, help: "Scenario seconds per real second (speeds values up for tests).")
    var timeScale: Double = 1

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevelArgument = .init(.info)

    func validate() throws {
        guard timeScale > 0, timeScale <= 1000 else { throw ValidationError("--time-scale must be between 0 and 1000") }
        guard (8...14).contains(protocolVersion) else { throw ValidationError("--protocol-version must be between 8 and 14") }
    }

    func run() async throws {
        let logger = makeLogger(logLevel.level)
        switch kind {
        case .hci: try await runHCI(logger)
        case .ezsp: try await runEZSP(logger)
        case .znp: try await runZNP(logger: logger)
        }
    }

    func runEZSP(_ logger: Logger) async throws {
        let home: ZigbeeScenario
        if let scenario {
            do { home = try ZigbeeScenario.load(path: scenario) } catch {
                FileHandle.standardError.write(Data("usp-bridge virtual-stick: \(error.description)\n".utf8))
                throw ExitCode(65)
            }
        } else {
            home = .home
        }
        let stick: VirtualEZSPStick
        do {
            stick = try VirtualEZSPStick(link: link, scenario: home,
                                         configuration: VirtualEZSPNCP.Configuration(protocolVersion: protocolVersion),
                                         timeScale: timeScale, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("usp-bridge virtual-stick: \(error.message)\n".utf8))
            throw ExitCode(73)
        }
        print("virtual \(kind.rawValue) stick (EZSP protocol \(protocolVersion)) on \(stick.terminal.slavePath), linked at \(link); \(home.devices.count) devices")
        fflush(nil)
        await Self.runUntilSignalled { await stick.run() }
    }

    func runHCI(_ logger: Logger) async throws {
        let home: BLEScenario
        if let scenario {
            do { home = try BLEScenario.load(path: scenario) } catch {
                FileHandle.standardError.write(Data("usp-bridge virtual-stick: \(error.description)\n".utf8))
                throw ExitCode(65)
            }
        } else {
            home = .home
        }
        let stick: VirtualHCIStick
        do { stick = try VirtualHCIStick(link: link, scenario: home, timeScale: timeScale, logger: logger) } catch {
            FileHandle.standardError.write(Data("usp-bridge virtual-stick: \(error.message)\n".utf8))
            throw ExitCode(73)
        }
        print("virtual \(kind.rawValue) stick on \(stick.terminal.slavePath), linked at \(link); \(home.devices.count) devices")
        fflush(nil)
        await Self.runUntilSignalled { await stick.run() }
    }

    /// Runs `body` until Ctrl-C / SIGTERM cancels it (the stick then removes its link).
    static func runUntilSignalled(_ body: @escaping @Sendable () async -> Void) async {
        let task = Task { await body() }
        // Ctrl-C / SIGTERM: stop, which removes the link.
        let signals = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig)
            s.setEventHandler { task.cancel() }
            s.resume()
            return s
        }
        await task.value
        signals.forEach { $0.cancel() }
    }
}
