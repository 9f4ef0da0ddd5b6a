import DataModel
import Foundation
import Logging
import USPMessages

extension USPAgent {
    /// Handles one received Record and returns the Record to send back, if any.
    /// Records not addressed to this agent are dropped and logged, never answered.
    public func handleRecord(_ bytes: [UInt8]) async -> UspRecord_Record? {
        let record: UspRecord_Record
        do throws(RecordDecodingError) {
            record = try USPRecord.decode(bytes)
        } catch {
            logger.warning("dropping unparsable USP record (\(bytes.count) bytes): \(error.reason)")
            return nil
        }
        guard record.toID == endpointID else {
            logger.warning("dropping record addressed to '\(Self.printable(record.toID))' (this agent is '\(endpointID)') from '\(Self.printable(record.fromID))'")
            return nil
        }
        guard !record.fromID.isEmpty else {
            logger.warning("dropping record with an empty from_id")
            return nil
        }
        switch record.recordType {
        case .noSessionContext(let nsc):
            let msg: Usp_Msg
            do {
                msg = try Usp_Msg(serializedBytes: nsc.payload)
            } catch {
                // R-MTP.5: without a Message ID there is nothing to answer.
                logger.warning("dropping record from \(Self.printable(record.fromID)): payload is not a USP Msg (\(error))")
                return nil
            }
            guard let reply = await handle(message: msg, from: record.fromID) else { return nil }
            return try? USPRecord.noSession(to: record.fromID, from: endpointID, msg: reply)
        case .sessionContext:
            logger.notice("session context requested by \(Self.printable(record.fromID)); not supported")
            return USPRecord.disconnect(to: record.fromID, from: endpointID,
                                        reasonCode: USPErrorCode.sessionContextNotAllowed.rawValue,
                                        reason: "Session Context is not supported by this agent")
        case .mqttConnect, .websocketConnect, .stompConnect, .udsConnect:
            return nil
        case .disconnect(let d):
            logger.info("controller \(Self.printable(record.fromID)) disconnected: \(d.reasonCode) \(Self.printable(d.reason))")
            return nil
        case .none:
            logger.warning("dropping record from \(Self.printable(record.fromID)) without a record type")
            return nil
        }
    }

    /// Handles one Msg from `controller` and returns the response or Error message, or nil when
    /// the message gets no answer (responses, Operate with send_resp false).
    public func handle(message msg: Usp_Msg, from controller: String) async -> Usp_Msg? {
        let id = msg.header.msgID
        guard case .request(let request)? = msg.body.msgBody else {
            if case .response(let resp)? = msg.body.msgBody, case .notifyResp(let nr)? = resp.respType {
                notifyResponseReceived(msgID: id, subscriptionID: nr.subscriptionID, from: controller)
            } else if case .error(let e)? = msg.body.msgBody {
                logger.info("controller \(Self.printable(controller)) sent Error \(e.errCode) for \(Self.printable(id)): \(Self.printable(e.errMsg))")
            } else if msg.body.msgBody == nil {
                return errorMessage(id, USPError(.messageFailed, "message has no body"))
            }
            return nil
        }
        guard !id.isEmpty else {
            return errorMessage(id, USPError(.invalidArguments, "message header has no msg_id"))
        }
        await acquire()
        defer { release(); policy = .allowAll }
        policy = await accessPolicy(for: controller)
        switch request.reqType {
        case .get(let get):
            return .response(id: id, type: .getResp, .getResp(await handleGet(get, controller: controller)))
        case .set(let set):
            return result(id, .setResp, await handleSet(set, controller: controller)) { .setResp($0) }
        case .add(let add):
            return result(id, .addResp, await handleAdd(add, controller: controller)) { .addResp($0) }
        case .delete(let del):
            return result(id, .deleteResp, await handleDelete(del, controller: controller)) { .deleteResp($0) }
        case .operate(let op):
            let r = await handleOperate(op, controller: controller)
            if !op.sendResp { return nil }
            return result(id, .operateResp, r) { .operateResp($0) }
        case .getSupportedDm(let gsdm):
            return .response(id: id, type: .getSupportedDmResp, .getSupportedDmResp(handleGetSupportedDM(gsdm)))
        case .getInstances(let gi):
            return .response(id: id, type: .getInstancesResp, .getInstancesResp(await handleGetInstances(gi, controller: controller)))
        case .getSupportedProtocol:
            var r = Usp_GetSupportedProtocolResp()
            r.agentSupportedProtocolVersions = supportedProtocolVersions.joined(separator: ",")
            return .response(id: id, type: .getSupportedProtoResp, .getSupportedProtocolResp(r))
        case .notify:
            return errorMessage(id, USPError(.messageNotSupported, "an agent does not accept Notify requests"))
        case .register, .deregister:
            return errorMessage(id, USPError(.messageNotSupported, "this endpoint is not a USP Broker; Register/Deregister are not supported"))
        case .none:
            return errorMessage(id, USPError(.messageNotSupported, "request has no known request type"))
        }
    }

    /// A peer-supplied string made safe for a log line: control characters replaced, length capped.
    static func printable(_ s: String) -> String {
        let cleaned = String(s.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
        return cleaned.count > 80 ? String(cleaned.prefix(80)) + "…" : cleaned
    }

    func result<R>(_ id: String, _ type: Usp_Header.MsgType, _ r: Result<R, USPError>,
                   _ wrap: (R) -> Usp_Response.OneOf_RespType) -> Usp_Msg {
        switch r {
        case .success(let body): return .response(id: id, type: type, wrap(body))
        case .failure(let e): return errorMessage(id, e)
        }
    }

    func errorMessage(_ id: String, _ error: USPError) -> Usp_Msg {
        .make(id: id, type: .error, body: .error(error.errorBody))
    }

    /// Hook for the notification sender (retries stop once a NotifyResp arrives).
    func notifyResponseReceived(msgID: String, subscriptionID: String, from controller: String) {
        notifyResponseHandler?(msgID, subscriptionID, controller)
    }
}
