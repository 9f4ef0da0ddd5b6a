import Foundation
import Logging
import Runtime
import Testing
import UDSTestSupport
import UDSTransport
import USPClient
import USPMessages

/// The real agent runtime with the UNIX domain socket as its only MTP, and `USPController`
/// (and the CLI) as socket clients: requests, notifications, and peers that break the rules.
@Suite(.serialized) struct AgentOverUDSTests {
    static let agentID = "proto::usp-bridge-uds-test"
    static let controllerID = "self::uds-test-ctrl"
    static let cliID = "self::uds-test-cli"

    struct Running {
        let runtime: BridgeRuntime
        let task: Task<Void, any Error>
        let socket: String
        func stop() async { task.cancel(); _ = try? await task.value }
    }

    /// The runtime, UDS only, once its socket accepts connections.
    static func start() async throws -> Running {
        let socket = TempSocket.path("agent.sock")
        var c = BridgeConfiguration()
        c.agent.endpointID = agentID
        c.dataDirectory = (socket as NSString).deletingLastPathComponent + "/data"
        c.mqtt = nil
        c.uds = .init(path: socket)
        c.controllers = [.init(endpointID: controllerID), .init(endpointID: cliID)]
        var logger = Logger(label: "test"); logger.logLevel = ProcessInfo.processInfo.environment["UDS_TEST_DEBUG"] != nil ? .debug : .warning
        let rt = try await BridgeRuntime.make(config: c, adapters: [], logger: logger)
        let t = Task { try await rt.run() }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return Running(runtime: rt, task: t, socket: socket)
    }

    static func controller(_ socket: String) async throws -> USPController {
        let c = USPController(configuration: .unixSocket(path: socket, endpointID: controllerID, connectTimeout: .seconds(10)))
        try await c.connect()
        return c
    }

    @Test func getSetAndValueChangeOverTheSocket() async throws {
        let run = try await Self.start()
        let c = try await Self.controller(run.socket)
        // The agent's endpoint ID came from its Handshake.
        #expect(await c.agentEndpointID == Self.agentID)
        let get = try await c.get(["Device.LocalAgent.EndpointID", "Device.LocalAgent.MTP.1.Protocol",
                                   "Device.LocalAgent.MTP.1.UDS.UnixDomainSocketRef", "Device.UnixDomainSockets.UnixDomainSocket.1."])
        let values = Dictionary(get.reqPathResults.flatMap { r in
            r.resolvedPathResults.flatMap { p in p.resultParams.map { (p.resolvedPath + $0.key, $0.value) } }
        }, uniquingKeysWith: { a, _ in a })
        #expect(values["Device.LocalAgent.EndpointID"] == Self.agentID)
        #expect(values["Device.LocalAgent.MTP.1.Protocol"] == "UDS")
        #expect(values["Device.LocalAgent.MTP.1.UDS.UnixDomainSocketRef"] == "Device.UnixDomainSockets.UnixDomainSocket.1")
        #expect(values["Device.UnixDomainSockets.UnixDomainSocket.1.Path"] == run.socket)
        #expect(values["Device.UnixDomainSockets.UnixDomainSocket.1.Mode"] == "Listen")

        // Subscribe, Set, and the ValueChange Notify arrives on the same socket.
        let add = try await c.add("Device.LocalAgent.Subscription.", [
            ParameterSetting("ID", "uds-test"), ParameterSetting("NotifType", "ValueChange"),
            ParameterSetting("ReferenceList", "Device.LocalAgent.Controller.1.PeriodicNotifInterval"),
            ParameterSetting("Enable", "true"), ParameterSetting("NotifRetry", "true"),
        ])
        #expect(add.createdObjResults.first?.operStatus.operSuccess.instantiatedPath.hasPrefix("Device.LocalAgent.Subscription.") == true)
        let set = try await c.set("Device.LocalAgent.Controller.1.", [ParameterSetting("PeriodicNotifInterval", "321")])
        #expect(set.updatedObjResults.first?.operStatus.operSuccess.updatedInstResults.first?.updatedParams["PeriodicNotifInterval"] == "321")
        let n = try #require(await nextEvent(c.notifications, seconds: 10))
        #expect(n.subscriptionID == "uds-test")
        #expect(n.valueChange.paramPath == "Device.LocalAgent.Controller.1.PeriodicNotifInterval")
        #expect(n.valueChange.paramValue == "321")
        // The controller's NotifyResp stops the retries.
        let deadline = Date().addingTimeInterval(5)
        while await !run.runtime.notifications.pendingMessageIDs.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await run.runtime.notifications.pendingMessageIDs.isEmpty)
        await c.close()
        await run.stop()
        #expect(!FileManager.default.fileExists(atPath: run.socket), "the socket file is removed at shutdown")
    }

    @Test func malformedPeersAreCutOffAndOthersKeepWorking() async throws {
        let run = try await Self.start()
        let c = try await Self.controller(run.socket)

        // A peer that handshakes, then sends a Record TLV that is not a USP Record (R-UDS.23).
        let garbage = try RawSocket(path: run.socket)
        try garbage.write(UDSFrame.handshake("self::garbage").encoded())
        #expect(await garbage.read { _ in garbage.frames.count >= 2 })
        #expect(garbage.frames.first == .handshake(Self.agentID))
        let connect = try #require(garbage.frames.dropFirst().first?.fields.first)
        #expect(connect.type == UDSTLV.record)
        if case .udsConnect? = try UspRecord_Record(serializedBytes: connect.value).recordType {} else {
            Issue.record("the agent's first record is not a UDSConnect record (R-MTP.6)")
        }
        try garbage.write(UDSFrame.record(Array("this is text, not protobuf".utf8) + [0xFF, 0xFF]).encoded())
        #expect(await garbage.waitForEOF())
        #expect(garbage.frames.last?.fields.first?.type == UDSTLV.error)

        // A peer whose bytes are not frames at all (R-UDS.24).
        let noise = try RawSocket(path: run.socket)
        try noise.write(Array("hello agent\n".utf8))
        #expect(await noise.waitForEOF())
        #expect(noise.frames.count == 1 && noise.frames.first?.fields.first?.type == UDSTLV.error)

        // A peer announcing a 1 GiB frame.
        let huge = try RawSocket(path: run.socket)
        try huge.write(UDSFrame.handshake("self::huge").encoded() + UDSFrame.sync + [0x40, 0, 0, 0])
        #expect(await huge.waitForEOF())
        #expect(huge.frames.last?.fields.first?.type == UDSTLV.error)

        // A peer that sends an Error: the agent closes without answering (R-UDS.25).
        let quitter = try RawSocket(path: run.socket)
        try quitter.write(UDSFrame.error("going away").encoded())
        #expect(await quitter.waitForEOF())
        #expect(quitter.frames.isEmpty)

        // The controller connected before all this is still served, and new ones are too.
        let r = try await c.get(["Device.LocalAgent.EndpointID"])
        #expect(r.reqPathResults.first?.resolvedPathResults.first?.resultParams["EndpointID"] == Self.agentID)
        let c2 = try await Self.controller(run.socket)
        _ = try await c2.get(["Device.DeviceInfo.SoftwareVersion"])
        await c2.close()
        await c.close()
        await run.stop()
    }

    @Test func commandLineOverTheSocket() async throws {
        let run = try await Self.start()
        // --socket on the command line; the agent's endpoint ID comes from the handshake.
        let r = try await Subprocess.run(["get", "Device.LocalAgent.EndpointID", "--socket", run.socket, "--json"],
                                         environment: try CommandLineTests.environment())
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("\"Device.LocalAgent.EndpointID\": \"\(Self.agentID)\""), "stdout: \(r.stdout)")
        // The demo file's USP_BRIDGE_SOCKET, no flags.
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("usp-cli-home-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".usp-bridge"), withIntermediateDirectories: true)
        try "USP_BRIDGE_SOCKET=\(run.socket)\nUSP_BRIDGE_AGENT=\(Self.agentID)\nUSP_BRIDGE_CONTROLLER=\(Self.controllerID)\n"
            .write(to: home.appendingPathComponent(".usp-bridge/demo.env"), atomically: true, encoding: .utf8)
        let s = try await Subprocess.run(["set", "Device.LocalAgent.Controller.1.", "PeriodicNotifInterval=77"],
                                         environment: try CommandLineTests.environment(home: home))
        #expect(s.status == 0, "stderr: \(s.stderr)")
        // subscribe over the socket: the Notify reaches the CLI's connection, Ctrl-C cleans up.
        guard let exe = Subprocess.executable else { throw SubprocessError(message: "usp-bridge is not built") }
        let sub = try Subprocess.start(exe, ["subscribe", "ValueChange", "Device.LocalAgent.Controller.1.PeriodicNotifInterval",
                                             "--json", "--endpoint-id", Self.cliID, "--socket", run.socket],
                                       environment: try CommandLineTests.environment())
        let subscribed = Date().addingTimeInterval(15)
        while !sub.stderrSoFar.contains("subscribed as"), Date() < subscribed { try await Task.sleep(for: .milliseconds(20)) }
        let c = try await Self.controller(run.socket)
        _ = try await c.set("Device.LocalAgent.Controller.1.", [ParameterSetting("PeriodicNotifInterval", "4242")])
        let printed = Date().addingTimeInterval(10)
        while sub.stdoutSoFar.isEmpty, Date() < printed { try await Task.sleep(for: .milliseconds(20)) }
        sub.signal(SIGINT)
        let subResult = try await sub.wait(seconds: 20)
        #expect(subResult.status == 0, "stderr: \(subResult.stderr)")
        #expect(subResult.stdout.contains(#""path":"Device.LocalAgent.Controller.1.PeriodicNotifInterval""#), "\(subResult.stdout)")
        #expect(subResult.stdout.contains(#""value":"4242""#), "\(subResult.stdout)")
        #expect(await run.runtime.agent.instances(ofTable: "Device.LocalAgent.Subscription.").isEmpty, "deleted after Ctrl-C")
        await c.close()

        // Nobody listening: exit 2 with one line.
        let gone = try await Subprocess.run(["get", "Device.", "--socket", run.socket + ".missing"],
                                            environment: try CommandLineTests.environment())
        #expect(gone.status == 2)
        #expect(gone.stderr.contains("cannot connect to \(run.socket).missing"), "stderr: \(gone.stderr)")
        await run.stop()
    }

    /// `usp-bridge demo --mtp uds` (what the demo does without mosquitto): the CLI finds the
    /// socket through the demo file and needs no flags.
    @Test func demoOverTheSocket() async throws {
        guard let exe = Subprocess.executable else { throw SubprocessError(message: "usp-bridge is not built") }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("usp-cli-home-\(UUID().uuidString.prefix(6))")
        let env = try CommandLineTests.environment(home: home)
        let demo = try Subprocess.start(exe, ["demo", "--mtp", "uds", "--log-level", "error"], environment: env)
        let file = home.appendingPathComponent(".usp-bridge/demo.env").path
        let deadline = Date().addingTimeInterval(30)
        while (try? String(contentsOfFile: file, encoding: .utf8))?.contains("USP_BRIDGE_SOCKET=") != true, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let socket = try #require(ClientEnvironment.parse(text)["USP_BRIDGE_SOCKET"])
        #expect(socket.hasSuffix("/agent.sock"))
        #expect(ClientEnvironment.parse(text)["USP_BRIDGE_BROKER"] == nil)
        let r = try await Subprocess.run(["get", "Device.LocalAgent.EndpointID", "--json"], environment: env)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains(#""Device.LocalAgent.EndpointID": "proto::usp-bridge-demo""#), "stdout: \(r.stdout)")
        demo.signal(SIGINT)
        let d = try await demo.wait(seconds: 20)
        #expect(d.status == 0, "stderr: \(d.stderr)")
        #expect(d.stdout.contains("socket     \(socket)"), "\(d.stdout)")
        #expect(d.stdout.contains("usp-bridge get Device.LocalAgent."))
        #expect(!FileManager.default.fileExists(atPath: socket), "the demo removes its socket")
    }
}
