import ArgumentParser
import USPClient

struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an instance of a multi-instance object (USP Add).",
        discussion: """
        Example: usp-bridge add Device.LocalAgent.Controller. EndpointID=proto::other Enable=true
        Prints the new instance's path and unique keys.
        """)

    @Argument(help: "The table path, e.g. Device.LocalAgent.Controller.")
    var objPath: String

    @Argument(help: "NAME=VALUE pairs for the new instance.")
    var settings: [String] = []

    @Flag(name: .customLong("allow-partial"), help: "Let the agent create what it can.")
    var allowPartial = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        _ = try KeyValueArguments.parse(settings, what: "a parameter setting")
    }

    func run() async throws {
        let params = try KeyValueArguments.parse(settings, what: "a parameter setting").map { ParameterSetting($0.name, $0.value) }
        try await client.run { controller in
            client.output(.addResp(try await controller.add(objPath, params, allowPartial: allowPartial, timeout: client.requestTimeout)))
        }
    }
}
