import Agent
import DataModel
import Foundation
import USPMessages

/// A small hand-built data model for exercising the message handlers, independent of TR-181.
enum TestModel {
    static func schema() throws -> Schema {
        var b = SchemaBuilder()
        b.add(ObjectSchema(path: "Device.", parameters: [
            ParameterSchema(name: "RootDataModelVersion", syntax: ValueSyntax(.string, maxLength: 32), defaultValue: "2.19"),
        ]))
        b.add(ObjectSchema(path: "Device.LocalAgent.", parameters: [
            ParameterSchema(name: "EndpointID", syntax: .string),
            ParameterSchema(name: "UpTime", syntax: .unsignedInt),
            ParameterSchema(name: "ControllerNumberOfEntries", syntax: .unsignedInt),
            ParameterSchema(name: "RequestNumberOfEntries", syntax: .unsignedInt),
            ParameterSchema(name: "Secret", syntax: .string, access: .writeOnly),
        ]))
        b.add(ObjectSchema(path: "Device.LocalAgent.Controller.{i}.", isMultiInstance: true, access: .addDelete,
            uniqueKeys: [["Alias"], ["EndpointID"]],
            parameters: [
                ParameterSchema(name: "Alias", syntax: ValueSyntax(.string, maxLength: 64), access: .readWrite),
                ParameterSchema(name: "EndpointID", syntax: ValueSyntax(.string, maxLength: 64), access: .readWrite),
                ParameterSchema(name: "Enable", syntax: .boolean, access: .readWrite, defaultValue: "false"),
                ParameterSchema(name: "PeriodicNotifInterval", syntax: ValueSyntax(.unsignedInt, ranges: [.init(min: "1")]),
                                access: .readWrite, defaultValue: "86400"),
                ParameterSchema(name: "MTPNumberOfEntries", syntax: .unsignedInt),
            ],
            numberOfEntriesParameter: "ControllerNumberOfEntries"))
        b.add(ObjectSchema(path: "Device.LocalAgent.Controller.{i}.MTP.{i}.", isMultiInstance: true, access: .addDelete,
            uniqueKeys: [["Alias"]],
            parameters: [
                ParameterSchema(name: "Alias", syntax: ValueSyntax(.string, maxLength: 64), access: .readWrite),
                ParameterSchema(name: "Protocol", syntax: ValueSyntax(.string, enumeration: ["MQTT", "WebSocket", "UDS"]), access: .readWrite, defaultValue: "MQTT"),
                ParameterSchema(name: "Enable", syntax: .boolean, access: .readWrite),
            ],
            numberOfEntriesParameter: "MTPNumberOfEntries"))
        b.add(ObjectSchema(path: "Device.LocalAgent.Request.{i}.", isMultiInstance: true, access: .readOnly,
            uniqueKeys: [["Alias"]],
            parameters: ["Alias", "Originator", "Command", "CommandKey", "Status"].map {
                ParameterSchema(name: $0, syntax: .string)
            },
            numberOfEntriesParameter: "RequestNumberOfEntries"))
        b.add(ObjectSchema(path: "Device.Thing.{i}.", isMultiInstance: true, access: .readOnly,
            uniqueKeys: [["Name"]],
            parameters: [
                ParameterSchema(name: "Name", syntax: .string),
                ParameterSchema(name: "Level", syntax: ValueSyntax(.int, ranges: [.init(min: "-50", max: "50")]), access: .readWrite),
                ParameterSchema(name: "On", syntax: .boolean, access: .readWrite),
            ],
            commands: [
                CommandSchema(name: "Double", inputs: [ArgumentSchema(name: "Value", syntax: .int, mandatory: true),
                                                       ArgumentSchema(name: "Note", syntax: .string)],
                              outputs: [ArgumentSchema(name: "Result", syntax: .int)]),
                CommandSchema(name: "Slow", isAsync: true, outputs: [ArgumentSchema(name: "Done", syntax: .boolean)]),
                CommandSchema(name: "Broken"),
            ],
            events: [EventSchema(name: "Pressed", arguments: [ArgumentSchema(name: "Button", syntax: .string)])]))
        b.add(ObjectSchema(path: "Device.Thing.{i}.Stats.", parameters: [
            ParameterSchema(name: "Count", syntax: .unsignedLong, valueChangeAllowed: false),
        ]))
        for o in LocalAgentSupplement.objects { b.add(o) }
        return try b.build()
    }
}

/// Serves `Device.Thing.{i}.` values from memory and counts its calls.
final class ThingProvider: ParameterProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: [String: String]] = [:]
    private var _readCalls = 0
    private var _writes: [ObjectWrite] = []
    var failWritesOf: Set<String> = []

    var readCalls: Int { lock.withLock { _readCalls } }
    var writes: [ObjectWrite] { lock.withLock { _writes } }
    func set(_ path: String, _ name: String, _ value: String) { lock.withLock { values[path, default: [:]][name] = value } }

    func read(_ objects: [ObjectRead]) async -> [String: [String: String]] {
        lock.withLock {
            _readCalls += 1
            var out: [String: [String: String]] = [:]
            for o in objects { for p in o.parameters { if let v = values[o.path]?[p] { out[o.path, default: [:]][p] = v } } }
            return out
        }
    }

    func write(_ writes: [ObjectWrite]) async -> [ParameterFailure] {
        lock.withLock {
            var failures: [ParameterFailure] = []
            for w in writes {
                _writes.append(w)
                for (k, v) in w.values {
                    if failWritesOf.contains(k) {
                        failures.append(ParameterFailure(path: w.path, parameter: k, code: .parameterActionFailed, message: "radio said no"))
                    } else {
                        values[w.path, default: [:]][k] = v
                    }
                }
            }
            return failures
        }
    }
}

/// Sends messages to an agent the way an MTP would: encoded Records in, Records out.
struct Controller {
    let agent: USPAgent
    var id = "proto::test-controller"
    var agentID = "proto::agent"
    var counter = 0

    mutating func send(_ type: Usp_Header.MsgType, _ req: Usp_Request.OneOf_ReqType) async throws -> Usp_Msg? {
        counter += 1
        let msg = Usp_Msg.request(id: "m\(counter)", type: type, req)
        let rec = try USPRecord.noSession(to: agentID, from: id, msg: msg)
        guard let reply = await agent.handleRecord(try rec.encoded()) else { return nil }
        let back = try USPRecord.decode(try reply.encoded())
        precondition(back.toID == id && back.fromID == agentID)
        let out = try back.decodedMsg()
        precondition(out.header.msgID == msg.header.msgID)
        return out
    }

    mutating func get(_ paths: [String], depth: UInt32 = 0) async throws -> Usp_GetResp {
        var g = Usp_Get(); g.paramPaths = paths; g.maxDepth = depth
        return try await send(.get, .get(g))!.body.response.getResp
    }

    mutating func set(_ path: String, _ params: [(String, String, Bool)], allowPartial: Bool = false) async throws -> Usp_Msg {
        var s = Usp_Set(); s.allowPartial = allowPartial
        var u = Usp_Set.UpdateObject(); u.objPath = path
        u.paramSettings = params.map { var p = Usp_Set.UpdateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = $0.2; return p }
        s.updateObjs = [u]
        return try await send(.set, .set(s))!
    }

    mutating func add(_ path: String, _ params: [(String, String, Bool)] = [], allowPartial: Bool = false) async throws -> Usp_Msg {
        var a = Usp_Add(); a.allowPartial = allowPartial
        var c = Usp_Add.CreateObject(); c.objPath = path
        c.paramSettings = params.map { var p = Usp_Add.CreateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = $0.2; return p }
        a.createObjs = [c]
        return try await send(.add, .add(a))!
    }

    mutating func delete(_ paths: [String], allowPartial: Bool = false) async throws -> Usp_Msg {
        var d = Usp_Delete(); d.allowPartial = allowPartial; d.objPaths = paths
        return try await send(.delete, .delete(d))!
    }

    mutating func operate(_ command: String, _ args: [String: String] = [:], key: String = "k", sendResp: Bool = true) async throws -> Usp_Msg? {
        var o = Usp_Operate(); o.command = command; o.commandKey = key; o.sendResp = sendResp; o.inputArgs = args
        return try await send(.operate, .operate(o))
    }
}

extension Usp_GetResp {
    /// resolved path → params, for the requested path at `index`.
    func results(_ index: Int = 0) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for r in reqPathResults[index].resolvedPathResults { out[r.resolvedPath] = r.resultParams }
        return out
    }
}
