import ArgumentParser
import Runtime

@main
struct USPBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usp-bridge",
        abstract: "A TR-369 (USP) agent for ZigBee, Z-Wave and Bluetooth LE devices, and a USP controller to talk to it.",
        discussion: """
        Agent: run (with a configuration file), demo (no hardware, no configuration), sticks (radio sticks present), \
        virtual-stick (a virtual radio stick on a pseudo-terminal).

        Controller client (talks to an agent over MQTT, or over its UNIX domain socket with \
        --socket; --broker, --socket, --agent, --agent-topic, --mqtt-version, --timeout and --json \
        on every command):
          get, set, add, delete, operate, instances, supported-dm, supported-protocol, subscribe

        Without --agent the client commands use $USP_BRIDGE_AGENT, $USP_BRIDGE_BROKER (or \
        $USP_BRIDGE_SOCKET) and $USP_BRIDGE_AGENT_TOPIC, or the file ~/.usp-bridge/demo.env that \
        `usp-bridge demo` writes.

        Exit status of the client commands: 0 success, 1 the agent reported a USP error (printed), \
        2 no connection or no answer in time, 64 bad usage.
        """,
        version: USPBridgeVersion.current,
        groupedSubcommands: groups)

    /// Every subcommand, by group: the one place to add commands.
    static let groups: [CommandGroup] = [
        CommandGroup(name: "Agent", subcommands: agentCommands),
        CommandGroup(name: "Controller client", subcommands: clientCommands),
    ]

    static let agentCommands: [any ParsableCommand.Type] = [
        RunCommand.self,
        DemoCommand.self,
        SticksCommand.self,
        VirtualStickCommand.self,
    ]

    static let clientCommands: [any ParsableCommand.Type] = [
        GetCommand.self,
        SetCommand.self,
        AddCommand.self,
        DeleteCommand.self,
        OperateCommand.self,
        InstancesCommand.self,
        SupportedDMCommand.self,
        SupportedProtocolCommand.self,
        SubscribeCommand.self,
    ]
}
