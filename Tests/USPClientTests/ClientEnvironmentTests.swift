import Foundation
import Testing
import USPClient

/// Defaults from the environment and the demo file; broker addresses; 3.1.1 reply-to topics.
@Suite struct ClientEnvironmentTests {
    @Test func parsesTheDemoFile() {
        let text = """
        # written by usp-bridge demo
        USP_BRIDGE_BROKER=127.0.0.1:18830
        export USP_BRIDGE_AGENT="os::012345-demo"
        USP_BRIDGE_AGENT_TOPIC = 'usp/agent/demo'
        not a setting
        =nothing
        BAD KEY=x
        """
        #expect(ClientEnvironment.parse(text) == [
            "USP_BRIDGE_BROKER": "127.0.0.1:18830", "USP_BRIDGE_AGENT": "os::012345-demo", "USP_BRIDGE_AGENT_TOPIC": "usp/agent/demo",
        ])
    }

    @Test func environmentWinsOverTheFile() {
        let env = ClientEnvironment.merge(
            environment: ["USP_BRIDGE_AGENT": "proto::from-env", "USP_BRIDGE_BROKER": ""],
            file: ["USP_BRIDGE_AGENT": "proto::from-file", "USP_BRIDGE_BROKER": "10.0.0.1:1884", "USP_BRIDGE_AGENT_TOPIC": "t"])
        #expect(env == ClientEnvironment(broker: "10.0.0.1:1884", agent: "proto::from-env", agentTopic: "t"))
    }

    @Test func loadsTheFileFromHome() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("usp-home-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".usp-bridge"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "USP_BRIDGE_AGENT=proto::demo\nUSP_BRIDGE_CONTROLLER=self::cli\n"
            .write(to: home.appendingPathComponent(".usp-bridge/demo.env"), atomically: true, encoding: .utf8)
        let env = ClientEnvironment.load(environment: ["HOME": home.path])
        #expect(env.agent == "proto::demo" && env.controller == "self::cli" && env.broker == nil)
        #expect(ClientEnvironment.load(environment: ["HOME": home.path + "/missing"]) == ClientEnvironment())
    }

    @Test func brokerAddresses() {
        #expect(BrokerAddress(parsing: "127.0.0.1:1883") == BrokerAddress(host: "127.0.0.1", port: 1883))
        #expect(BrokerAddress(parsing: "broker.local") == BrokerAddress(host: "broker.local", port: 1883))
        #expect(BrokerAddress(parsing: "[::1]:8883") == BrokerAddress(host: "::1", port: 8883))
        for bad in ["", ":1883", "host:", "host:0", "host:70000", "host:x", "a:b:c", "[::1", "[::1]x"] {
            #expect(BrokerAddress(parsing: bad) == nil, "\(bad)")
        }
        #expect(BrokerAddress(host: "::1", port: 1).description == "[::1]:1")
    }

    @Test func replyToTopics() {
        // TR-369 R-MQTT.24: '/' in the reply topic is sent as %2F.
        #expect(MQTTReplyTo.topic("usp/agent/a", replyTo: "usp/controller/c") == "usp/agent/a/reply-to=usp%2Fcontroller%2Fc")
        let split = MQTTReplyTo.split("usp/agent/a/reply-to=usp%2Fcontroller%2Fc")
        #expect(split.base == "usp/agent/a" && split.replyTo == "usp/controller/c")
        #expect(MQTTReplyTo.split("usp/agent/a").replyTo == nil)
        #expect(MQTTReplyTo.split("usp/agent/a/reply-to=").replyTo == nil)
    }

    @Test func defaultTopicsAndEndpoint() {
        #expect(USPControllerConfiguration.defaultEndpointID(pid: 42) == "self::usp-bridge-cli-42")
        #expect(USPControllerConfiguration.defaultReplyTopic(endpointID: "self::usp-bridge-cli-42") == "usp/controller/usp-bridge-cli-42")
        #expect(USPControllerConfiguration.defaultReplyTopic(endpointID: "proto::a/b#c") == "usp/controller/a_b_c")
        #expect(USPControllerConfiguration.defaultAgentTopic(agentEndpointID: "os::012345-gw") == "usp/agent/os__012345-gw")
    }
}
