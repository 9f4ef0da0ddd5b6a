import Foundation
import Logging
import UDSTransport

/// The controller's UNIX domain socket MTP: a socket client of the agent (TR-369 UNIX Domain
/// Socket Binding). It handshakes with the controller's endpoint ID, learns the agent's from
/// the agent's Handshake, and reconnects 1 to 5 s after a loss (R-UDS.5).
final class UDSControllerLink: ControllerLink, @unchecked Sendable {
    let path: String
    let client: UDSClient
    let events: AsyncStream<ControllerLinkEvent>
    let continuation: AsyncStream<ControllerLinkEvent>.Continuation
    private let lock = NSLock()
    private var pump: Task<Void, Never>?

    init(path: String, configuration: USPControllerConfiguration, logger: Logger) {
        self.path = path
        client = UDSClient(path: path, localEndpointID: configuration.endpointID, logger: logger)
        (events, continuation) = AsyncStream.makeStream(of: ControllerLinkEvent.self, bufferingPolicy: .unbounded)
    }

    var destination: String { path }

    func start() async throws(USPControllerError) {
        let (events, out, path) = (client.events, continuation, path)
        let task = Task {
            for await e in events {
                switch e {
                case .connected(let peer): out.yield(.ready(agentEndpointID: peer))
                case .record(let bytes): out.yield(.record(bytes, replyTo: nil))
                case .disconnected(let reason): out.yield(.lost("lost the connection to \(path): \(reason.detail)"))
                case .connectFailed(let error): out.yield(.connectFailed(error.message))
                }
            }
        }
        lock.withLock { pump = task }
        await client.start()
    }

    func send(_ record: [UInt8], replyTo: String?) async throws(USPControllerError) {
        do {
            try await client.send(record: record)
        } catch {
            throw USPControllerError(.publishFailed, "could not send on \(path): \(error.message)")
        }
    }

    func stop() async {
        await client.stop()
        lock.withLock { pump }?.cancel()
        continuation.finish()
    }

    func connectTimeoutMessage(seconds: String) -> String {
        "the agent at \(path) did not complete the UNIX socket handshake within \(seconds) s"
    }
}
