import Agent
import DataModel
import Foundation
import Testing
import USPMessages

/// Every message type through encoded Records, success and error paths, with the decoded
/// responses checked field by field (TR-369 "Messages").
@Suite struct MessageHandlerTests {
    let agent: USPAgent
    let things = ThingProvider()

    init() async throws {
        agent = USPAgent(endpointID: "proto::agent", schema: try TestModel.schema())
        await agent.mount(things, at: "Device.Thing.{i}.")
        await agent.setStoredValues("Device.LocalAgent.", ["EndpointID": "proto::agent"])
        for (i, name) in ["lamp", "plug", "sensor"].enumerated() {
            let n = try await agent.addInstance(table: "Device.Thing.")
            #expect(n == UInt32(i + 1))
            things.set("Device.Thing.\(n).", "Name", name)
            things.set("Device.Thing.\(n).", "Level", String(i * 10))
            things.set("Device.Thing.\(n).", "On", i == 0 ? "true" : "false")
            things.set("Device.Thing.\(n).Stats.", "Count", "7")
        }
        await agent.registerCommand("Device.Thing.{i}.", "Double") { inv throws(USPError) in
            guard let v = Int(inv.inputs["Value"] ?? "") else { throw USPError(.invalidCommandArguments, "no value") }
            return ["Result": String(v * 2)]
        }
        await agent.registerCommand("Device.Thing.{i}.", "Slow") { _ throws(USPError) in
            try? await Task.sleep(for: .milliseconds(20))
            return ["Done": "true"]
        }
    }

    // MARK: Get

    @Test func getParameterObjectAndTable() async throws {
        var c = Controller(agent: agent)
        let r = try await c.get(["Device.LocalAgent.EndpointID", "Device.Thing.2.", "Device.Thing."])
        #expect(r.reqPathResults.count == 3)
        #expect(r.reqPathResults.allSatisfy { $0.errCode == 0 })
        #expect(r.results(0) == ["Device.LocalAgent.": ["EndpointID": "proto::agent"]])
        #expect(r.results(1) == [
            "Device.Thing.2.": ["Name": "plug", "Level": "10", "On": "false"],
            "Device.Thing.2.Stats.": ["Count": "7"],
        ])
        #expect(r.results(2).keys.sorted() == ["Device.Thing.1.", "Device.Thing.1.Stats.", "Device.Thing.2.", "Device.Thing.2.Stats.",
                                               "Device.Thing.3.", "Device.Thing.3.Stats."])
    }

    @Test func getReadsEachProviderOnceForAllPaths() async throws {
        var c = Controller(agent: agent)
        let before = things.readCalls
        _ = try await c.get(["Device.Thing.*.Name", "Device.Thing.1.", "Device.Thing.[Level>5].On", "Device.LocalAgent."])
        // The search on Level reads values to match, then the Get does exactly one more read.
        let searchReads = 3
        #expect(things.readCalls - before == searchReads + 1)
    }

    @Test func getSearchExpressionsAndUniqueKeys() async throws {
        var c = Controller(agent: agent)
        let r = try await c.get(["Device.Thing.[Level>=10].Name", "Device.Thing.[Name==\"lamp\"].Level",
                                 "Device.Thing.[On==true&&Level<5].Name", "Device.Thing.[Name==\"nope\"].Level"])
        #expect(r.results(0) == ["Device.Thing.2.": ["Name": "plug"], "Device.Thing.3.": ["Name": "sensor"]])
        #expect(r.results(1) == ["Device.Thing.1.": ["Level": "0"]])
        #expect(r.results(2) == ["Device.Thing.1.": ["Name": "lamp"]])
        // Unique-key addressing that matches nothing is an invalid path for Get (R-GET.0).
        #expect(r.reqPathResults[3].errCode == 7026)
    }

    @Test func getMaxDepthAndCounters() async throws {
        var c = Controller(agent: agent)
        _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "ctrl-1", true)])
        _ = try await c.add("Device.LocalAgent.Controller.1.MTP.", [])
        let shallow = try await c.get(["Device.LocalAgent."], depth: 1)
        #expect(shallow.results().keys.sorted() == ["Device.LocalAgent."])
        #expect(shallow.results()["Device.LocalAgent."]?["ControllerNumberOfEntries"] == "1")
        #expect(shallow.results()["Device.LocalAgent."]?["Secret"] == nil, "write-only parameters are never returned")
        let two = try await c.get(["Device.LocalAgent."], depth: 2)
        #expect(two.results().keys.sorted() == ["Device.LocalAgent.", "Device.LocalAgent.Controller.1."])
        #expect(two.results()["Device.LocalAgent.Controller.1."]?["MTPNumberOfEntries"] == "1")
        let all = try await c.get(["Device.LocalAgent."])
        #expect(all.results()["Device.LocalAgent.Controller.1.MTP.1."]?["Protocol"] == "MQTT")
    }

    @Test func getErrors() async throws {
        var c = Controller(agent: agent)
        let r = try await c.get(["Device.Nope.", "Device.Thing.9.", "Device.Thing.{i}.", "Device.Thing.1.Missing",
                                 "Device.Thing.*.Nope", "Device.Thing.[Name==\"x\"&&].Name", "Device.Thing.Double()"])
        #expect(r.reqPathResults.map(\.errCode) == [7026, 7026, 7008, 7026, 7026, 7008, 7026])
        #expect(r.reqPathResults.allSatisfy { !$0.errMsg.isEmpty && $0.resolvedPathResults.isEmpty })
        // A valid search that matches nothing is not an error (R-GET.1a).
        let empty = try await c.get(["Device.Thing.[Level>100]."])
        #expect(empty.reqPathResults[0].errCode == 0)
        #expect(empty.reqPathResults[0].resolvedPathResults.isEmpty)
    }

    // MARK: Set

    @Test func setProviderAndStoredValues() async throws {
        var c = Controller(agent: agent)
        let m = try await c.set("Device.Thing.1.", [("Level", "+25", true), ("On", "0", false)])
        let ok = m.body.response.setResp.updatedObjResults[0].operStatus.operSuccess
        #expect(ok.updatedInstResults.count == 1)
        #expect(ok.updatedInstResults[0].affectedPath == "Device.Thing.1.")
        #expect(ok.updatedInstResults[0].updatedParams == ["Level": "25", "On": "false"])
        #expect(things.writes.last?.values == ["Level": "25", "On": "false"])
        let r = try await c.get(["Device.Thing.1.Level"])
        #expect(r.results() == ["Device.Thing.1.": ["Level": "25"]])
    }

    @Test func setParameterErrors() async throws {
        var c = Controller(agent: agent)
        // Non-required failures still give oper_success, with param_errs.
        let m = try await c.set("Device.Thing.1.", [("Level", "abc", false), ("Name", "x", false), ("Ghost", "1", false), ("Level", "99", false), ("On", "true", false)])
        let inst = m.body.response.setResp.updatedObjResults[0].operStatus.operSuccess.updatedInstResults[0]
        #expect(inst.paramErrs.map(\.param) == ["Level", "Name", "Ghost", "Level"])
        #expect(inst.paramErrs.map(\.errCode) == [7011, 7013, 7010, 7012])
        #expect(inst.updatedParams == ["On": "true"])
    }

    @Test func setRequiredFailureRollsBackWithoutAllowPartial() async throws {
        var c = Controller(agent: agent)
        _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "a", true)])
        var s = Usp_Set()
        var u1 = Usp_Set.UpdateObject(); u1.objPath = "Device.LocalAgent.Controller.1."
        u1.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "Enable"; p.value = "true"; p.required = true; return p }()]
        var u2 = Usp_Set.UpdateObject(); u2.objPath = "Device.LocalAgent.Controller.1."
        u2.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "PeriodicNotifInterval"; p.value = "0"; p.required = true; return p }()]
        s.updateObjs = [u1, u2]
        let m = try await c.send(.set, .set(s))!
        #expect(m.header.msgType == .error)
        #expect(m.body.error.errCode == 7012)
        #expect(m.body.error.paramErrs.map(\.paramPath) == ["Device.LocalAgent.Controller.1.PeriodicNotifInterval"])
        #expect(m.body.error.paramErrs.first?.errCode == 7012)
        // The first update was rolled back.
        let r = try await c.get(["Device.LocalAgent.Controller.1.Enable"])
        #expect(r.results()["Device.LocalAgent.Controller.1."]?["Enable"] == "false")
        // With allow_partial the good object succeeds and the bad one reports oper_failure.
        s.allowPartial = true
        let m2 = try await c.send(.set, .set(s))!
        let res = m2.body.response.setResp.updatedObjResults
        #expect(res[0].operStatus.operSuccess.updatedInstResults[0].updatedParams == ["Enable": "true"])
        #expect(res[1].operStatus.operFailure.errCode == 7012)
        #expect(res[1].operStatus.operFailure.updatedInstFailures[0].affectedPath == "Device.LocalAgent.Controller.1.")
        #expect(res[1].operStatus.operFailure.updatedInstFailures[0].paramErrs[0].param == "PeriodicNotifInterval")
    }

    @Test func setSearchPathIsHolistic() async throws {
        var c = Controller(agent: agent)
        for id in ["a", "b", "c"] { _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", id, true)]) }
        // Setting every EndpointID to the same value breaks uniqueness: nothing may change.
        let m = try await c.set("Device.LocalAgent.Controller.*.", [("EndpointID", "same", true)], allowPartial: true)
        let f = m.body.response.setResp.updatedObjResults[0].operStatus.operFailure
        #expect(f.errCode == 7025)
        let r = try await c.get(["Device.LocalAgent.Controller.*.EndpointID"])
        #expect(Set(r.results().values.compactMap { $0["EndpointID"] }) == ["a", "b", "c"])
    }

    @Test func setThroughProviderFailure() async throws {
        things.failWritesOf = ["On"]
        var c = Controller(agent: agent)
        let m = try await c.set("Device.Thing.2.", [("On", "true", true)], allowPartial: true)
        let f = m.body.response.setResp.updatedObjResults[0].operStatus.operFailure
        #expect(f.errCode == 7009)
        #expect(f.updatedInstFailures[0].paramErrs[0].errMsg.contains("radio said no"))
    }

    @Test func setErrors() async throws {
        var c = Controller(agent: agent)
        #expect(try await c.set("Device.Thing.9.", [("On", "true", true)]).body.error.errCode == 7016)
        #expect(try await c.set("Device.Thing.1.On", [("On", "true", true)]).body.error.errCode == 7026)
        #expect(try await c.set("Device.Thing.", [("On", "true", true)]).body.error.errCode == 7020)
        #expect(try await c.set("Device.Thing.1..", [("On", "true", true)]).body.error.errCode == 7008)
    }

    // MARK: Add / Delete

    @Test func addAssignsKeysAndNeverReusesInstanceNumbers() async throws {
        var c = Controller(agent: agent)
        let m1 = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "ctrl-a", true), ("Enable", "1", false)])
        let ok1 = m1.body.response.addResp.createdObjResults[0].operStatus.operSuccess
        #expect(ok1.instantiatedPath == "Device.LocalAgent.Controller.1.")
        #expect(ok1.uniqueKeys == ["Alias": "cpe-1", "EndpointID": "ctrl-a"])
        #expect(ok1.paramErrs.isEmpty)
        _ = try await c.delete(["Device.LocalAgent.Controller.1."])
        let m2 = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "ctrl-b", true), ("Alias", "mine", false)])
        let ok2 = m2.body.response.addResp.createdObjResults[0].operStatus.operSuccess
        #expect(ok2.instantiatedPath == "Device.LocalAgent.Controller.2.")
        #expect(ok2.uniqueKeys == ["Alias": "mine", "EndpointID": "ctrl-b"])
        let r = try await c.get(["Device.LocalAgent.Controller.2."])
        #expect(r.results()["Device.LocalAgent.Controller.2."]?["Enable"] == "false")
        #expect(r.results()["Device.LocalAgent.Controller.2."]?["PeriodicNotifInterval"] == "86400")
    }

    @Test func addErrors() async throws {
        var c = Controller(agent: agent)
        #expect(try await c.add("Device.LocalAgent.").body.error.errCode == 7018)
        #expect(try await c.add("Device.Thing.").body.error.errCode == 7019)
        #expect(try await c.add("Device.Nope.").body.error.errCode == 7026)
        _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "dup", true)])
        let dup = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "dup", true)])
        #expect(dup.body.error.errCode == 7025)
        let bad = try await c.add("Device.LocalAgent.Controller.", [("Enable", "maybe", true)])
        #expect(bad.body.error.errCode == 7011)
        #expect(bad.body.error.paramErrs.first?.paramPath == "Device.LocalAgent.Controller.Enable")
        // Non-required bad parameter: created, with param_errs.
        let partial = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "z", true), ("Enable", "maybe", false)])
        let ok = partial.body.response.addResp.createdObjResults[0].operStatus.operSuccess
        #expect(ok.instantiatedPath == "Device.LocalAgent.Controller.3.", "the failed Add used 2; numbers are never handed out twice")
        #expect(ok.paramErrs.map(\.param) == ["Enable"])
        #expect(ok.paramErrs.map(\.errCode) == [7011])
        // allow_partial: a failed object reports oper_failure and nothing is created for it.
        let ap = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "dup", true)], allowPartial: true)
        #expect(ap.body.response.addResp.createdObjResults[0].operStatus.operFailure.errCode == 7025)
        let n = try await c.get(["Device.LocalAgent.ControllerNumberOfEntries"])
        #expect(n.results()["Device.LocalAgent."]?["ControllerNumberOfEntries"] == "2")
    }

    @Test func deleteSemantics() async throws {
        var c = Controller(agent: agent)
        for id in ["a", "b"] { _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", id, true)]) }
        _ = try await c.add("Device.LocalAgent.Controller.1.MTP.")
        let m = try await c.delete(["Device.LocalAgent.Controller.1.", "Device.LocalAgent.Controller.7."])
        let res = m.body.response.deleteResp.deletedObjResults
        #expect(res[0].operStatus.operSuccess.affectedPaths == ["Device.LocalAgent.Controller.1."])
        #expect(res[1].operStatus.operSuccess.affectedPaths == [], "R-DEL.2a: nothing matched is success")
        // Not deletable and not an instance: with allow_partial false the whole message fails.
        let bad = try await c.delete(["Device.LocalAgent.Controller.2.", "Device.Thing.1."])
        #expect(bad.header.msgType == .error)
        #expect(bad.body.error.errCode == 7024)
        let still = try await c.get(["Device.LocalAgent.Controller.2.EndpointID"])
        #expect(still.results()["Device.LocalAgent.Controller.2."]?["EndpointID"] == "b", "rolled back")
        let partial = try await c.delete(["Device.LocalAgent.Controller.2.", "Device.LocalAgent."], allowPartial: true)
        let pr = partial.body.response.deleteResp.deletedObjResults
        #expect(pr[0].operStatus.operSuccess.affectedPaths == ["Device.LocalAgent.Controller.2."])
        #expect(pr[1].operStatus.operFailure.errCode == 7018)
    }

    // MARK: Operate

    @Test func operateSyncCommand() async throws {
        var c = Controller(agent: agent)
        let m = try await c.operate("Device.Thing.*.Double()", ["Value": "21", "Unknown": "ignored"])!
        let results = m.body.response.operateResp.operationResults
        #expect(results.map(\.executedCommand) == ["Device.Thing.1.Double()", "Device.Thing.2.Double()", "Device.Thing.3.Double()"])
        #expect(results.allSatisfy { $0.reqOutputArgs.outputArgs == ["Result": "42"] })
        let missing = try await c.operate("Device.Thing.1.Double()", [:])!
        #expect(missing.body.response.operateResp.operationResults[0].cmdFailure.errCode == 7027)
        let badType = try await c.operate("Device.Thing.1.Double()", ["Value": "x"])!
        #expect(badType.body.response.operateResp.operationResults[0].cmdFailure.errCode == 7027)
        let noImpl = try await c.operate("Device.Thing.1.Broken()")!
        #expect(noImpl.body.response.operateResp.operationResults[0].cmdFailure.errCode == 7022)
        #expect(try await c.operate("Device.Thing.1.Nope()")!.body.error.errCode == 7026)
        #expect(try await c.operate("Device.Thing.1.Double", ["Value": "1"])!.body.error.errCode == 7026)
        #expect(try await c.operate("Device.Thing.1.Double()", ["Value": "1"], sendResp: false) == nil)
    }

    @Test func operateAsyncCommandCreatesRequestAndCompletes() async throws {
        var c = Controller(agent: agent)
        var changes = agent.changes.makeAsyncIterator()
        let m = try await c.operate("Device.Thing.2.Slow()", key: "job-1")!
        let r = m.body.response.operateResp.operationResults[0]
        #expect(r.executedCommand == "Device.Thing.2.Slow()")
        #expect(r.reqObjPath == "Device.LocalAgent.Request.1.")
        var sawCreate = false, sawComplete = false, sawDelete = false
        while let ch = await changes.next() {
            switch ch {
            case .objectCreated(let p, _) where p == "Device.LocalAgent.Request.1.": sawCreate = true
            case .operationComplete(let obj, let cmd, let key, let result):
                #expect(obj == "Device.Thing.2.")
                #expect(cmd == "Slow()")
                #expect(key == "job-1")
                #expect(try result.get() == ["Done": "true"])
                sawComplete = true
            case .objectDeleted(let p) where p == "Device.LocalAgent.Request.1.": sawDelete = true
            default: break
            }
            if sawDelete { break }
        }
        #expect(sawCreate && sawComplete && sawDelete)
        let g = try await c.get(["Device.LocalAgent.RequestNumberOfEntries"])
        #expect(g.results()["Device.LocalAgent."]?["RequestNumberOfEntries"] == "0")
    }

    // MARK: GetSupportedDM / GetInstances / GetSupportedProtocol

    @Test func getSupportedDMFlags() async throws {
        var c = Controller(agent: agent)
        var req = Usp_GetSupportedDM()
        req.objPaths = ["Device.LocalAgent.", "Device.Thing.{i}.", "Device.Thing.", "Device.Thing.{i}.Double()", "Device.Nope."]
        req.firstLevelOnly = true
        req.returnParams = true; req.returnCommands = true; req.returnEvents = true; req.returnUniqueKeySets = true
        let r = try await c.send(.getSupportedDm, .getSupportedDm(req))!.body.response.getSupportedDmResp
        let la = r.reqObjResults[0]
        #expect(la.errCode == 0)
        #expect(la.dataModelInstUri.hasPrefix("urn:broadband-forum-org:tr-181-2-"))
        #expect(la.supportedObjs.map(\.supportedObjPath) == ["Device.LocalAgent.", "Device.LocalAgent.Controller.{i}.", "Device.LocalAgent.Request.{i}.", "Device.LocalAgent.Subscription.{i}."])
        #expect(la.supportedObjs[0].supportedParams.map(\.paramName).contains("UpTime"))
        #expect(la.supportedObjs[0].supportedParams.first { $0.paramName == "Secret" }?.access == .paramWriteOnly)
        #expect(la.supportedObjs[1].supportedParams.isEmpty, "first_level_only children carry no details")
        #expect(la.supportedObjs[1].uniqueKeySets.map(\.keyNames) == [["Alias"], ["EndpointID"]])
        #expect(la.supportedObjs[1].access == .objAddDelete && la.supportedObjs[1].isMultiInstance)
        let thing = r.reqObjResults[1].supportedObjs[0]
        #expect(thing.supportedCommands.map(\.commandName) == ["Double()", "Slow()", "Broken()"])
        #expect(thing.supportedCommands[0].inputArgNames == ["Value", "Note"])
        #expect(thing.supportedCommands[0].outputArgNames == ["Result"])
        #expect(thing.supportedCommands[0].commandType == .cmdSync)
        #expect(thing.supportedCommands[1].commandType == .cmdAsync)
        #expect(thing.supportedEvents.map(\.eventName) == ["Pressed!"])
        #expect(thing.supportedEvents[0].argNames == ["Button"])
        #expect(thing.supportedParams.first { $0.paramName == "Level" }?.valueType == .paramInt)
        #expect(thing.supportedParams.first { $0.paramName == "On" }?.valueType == .paramBoolean)
        // The final {i}. may be omitted.
        #expect(r.reqObjResults[2].supportedObjs.first?.supportedObjPath == "Device.Thing.{i}.")
        let cmd = r.reqObjResults[3].supportedObjs
        #expect(cmd.count == 1 && cmd[0].supportedCommands.map(\.commandName) == ["Double()"] && cmd[0].supportedParams.isEmpty)
        #expect(r.reqObjResults[4].errCode == 7026)
        // Full tree without detail flags.
        var full = Usp_GetSupportedDM(); full.objPaths = ["Device.Thing."]
        let f = try await c.send(.getSupportedDm, .getSupportedDm(full))!.body.response.getSupportedDmResp
        #expect(f.reqObjResults[0].supportedObjs.map(\.supportedObjPath) == ["Device.Thing.{i}.", "Device.Thing.{i}.Stats."])
        #expect(f.reqObjResults[0].supportedObjs.allSatisfy { $0.supportedParams.isEmpty && $0.supportedCommands.isEmpty })
        let stats = try await c.send(.getSupportedDm, .getSupportedDm({ var g = Usp_GetSupportedDM(); g.objPaths = ["Device.Thing.{i}.Stats."]; g.returnParams = true; return g }()))!
        #expect(stats.body.response.getSupportedDmResp.reqObjResults[0].supportedObjs[0].supportedParams[0].valueChange == .valueChangeWillIgnore)
        #expect(stats.body.response.getSupportedDmResp.reqObjResults[0].supportedObjs[0].supportedParams[0].valueType == .paramUnsignedLong)
    }

    @Test func getInstancesLevels() async throws {
        var c = Controller(agent: agent)
        _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "e1", true)])
        _ = try await c.add("Device.LocalAgent.Controller.1.MTP.", [("Alias", "m", true)])
        var req = Usp_GetInstances(); req.objPaths = ["Device.LocalAgent.Controller.", "Device.Thing.[Name==\"plug\"].", "Device.Zip."]
        req.firstLevelOnly = true
        let r = try await c.send(.getInstances, .getInstances(req))!.body.response.getInstancesResp
        #expect(r.reqPathResults[0].currInsts.map(\.instantiatedObjPath) == ["Device.LocalAgent.Controller.1."])
        #expect(r.reqPathResults[0].currInsts[0].uniqueKeys == ["Alias": "cpe-1", "EndpointID": "e1"])
        #expect(r.reqPathResults[1].currInsts.map(\.instantiatedObjPath) == ["Device.Thing.2."])
        #expect(r.reqPathResults[1].currInsts[0].uniqueKeys == ["Name": "plug"])
        #expect(r.reqPathResults[2].errCode == 7026)
        req.firstLevelOnly = false
        req.objPaths = ["Device.LocalAgent."]
        let deep = try await c.send(.getInstances, .getInstances(req))!.body.response.getInstancesResp
        #expect(deep.reqPathResults[0].currInsts.map(\.instantiatedObjPath) == ["Device.LocalAgent.Controller.1.", "Device.LocalAgent.Controller.1.MTP.1."])
        #expect(deep.reqPathResults[0].currInsts[1].uniqueKeys == ["Alias": "m"])
    }

    @Test func getSupportedProtocol() async throws {
        var c = Controller(agent: agent)
        var req = Usp_GetSupportedProtocol(); req.controllerSupportedProtocolVersions = "1.3,1.4"
        let m = try await c.send(.getSupportedProto, .getSupportedProtocol(req))!
        #expect(m.header.msgType == .getSupportedProtoResp)
        #expect(m.body.response.getSupportedProtocolResp.agentSupportedProtocolVersions.split(separator: ",").contains("1.4"))
    }

    // MARK: Records

    @Test func recordsNotForThisAgentAreDropped() async throws {
        let msg = Usp_Msg.request(id: "x", type: .get, .get(Usp_Get()))
        let wrong = try USPRecord.noSession(to: "proto::someone-else", from: "proto::c", msg: msg)
        #expect(await agent.handleRecord(try wrong.encoded()) == nil)
        #expect(await agent.handleRecord([0x0A, 0xFF, 0x01]) == nil)
        var junk = UspRecord_Record(); junk.toID = "proto::agent"; junk.fromID = "proto::c"
        junk.noSessionContext = { var n = UspRecord_NoSessionContextRecord(); n.payload = Data([0xFF, 0x00, 0x13]); return n }()
        #expect(await agent.handleRecord(try junk.encoded()) == nil)
        var session = UspRecord_Record(); session.toID = "proto::agent"; session.fromID = "proto::c"
        session.sessionContext = UspRecord_SessionContextRecord()
        let disc = await agent.handleRecord(try session.encoded())
        #expect(disc?.disconnect.reasonCode == 7106)
        #expect(disc?.toID == "proto::c")
    }

    @Test func unsupportedRequestsGetErrors() async throws {
        var c = Controller(agent: agent)
        let n = try await c.send(.notify, .notify(Usp_Notify()))!
        #expect(n.header.msgType == .error && n.body.error.errCode == 7001)
        let reg = try await c.send(.register, .register(Usp_Register()))!
        #expect(reg.body.error.errCode == 7001)
    }
}

@Suite struct EmptyTableSearchTests {
    @Test func searchesThroughEmptyTablesAreValidAndEmpty() async throws {
        let agent = USPAgent(endpointID: "proto::agent", schema: try TestModel.schema())
        var c = Controller(agent: agent)
        // No Controller instances: the rest of the path is still checked against the schema.
        let r = try await c.get(["Device.LocalAgent.Controller.*.MTP.*.", "Device.LocalAgent.Controller.*.MTP.*.Nope", "Device.LocalAgent.Controller.*.Nope."])
        #expect(r.reqPathResults[0].errCode == 0 && r.reqPathResults[0].resolvedPathResults.isEmpty)
        #expect(r.reqPathResults[1].errCode == 7026)
        #expect(r.reqPathResults[2].errCode == 7026)
    }
}
