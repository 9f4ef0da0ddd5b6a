import Foundation
import Logging
import SerialPort
import Testing
import VirtualSticks
import ZigbeeCore
import ZigbeeEZSP

/// A host on the other end of a real pseudo-terminal: ASHLink + EZSPTransactions + EZSPStartup
/// from ZigbeeEZSP, fed by a reader task (the port's byte stream; nothing blocks in read()).
actor PTYEZSPHost {
    let port: SerialPort
    var link = ASHLink()
    var decoder = ASHDecoder()
    var transactions = EZSPTransactions()
    var startup: EZSPStartup
    var ready: [EZSPStartup.NetworkInfo] = []
    var failures: [EZSPStartupError] = []
    var callbacks: [EZSPCallback] = []
    var completed: [UInt64: EZSPFrame] = [:]
    var resets = 0
    var ackTimer: Task<Void, Never>?

    init(port: SerialPort, formation: EZSPStartup.Formation?) {
        self.port = port
        startup = EZSPStartup(configuration: EZSPStartup.Configuration(formation: formation))
    }

    var version: UInt8 { transactions.codec.protocolVersion ?? 0 }

    func start() { ash(.start) }

    func feed(_ chunk: [UInt8]) {
        for output in decoder.feed(chunk) {
            if case .frame(let frame) = output { ash(.received(frame)) }
        }
    }

    func submit<C: EZSPCommand>(_ command: C, tag: UInt64) {
        transact(.submit(EZSPRequest(command, tag: tag, version: version)))
    }

    func clearCallbacks() { callbacks = [] }

    /// Start-up reached `.ready` `count` times, or failed.
    func finished(readyCount count: Int) -> Bool { ready.count >= count || !failures.isEmpty }

    private func ash(_ event: ASHLink.Event) {
        for action in link.handle(event) {
            switch action {
            case .write(let bytes): try? port.write(bytes)
            case .deliver(let payload): transact(.received(payload))
            case .connected: startup(.start)
            case .reset:
                // The NCP rebooted: fail what is pending, reconnect, run start-up again.
                resets += 1
                transact(.linkReset)
                ash(.start)
            case .failed: transact(.linkFailed)
            case .startAckTimer(let ms):
                ackTimer?.cancel()
                ackTimer = Task { [weak self] in
                    try? await Task.sleep(for: .milliseconds(ms))
                    if !Task.isCancelled { await self?.ackExpired() }
                }
            case .cancelAckTimer:
                ackTimer?.cancel()
                ackTimer = nil
            default: break
            }
        }
    }

    private func ackExpired() { ash(.ackTimeout) }

    private func transact(_ event: EZSPTransactions.Event) {
        for action in transactions.handle(event) {
            switch action {
            case .send(let bytes): ash(.send(payload: bytes))
            case .completed(let tag, let frame):
                if startup.owns(tag: tag) { startup(.completed(tag: tag, frame: frame)) } else { completed[tag] = frame }
            case .failed(let tag, let failure):
                if startup.owns(tag: tag) { startup(.failed(tag: tag, failure)) }
            case .callback(let callback):
                callbacks.append(callback)
                startup(.callback(callback))
            case .ncpReset: startup(.ncpReset)
            default: break
            }
        }
    }

    private func startup(_ event: EZSPStartup.Event) {
        for action in startup.handle(event) {
            switch action {
            case .submit(let request): transact(.submit(request))
            case .setProtocolVersion(let v): transact(.setProtocolVersion(v))
            case .ready(let info): ready.append(info)
            case .failed(let error): failures.append(error)
            default: break
            }
        }
    }

    func stop() { ackTimer?.cancel() }
}

@Suite(.serialized) struct VirtualEZSPStickTests {
    static func link() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("usp-bridge-zb-\(UUID().uuidString.prefix(8))").path
    }

    /// Polls `condition` every 20 ms for up to `seconds`.
    static func wait(seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    @Test func hostStartsUpJoinsAndTogglesOverAPseudoTerminal() async throws {
        let path = Self.link()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let stick = try VirtualEZSPStick(link: path, configuration: .init(protocolVersion: 13, announceMembersOnNetworkUp: false),
                                         timeScale: 1, logger: logger)
        let stickTask = Task { await stick.run() }
        let port = try SerialPort.open(.device(path: path), settings: SerialSettings(baudRate: 115_200))
        let host = PTYEZSPHost(port: port, formation: EZSPHostHarness.formation)
        let reader = Task { for await chunk in port.bytes { await host.feed(chunk) } }

        // Start-up: RST/RSTACK, version 14 → 13 → 13, configuration, formNetwork, NETWORK_UP.
        await host.start()
        #expect(await Self.wait(seconds: 15) { await host.finished(readyCount: 1) })
        #expect(await host.failures.isEmpty)
        let info = await host.ready.first
        #expect(info?.formed == true && info?.protocolVersion == 13 && info?.nodeId == 0)
        #expect(await stick.isNetworkUp)

        // Permit joining: the plug joins.
        await host.clearCallbacks()
        await host.submit(EZSPCommands.PermitJoining(duration: 30), tag: 1)
        let joined = await Self.wait(seconds: 10) {
            await host.callbacks.contains { c in
                if case .incomingMessageHandler(let m) = c { m.apsFrame.clusterId == 0x0013 } else { false }
            }
        }
        #expect(joined)
        #expect(await host.callbacks.contains { c in
            if case .trustCenterJoinHandler(let j) = c { j.newNodeEUI64 == IEEEAddress(0x00158D00_00000006) } else { false }
        })

        // Toggle the hall light: messageSentHandler, then the default response.
        await host.clearCallbacks()
        await host.submit(try VirtualEZSPNCPTests.toggle(0x1002, tag: 7), tag: 2)
        let answered = await Self.wait(seconds: 10) {
            await host.callbacks.contains { c in
                if case .incomingMessageHandler(let m) = c { m.sender == 0x1002 && m.apsFrame.clusterId == 6 } else { false }
            }
        }
        #expect(answered)
        let sentFirst = await host.callbacks.first
        if case .messageSentHandler(let ms)? = sentFirst { #expect(ms.status.isSuccess && ms.messageTag == 7) } else {
            Issue.record("messageSentHandler did not come first: \(String(describing: sentFirst))")
        }
        #expect(await stick.commandLog.contains(0x0034))

        // The stick reboots on its own: the host reconnects and resumes the stored network.
        await stick.resetUnsolicited()
        #expect(await Self.wait(seconds: 15) { await host.finished(readyCount: 2) })
        #expect(await host.resets == 1)
        #expect(await host.failures.isEmpty)
        #expect(await host.ready.last?.formed == false)
        #expect(await host.ready.last?.parameters.panId == 0x1A62)

        await host.stop()
        port.close()
        stickTask.cancel()
        _ = await stickTask.value
        _ = await reader.value
        #expect(!FileManager.default.fileExists(atPath: path), "the link is removed when the stick stops")
    }

    /// Frames the stick loses or garbles on the way out are recovered by ASH (host NAK, NCP ACK timer).
    @Test func linkFaultsAreRecovered() async throws {
        let path = Self.link()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let stick = try VirtualEZSPStick(link: path, configuration: .init(protocolVersion: 14, announceMembersOnNetworkUp: false),
                                         timeScale: 1, ackTimeout: .milliseconds(300), logger: logger)
        let stickTask = Task { await stick.run() }
        let port = try SerialPort.open(.device(path: path), settings: SerialSettings(baudRate: 115_200))
        let host = PTYEZSPHost(port: port, formation: EZSPHostHarness.formation)
        let reader = Task { for await chunk in port.bytes { await host.feed(chunk) } }
        await host.start()
        #expect(await Self.wait(seconds: 15) { await host.finished(readyCount: 1) })
        #expect(await host.ready.first?.protocolVersion == 14)

        await stick.inject(.dropOutgoing(2))
        await host.submit(EZSPCommands.Nop(), tag: 1)
        #expect(await Self.wait(seconds: 10) { await host.completed[1] != nil })
        await stick.inject(.corruptOutgoing(1))
        await host.submit(EZSPCommands.NetworkState(), tag: 2)
        #expect(await Self.wait(seconds: 10) { await host.completed[2] != nil })
        let counters = await stick.linkCounters
        #expect(counters.retransmitted >= 1)

        await host.stop()
        port.close()
        stickTask.cancel()
        _ = await stickTask.value
        _ = await reader.value
    }
}
