import USPMessages

extension USPResultFormatter {
    /// Aligned, sorted rows; the reported failures follow as `ERROR <code> <path>: <message>` lines.
    public static func text(_ response: Usp_Response.OneOf_RespType) -> String {
        var lines: [String] = []
        switch response {
        case .getResp(let r):
            lines = TextTable(parameterRows(r).map { [$0.0, $0.1] }).lines
        case .setResp(let r):
            lines = TextTable(updatedRows(r).map { [$0.0, $0.1] }).lines
        case .addResp(let r):
            lines = TextTable(created(r).map { [$0.path, pairs($0.keys)] }).lines
        case .deleteResp(let r):
            lines = deleted(r)
        case .operateResp(let r):
            lines = operateLines(r)
        case .getInstancesResp(let r):
            lines = TextTable(instances(r).map { [$0.instantiatedObjPath, pairs($0.uniqueKeys)] }).lines
        case .getSupportedDmResp(let r):
            lines = supportedDMLines(r)
        case .getSupportedProtocolResp(let r):
            lines = ["AgentSupportedProtocolVersions | " + versions(r).joined(separator: ",")]
        case .notifyResp(let r):
            lines = ["NotifyResp | " + r.subscriptionID]
        case .registerResp:
            lines = ["RegisterResp"]
        case .deregisterResp:
            lines = ["DeregisterResp"]
        }
        lines += failures(of: response).map(\.line)
        return lines.joined(separator: "\n")
    }

    static func operateLines(_ r: Usp_OperateResp) -> [String] {
        var lines: [String] = []
        for o in r.operationResults.sorted(by: { $0.executedCommand < $1.executedCommand }) {
            switch o.operationResp {
            case .reqOutputArgs(let a)?:
                lines.append(o.executedCommand)
                let args = a.outputArgs
                lines += TextTable(args.keys.sorted().map { [$0, args[$0] ?? ""] }, indent: "  ").lines
            case .reqObjPath(let p)?:
                lines.append(o.executedCommand + " | running as " + p)
            case .cmdFailure?:
                break   // listed with the failures
            case nil:
                lines.append(o.executedCommand)
            }
        }
        return lines
    }

    static func supportedDMLines(_ r: Usp_GetSupportedDMResp) -> [String] {
        var lines: [String] = []
        for o in supportedObjects(r) {
            var about = [o.isMultiInstance ? "multi-instance" : "object", name(o.access)]
            let keySets = o.uniqueKeySets.map { "[" + $0.keyNames.joined(separator: ", ") + "]" }
            if !keySets.isEmpty { about.append("unique keys " + keySets.joined(separator: " ")) }
            lines.append(o.supportedObjPath + "  (" + about.joined(separator: ", ") + ")")
            var rows: [[String]] = []
            for p in o.supportedParams.sorted(by: { $0.paramName < $1.paramName }) {
                rows.append([p.paramName, name(p.valueType), name(p.access)])
            }
            for c in o.supportedCommands.sorted(by: { $0.commandName < $1.commandName }) {
                var io: [String] = []
                if !c.inputArgNames.isEmpty { io.append("in: " + c.inputArgNames.sorted().joined(separator: ", ")) }
                if !c.outputArgNames.isEmpty { io.append("out: " + c.outputArgNames.sorted().joined(separator: ", ")) }
                rows.append([c.commandName, "command", name(c.commandType), io.joined(separator: "; ")])
            }
            for e in o.supportedEvents.sorted(by: { $0.eventName < $1.eventName }) {
                rows.append([e.eventName, "event", "", e.argNames.isEmpty ? "" : "args: " + e.argNames.sorted().joined(separator: ", ")])
            }
            lines += TextTable(rows, separator: "  ", indent: "  ").lines
            for d in o.divergentPaths.sorted() { lines.append("  divergent: " + d) }
        }
        return lines
    }

    /// One line per notification, e.g. `ValueChange Device.Thing.1.Level = 7`.
    public static func text(_ notify: Usp_Notify) -> String {
        switch notify.notification {
        case .valueChange(let v)?:
            return "ValueChange \(v.paramPath) = \(v.paramValue)"
        case .objCreation(let c)?:
            return c.uniqueKeys.isEmpty ? "ObjectCreation \(c.objPath)" : "ObjectCreation \(c.objPath) \(pairs(c.uniqueKeys))"
        case .objDeletion(let d)?:
            return "ObjectDeletion \(d.objPath)"
        case .event(let e)?:
            return e.params.isEmpty ? "Event \(e.objPath)\(e.eventName)" : "Event \(e.objPath)\(e.eventName) \(pairs(e.params))"
        case .operComplete(let c)?:
            let head = "OperationComplete \(c.objPath)\(c.commandName) key=\(c.commandKey)"
            switch c.operationResp {
            case .reqOutputArgs(let a)?: return a.outputArgs.isEmpty ? head : head + " " + pairs(a.outputArgs)
            case .cmdFailure(let f)?: return head + " ERROR \(f.errCode): \(f.errMsg)"
            case nil: return head
            }
        case .onBoardReq(let b)?:
            return "OnBoardRequest oui=\(b.oui) productClass=\(b.productClass) serialNumber=\(b.serialNumber) versions=\(b.agentSupportedProtocolVersions)"
        case nil:
            return "Notify (empty) subscription=\(notify.subscriptionID)"
        }
    }
}
