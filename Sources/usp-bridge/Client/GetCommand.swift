import ArgumentParser
import USPClient

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Read parameter values (USP Get).",
        discussion: """
        Prints one "path | value" row per parameter, sorted by path. Paths may use wildcards, \
        search expressions and partial (object) paths, e.g. 'Device.LocalAgent.' or \
        'Device.ProxiedDevice.*.Name'.
        """)

    @Argument(help: "Parameter or object paths.")
    var paths: [String]

    @Option(help: "Maximum depth below a partial path (0: no limit).")
    var depth: UInt32 = 0

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one path") }
    }

    func run() async throws {
        try await client.run { controller in
            client.output(.getResp(try await controller.get(paths, maxDepth: depth, timeout: client.requestTimeout)))
        }
    }
}
