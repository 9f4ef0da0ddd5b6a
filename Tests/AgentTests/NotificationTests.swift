import Agent
import DataModel
import Foundation
import Testing
import USPMessages

/// Collects what the notification service sends, as an MTP would carry it.
actor CapturingSender: MessageSender {
    var sent: [(controller: String, msg: Usp_Msg)] = []
    var reachable = true
    func send(_ msg: Usp_Msg, to controller: String) async -> Bool {
        sent.append((controller, msg))
        return reachable
    }
    func notifies() -> [Usp_Notify] { sent.map { $0.msg.body.request.notify } }
    /// Waits until `count` messages were sent (bounded).
    func waitFor(_ count: Int, seconds: Double = 20) async -> Bool {   // a hang guard: returns as soon as they are there
        let end = Date().addingTimeInterval(seconds)
        while sent.count < count && Date() < end { try? await Task.sleep(for: .milliseconds(5)) }
        return sent.count >= count
    }
}

@Suite struct NotificationTests {
    let agent: USPAgent
    let things = ThingProvider()
    let sender = CapturingSender()
    let service: NotificationService
    let task: Task<Void, Never>

    init() async throws {
        agent = USPAgent(endpointID: "proto::agent", schema: try TestModel.schema())
        await agent.mount(things, at: "Device.Thing.{i}.")
        for name in ["lamp", "plug"] {
            let n = try await agent.addInstance(table: "Device.Thing.")
            things.set("Device.Thing.\(n).", "Name", name)
            things.set("Device.Thing.\(n).", "Level", "0")
        }
        await agent.setCreationHook("Device.LocalAgent.Subscription.{i}.") { ctx in
            ["Recipient": String((ctx.controllerPath ?? "").dropLast()), "CreationDate": USPDateTime.render(Date()), "ID": "sub-\(ctx.instance)"]
        }
        await agent.registerCommand("Device.Thing.{i}.", "Slow") { _ throws(USPError) in ["Done": "true"] }
        service = NotificationService(agent: agent, sender: sender, timeScale: 0.01)
        task = await service.start()
        var c = Controller(agent: agent)
        _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "proto::test-controller", true)])
    }

    func subscribe(_ type: String, _ refs: String, retry: Bool = false, expiration: Int = 0, ttl: Int = 0) async throws -> String {
        var c = Controller(agent: agent)
        let m = try await c.add("Device.LocalAgent.Subscription.", [
            ("Enable", "true", true), ("NotifType", type, true), ("ReferenceList", refs, true),
            ("NotifRetry", retry ? "true" : "false", true), ("NotifExpiration", String(expiration), true),
            ("TimeToLive", String(ttl), true),
        ])
        return m.body.response.addResp.createdObjResults[0].operStatus.operSuccess.instantiatedPath
    }

    @Test func valueChangeIsPushedAtOnce() async throws {
        let sub = try await subscribe("ValueChange", "Device.Thing.*.Level,Device.Thing.[Name==\"plug\"].On")
        #expect(sub == "Device.LocalAgent.Subscription.1.")
        agent.providerValueChanged("Device.Thing.1.Level", "42")
        agent.providerValueChanged("Device.Thing.1.Name", "ignored: not subscribed")
        agent.providerValueChanged("Device.Thing.1.On", "true")   // lamp: search does not match
        agent.providerValueChanged("Device.Thing.2.On", "true")   // plug: matches
        #expect(await sender.waitFor(2))
        try await Task.sleep(for: .milliseconds(50))
        let n = await sender.notifies()
        #expect(n.count == 2)
        #expect(n[0].subscriptionID == "sub-1")
        #expect(n[0].valueChange.paramPath == "Device.Thing.1.Level" && n[0].valueChange.paramValue == "42")
        #expect(n[1].valueChange.paramPath == "Device.Thing.2.On")
        #expect(await sender.sent.allSatisfy { $0.controller == "proto::test-controller" })
        task.cancel()
    }

    @Test func objectCreationDeletionAndOperationComplete() async throws {
        _ = try await subscribe("ObjectCreation", "Device.LocalAgent.Controller.")
        _ = try await subscribe("ObjectDeletion", "Device.LocalAgent.Controller.")
        _ = try await subscribe("OperationComplete", "Device.Thing.*.Slow()")
        var c = Controller(agent: agent)
        _ = try await c.add("Device.LocalAgent.Controller.", [("EndpointID", "other", true)])
        _ = try await c.delete(["Device.LocalAgent.Controller.2."])
        _ = try await c.operate("Device.Thing.2.Slow()", key: "ck")
        #expect(await sender.waitFor(3))
        let n = await sender.notifies()
        #expect(n[0].objCreation.objPath == "Device.LocalAgent.Controller.2.")
        #expect(n[0].objCreation.uniqueKeys["EndpointID"] == "other")
        #expect(n[1].objDeletion.objPath == "Device.LocalAgent.Controller.2.")
        #expect(n[2].operComplete.objPath == "Device.Thing.2.")
        #expect(n[2].operComplete.commandName == "Slow()")
        #expect(n[2].operComplete.commandKey == "ck")
        #expect(n[2].operComplete.reqOutputArgs.outputArgs == ["Done": "true"])
        task.cancel()
    }

    @Test func objectCreationCarriesProviderServedUniqueKeys() async throws {
        _ = try await subscribe("ObjectCreation", "Device.Thing.")
        things.set("Device.Thing.7.", "Name", "heater")
        try await agent.addInstance(table: "Device.Thing.", number: 7)
        #expect(await sender.waitFor(1))
        let n = await sender.notifies()
        #expect(n.first?.objCreation.objPath == "Device.Thing.7.")
        #expect(n.first?.objCreation.uniqueKeys == ["Name": "heater"])
        task.cancel()
    }

    @Test func eventNotification() async throws {
        _ = try await subscribe("Event", "Device.Thing.*.Pressed!")
        agent.emitEvent(objectPath: "Device.Thing.1.", name: "Pressed", arguments: ["Button": "long"])
        agent.emitEvent(objectPath: "Device.Thing.1.", name: "Other", arguments: [:])
        #expect(await sender.waitFor(1))
        let n = await sender.notifies()
        #expect(n.count == 1)
        #expect(n[0].event.objPath == "Device.Thing.1." && n[0].event.eventName == "Pressed!" && n[0].event.params == ["Button": "long"])
        task.cancel()
    }

    @Test func disabledAndDeletedSubscriptionsStaySilent() async throws {
        let sub = try await subscribe("ValueChange", "Device.Thing.1.Level")
        var c = Controller(agent: agent)
        _ = try await c.set(sub, [("Enable", "false", true)])
        agent.providerValueChanged("Device.Thing.1.Level", "1")
        _ = try await c.set(sub, [("Enable", "true", true)])
        try await Task.sleep(for: .milliseconds(30))
        agent.providerValueChanged("Device.Thing.1.Level", "2")
        _ = try await c.delete([sub])
        try await Task.sleep(for: .milliseconds(30))
        agent.providerValueChanged("Device.Thing.1.Level", "3")
        try await Task.sleep(for: .milliseconds(100))
        let n = await sender.notifies()
        #expect(n.map(\.valueChange.paramValue) == ["2"])
        task.cancel()
    }

    @Test func retriesUntilNotifyRespThenStops() async throws {
        _ = try await subscribe("ValueChange", "Device.Thing.1.Level", retry: true)
        agent.providerValueChanged("Device.Thing.1.Level", "5")
        #expect(await sender.waitFor(3, seconds: 10), "retried (m=5 s, k=2 scaled by 0.01)")
        let first = await sender.message(0)
        #expect(first.body.request.notify.sendResp)
        #expect(await sender.message(1).header.msgID == first.header.msgID, "a retry resends the same message")
        // The controller answers: retries stop.
        var resp = Usp_NotifyResp(); resp.subscriptionID = first.body.request.notify.subscriptionID
        let ack = Usp_Msg.response(id: first.header.msgID, type: .notifyResp, .notifyResp(resp))
        #expect(await agent.handle(message: ack, from: "proto::test-controller") == nil)
        try await Task.sleep(for: .milliseconds(100))
        let countAfterAck = await sender.sent.count
        try await Task.sleep(for: .milliseconds(600))
        #expect(await sender.sent.count == countAfterAck)
        #expect(await service.pendingMessageIDs.isEmpty)
        task.cancel()
    }

    @Test func retriesStopAtExpiration() async throws {
        await sender.setReachable(false)
        // NotifExpiration 300 s scaled by 0.01 = 3 s; the first retry comes after 0.05-0.1 s, so
        // retries happen even on a loaded machine (0.6 s was once too short under CI load).
        _ = try await subscribe("ValueChange", "Device.Thing.2.Level", retry: true, expiration: 300)
        agent.providerValueChanged("Device.Thing.2.Level", "9")
        #expect(await sender.waitFor(1))
        // Bounded wait: under load the scaled timers may run late, never early.
        let end = Date().addingTimeInterval(20)
        while !(await service.pendingMessageIDs.isEmpty) && Date() < end { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await service.pendingMessageIDs.isEmpty, "expired")
        let sent = await sender.sent.count
        #expect(sent >= 2)
        try await Task.sleep(for: .milliseconds(300))
        #expect(await sender.sent.count == sent)
        task.cancel()
    }

    @Test func timeToLiveDeletesSubscription() async throws {
        let sub = try await subscribe("ValueChange", "Device.Thing.1.Level", ttl: 10)   // 0.1 s scaled
        var c = Controller(agent: agent)
        var code: UInt32 = 0
        let end = Date().addingTimeInterval(10)
        while code != 7026 && Date() < end {
            try await Task.sleep(for: .milliseconds(50))
            code = try await c.get([sub]).reqPathResults[0].errCode
        }
        #expect(code == 7026, "gone after its TimeToLive")
        task.cancel()
    }

    @Test func retryIntervalsFollowTheSpecTable() {
        // R-NOT.1 defaults m = 5 s, k = 2000: #1 5-10, #2 10-20, #10 and later 2560-5120.
        #expect(RetryPolicy.delay(attempt: 1, minimumWait: 5, multiplier: 2000, random: 0) == 5)
        #expect(RetryPolicy.delay(attempt: 1, minimumWait: 5, multiplier: 2000, random: 1) == 10)
        #expect(RetryPolicy.delay(attempt: 2, minimumWait: 5, multiplier: 2000, random: 0.5) == 15)
        #expect(RetryPolicy.delay(attempt: 10, minimumWait: 5, multiplier: 2000, random: 0) == 2560)
        #expect(RetryPolicy.delay(attempt: 25, minimumWait: 5, multiplier: 2000, random: 1) == 5120)
    }
}

extension CapturingSender {
    func setReachable(_ r: Bool) { reachable = r }
    func message(_ i: Int) -> Usp_Msg { sent[i].msg }
}
