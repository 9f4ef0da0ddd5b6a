import DataModel

/// The bridge's vendor extensions (TR-106 `X_USPBRIDGE_` names), added on top of the
/// generated TR-181 objects under `Device.ProxiedDevice.`: the radio table
/// `Device.X_USPBRIDGE_Radio.{i}.` with PermitJoin/RemoveDevice/Refresh, extra ProxiedDevice
/// parameters (Stale, Address, Manufacturer, Model, Firmware, PowerSource, Mapping,
/// PendingCommands), `ProxiedDevice.{i}.X_USPBRIDGE_Refresh()`, and on every IoTCapability the
/// `X_USPBRIDGE_Source` parameter and the `X_USPBRIDGE_Triggered!` event (button presses).
public enum BridgeSchema {
    static func p(_ name: String, _ syntax: ValueSyntax = .string, changes: Bool = true) -> ParameterSchema {
        ParameterSchema(name: name, syntax: syntax, access: .readOnly, valueChangeAllowed: changes)
    }

    /// The extension objects, in the order `SchemaBuilder.addExtension` takes them (for
    /// `AgentAssembly.schema(extensions:)`). They extend TR-181 objects that must be present:
    /// `Device.`, `Device.ProxiedDevice.{i}.`, and both IoTCapability tables.
    public static var objects: [ObjectSchema] {
        let capability = ObjectSchema(
            path: BridgePaths.deviceCapability,
            parameters: [p("X_USPBRIDGE_Source")],
            events: [EventSchema(name: "X_USPBRIDGE_Triggered", arguments: [
                ArgumentSchema(name: "Value", syntax: .string), ArgumentSchema(name: "Arguments", syntax: .string),
            ])])
        var nodeCapability = capability
        nodeCapability.path = BridgePaths.nodeCapability
        return [
            ObjectSchema(path: "Device.", parameters: [p("X_USPBRIDGE_RadioNumberOfEntries", .unsignedInt)]),
            ObjectSchema(
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
                numberOfEntriesParameter: "X_USPBRIDGE_RadioNumberOfEntries"),
            ObjectSchema(
                path: BridgePaths.device,
                parameters: [
                    p("X_USPBRIDGE_Stale", .boolean),
                    p("X_USPBRIDGE_Address"), p("X_USPBRIDGE_Manufacturer"), p("X_USPBRIDGE_Model"), p("X_USPBRIDGE_Firmware"),
                    p("X_USPBRIDGE_PowerSource", ValueSyntax(.string, enumeration: ["Mains", "Battery", "Sleepy", "Unknown"])),
                    p("X_USPBRIDGE_Mapping"),
                    p("X_USPBRIDGE_PendingCommands", .unsignedInt, changes: false),
                ],
                commands: [CommandSchema(name: "X_USPBRIDGE_Refresh", isAsync: true),
                           CommandSchema(name: "X_USPBRIDGE_Reinterview", isAsync: true)]),
            capability,
            nodeCapability,
        ]
    }

    /// Adds `objects` to a builder that already holds the TR-181 ProxiedDevice objects (the
    /// Node capability extension only when the builder has Node.{i}.IoTCapability).
    public static func addExtensions(to b: inout SchemaBuilder) throws(SchemaError) {
        for o in objects where o.path != BridgePaths.nodeCapability || b.object(BridgePaths.nodeCapability) != nil {
            try b.addExtension(o)
        }
    }
}
