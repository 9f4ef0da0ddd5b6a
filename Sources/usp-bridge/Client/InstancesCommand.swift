import ArgumentParser
import USPClient

struct InstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instances",
        abstract: "List object instances and their unique keys (USP GetInstances).")

    @Argument(help: "Object paths, e.g. Device.LocalAgent.Controller.")
    var objPaths: [String]

    @Flag(name: .customLong("first-level-only"), help: "Only the instances of the given tables, not of their sub-tables.")
    var firstLevelOnly = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard !objPaths.isEmpty else { throw ValidationError("give at least one object path") }
    }

    func run() async throws {
        try await client.run { controller in
            client.output(.getInstancesResp(try await controller.instances(objPaths, firstLevelOnly: firstLevelOnly,
                                                                           timeout: client.requestTimeout)))
        }
    }
}
