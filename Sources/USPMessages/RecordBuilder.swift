import Foundation
import SwiftProtobuf

/// Helpers to build and open USP Records (TR-369 "Record" envelope).
public enum USPRecord {
    /// The Record `version` this implementation speaks.
    public static let protocolVersion = "1.4"
    /// Versions listed in GetSupportedProtocolResp.
    public static let supportedVersions = ["1.0", "1.1", "1.2", "1.3", "1.4"]

    /// A NoSessionContext record carrying an encoded Msg.
    public static func noSession(to: String, from: String, msg: Usp_Msg) throws -> UspRecord_Record {
        var rec = base(to: to, from: from)
        var nsc = UspRecord_NoSessionContextRecord()
        nsc.payload = try msg.serializedData()
        rec.noSessionContext = nsc
        return rec
    }

    /// The connect record an MQTT endpoint publishes once subscribed (TR-369 MQTT binding).
    public static func mqttConnect(to: String, from: String, version: UspRecord_MQTTConnectRecord.MQTTVersion,
                                   subscribedTopic: String) -> UspRecord_Record {
        var rec = base(to: to, from: from)
        var c = UspRecord_MQTTConnectRecord()
        c.version = version
        c.subscribedTopic = subscribedTopic
        rec.mqttConnect = c
        return rec
    }

    public static func webSocketConnect(to: String, from: String) -> UspRecord_Record {
        var rec = base(to: to, from: from)
        rec.websocketConnect = UspRecord_WebSocketConnectRecord()
        return rec
    }

    public static func udsConnect(to: String, from: String) -> UspRecord_Record {
        var rec = base(to: to, from: from)
        rec.udsConnect = UspRecord_UDSConnectRecord()
        return rec
    }

    public static func disconnect(to: String, from: String, reasonCode: UInt32, reason: String) -> UspRecord_Record {
        var rec = base(to: to, from: from)
        var d = UspRecord_DisconnectRecord()
        d.reasonCode = reasonCode
        d.reason = reason
        rec.disconnect = d
        return rec
    }

    static func base(to: String, from: String) -> UspRecord_Record {
        var rec = UspRecord_Record()
        rec.version = protocolVersion
        rec.toID = to
        rec.fromID = from
        rec.payloadSecurity = .plaintext
        return rec
    }

    /// Decodes a Record from bytes. Throws `RecordDecodingError` with a reason; never traps.
    public static func decode(_ bytes: some Collection<UInt8>) throws(RecordDecodingError) -> UspRecord_Record {
        do {
            return try UspRecord_Record(serializedBytes: Array(bytes))
        } catch {
            throw RecordDecodingError(reason: "record could not be parsed: \(error)")
        }
    }
}

public struct RecordDecodingError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

extension UspRecord_Record {
    /// The Msg inside a NoSessionContext record.
    public func decodedMsg() throws -> Usp_Msg {
        guard case .noSessionContext(let nsc)? = recordType else {
            throw RecordDecodingError(reason: "record carries no NoSessionContext payload")
        }
        return try Usp_Msg(serializedBytes: nsc.payload)
    }

    public func encoded() throws -> [UInt8] { try serializedBytes() }
}

extension Usp_Msg {
    /// A Msg with the given id, type and body.
    public static func make(id: String, type: Usp_Header.MsgType, body: Usp_Body.OneOf_MsgBody) -> Usp_Msg {
        var m = Usp_Msg()
        m.header.msgID = id
        m.header.msgType = type
        m.body.msgBody = body
        return m
    }

    public static func request(id: String, type: Usp_Header.MsgType, _ req: Usp_Request.OneOf_ReqType) -> Usp_Msg {
        var r = Usp_Request()
        r.reqType = req
        return make(id: id, type: type, body: .request(r))
    }

    public static func response(id: String, type: Usp_Header.MsgType, _ resp: Usp_Response.OneOf_RespType) -> Usp_Msg {
        var r = Usp_Response()
        r.respType = resp
        return make(id: id, type: type, body: .response(r))
    }
}
