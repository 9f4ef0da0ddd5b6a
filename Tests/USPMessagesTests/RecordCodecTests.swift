import Foundation
import Testing
@testable import USPMessages

@Suite struct RecordCodecTests {
    @Test func noSessionRecordRoundTrips() throws {
        var get = Usp_Get()
        get.paramPaths = ["Device.DeviceInfo.", "Device.LocalAgent.EndpointID"]
        get.maxDepth = 2
        let msg = Usp_Msg.request(id: "m-1", type: .get, .get(get))
        let rec = try USPRecord.noSession(to: "proto::agent", from: "proto::ctrl", msg: msg)
        let bytes = try rec.encoded()
        let back = try USPRecord.decode(bytes)
        #expect(back.version == "1.4")
        #expect(back.toID == "proto::agent")
        #expect(back.fromID == "proto::ctrl")
        let m2 = try back.decodedMsg()
        #expect(m2.header.msgID == "m-1")
        #expect(m2.header.msgType == .get)
        guard case .request(let req)? = m2.body.msgBody, case .get(let g)? = req.reqType else {
            Issue.record("not a Get request"); return
        }
        #expect(g.paramPaths == ["Device.DeviceInfo.", "Device.LocalAgent.EndpointID"])
        #expect(g.maxDepth == 2)
    }

    /// A Record built byte by byte from the protobuf encoding rules, as the TR-369 record
    /// schema defines it: version "1.4" (field 1), to_id "a" (field 2), from_id "c" (field 3),
    /// no_session_context (field 7) holding payload (field 2) = a Msg whose header has
    /// msg_id "1" and msg_type GET (2), and whose body.request.get.param_paths = ["Device."].
    @Test func decodesHandBuiltRecordBytes() throws {
        // Msg: header{1:"1", 2:1}, body{1:request{1:get{1:"Device."}}}
        let header: [UInt8] = [0x0A, 0x01, 0x31, 0x10, 0x01]
        let get: [UInt8] = [0x0A, 0x07] + Array("Device.".utf8)
        let request: [UInt8] = [0x0A, UInt8(get.count)] + get
        let body: [UInt8] = [0x0A, UInt8(request.count)] + request
        let msg: [UInt8] = [0x0A, UInt8(header.count)] + header + [0x12, UInt8(body.count)] + body
        let nsc: [UInt8] = [0x12, UInt8(msg.count)] + msg
        let record: [UInt8] = [0x0A, 0x03] + Array("1.4".utf8) + [0x12, 0x01, 0x61, 0x1A, 0x01, 0x63]
            + [0x3A, UInt8(nsc.count)] + nsc
        let rec = try USPRecord.decode(record)
        #expect(rec.toID == "a")
        #expect(rec.fromID == "c")
        let m = try rec.decodedMsg()
        #expect(m.header.msgID == "1")
        #expect(m.header.msgType == .get)
        #expect(m.body.request.get.paramPaths == ["Device."])
        // And our encoder produces exactly those bytes for the same Record.
        let rebuilt = try USPRecord.noSession(to: "a", from: "c",
            msg: .request(id: "1", type: .get, .get({ var g = Usp_Get(); g.paramPaths = ["Device."]; return g }())))
        var plain = rebuilt; plain.payloadSecurity = .plaintext
        #expect(try plain.encoded() == record)
    }

    @Test func connectAndDisconnectRecords() throws {
        let mq = USPRecord.mqttConnect(to: "ctrl", from: "agent", version: .v5, subscribedTopic: "usp/agent")
        let back = try USPRecord.decode(try mq.encoded())
        #expect(back.mqttConnect.version == .v5)
        #expect(back.mqttConnect.subscribedTopic == "usp/agent")
        #expect(try USPRecord.decode(try USPRecord.udsConnect(to: "b", from: "s").encoded()).udsConnect == UspRecord_UDSConnectRecord())
        if case .websocketConnect? = try USPRecord.decode(try USPRecord.webSocketConnect(to: "c", from: "a").encoded()).recordType {} else {
            Issue.record("not a WebSocketConnect record")
        }
        let d = try USPRecord.decode(try USPRecord.disconnect(to: "c", from: "a", reasonCode: 7105, reason: "bye").encoded())
        #expect(d.disconnect.reasonCode == 7105)
        #expect(d.disconnect.reason == "bye")
    }

    @Test func garbageBytesGiveAnErrorNotACrash() {
        let inputs: [[UInt8]] = [[0xFF], [0x0A, 0x50, 0x01], [0x3A, 0x05, 0x12, 0x10], Array(repeating: 0x80, count: 20)]
        for bytes in inputs {
            #expect(throws: RecordDecodingError.self) { _ = try USPRecord.decode(bytes) }
        }
        // A valid record whose payload is not a Msg fails at Msg decoding.
        var rec = UspRecord_Record()
        rec.noSessionContext = { var n = UspRecord_NoSessionContextRecord(); n.payload = Data([0xFF, 0xFF]); return n }()
        #expect(throws: (any Error).self) { _ = try rec.decodedMsg() }
    }
}
