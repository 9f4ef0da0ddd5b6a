import ArgumentParser
import USPClient

struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change parameter values of one object (USP Set).",
        discussion: """
        Example: usp-bridge set Device.LocalAgent.Controller.1. Enable=true PeriodicNotifInterval=60
        Every parameter is sent as required; prints the values the agent applied.
        """)

    @Argument(help: "The object path (may be a search path).")
    var objPath: String

    @Argument(help: "NAME=VALUE pairs.")
    var settings: [String]

    @Flag(name: .customLong("allow-partial"), help: "Let the agent apply what it can when an object fails.")
    var allowPartial = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard !settings.isEmpty else { throw ValidationError("give at least one NAME=VALUE") }
        _ = try KeyValueArguments.parse(settings, what: "a parameter setting")
    }

    func run() async throws {
        let params = try KeyValueArguments.parse(settings, what: "a parameter setting").map { ParameterSetting($0.name, $0.value) }
        try await client.run { controller in
            client.output(.setResp(try await controller.set(objPath, params, allowPartial: allowPartial, timeout: client.requestTimeout)))
        }
    }
}
