import Foundation
import USPMessages

extension USPController {
    /// One Record from the link: a response or Error for a pending request, or a Notify.
    /// Anything unparsable or not addressed to this controller is dropped with a debug log.
    /// `replyTo` is where the agent wants answers (MQTT), nil for the link's default.
    func receive(_ payload: [UInt8], replyTo: String?) {
        let record: UspRecord_Record
        do throws(RecordDecodingError) {
            record = try USPRecord.decode(payload)
        } catch {
            logger.debug("ignoring an unparsable USP record on \(link.destination) (\(payload.count) bytes): \(error.reason)")
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
            guard record.fromID == agentEndpointID else {
                logger.debug("ignoring an answer to '\(id)' from '\(record.fromID)' (the agent is '\(agentEndpointID)')")
                return
            }
            guard let c = pending.removeValue(forKey: id) else {
                logger.debug("ignoring an answer with msg_id '\(id)' that matches no pending request")
                return
            }
            c.resume(returning: msg)
        case .request(let req)?:
            if case .notify(let notify)? = req.reqType {
                notifyContinuation.yield(notify)
                if notify.sendResp {
                    var resp = Usp_NotifyResp()
                    resp.subscriptionID = notify.subscriptionID
                    answer(.response(id: id, type: .notifyResp, .notifyResp(resp)), to: record.fromID, replyTo: replyTo)
                }
            } else {
                var e = Usp_Error()
                e.errCode = 7001  // Message Not Supported (TR-369 error codes)
                e.errMsg = "this controller accepts only Notify requests"
                answer(.make(id: id, type: .error, body: .error(e)), to: record.fromID, replyTo: replyTo)
            }
        case nil:
            logger.debug("ignoring a message without a body from '\(record.fromID)'")
        }
    }

    func answer(_ msg: Usp_Msg, to endpoint: String, replyTo: String?) {
        let record: UspRecord_Record
        do {
            record = try USPRecord.noSession(to: endpoint, from: configuration.endpointID, msg: msg)
        } catch {
            logger.notice("could not answer \(msg.header.msgID) to \(endpoint): \(error)")
            return
        }
        Task {
            do {
                try await publish(record, replyTo: replyTo)
            } catch {
                logger.notice("could not answer \(msg.header.msgID) to \(endpoint): \(error)")
            }
        }
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
