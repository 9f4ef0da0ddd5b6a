import USPMessages

/// Which parts of the supported data model GetSupportedDM returns.
public struct SupportedDMOptions: Sendable, Equatable {
    public var firstLevelOnly: Bool
    public var returnParams: Bool
    public var returnCommands: Bool
    public var returnEvents: Bool
    public var returnUniqueKeySets: Bool
    public init(firstLevelOnly: Bool = false, returnParams: Bool = true, returnCommands: Bool = true,
                returnEvents: Bool = true, returnUniqueKeySets: Bool = true) {
        self.firstLevelOnly = firstLevelOnly; self.returnParams = returnParams; self.returnCommands = returnCommands
        self.returnEvents = returnEvents; self.returnUniqueKeySets = returnUniqueKeySets
    }
    public static let all = SupportedDMOptions()
}

/// One parameter to write in a Set or Add.
public struct ParameterSetting: Sendable, Equatable {
    public var name: String
    public var value: String
    public var required: Bool
    public init(_ name: String, _ value: String, required: Bool = true) {
        self.name = name; self.value = value; self.required = required
    }
}

extension USPController {
    public static let defaultTimeout: Duration = .seconds(10)

    public func get(_ paths: [String], maxDepth: UInt32 = 0, timeout: Duration = defaultTimeout) async throws -> Usp_GetResp {
        var g = Usp_Get()
        g.paramPaths = paths
        g.maxDepth = maxDepth
        let msg = try await send(.get(g), type: .get, timeout: timeout)
        guard case .getResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "GetResp") }
        return r
    }

    public func set(_ objPath: String, _ params: [ParameterSetting], allowPartial: Bool = false,
                    timeout: Duration = defaultTimeout) async throws -> Usp_SetResp {
        var u = Usp_Set.UpdateObject()
        u.objPath = objPath
        u.paramSettings = params.map {
            var p = Usp_Set.UpdateParamSetting(); p.param = $0.name; p.value = $0.value; p.required = $0.required; return p
        }
        var s = Usp_Set()
        s.allowPartial = allowPartial
        s.updateObjs = [u]
        let msg = try await send(.set(s), type: .set, timeout: timeout)
        guard case .setResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "SetResp") }
        return r
    }

    public func add(_ objPath: String, _ params: [ParameterSetting] = [], allowPartial: Bool = false,
                    timeout: Duration = defaultTimeout) async throws -> Usp_AddResp {
        var c = Usp_Add.CreateObject()
        c.objPath = objPath
        c.paramSettings = params.map {
            var p = Usp_Add.CreateParamSetting(); p.param = $0.name; p.value = $0.value; p.required = $0.required; return p
        }
        var a = Usp_Add()
        a.allowPartial = allowPartial
        a.createObjs = [c]
        let msg = try await send(.add(a), type: .add, timeout: timeout)
        guard case .addResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "AddResp") }
        return r
    }

    public func delete(_ objPaths: [String], allowPartial: Bool = false, timeout: Duration = defaultTimeout) async throws -> Usp_DeleteResp {
        var d = Usp_Delete()
        d.objPaths = objPaths
        d.allowPartial = allowPartial
        let msg = try await send(.delete(d), type: .delete, timeout: timeout)
        guard case .deleteResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "DeleteResp") }
        return r
    }

    /// Operate. With `sendResp` false the agent sends no OperateResp: the request is only
    /// published and nil is returned.
    public func operate(_ command: String, _ args: [String: String] = [:], commandKey: String = "", sendResp: Bool = true,
                        timeout: Duration = defaultTimeout) async throws -> Usp_OperateResp? {
        var o = Usp_Operate()
        o.command = command
        o.commandKey = commandKey
        o.sendResp = sendResp
        o.inputArgs = args
        guard sendResp else {
            try await post(.operate(o), type: .operate)
            return nil
        }
        let msg = try await send(.operate(o), type: .operate, timeout: timeout)
        guard case .operateResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "OperateResp") }
        return r
    }

    public func instances(_ objPaths: [String], firstLevelOnly: Bool = false, timeout: Duration = defaultTimeout) async throws -> Usp_GetInstancesResp {
        var g = Usp_GetInstances()
        g.objPaths = objPaths
        g.firstLevelOnly = firstLevelOnly
        let msg = try await send(.getInstances(g), type: .getInstances, timeout: timeout)
        guard case .getInstancesResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "GetInstancesResp") }
        return r
    }

    public func supportedDM(_ objPaths: [String], options: SupportedDMOptions = .all, timeout: Duration = defaultTimeout) async throws -> Usp_GetSupportedDMResp {
        var g = Usp_GetSupportedDM()
        g.objPaths = objPaths
        g.firstLevelOnly = options.firstLevelOnly
        g.returnParams = options.returnParams
        g.returnCommands = options.returnCommands
        g.returnEvents = options.returnEvents
        g.returnUniqueKeySets = options.returnUniqueKeySets
        let msg = try await send(.getSupportedDm(g), type: .getSupportedDm, timeout: timeout)
        guard case .getSupportedDmResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "GetSupportedDMResp") }
        return r
    }

    public func supportedProtocol(timeout: Duration = defaultTimeout) async throws -> Usp_GetSupportedProtocolResp {
        var g = Usp_GetSupportedProtocol()
        g.controllerSupportedProtocolVersions = USPRecord.supportedVersions.joined(separator: ",")
        let msg = try await send(.getSupportedProtocol(g), type: .getSupportedProto, timeout: timeout)
        guard case .getSupportedProtocolResp(let r)? = msg.body.response.respType else { throw unexpected(msg, "GetSupportedProtocolResp") }
        return r
    }

    nonisolated func unexpected(_ msg: Usp_Msg, _ expected: String) -> USPControllerError {
        USPControllerError(.unexpectedResponse, "expected \(expected) to \(msg.header.msgID), got \(msg.header.msgType)")
    }
}
