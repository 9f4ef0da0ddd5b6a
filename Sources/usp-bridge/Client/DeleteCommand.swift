import ArgumentParser
import USPClient

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete object instances (USP Delete).",
        discussion: "Prints the deleted instance paths.")

    @Argument(help: "Instance paths (may use wildcards or search expressions).")
    var objPaths: [String]

    @Flag(name: .customLong("allow-partial"), help: "Delete what can be deleted even if some paths fail.")
    var allowPartial = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard !objPaths.isEmpty else { throw ValidationError("give at least one object path") }
    }

    func run() async throws {
        try await client.run { controller in
            client.output(.deleteResp(try await controller.delete(objPaths, allowPartial: allowPartial, timeout: client.requestTimeout)))
        }
    }
}
