#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import UDSTestSupport
import UDSTransport

/// Connections over real UNIX domain sockets: server, client, handshake, records, failures.
@Suite struct UDSConnectionTests {
    /// A server whose accepted connections are `UDSConnection`s with role `.server`.
    static func accept(_ server: UDSServer, id: String = "proto::agent") async throws -> UDSConnection {
        let fd = try #require(await nextEvent(server.connections))
        let c = try UDSConnection(adopting: fd, role: .server, localEndpointID: id, name: "accepted")
        await c.start()
        return c
    }

    @Test func handshakeThenRecordsBothWays() async throws {
        let path = TempSocket.path()
        let server = UDSServer(path: path)
        try server.start()
        defer { server.stop() }
        let client = try UDSConnection.connect(path: path, localEndpointID: "self::ctrl")
        await client.start()
        let accepted = try await Self.accept(server)
        #expect(await nextEvent(accepted.events) == .established(peerEndpointID: "self::ctrl"))
        #expect(await nextEvent(client.events) == .established(peerEndpointID: "proto::agent"))
        try await client.send(record: [1, 2, 3])
        #expect(await nextEvent(accepted.events) == .record([1, 2, 3]))
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        try await accepted.send(record: big)
        #expect(await nextEvent(client.events) == .record(big))
        await client.close()
        guard case .closed(let r)? = await nextEvent(accepted.events) else { Issue.record("no close"); return }
        #expect(r.code == .connectionLost)
        #expect(await nextEvent(accepted.events, seconds: 1) == nil)  // the stream ended
    }

    @Test func noRecordBeforeTheHandshake() async throws {
        let path = TempSocket.path()
        let server = UDSServer(path: path)
        try server.start()
        defer { server.stop() }
        let raw = try RawSocket(path: path)
        let accepted = try await Self.accept(server)
        await #expect(throws: UDSError.self) { try await accepted.send(record: [1]) }
        // A record first is ignored (R-UDS.20); then the handshake is answered (R-UDS.17).
        try raw.write(UDSFrame.record([9, 9]).encoded() + UDSFrame.handshake("self::raw").encoded() + UDSFrame.record([4]).encoded())
        #expect(await nextEvent(accepted.events) == .established(peerEndpointID: "self::raw"))
        #expect(await nextEvent(accepted.events) == .record([4]))
        #expect(await raw.read { _ in raw.frames.count == 1 })
        #expect(raw.frames == [.handshake("proto::agent")])
        raw.close()
    }

    @Test(arguments: [
        ("GET / HTTP/1.0\r\n\r\n", UDSFrameError.Code.badSync),
        ("oversized", .frameTooLong),
        ("overrun", .tlvOverrun),
    ])
    func malformedBytesGetAnErrorFrameAndClose(_ input: String, _ code: UDSFrameError.Code) async throws {
        let path = TempSocket.path()
        let server = UDSServer(path: path)
        try server.start()
        defer { server.stop() }
        let raw = try RawSocket(path: path)
        let accepted = try await Self.accept(server)
        let bytes: [UInt8] = switch input {
        case "oversized": UDSFrame.sync + [0x10, 0, 0, 0]
        case "overrun": UDSFrame.handshake("self::raw").encoded() + UDSFrame.sync + [0, 0, 0, 5, 3, 0, 0, 0, 1]
        default: Array(input.utf8)
        }
        try raw.write(bytes)
        var events: [UDSConnection.Event] = []
        for await e in accepted.events { events.append(e) }
        guard case .closed(let reason)? = events.last else { Issue.record("\(events)"); return }
        #expect(reason.code == .malformedFrame)
        #expect(reason.frameError == code)
        #expect(await raw.waitForEOF())
        let errors = raw.frames.filter { $0.fields.first?.type == UDSTLV.error }
        #expect(errors.count == 1)
    }

    @Test func rejectSendsErrorAndCloses() async throws {
        let path = TempSocket.path()
        let server = UDSServer(path: path)
        try server.start()
        defer { server.stop() }
        let client = try UDSConnection.connect(path: path, localEndpointID: "self::ctrl")
        await client.start()
        let accepted = try await Self.accept(server)
        #expect(await nextEvent(client.events) == .established(peerEndpointID: "proto::agent"))
        _ = await nextEvent(accepted.events)
        await accepted.reject("record could not be parsed")
        guard case .closed(let r)? = await nextEvent(client.events) else { Issue.record("no close"); return }
        #expect(r.code == .peerSentError)
        #expect(r.detail.contains("record could not be parsed"))
    }

    @Test func clientGivesUpWithoutHandshake() async throws {
        let path = TempSocket.path()
        let server = UDSServer(path: path)
        try server.start()
        defer { server.stop() }
        let client = try UDSConnection.connect(path: path, localEndpointID: "self::ctrl", handshakeTimeout: .milliseconds(300))
        let started = Date()
        await client.start()
        let silent = try RawSocket(adopting: try #require(await nextEvent(server.connections)))
        guard case .closed(let r)? = await nextEvent(client.events) else { Issue.record("no close"); return }
        #expect(r.code == .handshakeTimeout)
        #expect(Date().timeIntervalSince(started) >= 0.25)
        // The silent server got the client's handshake, then end of file.
        #expect(await silent.waitForEOF())
        #expect(silent.frames == [.handshake("self::ctrl")])
    }

    @Test func socketFileLifecycle() async throws {
        let path = TempSocket.path()
        // A stale socket file (nobody listening) is replaced.
        let stale = UDSServer(path: path)
        try stale.start()
        let staleFD = try UDSSocket.listen(path: path + ".x", permissions: 0o600, backlog: 1)
        close(staleFD.fd)
        #expect(FileManager.default.fileExists(atPath: path + ".x"))
        let replaced = UDSServer(path: path + ".x", permissions: 0o666)
        try replaced.start()
        var st = stat()
        #expect(lstat(path + ".x", &st) == 0 && st.st_mode & 0o777 == 0o666)
        replaced.stop()
        #expect(!FileManager.default.fileExists(atPath: path + ".x"))
        // A live server is not displaced.
        let second = UDSServer(path: path)
        #expect { try second.start() } throws: { ($0 as? UDSError)?.code == .addressInUse }
        #expect(lstat(path, &st) == 0 && st.st_mode & 0o777 == 0o660)
        stale.stop()
        #expect(!FileManager.default.fileExists(atPath: path))
        // A regular file is never removed.
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        #expect { try UDSServer(path: path).start() } throws: { ($0 as? UDSError)?.code == .addressInUse }
        #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
        // Too long for sun_path.
        #expect { try UDSServer(path: "/tmp/" + String(repeating: "x", count: 200)).start() } throws: {
            ($0 as? UDSError)?.code == .pathTooLong
        }
        #expect { _ = try UDSSocket.connect(path: path + ".none") } throws: { ($0 as? UDSError)?.code == .connectFailed }
    }

    @Test func clientReconnects() async throws {
        let path = TempSocket.path()
        let client = UDSClient(path: path, localEndpointID: "self::ctrl", reconnectDelay: 0.05...0.1)
        await client.start()
        defer { Task { await client.stop() } }
        guard case .connectFailed(let e)? = await nextEvent(client.events) else { Issue.record("no failure"); return }
        #expect(e.code == .connectFailed)
        let server = UDSServer(path: path)
        try server.start()
        defer { server.stop() }
        let first = try await Self.accept(server)
        var sawConnected = false
        while let e = await nextEvent(client.events) {
            if case .connected(let peer) = e { #expect(peer == "proto::agent"); sawConnected = true; break }
        }
        #expect(sawConnected)
        try await client.send(record: [7])
        _ = await nextEvent(first.events)  // established
        #expect(await nextEvent(first.events) == .record([7]))
        // The server drops the connection: the client notices and comes back.
        await first.close()
        guard case .disconnected(let r)? = await nextEvent(client.events) else { Issue.record("no disconnect"); return }
        #expect(r.code == .connectionLost)
        let second = try await Self.accept(server)
        #expect(await nextEvent(client.events) == .connected(peerEndpointID: "proto::agent"))
        #expect(await nextEvent(second.events) == .established(peerEndpointID: "self::ctrl"))
    }
}
