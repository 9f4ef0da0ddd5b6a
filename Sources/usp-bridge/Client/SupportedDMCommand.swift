import ArgumentParser
import USPClient

struct SupportedDMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supported-dm",
        abstract: "Show the supported data model (USP GetSupportedDM).",
        discussion: """
        Prints each supported object with its parameters (type and access), commands and \
        events. Without --params/--commands/--events/--keys everything is returned.
        """)

    @Argument(help: "Object paths, e.g. Device.LocalAgent.")
    var objPaths: [String]

    @Flag(name: .customLong("first-level-only"), help: "Only the given objects, not their sub-objects.")
    var firstLevelOnly = false
    @Flag(help: "Return parameters.") var params = false
    @Flag(help: "Return commands.") var commands = false
    @Flag(help: "Return events.") var events = false
    @Flag(help: "Return unique key sets.") var keys = false
    @Flag(help: "Return parameters, commands, events and unique keys (the default).") var all = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard !objPaths.isEmpty else { throw ValidationError("give at least one object path") }
    }

    var options: SupportedDMOptions {
        let everything = all || !(params || commands || events || keys)
        return SupportedDMOptions(firstLevelOnly: firstLevelOnly, returnParams: everything || params,
                                  returnCommands: everything || commands, returnEvents: everything || events,
                                  returnUniqueKeySets: everything || keys)
    }

    func run() async throws {
        try await client.run { controller in
            client.output(.getSupportedDmResp(try await controller.supportedDM(objPaths, options: options, timeout: client.requestTimeout)))
        }
    }
}
