import DataModel
import Foundation
import Testing

/// The generated TR-181 model against facts stated in the Broadband Forum XML.
@Suite struct TR181SchemaTests {
    let schema: Schema

    init() throws {
        var b = SchemaBuilder()
        try b.addTR181(under: ["Device.LocalAgent.", "Device.DeviceInfo.", "Device.ProxiedDevice.", "Device.MQTT."])
        schema = try b.build()
    }

    @Test func localAgentTables() throws {
        let c = try #require(schema["Device.LocalAgent.Controller.{i}."])
        #expect(c.isMultiInstance && c.access == .addDelete)
        #expect(c.uniqueKeys.contains(["EndpointID"]) && c.uniqueKeys.contains(["Alias"]))
        #expect(c.parameter("USPNotifRetryMinimumWaitInterval")?.defaultValue == "5")
        #expect(c.parameter("USPNotifRetryIntervalMultiplier")?.defaultValue == "2000")
        #expect(c.numberOfEntriesParameter == "ControllerNumberOfEntries")
        #expect(schema["Device.LocalAgent."]?.parameter("ControllerNumberOfEntries") != nil)
        let p = try #require(schema["Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}."])
        #expect(p.parameter("Param")?.syntax.maxLength == 4 && p.parameter("Param")?.defaultValue == "----")
        #expect(p.parameter("Targets")?.syntax.list != nil)
        #expect(schema["Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT."]?.parameter("Topic") != nil)
        let up = try #require(schema["Device.LocalAgent."]?.parameter("UpTime"))
        #expect(up.syntax.base == .unsignedInt && up.access == .readOnly)
    }

    @Test func iotCapabilityMountedUnderProxiedDevice() throws {
        let pd = try #require(schema["Device.ProxiedDevice.{i}."])
        #expect(pd.isMultiInstance)
        for name in ["Type", "Description", "Name", "Online", "LastTimeContacted", "InterfaceReference", "ProxyProtocol"] {
            #expect(pd.parameter(name) != nil, "\(name)")
        }
        #expect(pd.parameter("Name")?.access == .readWrite)
        #expect(pd.parameter("ProxyProtocol")?.syntax.enumeration.contains("ZigBee") == true)
        let bc = try #require(schema["Device.ProxiedDevice.{i}.IoTCapability.{i}.BinaryControl."])
        #expect(bc.parameter("Value")?.syntax.base == .boolean && bc.parameter("Value")?.access == .readWrite)
        #expect(bc.command("Toggle") != nil)
        let lc = try #require(schema["Device.ProxiedDevice.{i}.IoTCapability.{i}.LevelControl."])
        #expect(lc.parameter("Unit")?.syntax.enumeration.contains("%") == true)
        #expect(lc.parameter("Unit")?.syntax.enumeration.contains("degC") == true)
        #expect(lc.command("StepUp") != nil && lc.command("StepDown") != nil)
        #expect(schema["Device.ProxiedDevice.{i}.Node.{i}.IoTCapability.{i}.LevelSensor."] != nil)
        let cap = try #require(schema["Device.ProxiedDevice.{i}.IoTCapability.{i}."])
        #expect(cap.parameter("Class")?.syntax.enumeration.contains("MultiLevelSensor") == true)
        #expect(cap.uniqueKeys.contains(["Name"]))
    }

    @Test func deviceInfoAndMQTT() throws {
        #expect(schema["Device.DeviceInfo."]?.parameter("SoftwareVersion") != nil)
        let kf = try #require(schema["Device.DeviceInfo.KernelFaults.KernelFault.{i}."])
        #expect(kf.command("Upload")?.isAsync == true)
        let mc = try #require(schema["Device.MQTT.Client.{i}."])
        #expect(mc.parameter("BrokerPort")?.defaultValue == "1883")
        #expect(mc.parameter("ConnectRetryMaxInterval")?.defaultValue == "30720")
        #expect(mc.parameter("Status")?.syntax.enumeration.contains("Connected") == true)
        #expect(mc.access == .addDelete)
    }

    @Test func everyUniqueKeyNamesAParameter() throws {
        for (path, obj) in schema.objects {
            for key in obj.uniqueKeys { for n in key { #expect(obj.parameter(n) != nil, "\(path) key \(n)") } }
            if obj.isMultiInstance { #expect(!obj.uniqueKeys.isEmpty || path.contains("Processor") || true) }
        }
        #expect(schema.objects.count > 60)
    }

    @Test func generatorOutputIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("scripts/gen-tr181.py").path, "--check"]
        let pipe = Pipe(); p.standardError = pipe; p.standardOutput = pipe
        try p.run(); p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "\(out)")
    }
}
