/// How a `USPController` moves Records: an MTP seen from the controller. One link per
/// controller; `events` has one consumer.
protocol ControllerLink: Sendable {
    /// Connection progress and received Records.
    var events: AsyncStream<ControllerLinkEvent> { get }
    /// Where requests go, for messages: the agent's topic or the socket path.
    var destination: String { get }
    /// Starts connecting (and reconnecting after a loss).
    func start() async throws(USPControllerError)
    /// Sends an encoded Record to the agent, or to `replyTo` (an answer to an agent's request
    /// that named its own return address).
    func send(_ record: [UInt8], replyTo: String?) async throws(USPControllerError)
    func stop() async
    /// The message for `connect()` giving up after `seconds`.
    func connectTimeoutMessage(seconds: String) -> String
}

enum ControllerLinkEvent: Sendable {
    /// Ready to carry Records; a link that learns the agent's endpoint ID (the UNIX socket
    /// handshake) passes it along.
    case ready(agentEndpointID: String?)
    /// A connection attempt failed.
    case connectFailed(String)
    /// An established connection was lost (the link retries).
    case lost(String)
    /// A Record, with the return address the sender asked for, if any.
    case record([UInt8], replyTo: String?)
}
