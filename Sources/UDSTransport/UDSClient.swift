import Foundation
import Logging

/// The connecting side with its retry rule: connects to the server at `path`, handshakes with
/// `localEndpointID`, and after a failed attempt or a lost connection tries again after a
/// random delay, 1 to 5 seconds by default (R-UDS.5). Events from every connection come out
/// of one `events` stream.
public actor UDSClient {
    public enum Event: Sendable, Equatable {
        /// The handshake is complete; records can be sent.
        case connected(peerEndpointID: String)
        case record([UInt8])
        /// A connection ended (a retry follows unless the client is stopped).
        case disconnected(UDSCloseReason)
        /// A connection attempt failed (a retry follows unless the client is stopped).
        case connectFailed(UDSError)
    }

    public nonisolated let path: String
    public nonisolated let localEndpointID: String
    public nonisolated let events: AsyncStream<Event>
    let continuation: AsyncStream<Event>.Continuation
    let handshakeTimeout: Duration?
    /// Seconds, chosen at random for each retry.
    let reconnectDelay: ClosedRange<Double>
    let maxFrameLength: Int
    let logger: Logger
    var current: UDSConnection?
    var loop: Task<Void, Never>?
    var stopped = false

    public init(path: String, localEndpointID: String,
                handshakeTimeout: Duration? = UDSConnection.defaultHandshakeTimeout,
                reconnectDelay: ClosedRange<Double> = 1...5,
                maxFrameLength: Int = UDSFrameDecoder.defaultMaxFrameLength,
                logger: Logger = Logger(label: "usp.mtp.uds")) {
        self.path = path
        self.localEndpointID = localEndpointID
        self.handshakeTimeout = handshakeTimeout
        self.reconnectDelay = reconnectDelay
        self.maxFrameLength = maxFrameLength
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
    }

    /// The server's endpoint ID while a connection is established.
    public var peerEndpointID: String? {
        get async { await current?.peerEndpointID }
    }

    /// Starts connecting (and reconnecting) until `stop()`.
    public func start() {
        guard loop == nil, !stopped else { return }
        loop = Task { await self.run() }
    }

    /// Closes the connection, stops retrying and ends `events`.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        loop?.cancel()
        if let c = current { await c.close() }
        current = nil
        continuation.finish()
    }

    /// Sends one encoded USP Record on the established connection.
    public func send(record: [UInt8]) async throws(UDSError) {
        guard let c = current else { throw UDSError(.notEstablished, "\(path): not connected") }
        try await c.send(record: record)
    }

    func run() async {
        while !Task.isCancelled && !stopped {
            do throws(UDSError) {
                let c = try UDSConnection.connect(path: path, localEndpointID: localEndpointID,
                                                  handshakeTimeout: handshakeTimeout, maxFrameLength: maxFrameLength, logger: logger)
                guard !stopped else { await c.close(); return }
                current = c
                await c.start()
                for await e in c.events {
                    switch e {
                    case .established(let peer): continuation.yield(.connected(peerEndpointID: peer))
                    case .record(let r): continuation.yield(.record(r))
                    case .closed(let reason):
                        if !stopped {
                            logger.notice("\(path): connection closed: \(reason.detail)")
                            continuation.yield(.disconnected(reason))
                        }
                    }
                }
                if current === c { current = nil }
            } catch {
                logger.debug("\(error.message)")
                continuation.yield(.connectFailed(error))
            }
            guard !stopped else { return }
            let delay = Double.random(in: reconnectDelay)
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
        }
    }
}
