import DataModel

/// The bridge's vendor extensions (TR-106 `X_USPBRIDGE_` names), added on top of the
/// generated TR-181 objects under `Device.ProxiedDevice.`.
public enum BridgeSchema {
    static let string = ValueSyntax.string
    static func p(_ name: String, _ syntax: ValueSyntax = .string, _ access: ParamAccess = .readOnly, changes: Bool = true) -> ParameterSchema {
        ParameterSchema(name: name, syntax: syntax, access: access, valueChangeAllowed: changes)
    }

    /// Adds the radio table, the ProxiedDevice and IoTCapability extension parameters, the
    /// `X_USPBRIDGE_Refresh()` command and the `X_USPBRIDGE_Triggered!` event. The builder must
    /// already hold `Device.ProxiedDevice.{i}.` and its IoTCapability table (from TR-181).
    public static func addExtensions(to b: inout SchemaBuilder) throws(SchemaError) {
        // Without the TR-181 ProxiedDevice objects, addExtension below throws (the standard
        // objects must exist before they can be extended).
        let rootExt = ObjectSchema(path: "Device.", parameters: [p("X_USPBRIDGE_RadioNumberOfEntries", .unsignedInt)])
        if b.object("Device.") == nil { b.add(ObjectSchema(path: "Device.")) }
        try b.addExtension(rootExt)
        try b.addExtension(ObjectSchema(
            path: BridgePaths.radio, isMultiInstance: true, access: .readOnly, uniqueKeys: [["Port"]],
            parameters: [
                p("Protocol", ValueSyntax(.string, enumeration: ["ZigBee", "Z-Wave", "Bluetooth"])),
                p("Stack"), p("Port"), p("Firmware"),
                p("State", ValueSyntax(.string, enumeration: ["Starting", "Running", "PermitJoin", "Resetting", "Failed", "Stopped"])),
                p("DeviceNumberOfEntries", .unsignedInt),
            ],
            commands: [
                CommandSchema(name: "PermitJoin", inputs: [
                    ArgumentSchema(name: "Duration", syntax: ValueSyntax(.unsignedInt, ranges: [.init(min: "0", max: "254")]), mandatory: true),
                ]),
                CommandSchema(name: "RemoveDevice", isAsync: true, inputs: [
                    ArgumentSchema(name: "Device", syntax: ValueSyntax(.string, maxLength: 256,
                        reference: .init(strength: .strong, targetParents: [BridgePaths.device])), mandatory: true),
                ]),
                CommandSchema(name: "Refresh", isAsync: true),
            ],
            numberOfEntriesParameter: "X_USPBRIDGE_RadioNumberOfEntries"))
        try b.addExtension(ObjectSchema(
            path: BridgePaths.device,
            parameters: [
                p("X_USPBRIDGE_Stale", .boolean),
                p("X_USPBRIDGE_Address"), p("X_USPBRIDGE_Manufacturer"), p("X_USPBRIDGE_Model"), p("X_USPBRIDGE_Firmware"),
                p("X_USPBRIDGE_PowerSource", ValueSyntax(.string, enumeration: ["Mains", "Battery", "Sleepy", "Unknown"])),
                p("X_USPBRIDGE_Mapping"),
                p("X_USPBRIDGE_PendingCommands", .unsignedInt, changes: false),
            ],
            commands: [CommandSchema(name: "X_USPBRIDGE_Refresh", isAsync: true)]))
        let capExt = ObjectSchema(
            path: BridgePaths.deviceCapability,
            parameters: [p("X_USPBRIDGE_Source")],
            events: [EventSchema(name: "X_USPBRIDGE_Triggered", arguments: [
                ArgumentSchema(name: "Value", syntax: .string), ArgumentSchema(name: "Arguments", syntax: .string),
            ])])
        try b.addExtension(capExt)
        if b.object(BridgePaths.nodeCapability) != nil {
            var nodeExt = capExt
            nodeExt.path = BridgePaths.nodeCapability
            try b.addExtension(nodeExt)
        }
    }
}
