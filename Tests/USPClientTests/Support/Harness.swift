import Agent
import Foundation
import MosquittoTestSupport
import MQTTTransport
import USPClient

/// A real mosquitto, the test agent on it and a connected `USPController`.
struct Harness {
    let broker: MosquittoBroker
    let testAgent: MQTTTestAgent
    let controller: USPController
    var agent: USPAgent { testAgent.agent }

    static let controllerID = "proto::client-test-controller"

    static func make(_ version: USPControllerConfiguration.MQTTVersion, knownControllers: [String] = [],
                     notifications: Bool = false) async throws -> Harness {
        let broker = try MosquittoBroker()
        let agent = try await ClientTestModel.agent(controllers: knownControllers)
        let testAgent = MQTTTestAgent(agent: agent, brokerPort: broker.port, version: version == .v5 ? .v5 : .v311)
        try await testAgent.start(notifications: notifications)
        let controller = USPController(configuration: configuration(broker: broker, version: version, agentTopic: testAgent.topic))
        try await controller.connect()
        return Harness(broker: broker, testAgent: testAgent, controller: controller)
    }

    static func configuration(broker: MosquittoBroker, version: USPControllerConfiguration.MQTTVersion,
                              agentTopic: String, connectTimeout: Duration = .seconds(10)) -> USPControllerConfiguration {
        USPControllerConfiguration(
            brokerHost: "127.0.0.1", brokerPort: broker.port, mqttVersion: version, endpointID: controllerID,
            replyTopic: "usp/controller/client-test-\(UUID().uuidString.prefix(6))",
            agentEndpointID: ClientTestModel.agentID, agentTopic: agentTopic, connectTimeout: connectTimeout)
    }

    func shutdown() async {
        await controller.close()
        testAgent.stop()
    }
}
