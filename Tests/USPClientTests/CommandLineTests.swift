import Foundation
import MosquittoTestSupport
import Testing
import USPClient

/// The built `usp-bridge` executable against a real mosquitto and the test agent: output and
/// exit status (0 ok, 1 USP error, 2 connection problem, 64 bad usage).
@Suite(.serialized) struct CommandLineTests {
    /// A HOME without a demo file, so the developer's own `~/.usp-bridge/demo.env` never leaks in.
    static func environment(home: URL? = nil) throws -> [String: String] {
        let dir = home ?? FileManager.default.temporaryDirectory.appendingPathComponent("usp-cli-home-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return ["HOME": dir.path, "PATH": "/usr/bin:/bin"]
    }

    static func connection(_ h: Harness) -> [String] {
        ["--broker", "127.0.0.1:\(h.broker.port)", "--agent", ClientTestModel.agentID, "--agent-topic", h.testAgent.topic, "--timeout", "10"]
    }

    @Test func getPrintsJSONAndExitsZero() async throws {
        let h = try await Harness.make(.v5)
        let r = try await Subprocess.run(["get", "Device.LocalAgent.EndpointID"] + Self.connection(h) + ["--json"],
                                         environment: try Self.environment())
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == """
            {
              "errors": [],
              "parameters": {
                "Device.LocalAgent.EndpointID": "\(ClientTestModel.agentID)"
              }
            }

            """)
        await h.shutdown()
    }

    @Test func badPathExitsOneWithTheErrorCode() async throws {
        let h = try await Harness.make(.v311)
        let r = try await Subprocess.run(["get", "Device.Foo.", "--mqtt-version", "3.1.1"] + Self.connection(h),
                                         environment: try Self.environment())
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix("ERROR 7026 Device.Foo.: "), "stdout: \(r.stdout)")
        await h.shutdown()
    }

    @Test func failedSetExitsOneWithTheParameterError() async throws {
        let h = try await Harness.make(.v5)
        let r = try await Subprocess.run(["set", "Device.Thing.1.", "Level=99"] + Self.connection(h),
                                         environment: try Self.environment())
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("ERROR 7012 Device.Thing.1.Level: "), "stdout: \(r.stdout)")
        await h.shutdown()
    }

    @Test func readsTheAgentFromTheDemoFile() async throws {
        let h = try await Harness.make(.v5)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("usp-cli-home-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".usp-bridge"), withIntermediateDirectories: true)
        try """
        USP_BRIDGE_BROKER=127.0.0.1:\(h.broker.port)
        USP_BRIDGE_AGENT=\(ClientTestModel.agentID)
        USP_BRIDGE_AGENT_TOPIC=\(h.testAgent.topic)

        """.write(to: home.appendingPathComponent(".usp-bridge/demo.env"), atomically: true, encoding: .utf8)
        let r = try await Subprocess.run(["get", "Device.Thing.*.Name", "Device.Thing.2.Level"], environment: try Self.environment(home: home))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "Device.Thing.1.Name  | lamp\nDevice.Thing.2.Level | 10\nDevice.Thing.2.Name  | plug\n")
        await h.shutdown()
    }

    @Test func noBrokerExitsTwoWithOneLine() async throws {
        let port = try MosquittoBroker.freePort()
        let r = try await Subprocess.run(["get", "Device.", "--broker", "127.0.0.1:\(port)", "--agent", "proto::a", "--timeout", "5"],
                                         environment: try Self.environment())
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("usp-bridge: cannot connect to MQTT broker 127.0.0.1:\(port)"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test func noAnswerExitsTwo() async throws {
        let broker = try MosquittoBroker()
        let r = try await Subprocess.run(["instances", "Device.Thing.", "--broker", "127.0.0.1:\(broker.port)", "--agent", "proto::nobody",
                                          "--timeout", "0.5"], environment: try Self.environment())
        #expect(r.status == 2)
        #expect(r.stderr.contains("no answer from proto::nobody on usp/agent/proto__nobody"), "\(r.stderr)")
    }

    @Test func badUsageExits64() async throws {
        let env = try Self.environment()
        #expect(try await Subprocess.run(["set", "Device.Thing.1.", "Level"], environment: env).status == 64)
        #expect(try await Subprocess.run(["get", "Device.", "--broker", "nohost:port"], environment: env).status == 64)
        let noAgent = try await Subprocess.run(["get", "Device."], environment: env)
        #expect(noAgent.status == 64)
        #expect(noAgent.stderr.contains("--agent"))
    }

    @Test func subscribePrintsNotificationsAndCleansUp() async throws {
        let h = try await Harness.make(.v5, knownControllers: ["proto::cli"], notifications: true)
        guard let exe = Subprocess.executable else { throw SubprocessError(message: "usp-bridge is not built") }
        let sub = try Subprocess.start(exe, ["subscribe", "ValueChange", "Device.Thing.*.Level", "--count", "1", "--duration", "20",
                                             "--endpoint-id", "proto::cli", "--reply-topic", "usp/controller/cli-\(getpid())"]
                                            + Self.connection(h), environment: try Self.environment())
        let table = "Device.LocalAgent.Subscription."
        let deadline = Date().addingTimeInterval(15)
        while await h.agent.instances(ofTable: table).isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await h.agent.instances(ofTable: table).count == 1, "stderr: \(sub.stderrSoFar)")
        _ = try await h.controller.set("Device.Thing.1.", [ParameterSetting("Level", "5")])
        let r = try await sub.wait(seconds: 20)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "ValueChange Device.Thing.1.Level = 5\n")
        #expect(r.stderr.contains("subscribed as Device.LocalAgent.Subscription.1."))
        #expect(await h.agent.instances(ofTable: table).isEmpty, "deleted on exit")
        await h.shutdown()
    }

    @Test func interruptedSubscribeDeletesItsSubscription() async throws {
        let h = try await Harness.make(.v311, knownControllers: ["proto::cli"], notifications: true)
        guard let exe = Subprocess.executable else { throw SubprocessError(message: "usp-bridge is not built") }
        let sub = try Subprocess.start(exe, ["subscribe", "object-creation", "Device.Thing.", "--json", "--mqtt-version", "3.1.1",
                                             "--endpoint-id", "proto::cli", "--reply-topic", "usp/controller/cli-int-\(getpid())"]
                                            + Self.connection(h), environment: try Self.environment())
        let deadline = Date().addingTimeInterval(15)
        while !sub.stderrSoFar.contains("subscribed as"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let table = "Device.LocalAgent.Subscription."
        #expect(await h.agent.instances(ofTable: table).count == 1, "stderr: \(sub.stderrSoFar)")
        #expect(await h.agent.storedValue("Device.LocalAgent.Subscription.1.", "NotifType") == "ObjectCreation")
        _ = try await h.controller.add("Device.Thing.", [ParameterSetting("Name", "fan")])
        let printed = Date().addingTimeInterval(10)
        while sub.stdoutSoFar.isEmpty, Date() < printed { try await Task.sleep(for: .milliseconds(20)) }
        sub.signal(SIGINT)
        let r = try await sub.wait(seconds: 20)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix(#"{"path":"Device.Thing.3.","subscriptionID":"usp-bridge-cli-"#), "\(r.stdout)")
        #expect(r.stdout.hasSuffix(#"","type":"ObjectCreation","uniqueKeys":{"Name":"fan"}}"# + "\n"), "\(r.stdout)")
        #expect(await h.agent.instances(ofTable: table).isEmpty, "deleted after Ctrl-C")
        await h.shutdown()
    }
}
