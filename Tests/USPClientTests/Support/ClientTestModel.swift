import Agent
import DataModel
import Foundation

/// A small hand-built data model (after Tests/AgentTests/TestModel.swift): LocalAgent with its
/// Controller table, the Subscription/Request supplement, and `Device.Thing.{i}.` with
/// parameters, commands and an event, its values kept in the store.
enum ClientTestModel {
    static let agentID = "proto::client-test-agent"

    static func schema() throws -> Schema {
        var b = SchemaBuilder()
        b.add(ObjectSchema(path: "Device.", parameters: [
            ParameterSchema(name: "RootDataModelVersion", syntax: ValueSyntax(.string, maxLength: 32), defaultValue: "2.19"),
        ]))
        b.add(ObjectSchema(path: "Device.LocalAgent.", parameters: [
            ParameterSchema(name: "EndpointID", syntax: .string),
            ParameterSchema(name: "ControllerNumberOfEntries", syntax: .unsignedInt),
        ]))
        b.add(ObjectSchema(path: "Device.LocalAgent.Controller.{i}.", isMultiInstance: true, access: .addDelete,
            uniqueKeys: [["Alias"], ["EndpointID"]],
            parameters: [
                ParameterSchema(name: "Alias", syntax: ValueSyntax(.string, maxLength: 64), access: .readWrite),
                ParameterSchema(name: "EndpointID", syntax: ValueSyntax(.string, maxLength: 64), access: .readWrite),
                ParameterSchema(name: "Enable", syntax: .boolean, access: .readWrite, defaultValue: "false"),
            ],
            numberOfEntriesParameter: "ControllerNumberOfEntries"))
        b.add(ObjectSchema(path: "Device.Thing.{i}.", isMultiInstance: true, access: .addDelete,
            uniqueKeys: [["Name"]],
            parameters: [
                ParameterSchema(name: "Name", syntax: .string, access: .readWrite),
                ParameterSchema(name: "Level", syntax: ValueSyntax(.int, ranges: [.init(min: "-50", max: "50")]), access: .readWrite),
                ParameterSchema(name: "On", syntax: .boolean, access: .readWrite, defaultValue: "false"),
            ],
            commands: [
                CommandSchema(name: "Double", inputs: [ArgumentSchema(name: "Value", syntax: .int, mandatory: true)],
                              outputs: [ArgumentSchema(name: "Result", syntax: .int)]),
                CommandSchema(name: "Slow", isAsync: true, outputs: [ArgumentSchema(name: "Done", syntax: .boolean)]),
            ],
            events: [EventSchema(name: "Pressed", arguments: [ArgumentSchema(name: "Button", syntax: .string)])]))
        for o in LocalAgentSupplement.objects { b.add(o) }
        return try b.build()
    }

    /// An agent with two things (lamp, plug), the Double/Slow commands, a Subscription
    /// creation hook like the runtime's, and `controllers` configured as known controllers.
    static func agent(controllers: [String] = []) async throws -> USPAgent {
        let agent = USPAgent(endpointID: agentID, schema: try schema())
        await agent.setStoredValues("Device.LocalAgent.", ["EndpointID": agentID])
        for (i, name) in ["lamp", "plug"].enumerated() {
            _ = try await agent.addInstance(table: "Device.Thing.", values: ["Name": name, "Level": String(i * 10), "On": "false"])
        }
        for c in controllers {
            _ = try await agent.addInstance(table: "Device.LocalAgent.Controller.", values: ["EndpointID": c, "Enable": "true"])
        }
        await agent.registerCommand("Device.Thing.{i}.", "Double") { inv throws(USPError) in
            guard let v = Int(inv.inputs["Value"] ?? "") else { throw USPError(.invalidCommandArguments, "no value") }
            return ["Result": String(v * 2)]
        }
        await agent.registerCommand("Device.Thing.{i}.", "Slow") { _ throws(USPError) in
            try? await Task.sleep(for: .milliseconds(20))
            return ["Done": "true"]
        }
        await agent.setCreationHook("Device.LocalAgent.Subscription.{i}.") { ctx in
            ["Recipient": String((ctx.controllerPath ?? "").dropLast()), "CreationDate": USPDateTime.render(Date()),
             "ID": "cpe-\(ctx.instance)"]
        }
        return agent
    }
}
