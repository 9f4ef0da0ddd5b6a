import Foundation
import Testing
import USPClient
import USPMessages

/// Notify requests arriving on the controller's topic, and the NotifyResp it sends back.
@Suite struct ControllerNotificationTests {
    /// The next notification (bounded).
    static func next(_ stream: AsyncStream<Usp_Notify>, seconds: Double = 5) async -> Usp_Notify? {
        await withTaskGroup(of: Usp_Notify?.self) { group in
            group.addTask {
                for await n in stream { return n }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test(arguments: [USPControllerConfiguration.MQTTVersion.v5, .v311])
    func valueChangeArrivesAndIsAcknowledged(_ version: USPControllerConfiguration.MQTTVersion) async throws {
        let h = try await Harness.make(version, knownControllers: [Harness.controllerID], notifications: true)
        let add = try await h.controller.add("Device.LocalAgent.Subscription.", [
            ParameterSetting("ID", "client-test"), ParameterSetting("NotifType", "ValueChange"),
            ParameterSetting("ReferenceList", "Device.Thing.*.Level"), ParameterSetting("Enable", "true"),
            ParameterSetting("NotifRetry", "true"),
        ])
        #expect(add.createdObjResults.first?.operStatus.operSuccess.instantiatedPath == "Device.LocalAgent.Subscription.1.")
        _ = try await h.controller.set("Device.Thing.2.", [ParameterSetting("Level", "-7")])
        let n = try #require(await Self.next(h.controller.notifications))
        #expect(n.subscriptionID == "client-test")
        #expect(n.sendResp)
        #expect(n.valueChange.paramPath == "Device.Thing.2.Level" && n.valueChange.paramValue == "-7")
        #expect(USPResultFormatter.render(n, as: .text) == "ValueChange Device.Thing.2.Level = -7")
        #expect(USPResultFormatter.render(n, as: .json)
                == #"{"path":"Device.Thing.2.Level","subscriptionID":"client-test","type":"ValueChange","value":"-7"}"#)
        // The controller answered with NotifyResp: the agent stops retrying.
        let deadline = Date().addingTimeInterval(5)
        while await !h.testAgent.pendingNotifications.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await h.testAgent.pendingNotifications.isEmpty)
        await h.shutdown()
    }
}
