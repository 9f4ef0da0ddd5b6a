import Foundation
import MosquittoTestSupport
import MQTTTransport
import Testing
import USPMessages

/// `kill -9` of the real usp-bridge process, then a restart on the same data directory:
/// controllers, persistent subscriptions and instance numbers survive; nothing acknowledged
/// is lost.
@Suite(.serialized) struct KillRestartTests {
    static var executable: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/usp-bridge").path
    }

    static func launch(config: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["run", "--config", config, "--log-level", "warning"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test func killNineKeepsWhatWasAcknowledged() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "build usp-bridge first")
        let broker = try MosquittoBroker()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-kill-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let cfgPath = dir + "/config.yaml"
        try """
        agent:
          endpointID: "proto::kill-test"
        dataDirectory: "\(dir)/data"
        mqtt:
          port: \(broker.port)
          agentTopic: usp/agent/kill
          connectRetryTime: 1
        controllers:
          - endpointID: "self::test-ctrl"
            topic: usp/controller/test
        """.write(toFile: cfgPath, atomically: true, encoding: .utf8)

        var agent = try Self.launch(config: cfgPath)
        let c = try TestController(broker: broker, version: .v5, agentID: "proto::kill-test", agentTopic: "usp/agent/kill")
        #expect(await c.waitConnected())
        var ready: Usp_GetResp?
        for _ in 0..<100 where ready == nil { ready = try await c.get(["Device.LocalAgent.EndpointID"]) }
        try #require(ready != nil, "agent answered")

        func add(_ path: String, _ params: [(String, String)]) async throws -> String {
            var a = Usp_Add(); var co = Usp_Add.CreateObject(); co.objPath = path
            co.paramSettings = params.map { var p = Usp_Add.CreateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = true; return p }
            a.createObjs = [co]
            let r = try await c.request(.add, .add(a))
            return r?.body.response.addResp.createdObjResults.first?.operStatus.operSuccess.instantiatedPath ?? ""
        }
        #expect(try await add("Device.LocalAgent.Controller.", [("EndpointID", "self::a")]) == "Device.LocalAgent.Controller.2.")
        #expect(try await add("Device.LocalAgent.Controller.", [("EndpointID", "self::b")]) == "Device.LocalAgent.Controller.3.")
        var del = Usp_Delete(); del.objPaths = ["Device.LocalAgent.Controller.3."]
        _ = try await c.request(.delete, .delete(del))
        #expect(try await add("Device.LocalAgent.Subscription.", [("Enable", "true"), ("ID", "keep"), ("NotifType", "ObjectCreation"),
                                                                    ("ReferenceList", "Device.LocalAgent.Controller."), ("Persistent", "true")])
                == "Device.LocalAgent.Subscription.1.")
        #expect(try await add("Device.LocalAgent.Subscription.", [("Enable", "true"), ("ID", "temp"), ("NotifType", "ObjectDeletion"),
                                                                    ("ReferenceList", "Device.LocalAgent.Controller."), ("Persistent", "false")])
                == "Device.LocalAgent.Subscription.2.")

        kill(agent.processIdentifier, SIGKILL)
        agent.waitUntilExit()
        agent = try Self.launch(config: cfgPath)
        defer { agent.terminate() }

        var after: Usp_GetResp?
        for _ in 0..<100 where after == nil { after = try await c.get(["Device.LocalAgent.Controller.*.EndpointID", "Device.LocalAgent.Subscription.*.ID"]) }
        let r = try #require(after)
        #expect(r.value("Device.LocalAgent.Controller.1.", "EndpointID") == "self::test-ctrl")
        #expect(r.value("Device.LocalAgent.Controller.2.", "EndpointID") == "self::a")
        #expect(r.value("Device.LocalAgent.Controller.3.", "EndpointID") == nil, "deleted stays deleted")
        #expect(r.value("Device.LocalAgent.Subscription.1.", "ID") == "keep")
        #expect(r.value("Device.LocalAgent.Subscription.2.", "ID") == nil, "Persistent=false subscriptions end with the process")
        // Instance numbers are never handed out twice, even across the crash.
        #expect(try await add("Device.LocalAgent.Controller.", [("EndpointID", "self::c")]) == "Device.LocalAgent.Controller.4.")
        // The persistent subscription still works after the restart.
        let notes = await c.waitForNotifies(1)
        #expect(notes.last?.body.request.notify.objCreation.objPath == "Device.LocalAgent.Controller.4.")
        agent.terminate()
        agent.waitUntilExit()
        #expect(agent.terminationReason == .exit, "SIGTERM is a graceful shutdown")
    }

    @Test func corruptDatabaseIsMovedAsideAndTheAgentStarts() async throws {
        let broker = try MosquittoBroker()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-corrupt-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: dir + "/data/usp-bridge.sqlite"))
        let cfgPath = dir + "/config.yaml"
        try """
        agent:
          endpointID: "proto::corrupt-test"
        dataDirectory: "\(dir)/data"
        mqtt:
          port: \(broker.port)
          agentTopic: usp/agent/corrupt
        controllers:
          - endpointID: "self::test-ctrl"
            topic: usp/controller/test
        """.write(toFile: cfgPath, atomically: true, encoding: .utf8)
        let agent = try Self.launch(config: cfgPath)
        defer { agent.terminate() }
        let c = try TestController(broker: broker, version: .v5, agentID: "proto::corrupt-test", agentTopic: "usp/agent/corrupt")
        #expect(await c.waitConnected())
        var r: Usp_GetResp?
        for _ in 0..<100 where r == nil { r = try await c.get(["Device.LocalAgent.Controller.1.EndpointID"]) }
        #expect(r?.value("Device.LocalAgent.Controller.1.", "EndpointID") == "self::test-ctrl", "factory defaults applied")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/data")
        #expect(files.contains { $0.hasPrefix("usp-bridge.sqlite.corrupt-") }, "the damaged file is kept for inspection: \(files)")
    }
}
