import Testing
import UDSTransport

/// The handshake state machine (TR-369 "Handshaking with UNIX Domain Sockets", R-UDS.16 … R-UDS.25).
@Suite struct UDSSessionTests {
    @Test func clientSendsHandshakeFirstAndServerAnswers() {
        var client = UDSSession(role: .client, localEndpointID: "self::ctrl")
        var server = UDSSession(role: .server, localEndpointID: "proto::agent")
        #expect(client.start() == [.send(.handshake("self::ctrl"))])
        #expect(server.start() == [])
        #expect(server.state == .awaitingHandshake)
        #expect(server.receive(.handshake("self::ctrl")) == [.send(.handshake("proto::agent")), .established(peerEndpointID: "self::ctrl")])
        #expect(client.receive(.handshake("proto::agent")) == [.established(peerEndpointID: "proto::agent")])
        #expect(client.peerEndpointID == "proto::agent")
        #expect(server.peerEndpointID == "self::ctrl")
    }

    @Test func recordsBeforeTheHandshakeAreIgnored() {
        var server = UDSSession(role: .server, localEndpointID: "proto::agent")
        _ = server.start()
        #expect(server.receive(.record([1, 2])) == [])
        // Handshake and record in one frame: the record counts, it follows the handshake.
        let frame = UDSFrame([UDSTLV(type: UDSTLV.record, value: [9]), UDSTLV(type: UDSTLV.handshake, value: Array("c".utf8)),
                              UDSTLV(type: 0xEE, value: [0]), UDSTLV(type: UDSTLV.record, value: [3])])
        #expect(server.receive(frame) == [.send(.handshake("proto::agent")), .established(peerEndpointID: "c"), .deliver(record: [3])])
    }

    @Test func aSecondHandshakeIsIgnored() {
        var server = UDSSession(role: .server, localEndpointID: "a")
        _ = server.start()
        _ = server.receive(.handshake("c"))
        #expect(server.receive(.handshake("other")) == [])
        #expect(server.peerEndpointID == "c")
        #expect(server.receive(.record([5])) == [.deliver(record: [5])])
    }

    @Test func errorFrameCloses() {
        var client = UDSSession(role: .client, localEndpointID: "c")
        _ = client.start()
        _ = client.receive(.handshake("a"))
        let out = client.receive(UDSFrame([UDSTLV(type: UDSTLV.error, value: Array("bye".utf8)), UDSTLV(type: UDSTLV.record, value: [1])]))
        #expect(out.count == 1)
        guard case .close(let reason)? = out.first else { Issue.record("no close"); return }
        #expect(reason.code == .peerSentError)
        #expect(client.isClosed)
        #expect(client.receive(.record([1])) == [])
    }

    @Test func unprocessableHandshakeIsAnsweredWithError() {
        for bad: [UInt8] in [[], [0xFF, 0xFE], Array("a\u{1}b".utf8)] {
            var server = UDSSession(role: .server, localEndpointID: "a")
            _ = server.start()
            let out = server.receive(UDSFrame([UDSTLV(type: UDSTLV.handshake, value: bad)]))
            #expect(out.count == 2)
            guard case .send(let f)? = out.first, case .close(let reason)? = out.last else { Issue.record("\(out)"); continue }
            #expect(f.fields.first?.type == UDSTLV.error)
            #expect(reason.code == .badHandshake)
            #expect(server.isClosed)
        }
    }

    @Test func parseErrorSendsErrorAndCloses() {
        var server = UDSSession(role: .server, localEndpointID: "a")
        _ = server.start()
        let out = server.receive(.failure(UDSFrameError(.badSync, "x")))
        guard case .send(let f)? = out.first, case .close(let reason)? = out.last else { Issue.record("\(out)"); return }
        #expect(f.fields.first?.type == UDSTLV.error)
        #expect(reason.code == .malformedFrame)
    }

    @Test func handshakeDeadlineOnlyBeforeTheHandshake() {
        var waiting = UDSSession(role: .client, localEndpointID: "c")
        _ = waiting.start()
        guard case .close(let r)? = waiting.handshakeTimedOut(after: 30).first else { Issue.record("no close"); return }
        #expect(r.code == .handshakeTimeout)
        var done = UDSSession(role: .client, localEndpointID: "c")
        _ = done.start()
        _ = done.receive(.handshake("a"))
        #expect(done.handshakeTimedOut(after: 30) == [])
        #expect(done.peerEndpointID == "a")
    }

    @Test func rejectSendsErrorOnce() {
        var s = UDSSession(role: .server, localEndpointID: "a")
        _ = s.start()
        _ = s.receive(.handshake("c"))
        let out = s.reject(UDSCloseReason(.rejected, "record could not be parsed"))
        #expect(out == [.send(.error("record could not be parsed")), .close(UDSCloseReason(.rejected, "record could not be parsed"))])
        #expect(s.reject(UDSCloseReason(.rejected, "again")) == [])
        #expect(s.ended(UDSCloseReason(.connectionLost, "eof")) == [])
    }
}
