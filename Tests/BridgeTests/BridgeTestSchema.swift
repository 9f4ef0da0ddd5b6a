import Bridge
import DataModel

/// The parts of TR-181 the bridge needs (tr-181-2-19-0-iot.xml components applied under
/// Device.ProxiedDevice.{i}. and its Node.{i}., plus Device.LocalAgent.Request for async
/// commands), built by hand so bridge tests do not depend on the generated model.
enum BridgeTestSchema {
    static func make() throws -> Schema {
        var b = SchemaBuilder()
        func p(_ n: String, _ s: ValueSyntax = .string, _ a: ParamAccess = .readOnly) -> ParameterSchema { ParameterSchema(name: n, syntax: s, access: a) }
        let alias = ParameterSchema(name: "Alias", syntax: ValueSyntax(.string, maxLength: 64), access: .readWrite)
        b.add(ObjectSchema(path: "Device.", parameters: [p("ProxiedDeviceNumberOfEntries", .unsignedInt)]))
        b.add(ObjectSchema(path: "Device.LocalAgent.", parameters: [p("RequestNumberOfEntries", .unsignedInt)]))
        b.add(ObjectSchema(path: "Device.LocalAgent.Request.{i}.", isMultiInstance: true, uniqueKeys: [["Alias"]],
                           parameters: ["Alias", "Originator", "Command", "CommandKey", "Status"].map { p($0) },
                           numberOfEntriesParameter: "RequestNumberOfEntries"))
        b.add(ObjectSchema(path: "Device.ProxiedDevice.{i}.", isMultiInstance: true, uniqueKeys: [["Alias"]], parameters: [
            alias, p("Type"), p("Description", ValueSyntax(.string, maxLength: 256)),
            p("Name", ValueSyntax(.string, maxLength: 64), .readWrite), p("Online", .boolean), p("LastTimeContacted", .dateTime),
            p("InterfaceReference"), p("ProxyProtocol"), p("NodeNumberOfEntries", .unsignedInt),
            p("IoTCapabilityNumberOfEntries", .unsignedInt),
        ], numberOfEntriesParameter: "ProxiedDeviceNumberOfEntries"))
        b.add(ObjectSchema(path: "Device.ProxiedDevice.{i}.Node.{i}.", isMultiInstance: true, uniqueKeys: [["Alias"]],
                           parameters: [alias, p("Type"), p("Description"), p("IoTCapabilityNumberOfEntries", .unsignedInt)],
                           numberOfEntriesParameter: "NodeNumberOfEntries"))
        for base in ["Device.ProxiedDevice.{i}.", "Device.ProxiedDevice.{i}.Node.{i}."] {
            let cap = base + "IoTCapability.{i}."
            b.add(ObjectSchema(path: cap, isMultiInstance: true, uniqueKeys: [["Alias"], ["Name"]], parameters: [
                alias, p("Name", ValueSyntax(.string, maxLength: 64), .readWrite),
                p("Class", ValueSyntax(.string, enumeration: ["BinaryControl", "LevelControl", "EnumControl", "BinarySensor",
                                                              "LevelSensor", "MultiLevelSensor", "EnumSensor", "BlobSensor"])),
            ], numberOfEntriesParameter: "IoTCapabilityNumberOfEntries"))
            let common = [p("Type"), p("Description")]
            let sensed = [p("LastChange", .dateTime), p("LastContactTime", .dateTime)]
            b.add(ObjectSchema(path: cap + "BinaryControl.", parameters: common + [p("Value", .boolean, .readWrite)],
                               commands: [CommandSchema(name: "Toggle", isAsync: true)]))
            b.add(ObjectSchema(path: cap + "LevelControl.", parameters: common + [
                p("Value", .decimal, .readWrite), p("Unit"), p("MinValue", .decimal), p("MaxValue", .decimal), p("StepValue", .decimal, .readWrite),
            ], commands: [CommandSchema(name: "StepUp", isAsync: true), CommandSchema(name: "StepDown", isAsync: true)]))
            b.add(ObjectSchema(path: cap + "EnumControl.", parameters: common + [p("Value", .string, .readWrite), p("ValidValues", ValueSyntax(.string, list: .init()))],
                               commands: [CommandSchema(name: "StepUp", isAsync: true), CommandSchema(name: "StepDown", isAsync: true)]))
            b.add(ObjectSchema(path: cap + "BinarySensor.", parameters: common + [p("Value", .boolean)] + sensed + [
                p("Sensitivity", .unsignedInt, .readWrite), p("HoldTime", .unsignedInt, .readWrite), p("RestTime", .unsignedInt, .readWrite),
            ]))
            b.add(ObjectSchema(path: cap + "LevelSensor.", parameters: common + [p("Value", .decimal)] + sensed + [
                p("Unit"), p("LowLevel", .boolean), p("LowLevelThreshold", .decimal, .readWrite), p("HighLevel", .boolean),
                p("HighLevelThreshold", .decimal, .readWrite),
            ]))
            b.add(ObjectSchema(path: cap + "MultiLevelSensor.", parameters: common + [p("Values"), p("ValueNames")] + sensed + [p("Unit")]))
            b.add(ObjectSchema(path: cap + "EnumSensor.", parameters: common + [p("Value")] + sensed + [p("ValidValues")]))
        }
        try BridgeSchema.addExtensions(to: &b)
        return try b.build()
    }
}
