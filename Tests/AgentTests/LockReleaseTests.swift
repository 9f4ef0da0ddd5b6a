import Agent
import DataModel
import Foundation
import Testing
import USPMessages

/// Opens once; tasks waiting on it go on. Records whether anyone reached it.
actor Gate {
    private var open = false
    private(set) var reached = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func pass() async {
        reached += 1
        if open { return }
        await withCheckedContinuation { waiters.append($0) }
    }
    func release() {
        open = true
        for w in waiters { w.resume() }
        waiters.removeAll()
    }
    /// Waits (polling) until `n` tasks reached the gate.
    func waitReached(_ n: Int = 1) async -> Bool {
        for _ in 0..<1000 where reached < n { try? await Task.sleep(for: .milliseconds(2)) }
        return reached >= n
    }
}

actor ResultBox<T: Sendable> {
    var value: T?
    func set(_ v: T?) { value = v }
}

/// Runs `body` in a task and returns its result if it finishes within `limit`; nil otherwise
/// (the task goes on), so that a message stuck behind the lock fails the test instead of hanging it.
func finishes<T: Sendable>(within limit: Duration = .seconds(10), _ body: @escaping @Sendable () async throws -> T) async -> T? {
    let box = ResultBox<T>()
    Task { await box.set(try? await body()) }
    let clock = ContinuousClock()
    let end = clock.now + limit
    while clock.now < end {
        if let v = await box.value { return v }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return nil
}

/// A provider whose writes wait at a gate first (a radio that takes its time).
struct GatedProvider: ParameterProvider {
    let inner: ThingProvider
    let gate: Gate
    func read(_ objects: [ObjectRead]) async -> [String: [String: String]] { await inner.read(objects) }
    func write(_ writes: [ObjectWrite]) async -> [ParameterFailure] {
        await gate.pass()
        return await inner.write(writes)
    }
}

/// The message lock is not held while a provider's write or a sync command handler waits.
@Suite struct LockReleaseTests {
    let agent: USPAgent
    let things = ThingProvider()
    let gate = Gate()

    init() async throws {
        agent = USPAgent(endpointID: "proto::agent", schema: try TestModel.schema())
        await agent.mount(GatedProvider(inner: things, gate: gate), at: "Device.Thing.{i}.")
        for name in ["lamp", "plug"] {
            let n = try await agent.addInstance(table: "Device.Thing.")
            things.set("Device.Thing.\(n).", "Name", name)
            things.set("Device.Thing.\(n).", "Level", "0")
        }
        try await agent.addInstance(table: "Device.LocalAgent.Controller.", values: ["EndpointID": "ctrl-1", "Enable": "false"])
        let gate = self.gate
        await agent.registerCommand("Device.Thing.{i}.", "Double") { inv throws(USPError) in
            await gate.pass()
            guard let v = Int(inv.inputs["Value"] ?? "") else { throw USPError(.invalidCommandArguments, "no value") }
            return ["Result": String(v * 2)]
        }
    }

    static func setMessage(_ updates: [(String, [(String, String, Bool)])], allowPartial: Bool) -> Usp_Request.OneOf_ReqType {
        var s = Usp_Set(); s.allowPartial = allowPartial
        s.updateObjs = updates.map { path, params in
            var u = Usp_Set.UpdateObject(); u.objPath = path
            u.paramSettings = params.map { var p = Usp_Set.UpdateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = $0.2; return p }
            return u
        }
        return .set(s)
    }

    @Test func getAnswersWhileASetWaitsForItsProvider() async throws {
        let agent = self.agent
        let setter = Task {
            var c = Controller(agent: agent, id: "proto::setter")
            return try await c.set("Device.Thing.1.", [("Level", "5", true)])
        }
        #expect(await gate.waitReached())
        let r = await finishes {
            var reader = Controller(agent: agent, id: "proto::reader")
            return try await reader.get(["Device.Thing.1.Level"]).results()
        }
        #expect(r == ["Device.Thing.1.": ["Level": "0"]], "the Get answered while the Set waited")
        await gate.release()
        var reader = Controller(agent: agent, id: "proto::reader")
        let resp = try await setter.value.body.response.setResp
        #expect(resp.updatedObjResults.first?.operStatus.operSuccess.updatedInstResults.first?.updatedParams == ["Level": "5"])
        #expect(try await reader.get(["Device.Thing.1.Level"]).results() == ["Device.Thing.1.": ["Level": "5"]])
    }

    @Test func storedValuesAreNotAppliedWhenAProviderWriteFailsWithoutAllowPartial() async throws {
        things.failWritesOf = ["Level"]
        let agent = self.agent
        let req = Self.setMessage([("Device.LocalAgent.Controller.1.", [("Enable", "true", true)]),
                                   ("Device.Thing.1.", [("Level", "5", true)])], allowPartial: false)
        let setter = Task {
            var c = Controller(agent: agent, id: "proto::setter")
            return try await c.send(.set, req)!
        }
        #expect(await gate.waitReached())
        let during = await finishes {
            var reader = Controller(agent: agent, id: "proto::reader")
            return try await reader.get(["Device.LocalAgent.Controller.1.Enable"]).results()
        }
        #expect(during == ["Device.LocalAgent.Controller.1.": ["Enable": "false"]])
        await gate.release()
        var reader = Controller(agent: agent, id: "proto::reader")
        let msg = try await setter.value
        guard case .error(let e)? = msg.body.msgBody else { Issue.record("expected an Error, got \(msg)"); return }
        #expect(e.errCode == USPErrorCode.parameterActionFailed.rawValue)
        #expect(e.paramErrs.map(\.paramPath) == ["Device.Thing.1.Level"])
        #expect(try await reader.get(["Device.LocalAgent.Controller.1.Enable"]).results()
                == ["Device.LocalAgent.Controller.1.": ["Enable": "false"]], "nothing of the failed Set was stored")
    }

    @Test func anObjectDeletedWhileTheSetWaitedFailsItsUpdate() async throws {
        let agent = self.agent
        let req = Self.setMessage([("Device.Thing.1.", [("Level", "5", true)]),
                                   ("Device.LocalAgent.Controller.1.", [("Enable", "true", true)])], allowPartial: true)
        let setter = Task {
            var c = Controller(agent: agent, id: "proto::setter")
            return try await c.send(.set, req)!
        }
        #expect(await gate.waitReached())
        let deleted = await finishes {
            var other = Controller(agent: agent, id: "proto::other")
            let del = try await other.delete(["Device.LocalAgent.Controller.1."])
            return del.body.response.deleteResp.deletedObjResults.first?.operStatus.operSuccess.affectedPaths
        }
        #expect(deleted == ["Device.LocalAgent.Controller.1."])
        await gate.release()
        let results = try await setter.value.body.response.setResp.updatedObjResults
        #expect(results.count == 2)
        #expect(results[0].operStatus.operSuccess.updatedInstResults.first?.updatedParams == ["Level": "5"])
        let failure = results[1].operStatus.operFailure
        #expect(failure.updatedInstFailures.first?.paramErrs.first?.errCode == USPErrorCode.objectDoesNotExist.rawValue)
        #expect(await agent.storedValue("Device.LocalAgent.Controller.1.", "Enable") == nil)
    }

    @Test func getAnswersWhileASyncCommandRuns() async throws {
        let agent = self.agent
        let op = Task {
            var c = Controller(agent: agent, id: "proto::operator")
            return try await c.operate("Device.Thing.2.Double()", ["Value": "21"])
        }
        #expect(await gate.waitReached())
        let name = await finishes {
            var reader = Controller(agent: agent, id: "proto::reader")
            return try await reader.get(["Device.Thing.2.Name"]).results()
        }
        #expect(name == ["Device.Thing.2.": ["Name": "plug"]])
        await gate.release()
        let result = try #require(try await op.value?.body.response.operateResp.operationResults.first)
        #expect(result.reqOutputArgs.outputArgs == ["Result": "42"])
    }
}
