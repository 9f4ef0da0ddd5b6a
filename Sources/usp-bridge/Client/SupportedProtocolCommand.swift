import ArgumentParser
import USPClient

struct SupportedProtocolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supported-protocol",
        abstract: "Show the USP versions the agent supports (USP GetSupportedProtocol).")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await client.run { controller in
            client.output(.getSupportedProtocolResp(try await controller.supportedProtocol(timeout: client.requestTimeout)))
        }
    }
}
