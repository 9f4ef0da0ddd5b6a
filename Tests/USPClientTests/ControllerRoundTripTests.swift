import Foundation
import MQTTTransport
import Testing
import USPClient
import USPMessages

/// Every request type from `USPController` to a real agent through a real mosquitto, with
/// MQTT 5.0 and 3.1.1.
@Suite struct ControllerRoundTripTests {
    static let versions: [USPControllerConfiguration.MQTTVersion] = [.v5, .v311]

    @Test(arguments: versions) func getReadsValuesAndReportsBadPaths(_ version: USPControllerConfiguration.MQTTVersion) async throws {
        let h = try await Harness.make(version)
        let r = try await h.controller.get(["Device.LocalAgent.EndpointID", "Device.Thing.*.Name", "Device.Nope."])
        #expect(r.reqPathResults.count == 3)
        #expect(r.reqPathResults[0].resolvedPathResults.first?.resultParams["EndpointID"] == ClientTestModel.agentID)
        let names = Dictionary(uniqueKeysWithValues: r.reqPathResults[1].resolvedPathResults.map { ($0.resolvedPath, $0.resultParams["Name"] ?? "") })
        #expect(names == ["Device.Thing.1.": "lamp", "Device.Thing.2.": "plug"])
        #expect(r.reqPathResults[2].errCode == 7026)
        await h.shutdown()
    }

    @Test(arguments: versions) func transportCarriesReplyTopic(_ version: USPControllerConfiguration.MQTTVersion) async throws {
        let h = try await Harness.make(version)
        _ = try await h.controller.supportedProtocol()
        let m = try #require(h.testAgent.received.first)
        let reply = h.controller.configuration.replyTopic
        switch version {
        case .v5:
            #expect(m.topic == h.testAgent.topic)
            #expect(m.responseTopic == reply && m.contentType == "usp.msg")
        case .v311:
            // TR-369 R-MQTT.24: the reply topic travels in the topic, '/' as %2F.
            #expect(m.topic == h.testAgent.topic + "/reply-to=" + reply.replacingOccurrences(of: "/", with: "%2F"))
            #expect(m.responseTopic == nil)
        }
        let record = try USPRecord.decode(m.payload)
        #expect(record.toID == ClientTestModel.agentID && record.fromID == Harness.controllerID)
        #expect(try record.decodedMsg().header.msgType == .getSupportedProto)
        await h.shutdown()
    }

    @Test(arguments: versions) func setAddDeleteAndInstances(_ version: USPControllerConfiguration.MQTTVersion) async throws {
        let h = try await Harness.make(version)
        let set = try await h.controller.set("Device.Thing.1.", [ParameterSetting("Level", "42"), ParameterSetting("On", "true")])
        let updated = set.updatedObjResults.first?.operStatus.operSuccess.updatedInstResults.first
        #expect(updated?.affectedPath == "Device.Thing.1.")
        #expect(updated?.updatedParams == ["Level": "42", "On": "true"])
        let check = try await h.controller.get(["Device.Thing.1.Level"])
        #expect(check.reqPathResults.first?.resolvedPathResults.first?.resultParams["Level"] == "42")

        let add = try await h.controller.add("Device.Thing.", [ParameterSetting("Name", "fan")])
        let created = add.createdObjResults.first?.operStatus.operSuccess
        #expect(created?.instantiatedPath == "Device.Thing.3.")
        #expect(created?.uniqueKeys == ["Name": "fan"])

        let all = try await h.controller.instances(["Device.Thing."], firstLevelOnly: true)
        #expect(all.reqPathResults.first?.currInsts.map(\.instantiatedObjPath) == ["Device.Thing.1.", "Device.Thing.2.", "Device.Thing.3."])

        let del = try await h.controller.delete(["Device.Thing.2."])
        #expect(del.deletedObjResults.first?.operStatus.operSuccess.affectedPaths == ["Device.Thing.2."])
        let after = try await h.controller.instances(["Device.Thing."])
        #expect(after.reqPathResults.first?.currInsts.map(\.instantiatedObjPath) == ["Device.Thing.1.", "Device.Thing.3."])
        await h.shutdown()
    }

    @Test(arguments: versions) func operateSyncAsyncAndNoResponse(_ version: USPControllerConfiguration.MQTTVersion) async throws {
        let h = try await Harness.make(version)
        let sync = try #require(try await h.controller.operate("Device.Thing.1.Double()", ["Value": "21"], commandKey: "k1"))
        #expect(sync.operationResults.first?.executedCommand == "Device.Thing.1.Double()")
        #expect(sync.operationResults.first?.reqOutputArgs.outputArgs == ["Result": "42"])

        let async = try #require(try await h.controller.operate("Device.Thing.2.Slow()", commandKey: "k2"))
        guard case .reqObjPath(let request)? = async.operationResults.first?.operationResp else {
            Issue.record("an async command answers with the Request path: \(async)")
            await h.shutdown()
            return
        }
        #expect(request.hasPrefix("Device.LocalAgent.Request."))

        let none = try await h.controller.operate("Device.Thing.1.Double()", ["Value": "1"], sendResp: false)
        #expect(none == nil)
        await h.shutdown()
    }

    @Test(arguments: versions) func supportedDMAndProtocol(_ version: USPControllerConfiguration.MQTTVersion) async throws {
        let h = try await Harness.make(version)
        let dm = try await h.controller.supportedDM(["Device.Thing."], options: SupportedDMOptions(firstLevelOnly: true))
        let thing = try #require(dm.reqObjResults.first?.supportedObjs.first { $0.supportedObjPath == "Device.Thing.{i}." })
        #expect(thing.isMultiInstance)
        #expect(Set(thing.supportedParams.map(\.paramName)) == ["Name", "Level", "On"])
        #expect(thing.supportedParams.first { $0.paramName == "Level" }?.valueType == .paramInt)
        #expect(Set(thing.supportedCommands.map(\.commandName)) == ["Double()", "Slow()"])
        #expect(thing.supportedEvents.map(\.eventName) == ["Pressed!"])

        let noParams = try await h.controller.supportedDM(["Device.Thing."], options: SupportedDMOptions(
            firstLevelOnly: true, returnParams: false, returnCommands: true, returnEvents: false, returnUniqueKeySets: false))
        let bare = try #require(noParams.reqObjResults.first?.supportedObjs.first { $0.supportedObjPath == "Device.Thing.{i}." })
        #expect(bare.supportedParams.isEmpty && bare.supportedEvents.isEmpty && !bare.supportedCommands.isEmpty)

        let proto = try await h.controller.supportedProtocol()
        #expect(proto.agentSupportedProtocolVersions.split(separator: ",").contains("1.4"))
        await h.shutdown()
    }
}
