import ArgumentParser
import USPClient

struct OperateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operate",
        abstract: "Run a command (USP Operate).",
        discussion: """
        Example: usp-bridge operate 'Device.ProxiedDevice.1.Reboot()' --key r1
        Synchronous commands print their output arguments; asynchronous ones print the \
        Device.LocalAgent.Request.{i} that tracks them (use 'subscribe OperationComplete' to see \
        the result).
        """)

    @Argument(help: "The command path, ending in ().")
    var command: String

    @Argument(help: "NAME=VALUE input arguments.")
    var arguments: [String] = []

    @Option(help: "The command key echoed in OperationComplete.")
    var key: String = ""

    @Flag(name: .customLong("no-wait"), help: "Ask for no response (send_resp false) and return at once.")
    var noWait = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        _ = try KeyValueArguments.parse(arguments, what: "an input argument")
    }

    func run() async throws {
        var args: [String: String] = [:]
        for a in try KeyValueArguments.parse(arguments, what: "an input argument") { args[a.name] = a.value }
        try await client.run { controller in
            guard let resp = try await controller.operate(command, args, commandKey: key, sendResp: !noWait,
                                                          timeout: client.requestTimeout) else {
                return ClientOutput(text: client.json ? "{\n  \"errors\": [],\n  \"sent\": true\n}" : "sent (no response requested)", failed: false)
            }
            return client.output(.operateResp(resp))
        }
    }
}
