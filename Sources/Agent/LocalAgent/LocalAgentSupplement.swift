import DataModel

/// Objects of `Device.LocalAgent.` that the shipped TR-181 XML excerpt (LocalAgent:2.18
/// component file) does not carry, although TR-369 requires them: the Subscription and
/// Request tables and the agent-level events. Defined here from TR-181 Device:2.19's
/// published definitions (names, types, access and defaults), nothing invented.
public enum LocalAgentSupplement {
    public static var objects: [ObjectSchema] {
        let alias = ParameterSchema(name: "Alias", syntax: ValueSyntax(.string, maxLength: 64), access: .readWrite)
        let subscription = ObjectSchema(
            path: "Device.LocalAgent.Subscription.{i}.", isMultiInstance: true, access: .addDelete,
            uniqueKeys: [["Alias"], ["Recipient", "ID"]],
            parameters: [
                alias,
                ParameterSchema(name: "Enable", syntax: .boolean, access: .readWrite, defaultValue: "false"),
                ParameterSchema(name: "Recipient", syntax: ValueSyntax(.string, maxLength: 256,
                    reference: .init(strength: .strong, targetParents: ["Device.LocalAgent.Controller.{i}."])), access: .readWrite),
                ParameterSchema(name: "ID", syntax: ValueSyntax(.string, minLength: 1, maxLength: 64), access: .readWrite),
                ParameterSchema(name: "CreationDate", syntax: .dateTime),
                ParameterSchema(name: "NotifType", syntax: ValueSyntax(.string, enumeration: [
                    "ValueChange", "ObjectCreation", "ObjectDeletion", "OperationComplete", "Event"]), access: .readWrite),
                ParameterSchema(name: "ReferenceList", syntax: ValueSyntax(.string, list: .init()), access: .readWrite),
                ParameterSchema(name: "Persistent", syntax: .boolean, access: .readWrite, defaultValue: "false"),
                ParameterSchema(name: "TimeToLive", syntax: .unsignedInt, access: .readWrite, defaultValue: "0"),
                ParameterSchema(name: "NotifRetry", syntax: .boolean, access: .readWrite, defaultValue: "false"),
                ParameterSchema(name: "NotifExpiration", syntax: .unsignedInt, access: .readWrite, defaultValue: "0"),
            ],
            numberOfEntriesParameter: "SubscriptionNumberOfEntries")
        let request = ObjectSchema(
            path: "Device.LocalAgent.Request.{i}.", isMultiInstance: true, access: .readOnly,
            uniqueKeys: [["Alias"]],
            parameters: [
                alias,
                ParameterSchema(name: "Originator", syntax: ValueSyntax(.string, maxLength: 256)),
                ParameterSchema(name: "Command", syntax: ValueSyntax(.string, maxLength: 2048)),
                ParameterSchema(name: "CommandKey", syntax: ValueSyntax(.string, maxLength: 256)),
                ParameterSchema(name: "Status", syntax: ValueSyntax(.string, enumeration: [
                    "Requested", "Active", "Canceling", "Canceled", "Success", "Error"])),
            ],
            commands: [CommandSchema(name: "Cancel")],
            numberOfEntriesParameter: "RequestNumberOfEntries")
        let localAgent = ObjectSchema(path: "Device.LocalAgent.", parameters: [
            ParameterSchema(name: "SubscriptionNumberOfEntries", syntax: .unsignedInt),
            ParameterSchema(name: "RequestNumberOfEntries", syntax: .unsignedInt),
        ], events: [
            EventSchema(name: "Periodic"),
            EventSchema(name: "TransferComplete", arguments: ["Command", "CommandKey", "Requestor", "TransferType", "Affected",
                "TransferURL", "FaultCode", "FaultString", "StartTime", "CompleteTime"].map { ArgumentSchema(name: $0, syntax: .string) }),
        ])
        let device = ObjectSchema(path: "Device.", events: [
            EventSchema(name: "Boot", arguments: [
                ArgumentSchema(name: "CommandKey", syntax: .string),
                ArgumentSchema(name: "Cause", syntax: ValueSyntax(.string, enumeration: ["LocalReboot", "RemoteReboot", "LocalFactoryReset", "RemoteFactoryReset"])),
                ArgumentSchema(name: "FirmwareUpdated", syntax: .boolean),
                ArgumentSchema(name: "ParameterMap", syntax: .string),
            ]),
        ])
        return [device, localAgent, subscription, request]
    }
}
