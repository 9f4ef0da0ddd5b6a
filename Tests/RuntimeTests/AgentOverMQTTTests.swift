import Agent
import Bridge
import DataModel
import Foundation
import Logging
import MosquittoTestSupport
import MQTTTransport
import Runtime
import Testing
import USPMessages

/// The agent as a whole, through a real mosquitto: every message type with both MQTT
/// versions, role-based denials, notifications with retries, broker loss.
@Suite(.serialized) struct AgentOverMQTTTests {
    static func config(_ broker: MosquittoBroker, version: String, dir: String, roles: Bool = false) -> BridgeConfiguration {
        var c = BridgeConfiguration()
        c.agent.endpointID = "proto::usp-bridge-test"
        c.dataDirectory = dir
        c.mqtt?.port = broker.port
        c.mqtt?.version = version
        c.mqtt?.connectRetryTime = 1
        c.controllers = [.init(endpointID: "self::test-ctrl", topic: "usp/controller/test", role: roles ? "admin" : nil)]
        if roles {
            c.controllers.append(.init(endpointID: "self::viewer", topic: "usp/controller/viewer", role: "viewer"))
            c.roles = [
                .init(name: "admin", permissions: [.init(targets: ["Device."], param: "rw-n", obj: "rw-n", instantiatedObj: "rw-n", commandEvent: "r-xn")]),
                .init(name: "viewer", permissions: [
                    .init(targets: ["Device."], param: "r---", obj: "r---", instantiatedObj: "r---", commandEvent: "r---"),
                    .init(targets: ["Device.LocalAgent.Controller."], param: "----", obj: "----", instantiatedObj: "----", commandEvent: "----", order: 1),
                ]),
            ]
        }
        return c
    }

    static func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("usp-rt-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    struct Running {
        let runtime: BridgeRuntime
        let task: Task<Void, any Error>
        func stop() async { task.cancel(); _ = try? await task.value }
    }

    static func start(_ config: BridgeConfiguration) async throws -> Running {
        var logger = Logger(label: "test"); logger.logLevel = .warning
        let rt = try await BridgeRuntime.make(config: config, adapters: [], logger: logger)
        let t = Task { try await rt.run() }
        return Running(runtime: rt, task: t)
    }

    @Test(arguments: ["5.0", "3.1.1"])
    func everyMessageTypeThroughTheBroker(_ version: String) async throws {
        let broker = try MosquittoBroker()
        let cfg = Self.config(broker, version: version, dir: Self.tempDir())
        let v: MQTTConfiguration.ProtocolVersion = version == "3.1.1" ? .v311 : .v5
        // The controller listens before the agent starts, so it sees the agent's MQTTConnect record.
        let c = try TestController(broker: broker, version: v, agentID: cfg.agent.endpointID!,
                                   agentTopic: AgentAssembly.agentTopic(cfg, endpointID: cfg.agent.endpointID!))
        #expect(await c.waitConnected())
        let run = try await Self.start(cfg)
        defer { Task { await run.stop() } }
        // The agent announces itself with an MQTTConnect record once it has subscribed.
        let seen = Date().addingTimeInterval(10)
        while !c.receivedRecords.contains(where: { if case .mqttConnect? = $0.recordType { true } else { false } }) && Date() < seen {
            try await Task.sleep(for: .milliseconds(20))
        }
        var get: Usp_GetResp?
        for _ in 0..<50 { get = try await c.get(["Device.LocalAgent.EndpointID", "Device.DeviceInfo.SoftwareVersion"]); if get != nil { break } }
        #expect(get?.value("Device.LocalAgent.", "EndpointID") == "proto::usp-bridge-test")
        #expect(get?.value("Device.DeviceInfo.", "SoftwareVersion") == USPBridgeVersion.current)
        // Add a controller, set it, find it, delete it.
        var add = Usp_Add(); var co = Usp_Add.CreateObject(); co.objPath = "Device.LocalAgent.Controller."
        co.paramSettings = [{ var p = Usp_Add.CreateParamSetting(); p.param = "EndpointID"; p.value = "self::other"; p.required = true; return p }()]
        add.createObjs = [co]
        let added = try #require(try await c.request(.add, .add(add)))
        let inst = added.body.response.addResp.createdObjResults[0].operStatus.operSuccess.instantiatedPath
        #expect(inst == "Device.LocalAgent.Controller.2.")
        var set = Usp_Set(); var u = Usp_Set.UpdateObject(); u.objPath = inst
        u.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "PeriodicNotifInterval"; p.value = "60"; p.required = true; return p }()]
        set.updateObjs = [u]
        let setResp = try #require(try await c.request(.set, .set(set)))
        #expect(setResp.body.response.setResp.updatedObjResults[0].operStatus.operSuccess.updatedInstResults[0].updatedParams["PeriodicNotifInterval"] == "60")
        var gi = Usp_GetInstances(); gi.objPaths = ["Device.LocalAgent.Controller."]; gi.firstLevelOnly = true
        let insts = try #require(try await c.request(.getInstances, .getInstances(gi)))
        #expect(insts.body.response.getInstancesResp.reqPathResults[0].currInsts.map(\.instantiatedObjPath) == ["Device.LocalAgent.Controller.1.", inst])
        var gsdm = Usp_GetSupportedDM(); gsdm.objPaths = ["Device.ProxiedDevice."]; gsdm.firstLevelOnly = true; gsdm.returnParams = true
        let sdm = try #require(try await c.request(.getSupportedDm, .getSupportedDm(gsdm)))
        #expect(sdm.body.response.getSupportedDmResp.reqObjResults[0].supportedObjs.first?.supportedObjPath == "Device.ProxiedDevice.{i}.")
        let gsp = try #require(try await c.request(.getSupportedProto, .getSupportedProtocol(Usp_GetSupportedProtocol())))
        #expect(gsp.body.response.getSupportedProtocolResp.agentSupportedProtocolVersions.contains("1.4"))
        var op = Usp_Operate(); op.command = "Device.X_USPBRIDGE_Radio.1.PermitJoin()"; op.sendResp = true
        let opResp = try #require(try await c.request(.operate, .operate(op)))
        #expect(opResp.header.msgType == .error && opResp.body.error.errCode == 7016, "no radio configured: no instance 1")
        var del = Usp_Delete(); del.objPaths = [inst]
        let d = try #require(try await c.request(.delete, .delete(del)))
        #expect(d.body.response.deleteResp.deletedObjResults[0].operStatus.operSuccess.affectedPaths == [inst])
        let bad = try #require(try await c.get(["Device.Nope."]))
        #expect(bad.reqPathResults[0].errCode == 7026)
        #expect(c.receivedRecords.contains { if case .mqttConnect(let m)? = $0.recordType { return m.subscribedTopic == run.runtime.agentTopic } else { return false } })
        await run.stop()
    }

    @Test func restrictedRoleIsDenied() async throws {
        let broker = try MosquittoBroker()
        let cfg = Self.config(broker, version: "5.0", dir: Self.tempDir(), roles: true)
        let run = try await Self.start(cfg)
        let viewer = try TestController(broker: broker, version: .v5, endpointID: "self::viewer", topic: "usp/controller/viewer",
                                        agentID: cfg.agent.endpointID!, agentTopic: run.runtime.agentTopic)
        #expect(await viewer.waitConnected())
        var g: Usp_GetResp?
        for _ in 0..<50 { g = try await viewer.get(["Device.LocalAgent.EndpointID"]); if g != nil { break } }
        #expect(g?.value("Device.LocalAgent.", "EndpointID") == cfg.agent.endpointID)
        var set = Usp_Set(); var u = Usp_Set.UpdateObject(); u.objPath = "Device.MQTT.Client.1."
        u.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "KeepAliveTime"; p.value = "30"; p.required = true; return p }()]
        set.updateObjs = [u]
        let denied = try #require(try await viewer.request(.set, .set(set)))
        #expect(denied.header.msgType == .error)
        #expect(denied.body.error.paramErrs.first?.errCode == 7006, "\(denied.body.error)")
        #expect(denied.body.error.paramErrs.first?.paramPath == "Device.MQTT.Client.1.KeepAliveTime")
        var add = Usp_Add(); var co = Usp_Add.CreateObject(); co.objPath = "Device.LocalAgent.Subscription."; add.createObjs = [co]
        let addDenied = try #require(try await viewer.request(.add, .add(add)))
        #expect(addDenied.body.error.errCode == 7006)
        // Controllers are hidden from the viewer (R-GET.1).
        let hidden = try #require(try await viewer.get(["Device.LocalAgent.Controller.*.EndpointID"]))
        #expect(hidden.reqPathResults[0].resolvedPathResults.isEmpty)
        await run.stop()
    }

    @Test func subscriptionNotifiesAndRetriesUntilExpiry() async throws {
        let broker = try MosquittoBroker()
        let cfg = Self.config(broker, version: "5.0", dir: Self.tempDir())
        let run = try await Self.start(cfg)
        let c = try TestController(broker: broker, version: .v5, agentID: cfg.agent.endpointID!, agentTopic: run.runtime.agentTopic)
        #expect(await c.waitConnected())
        for _ in 0..<50 { if try await c.get(["Device.LocalAgent."]) != nil { break } }
        // Fast retries: m = 1 s (the minimum), k = 2000.
        var set = Usp_Set(); var u = Usp_Set.UpdateObject(); u.objPath = "Device.LocalAgent.Controller.1."
        u.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "USPNotifRetryMinimumWaitInterval"; p.value = "1"; p.required = true; return p }()]
        set.updateObjs = [u]
        _ = try await c.request(.set, .set(set))
        var add = Usp_Add(); var co = Usp_Add.CreateObject(); co.objPath = "Device.LocalAgent.Subscription."
        co.paramSettings = [("Enable", "true"), ("NotifType", "ValueChange"), ("ReferenceList", "Device.LocalAgent.Controller.1.PeriodicNotifInterval"),
                            ("NotifRetry", "true"), ("NotifExpiration", "4"), ("ID", "watch")].map {
            var p = Usp_Add.CreateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = true; return p
        }
        add.createObjs = [co]
        let sub = try #require(try await c.request(.add, .add(add)))
        #expect(sub.body.response.addResp.createdObjResults[0].operStatus.operSuccess.uniqueKeys["ID"] == "watch")
        // Answered notifications are sent once.
        var s2 = set; s2.updateObjs[0].paramSettings[0].param = "PeriodicNotifInterval"; s2.updateObjs[0].paramSettings[0].value = "120"
        _ = try await c.request(.set, .set(s2))
        let first = await c.waitForNotifies(1)
        #expect(first.first?.body.request.notify.valueChange.paramValue == "120")
        #expect(first.first?.body.request.notify.subscriptionID == "watch")
        // Unanswered ones are retried (same msg_id) until NotifExpiration (4 s).
        c.answerNotifies = false
        s2.updateObjs[0].paramSettings[0].value = "121"
        _ = try await c.request(.set, .set(s2))
        try await Task.sleep(for: .seconds(6))
        let all = c.receivedNotifies.filter { $0.body.request.notify.valueChange.paramValue == "121" }
        #expect(all.count >= 2, "retried")
        #expect(Set(all.map(\.header.msgID)).count == 1)
        let count = all.count
        try await Task.sleep(for: .seconds(2))
        #expect(c.receivedNotifies.filter { $0.body.request.notify.valueChange.paramValue == "121" }.count == count, "stopped after expiry")
        await run.stop()
    }

    @Test func agentReconnectsAfterTheBrokerDies() async throws {
        let broker = try MosquittoBroker()
        let cfg = Self.config(broker, version: "5.0", dir: Self.tempDir())
        let run = try await Self.start(cfg)
        let c = try TestController(broker: broker, version: .v5, agentID: cfg.agent.endpointID!, agentTopic: run.runtime.agentTopic)
        #expect(await c.waitConnected())
        var g: Usp_GetResp?
        for _ in 0..<50 { g = try await c.get(["Device.LocalAgent.EndpointID"]); if g != nil { break } }
        #expect(g != nil)
        broker.kill()
        try await Task.sleep(for: .milliseconds(300))
        try broker.start()
        #expect(await c.waitConnected())
        var again: Usp_GetResp?
        let end = Date().addingTimeInterval(15)
        while again == nil && Date() < end { again = try await c.get(["Device.LocalAgent.EndpointID"], ) }
        #expect(again?.value("Device.LocalAgent.", "EndpointID") == cfg.agent.endpointID, "answers again after reconnecting")
        await run.stop()
    }

    @Test func onBoardRequestPeriodicAndBootEvents() async throws {
        let broker = try MosquittoBroker()
        let dir = Self.tempDir()
        var cfg = Self.config(broker, version: "5.0", dir: dir)
        cfg.controllers[0].onboard = true
        cfg.agent.manufacturerOUI = "00D09E"
        let run = try await Self.start(cfg)
        let c = try TestController(broker: broker, version: .v5, agentID: cfg.agent.endpointID!, agentTopic: run.runtime.agentTopic)
        #expect(await c.waitConnected())
        // R-NOT.5/6: the OnBoardRequest is retried until answered, so it reaches a late controller too.
        let ob = await c.waitForNotifies(1, seconds: 20)
        let onboard = ob.first { $0.body.request.notify.onBoardReq.oui == "00D09E" }
        #expect(onboard != nil)
        #expect(onboard?.body.request.notify.sendResp == true)
        #expect(onboard?.body.request.notify.onBoardReq.agentSupportedProtocolVersions.contains("1.4") == true)
        var set = Usp_Set(); var u = Usp_Set.UpdateObject(); u.objPath = "Device.LocalAgent.Controller.1."
        u.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "PeriodicNotifInterval"; p.value = "1"; p.required = true; return p }()]
        set.updateObjs = [u]
        _ = try await c.request(.set, .set(set))
        var add = Usp_Add(); var co = Usp_Add.CreateObject(); co.objPath = "Device.LocalAgent.Subscription."
        co.paramSettings = [("Enable", "true"), ("NotifType", "Event"), ("ReferenceList", "Device.Boot!,Device.LocalAgent.Periodic!"),
                            ("Persistent", "true"), ("ID", "events")].map {
            var p = Usp_Add.CreateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = true; return p
        }
        add.createObjs = [co]
        _ = try await c.request(.add, .add(add))
        let end = Date().addingTimeInterval(5)
        while !c.receivedNotifies.contains(where: { $0.body.request.notify.event.eventName == "Periodic!" }) && Date() < end {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(c.receivedNotifies.contains { $0.body.request.notify.event.eventName == "Periodic!" && $0.body.request.notify.event.objPath == "Device.LocalAgent." })
        await run.stop()
        // A restart on the same database announces Boot! to the persistent subscription.
        let again = try await Self.start(cfg)
        let bootEnd = Date().addingTimeInterval(15)
        while !c.receivedNotifies.contains(where: { $0.body.request.notify.event.eventName == "Boot!" }) && Date() < bootEnd {
            try await Task.sleep(for: .milliseconds(50))
        }
        let boot = c.receivedNotifies.first { $0.body.request.notify.event.eventName == "Boot!" }
        #expect(boot?.body.request.notify.event.objPath == "Device.")
        #expect(boot?.body.request.notify.event.params["Cause"] == "LocalReboot")
        #expect(boot?.body.request.notify.subscriptionID == "events")
        #expect(c.receivedNotifies.filter { $0.body.request.notify.onBoardReq.oui == "00D09E" }.count >= 1)
        await again.stop()
    }

    @Test func fiveControllersChangeTheModelConcurrently() async throws {
        let broker = try MosquittoBroker()
        var cfg = Self.config(broker, version: "5.0", dir: Self.tempDir())
        cfg.controllers = (1...5).map { .init(endpointID: "self::c\($0)", topic: "usp/controller/c\($0)") }
        let run = try await Self.start(cfg)
        var controllers: [TestController] = []
        for i in 1...5 {
            let c = try TestController(broker: broker, version: i % 2 == 0 ? .v311 : .v5, endpointID: "self::c\(i)", topic: "usp/controller/c\(i)",
                                       agentID: cfg.agent.endpointID!, agentTopic: run.runtime.agentTopic)
            #expect(await c.waitConnected())
            controllers.append(c)
        }
        for c in controllers { for _ in 0..<50 { if try await c.get(["Device.LocalAgent.EndpointID"]) != nil { break } } }
        // Each controller adds 10 subscriptions, renames them, and deletes every second one.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, c) in controllers.enumerated() {
                group.addTask {
                    for k in 0..<10 {
                        var add = Usp_Add(); var co = Usp_Add.CreateObject(); co.objPath = "Device.LocalAgent.Subscription."
                        co.paramSettings = [("ID", "c\(i)-\(k)"), ("NotifType", "ValueChange"), ("ReferenceList", "Device.LocalAgent.")].map {
                            var p = Usp_Add.CreateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = true; return p
                        }
                        add.createObjs = [co]
                        let r = try await c.request(.add, .add(add))
                        let path = r?.body.response.addResp.createdObjResults.first?.operStatus.operSuccess.instantiatedPath ?? ""
                        #expect(!path.isEmpty)
                        var set = Usp_Set(); var u = Usp_Set.UpdateObject(); u.objPath = path
                        u.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "Enable"; p.value = "true"; p.required = true; return p }()]
                        set.updateObjs = [u]
                        _ = try await c.request(.set, .set(set))
                        if k % 2 == 1 {
                            var del = Usp_Delete(); del.objPaths = [path]
                            _ = try await c.request(.delete, .delete(del))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let r = try #require(try await controllers[0].get(["Device.LocalAgent.Subscription.*.ID", "Device.LocalAgent.SubscriptionNumberOfEntries"]))
        let ids = r.reqPathResults[0].resolvedPathResults.compactMap { $0.resultParams["ID"] }
        #expect(ids.count == 25, "5 controllers × 5 kept")
        #expect(Set(ids).count == 25)
        #expect(r.value("Device.LocalAgent.", "SubscriptionNumberOfEntries") == "25")
        // Instance numbers were handed out once each: 50 adds → numbers 1…50.
        let numbers = r.reqPathResults[0].resolvedPathResults.compactMap { Int($0.resolvedPath.split(separator: ".")[3]) }
        #expect(numbers.allSatisfy { (1...50).contains($0) })
        await run.stop()
    }
}
