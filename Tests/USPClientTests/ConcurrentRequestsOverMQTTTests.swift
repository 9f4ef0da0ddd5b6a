import Bridge
import Foundation
import Logging
import MosquittoTestSupport
import Runtime
import Testing
import USPClient
import USPMessages

/// A radio whose commands take their time (a sleepy device, a slow mesh): a Set to it must not
/// hold up other controllers' requests arriving over the same MQTT subscription.
@Suite(.serialized) struct ConcurrentRequestsOverMQTTTests {
    final class SlowRadio: RadioAdapter, @unchecked Sendable {
        let events: AsyncStream<AdapterEvent>
        let continuation: AsyncStream<AdapterEvent>.Continuation
        let lock = NSLock()
        var commandsFinished = 0
        init() { (events, continuation) = AsyncStream.makeStream(of: AdapterEvent.self) }
        var finished: Int { lock.withLock { commandsFinished } }
        var info: AdapterInfo { AdapterInfo(radioProtocol: .zigbee, stack: "slow", port: "test", state: .running) }
        func run() async throws {
            continuation.yield(.stateChanged(.running))
            continuation.yield(.deviceJoined(DeviceIdentity(address: .ieee(0x00124B00_00000A01), nodeID: 1, manufacturer: "Test", model: "slow-plug",
                                                            power: .mains, kind: .router),
                                             [FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0006, attribute: 0), value: .bool(false))]))
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
            continuation.finish()
        }
        func send(_ command: DeviceCommand, to device: DeviceAddress, timeout: Duration) async throws(AdapterError) -> CommandOutcome {
            try? await Task.sleep(for: .seconds(3))
            lock.withLock { commandsFinished += 1 }
            return .success(nil)
        }
        func permitJoin(seconds: Int) async throws(AdapterError) {}
        func remove(device: DeviceAddress) async throws(AdapterError) {}
        func reinterview(device: DeviceAddress) async throws(AdapterError) {}
        func refresh(device: DeviceAddress, unit: UnitKey?) async throws(AdapterError) {}
    }

    @Test func aGetFromAnotherControllerIsAnsweredWhileASetWaitsForTheRadio() async throws {
        let broker = try MosquittoBroker()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slow-\(UUID().uuidString.prefix(6))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = BridgeConfiguration()
        config.agent.endpointID = "proto::slow"
        config.dataDirectory = dir
        config.mqtt?.port = broker.port
        config.mqtt?.agentTopic = "usp/agent/slow"
        var logger = Logger(label: "slow"); logger.logLevel = .warning
        let radio = SlowRadio()
        let runtime = try await BridgeRuntime.make(config: config, adapters: [radio], logger: logger)
        let run = Task { try await runtime.run() }
        defer { run.cancel() }
        func controller(_ id: String) -> USPController {
            USPController(configuration: USPControllerConfiguration(
                brokerHost: "127.0.0.1", brokerPort: broker.port, mqttVersion: .v5, endpointID: "proto::\(id)",
                replyTopic: "usp/controller/\(id)", agentEndpointID: "proto::slow", agentTopic: "usp/agent/slow"))
        }
        let a = controller("a"), b = controller("b")
        try await a.connect(); try await b.connect()
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await b.get(["Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Value"], timeout: .seconds(1)))?
                .reqPathResults.first?.resolvedPathResults.isEmpty == false
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "the slow plug joined")
        let set = Task {
            _ = try? await a.set("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.", [ParameterSetting("Value", "true")], timeout: .seconds(10))
        }
        try await Task.sleep(for: .milliseconds(300)) // the Set is now waiting for the radio
        let get = try await b.get(["Device.LocalAgent.EndpointID"], timeout: .seconds(10))
        let finishedWhenGetAnswered = radio.finished
        #expect(get.reqPathResults.first?.resolvedPathResults.first?.resultParams["EndpointID"] == "proto::slow")
        _ = await set.value
        #expect(finishedWhenGetAnswered == 0, "the Get was answered while the Set's radio command was still running")
        #expect(radio.finished == 1)
        await a.close(); await b.close()
    }
}
