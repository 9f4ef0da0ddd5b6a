import DataModel
import USPMessages

extension USPAgent {
    typealias GSDM = Usp_GetSupportedDMResp

    /// GetSupportedDM (TR-369 "The GetSupportedDM Message"), with every request flag.
    func handleGetSupportedDM(_ req: Usp_GetSupportedDM) -> GSDM {
        var resp = GSDM()
        for requested in req.objPaths {
            var r = GSDM.RequestedObjectResult()
            r.reqObjPath = requested
            r.dataModelInstUri = dataModelURI
            do throws(USPError) {
                let normalised = try PathExpression.parseSupported(requested)
                try describe(normalised, req, into: &r)
            } catch {
                r.errCode = error.code.rawValue
                r.errMsg = error.message
                r.dataModelInstUri = ""
            }
            resp.reqObjResults.append(r)
        }
        return resp
    }

    private func describe(_ path: String, _ req: Usp_GetSupportedDM, into r: inout GSDM.RequestedObjectResult) throws(USPError) {
        // Parameter, command or event paths report just that item on its object.
        if !path.hasSuffix(".") {
            guard let dot = path.lastIndex(of: ".") else { throw USPError(.invalidPath, "\(path) is not in the supported data model") }
            let objPath = String(path[...dot])
            let item = String(path[path.index(after: dot)...])
            guard let obj = schema[objPath] else { throw USPError(.invalidPath, "\(objPath) is not in the supported data model") }
            var o = objectResult(obj)
            if item.hasSuffix("()") {
                guard let c = obj.command(String(item.dropLast(2))) else { throw USPError(.invalidPath, "\(path) is not a supported command") }
                o.supportedCommands = [commandResult(c)]
            } else if item.hasSuffix("!") {
                guard let e = obj.event(String(item.dropLast())) else { throw USPError(.invalidPath, "\(path) is not a supported event") }
                o.supportedEvents = [eventResult(e)]
            } else {
                guard let p = obj.parameter(item) else { throw USPError(.invalidPath, "\(path) is not a supported parameter") }
                o.supportedParams = [paramResult(p)]
            }
            r.supportedObjs = [o]
            return
        }
        // The final `{i}.` may be omitted.
        let objPath: String
        if schema[path] != nil { objPath = path }
        else if schema[path + "{i}."] != nil { objPath = path + "{i}." }
        else { throw USPError(.invalidPath, "\(path) is not in this agent's supported data model") }
        guard policy.allows(.obj, .read, objPath) else { throw USPError(.invalidPath, "\(path) is not in this agent's supported data model") }

        let detailed: [SupportedPath]
        var bare: [SupportedPath] = []
        if req.firstLevelOnly {
            detailed = [objPath]
            bare = schema.children[objPath] ?? []
        } else {
            detailed = schema.subtree(of: objPath)
        }
        // R-GSP.0: what the controller may not read is not there.
        for p in detailed {
            guard let obj = schema[p], policy.allows(.obj, .read, p) else { continue }
            var o = objectResult(obj)
            if req.returnParams { o.supportedParams = obj.parameters.filter { policy.allows(.param, .read, p + $0.name) }.map(paramResult) }
            if req.returnCommands { o.supportedCommands = obj.commands.filter { policy.allows(.commandEvent, .read, p + $0.name + "()") }.map(commandResult) }
            if req.returnEvents { o.supportedEvents = obj.events.filter { policy.allows(.commandEvent, .read, p + $0.name + "!") }.map(eventResult) }
            if req.returnUniqueKeySets { o.uniqueKeySets = uniqueKeySets(obj) }
            r.supportedObjs.append(o)
        }
        for p in bare {
            guard let obj = schema[p], policy.allows(.obj, .read, p) else { continue }
            var o = objectResult(obj)
            if req.returnUniqueKeySets { o.uniqueKeySets = uniqueKeySets(obj) }
            r.supportedObjs.append(o)
        }
    }

    private func uniqueKeySets(_ obj: ObjectSchema) -> [GSDM.SupportedUniqueKeySet] {
        obj.uniqueKeys.map { k in var s = GSDM.SupportedUniqueKeySet(); s.keyNames = k; return s }
    }

    private func objectResult(_ obj: ObjectSchema) -> GSDM.SupportedObjectResult {
        var o = GSDM.SupportedObjectResult()
        o.supportedObjPath = obj.path
        o.isMultiInstance = obj.isMultiInstance
        switch obj.access {
        case .readOnly: o.access = .objReadOnly
        case .addDelete: o.access = .objAddDelete
        case .addOnly: o.access = .objAddOnly
        case .deleteOnly: o.access = .objDeleteOnly
        }
        return o
    }

    private func paramResult(_ p: ParameterSchema) -> GSDM.SupportedParamResult {
        var r = GSDM.SupportedParamResult()
        r.paramName = p.name
        switch p.access {
        case .readOnly: r.access = .paramReadOnly
        case .readWrite: r.access = .paramReadWrite
        case .writeOnly: r.access = .paramWriteOnly
        }
        r.valueType = Self.valueType(p.syntax)
        r.valueChange = p.valueChangeAllowed ? .valueChangeAllowed : .valueChangeWillIgnore
        return r
    }

    static func valueType(_ s: ValueSyntax) -> GSDM.ParamValueType {
        if s.list != nil { return .paramString }
        switch s.base {
        case .string: return .paramString
        case .boolean: return .paramBoolean
        case .int: return .paramInt
        case .unsignedInt: return .paramUnsignedInt
        case .long: return .paramLong
        case .unsignedLong: return .paramUnsignedLong
        case .decimal: return .paramDecimal
        case .dateTime: return .paramDateTime
        case .hexBinary: return .paramHexBinary
        case .base64: return .paramBase64
        }
    }

    private func commandResult(_ c: CommandSchema) -> GSDM.SupportedCommandResult {
        var r = GSDM.SupportedCommandResult()
        r.commandName = c.name + "()"
        r.inputArgNames = c.inputs.map(\.name)
        r.outputArgNames = c.outputs.map(\.name)
        r.commandType = c.isAsync ? .cmdAsync : .cmdSync
        return r
    }

    private func eventResult(_ e: EventSchema) -> GSDM.SupportedEventResult {
        var r = GSDM.SupportedEventResult()
        r.eventName = e.name + "!"
        r.argNames = e.arguments.map(\.name)
        return r
    }
}
