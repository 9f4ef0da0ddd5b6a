import Agent
import USPMessages

/// The agent's MTPs as one `MessageSender`: a message goes out on the first MTP that can
/// deliver it now. The UNIX socket comes first: it answers at once (connected or not), while
/// MQTT may wait for its broker.
struct MTPRouter: MessageSender {
    let senders: [any MessageSender]

    func send(_ msg: Usp_Msg, to controller: String) async -> Bool {
        for s in senders where await s.send(msg, to: controller) { return true }
        return false
    }
}

/// A running MTP binding, as the runtime's services see it.
protocol MTPBinding: Sendable {
    func run() async throws
}

extension MQTTAgentBinding: MTPBinding {}
extension UDSAgentBinding: MTPBinding {}
