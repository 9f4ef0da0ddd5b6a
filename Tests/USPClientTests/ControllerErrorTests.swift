import Foundation
import MosquittoTestSupport
import MQTTTransport
import Testing
import USPClient
import USPMessages

/// USP Error messages, timeouts, unreachable brokers and garbage on the reply topic.
@Suite struct ControllerErrorTests {
    @Test(arguments: [USPControllerConfiguration.MQTTVersion.v5, .v311])
    func errorMessageBecomesTypedError(_ version: USPControllerConfiguration.MQTTVersion) async throws {
        let h = try await Harness.make(version)
        // Level is an int in -50...50: the required parameter fails, so the Set fails as a whole.
        do {
            _ = try await h.controller.set("Device.Thing.1.", [ParameterSetting("Level", "99")])
            Issue.record("a failing Set must throw")
        } catch let e as USPResponseError {
            #expect(e.code == 7012, "code \(e.code) \(e.message)")
            #expect(e.paramErrors.contains { $0.path == "Device.Thing.1.Level" && $0.code == 7012 }, "\(e.paramErrors)")
            #expect(!e.msgID.isEmpty)
        }
        // The Set was rolled back.
        let r = try await h.controller.get(["Device.Thing.1.Level"])
        #expect(r.reqPathResults.first?.resolvedPathResults.first?.resultParams["Level"] == "0")
        await h.shutdown()
    }

    @Test func timeoutWhenNoAgentAnswers() async throws {
        let broker = try MosquittoBroker()
        let controller = USPController(configuration: Harness.configuration(broker: broker, version: .v5, agentTopic: "usp/agent/nobody"))
        try await controller.connect()
        let start = ContinuousClock.now
        do {
            _ = try await controller.get(["Device."], timeout: .milliseconds(300))
            Issue.record("no agent: must time out")
        } catch let e as USPControllerError {
            #expect(e.code == .responseTimeout)
            #expect(e.message.contains("usp/agent/nobody"))
        }
        #expect(ContinuousClock.now - start < .seconds(10))   // the 300 ms timeout fired (generous for a loaded machine)
        await controller.close()
    }

    @Test func unreachableBrokerFailsFast() async throws {
        let port = try MosquittoBroker.freePort()
        let config = USPControllerConfiguration(brokerHost: "127.0.0.1", brokerPort: port, agentEndpointID: "proto::a",
                                                agentTopic: "usp/agent/a", connectTimeout: .seconds(60))
        let controller = USPController(configuration: config)
        let start = ContinuousClock.now
        await #expect(throws: USPControllerError.self) { try await controller.connect() }
        do { try await controller.connect() } catch let e as USPControllerError {
            #expect(e.code == .notConnected)   // closed after the failure
        }
        // Refused at once, not after the 60 s connect timeout (the bound leaves room for a loaded machine).
        #expect(ContinuousClock.now - start < .seconds(30))
        await #expect(throws: USPControllerError.self) { _ = try await controller.get(["Device."]) }
    }

    @Test func connectTimeoutWithoutFailFast() async throws {
        let port = try MosquittoBroker.freePort()
        let config = USPControllerConfiguration(brokerHost: "127.0.0.1", brokerPort: port, agentEndpointID: "proto::a",
                                                agentTopic: "usp/agent/a", connectTimeout: .milliseconds(400), failFast: false)
        let controller = USPController(configuration: config)
        do {
            try await controller.connect()
            Issue.record("nothing listens: must fail")
        } catch let e as USPControllerError {
            #expect(e.code == .connectTimeout)
        }
    }

    @Test func garbageAndStrangersOnTheReplyTopicAreIgnored() async throws {
        let h = try await Harness.make(.v5)
        let reply = h.controller.configuration.replyTopic
        // Not a record; a record for someone else; a record whose payload is not a Msg; an
        // answer to no pending request.
        try h.testAgent.client.publish(topic: reply, payload: [0xFF, 0x00, 0x13, 0x37])
        let stranger = try USPRecord.noSession(to: "proto::someone-else", from: ClientTestModel.agentID,
                                               msg: .response(id: "x", type: .getResp, .getResp(Usp_GetResp())))
        try h.testAgent.client.publish(topic: reply, payload: try stranger.encoded())
        var broken = try USPRecord.noSession(to: Harness.controllerID, from: ClientTestModel.agentID,
                                             msg: .response(id: "y", type: .getResp, .getResp(Usp_GetResp())))
        broken.noSessionContext.payload = Data([0xFF, 0xFF, 0xFF])
        try h.testAgent.client.publish(topic: reply, payload: try broken.encoded())
        let orphan = try USPRecord.noSession(to: Harness.controllerID, from: ClientTestModel.agentID,
                                             msg: .response(id: "nobody-asked", type: .getResp, .getResp(Usp_GetResp())))
        try h.testAgent.client.publish(topic: reply, payload: try orphan.encoded())
        let r = try await h.controller.get(["Device.LocalAgent.EndpointID"])
        #expect(r.reqPathResults.first?.resolvedPathResults.first?.resultParams["EndpointID"] == ClientTestModel.agentID)
        await h.shutdown()
    }

    @Test func onlyTheAgentsAnswerCounts() async throws {
        let broker = try MosquittoBroker()
        // A raw responder: answers each request first as an impostor, then as the agent.
        let responder = MQTTClient(configuration: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "raw-responder",
                                                                    subscriptions: ["usp/agent/raw/#"]))
        let events = responder.events
        try responder.start()
        for await e in events { if case .subscribed = e { break } }
        let messages = responder.messages
        let task = Task {
            for await m in messages {
                guard let req = try? USPRecord.decode(m.payload), let msg = try? req.decodedMsg(), let reply = m.responseTopic else { continue }
                for (from, value) in [("proto::impostor", "forged"), (ClientTestModel.agentID, "genuine")] {
                    var res = Usp_GetResp.ResolvedPathResult()
                    res.resolvedPath = "Device.LocalAgent."
                    res.resultParams = ["EndpointID": value]
                    var path = Usp_GetResp.RequestedPathResult()
                    path.requestedPath = "Device.LocalAgent.EndpointID"
                    path.resolvedPathResults = [res]
                    var get = Usp_GetResp()
                    get.reqPathResults = [path]
                    let answer = Usp_Msg.response(id: msg.header.msgID, type: .getResp, .getResp(get))
                    if let rec = try? USPRecord.noSession(to: req.fromID, from: from, msg: answer), let bytes = try? rec.encoded() {
                        try? responder.publish(topic: reply, payload: bytes)
                    }
                }
            }
        }
        let controller = USPController(configuration: Harness.configuration(broker: broker, version: .v5, agentTopic: "usp/agent/raw"))
        try await controller.connect()
        let r = try await controller.get(["Device.LocalAgent.EndpointID"])
        #expect(r.reqPathResults.first?.resolvedPathResults.first?.resultParams["EndpointID"] == "genuine")
        await controller.close()
        task.cancel()
        responder.stop()
    }

    @Test func sendAfterCloseFails() async throws {
        let h = try await Harness.make(.v5)
        await h.shutdown()
        do {
            _ = try await h.controller.get(["Device."])
            Issue.record("closed: must fail")
        } catch let e as USPControllerError {
            #expect(e.code == .notConnected)
        }
    }
}
