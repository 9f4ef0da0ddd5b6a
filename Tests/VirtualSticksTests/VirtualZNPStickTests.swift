import Foundation
import Logging
import SerialPort
import Testing
import VirtualSticks
import ZigbeeCore
import ZigbeeZNP

/// The virtual ZNP stick over a real pseudo-terminal: the test is the host, opening the pty as a
/// driver opens a USB stick, with ZigbeeZNP's MT decoder, link and start-up machines.
@Suite(.serialized) struct VirtualZNPStickTests {
    /// What the stick sent, collected by one reader task (a port's stream has a single consumer).
    actor Inbox {
        private var chunks: [[UInt8]] = []
        func append(_ chunk: [UInt8]) { chunks.append(chunk) }
        func take() -> [[UInt8]] {
            defer { chunks.removeAll() }
            return chunks
        }

        nonisolated func collect(from port: SerialPort) -> Task<Void, Never> {
            Task { for await chunk in port.bytes { await self.append(chunk) } }
        }
    }

    /// Writes what the host wants written and feeds it what the stick sent, until `done` holds or
    /// `seconds` pass (then it returns; the test checks what it got).
    static func converse(_ host: inout ZNPHost, _ port: SerialPort, _ inbox: Inbox, seconds: Double = 10,
                         until done: (ZNPHost) -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            for bytes in host.takeOutgoing() { try port.write(bytes) }
            if done(host) { return }
            for chunk in await inbox.take() { host.receive(chunk) }
            if done(host) { return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func stick(flash: VirtualZNPFlash = .factory) throws -> VirtualZNPStick {
        var logger = Logger(label: "test.virtual-znp")
        logger.logLevel = .warning
        return try VirtualZNPStick(link: nil, network: ZigbeeScenario.home.network(), flash: flash, timeScale: 1, logger: logger)
    }

    @Test func hostStartsTheCoordinatorOverAPtyThenJoinsAndTogglesALight() async throws {
        let stick = try Self.stick()
        let running = Task { await stick.run() }
        defer { running.cancel() }
        let port = try SerialPort.open(.device(path: stick.path))
        defer { port.close() }
        let inbox = Inbox()
        let reader = inbox.collect(from: port)
        defer { reader.cancel() }
        var host = ZNPHost()
        host.start()
        try await Self.converse(&host, port, inbox) { $0.ready != nil || $0.failure != nil }
        let info = try #require(host.ready, "start-up over the pty failed: \(String(describing: host.failure))")
        #expect(info.formedNetwork && info.deviceInfo?.state == .coordinator)
        #expect(await stick.isUp)

        // Permit join: the plug joins and announces itself.
        host.send(.permitJoin(.device(0x0000), seconds: 30), id: 1)
        try await Self.converse(&host, port, inbox) { h in
            h.callbacks.contains { if case .endDeviceAnnounce(let a) = $0 { a.networkAddress == 0x1006 } else { false } }
        }
        #expect(host.callback(of: 1) == .zdoResponse(source: 0x0000, .mgmtPermitJoining(.success)))
        #expect(await stick.isMember(named: "Coffee machine plug"))

        // Toggle the living room lamp and read its default response.
        let toggle = ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, transactionSequence: 9, commandId: 0x02)
        host.send(.afDataRequest(AFDataRequest(destination: 0x1001, destinationEndpoint: 1, clusterID: ZCLClusterID.onOff,
                                               transactionID: 3, data: toggle.encoded())), id: 2)
        try await Self.converse(&host, port, inbox) { h in
            h.callbacks.contains { if case .afIncomingMessage(let m) = $0 { m.sourceAddress == 0x1001 && m.data.count >= 3 && m.data[1] == 9 } else { false } }
        }
        #expect(host.callback(of: 2) == .afDataConfirm(status: .success, endpoint: 1, transactionID: 3))

        // Faults: a corrupted SRSP is lost to the host (bad FCS); the next exchange works again.
        await stick.inject(.corruptOutgoing(1))
        host.send(.ping, id: 3)
        host.send(.version, id: 4)
        try await Self.converse(&host, port, inbox, seconds: 1) { $0.completed[4] != nil }
        #expect(host.completed[3] == nil, "the ping's SRSP had a bad FCS")
        // (Without timers the link waits for the lost SRSP forever; a fresh link resumes.)
        host.link = ZNPLink()
        host.send(.ping, id: 5)
        try await Self.converse(&host, port, inbox) { $0.completed[5] != nil }
        guard case .success(let pong)? = host.completed[5], case .capabilities = pong.response else {
            Issue.record("no ping after the fault: \(String(describing: host.completed[5]))")
            return
        }

        // An unsolicited reset: the host hears SYS_RESET_IND and restarts without re-forming.
        await stick.resetUnsolicited()
        try await Self.converse(&host, port, inbox) { !$0.resets.isEmpty }
        #expect(await !stick.isUp)
        host.start()
        try await Self.converse(&host, port, inbox) { $0.ready != nil || $0.failure != nil }
        #expect(host.ready?.formedNetwork == false, "restored from flash: \(String(describing: host.failure))")
        let network = await stick.flash.network
        #expect(network != nil)
    }

    @Test func muteStickAnswersNothingAndGarbageIsSurvived() async throws {
        let stick = try Self.stick()
        let running = Task { await stick.run() }
        defer { running.cancel() }
        let port = try SerialPort.open(.device(path: stick.path))
        defer { port.close() }
        let inbox = Inbox()
        let reader = inbox.collect(from: port)
        defer { reader.cancel() }
        // Line noise, including a stray SOF and a frame with a bad FCS, then enough idle bytes to
        // settle any frame the noise seemed to start (so what follows is decoded at once).
        try port.write([0x00, 0xFE, 0x13, 0x37, 0xFE, 0x00, 0x21, 0x01, 0x99] + (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
                       + [UInt8](repeating: 0, count: 300))
        var host = ZNPHost()
        await stick.inject(.mute)
        host.send(.ping, id: 1)
        try await Self.converse(&host, port, inbox, seconds: 0.5) { $0.completed[1] != nil }
        #expect(host.completed[1] == nil, "a mute stick does not answer")
        await stick.inject(.none)
        // A dropped SRSP is just as lost.
        host.link = ZNPLink()
        await stick.inject(.dropOutgoing(1))
        host.send(.version, id: 3)
        try await Self.converse(&host, port, inbox, seconds: 0.3) { $0.completed[3] != nil }
        #expect(host.completed[3] == nil, "the SRSP was dropped")
        host.link = ZNPLink()
        host.send(.ping, id: 2)
        try await Self.converse(&host, port, inbox) { $0.completed[2] != nil }
        guard case .success(let reply)? = host.completed[2] else {
            Issue.record("no ping answer after the noise: \(String(describing: host.completed[2]))")
            return
        }
        #expect(reply.response == .capabilities([.sys, .af, .zdo, .util, .zgp, .appConfig]))
        #expect(await stick.badFrames >= 1)
    }

    @Test func aFrameLeftHalfWayIsDroppedAfterAPause() async throws {
        let stick = try Self.stick()
        let running = Task { await stick.run() }
        defer { running.cancel() }
        let port = try SerialPort.open(.device(path: stick.path))
        defer { port.close() }
        let inbox = Inbox()
        let reader = inbox.collect(from: port)
        defer { reader.cancel() }
        // A frame announcing 64 data bytes, then nothing: without the receive timeout the ping
        // that follows would be read as its data.
        try port.write([0xFE, 0x40, 0x21, 0x02])
        try await Task.sleep(for: .milliseconds(800))
        var host = ZNPHost()
        host.send(.ping, id: 1)
        try await Self.converse(&host, port, inbox, seconds: 5) { $0.completed[1] != nil }
        guard case .success(let reply)? = host.completed[1], case .capabilities = reply.response else {
            Issue.record("no ping answer after a truncated frame: \(String(describing: host.completed[1]))")
            return
        }
    }
}
