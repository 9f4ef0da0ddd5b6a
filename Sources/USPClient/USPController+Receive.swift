import Foundation
import MQTTTransport
import USPMessages

extension USPController {
    /// One PUBLISH on the reply topic: a response or Error for a pending request, or a Notify.
    /// Anything unparsable or not addressed to this controller is dropped with a debug log.
    func receive(_ message: MQTTMessage) {
        let record: UspRecord_Record
        do throws(RecordDecodingError) {
            record = try USPRecord.decode(message.payload)
        } catch {
            logger.debug("ignoring an unparsable USP record on \(message.topic) (\(message.payload.count) bytes): \(error.reason)")
            return
        }
        guard record.toID == configuration.endpointID else {
            logger.debug("ignoring a record for '\(record.toID)' from '\(record.fromID)' (this controller is '\(configuration.endpointID)')")
            return
        }
        guard case .noSessionContext(let nsc)? = record.recordType else {
            logger.debug("ignoring a \(Self.recordKind(record)) record from '\(record.fromID)'")
            return
        }
        let msg: Usp_Msg
        do {
            msg = try Usp_Msg(serializedBytes: nsc.payload)
        } catch {
            logger.debug("ignoring a record from '\(record.fromID)' whose payload is not a USP Msg: \(error)")
            return
        }
        let id = msg.header.msgID
        switch msg.body.msgBody {
        case .response?, .error?:
            guard record.fromID == configuration.agentEndpointID else {
                logger.debug("ignoring an answer to '\(id)' from '\(record.fromID)' (the agent is '\(configuration.agentEndpointID)')")
                return
            }
            guard let c = pending.removeValue(forKey: id) else {
                logger.debug("ignoring an answer with msg_id '\(id)' that matches no pending request")
                return
            }
            c.resume(returning: msg)
        case .request(let req)?:
            let replyTopic = Self.replyTopic(of: message, version: configuration.mqttVersion) ?? configuration.agentTopic
            if case .notify(let notify)? = req.reqType {
                notifyContinuation.yield(notify)
                if notify.sendResp {
                    var resp = Usp_NotifyResp()
                    resp.subscriptionID = notify.subscriptionID
                    answer(.response(id: id, type: .notifyResp, .notifyResp(resp)), to: record.fromID, topic: replyTopic)
                }
            } else {
                var e = Usp_Error()
                e.errCode = 7001  // Message Not Supported (TR-369 error codes)
                e.errMsg = "this controller accepts only Notify requests"
                answer(.make(id: id, type: .error, body: .error(e)), to: record.fromID, topic: replyTopic)
            }
        case nil:
            logger.debug("ignoring a message without a body from '\(record.fromID)'")
        }
    }

    func answer(_ msg: Usp_Msg, to endpoint: String, topic: String) {
        do {
            let record = try USPRecord.noSession(to: endpoint, from: configuration.endpointID, msg: msg)
            try publish(record, to: topic)
        } catch {
            logger.notice("could not answer \(msg.header.msgID) to \(endpoint): \(error)")
        }
    }

    /// Where the sender wants answers: the MQTT 5 Response Topic, or the 3.1.1 `reply-to=` level.
    static func replyTopic(of message: MQTTMessage, version: USPControllerConfiguration.MQTTVersion) -> String? {
        if let t = message.responseTopic, !t.isEmpty { return t }
        return MQTTReplyTo.split(message.topic).replyTo
    }

    static func recordKind(_ record: UspRecord_Record) -> String {
        switch record.recordType {
        case .noSessionContext: return "NoSessionContext"
        case .sessionContext: return "SessionContext"
        case .websocketConnect: return "WebSocketConnect"
        case .mqttConnect: return "MQTTConnect"
        case .stompConnect: return "STOMPConnect"
        case .disconnect: return "Disconnect"
        case .udsConnect: return "UDSConnect"
        case nil: return "empty"
        }
    }
}
