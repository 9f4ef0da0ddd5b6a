import ArgumentParser

@main
struct USPBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usp-bridge",
        abstract: "A TR-369 USP agent that exposes ZigBee, Z-Wave and Bluetooth LE devices as Device.ProxiedDevice.",
        subcommands: [RunCommand.self])
}
