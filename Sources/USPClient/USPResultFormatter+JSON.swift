import USPMessages

extension USPResultFormatter {
    /// The response as a JSON object; every kind carries an `errors` list (empty on success).
    public static func json(_ response: Usp_Response.OneOf_RespType) -> JSONValue {
        var o: [String: JSONValue] = ["errors": .array(failures(of: response).map(\.json))]
        switch response {
        case .getResp(let r):
            o["parameters"] = .object(Dictionary(parameterRows(r).map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { a, _ in a }))
        case .setResp(let r):
            o["updated"] = .object(Dictionary(updatedRows(r).map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { a, _ in a }))
        case .addResp(let r):
            o["created"] = .array(created(r).map { .object(["path": .string($0.path), "uniqueKeys": .map($0.keys)]) })
        case .deleteResp(let r):
            o["deleted"] = .strings(deleted(r))
        case .operateResp(let r):
            o["results"] = .array(r.operationResults.sorted(by: { $0.executedCommand < $1.executedCommand }).compactMap { res in
                switch res.operationResp {
                case .reqOutputArgs(let a)?: return .object(["command": .string(res.executedCommand), "outputArgs": .map(a.outputArgs)])
                case .reqObjPath(let p)?: return .object(["command": .string(res.executedCommand), "request": .string(p)])
                case .cmdFailure?: return nil
                case nil: return .object(["command": .string(res.executedCommand)])
                }
            })
        case .getInstancesResp(let r):
            o["instances"] = .array(instances(r).map { .object(["path": .string($0.instantiatedObjPath), "uniqueKeys": .map($0.uniqueKeys)]) })
        case .getSupportedDmResp(let r):
            o["objects"] = .array(supportedObjects(r).map(supportedObjectJSON))
        case .getSupportedProtocolResp(let r):
            o["versions"] = .strings(versions(r))
        case .notifyResp(let r):
            o["subscriptionID"] = .string(r.subscriptionID)
        case .registerResp, .deregisterResp:
            break
        }
        return .object(o)
    }

    static func supportedObjectJSON(_ o: Usp_GetSupportedDMResp.SupportedObjectResult) -> JSONValue {
        .object([
            "path": .string(o.supportedObjPath),
            "access": .string(name(o.access)),
            "multiInstance": .bool(o.isMultiInstance),
            "uniqueKeys": .array(o.uniqueKeySets.map { .strings($0.keyNames) }),
            "parameters": .array(o.supportedParams.sorted(by: { $0.paramName < $1.paramName }).map {
                .object(["name": .string($0.paramName), "type": .string(name($0.valueType)),
                         "access": .string(name($0.access)), "valueChange": .string(name($0.valueChange))])
            }),
            "commands": .array(o.supportedCommands.sorted(by: { $0.commandName < $1.commandName }).map {
                .object(["name": .string($0.commandName), "type": .string(name($0.commandType)),
                         "inputs": .strings($0.inputArgNames), "outputs": .strings($0.outputArgNames)])
            }),
            "events": .array(o.supportedEvents.sorted(by: { $0.eventName < $1.eventName }).map {
                .object(["name": .string($0.eventName), "args": .strings($0.argNames)])
            }),
        ])
    }

    /// A notification as one JSON object.
    public static func json(_ notify: Usp_Notify) -> JSONValue {
        var o: [String: JSONValue] = ["subscriptionID": .string(notify.subscriptionID)]
        switch notify.notification {
        case .valueChange(let v)?:
            o["type"] = .string("ValueChange"); o["path"] = .string(v.paramPath); o["value"] = .string(v.paramValue)
        case .objCreation(let c)?:
            o["type"] = .string("ObjectCreation"); o["path"] = .string(c.objPath); o["uniqueKeys"] = .map(c.uniqueKeys)
        case .objDeletion(let d)?:
            o["type"] = .string("ObjectDeletion"); o["path"] = .string(d.objPath)
        case .event(let e)?:
            o["type"] = .string("Event"); o["path"] = .string(e.objPath); o["event"] = .string(e.eventName); o["args"] = .map(e.params)
        case .operComplete(let c)?:
            o["type"] = .string("OperationComplete"); o["path"] = .string(c.objPath)
            o["command"] = .string(c.commandName); o["commandKey"] = .string(c.commandKey)
            switch c.operationResp {
            case .reqOutputArgs(let a)?: o["outputArgs"] = .map(a.outputArgs)
            case .cmdFailure(let f)?: o["error"] = .object(["code": .int(Int64(f.errCode)), "message": .string(f.errMsg)])
            case nil: break
            }
        case .onBoardReq(let b)?:
            o["type"] = .string("OnBoardRequest"); o["oui"] = .string(b.oui); o["productClass"] = .string(b.productClass)
            o["serialNumber"] = .string(b.serialNumber); o["versions"] = .string(b.agentSupportedProtocolVersions)
        case nil:
            o["type"] = .null
        }
        return .object(o)
    }
}
