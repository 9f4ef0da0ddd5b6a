#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import SerialPort

/// One connected UNIX domain socket, either end: frames in and out, the handshake, and the
/// records once it is done. Reads happen on `SerialPort`'s poll thread (never a blocking read
/// in a Swift task); the bytes go through a `UDSFrameDecoder` and a `UDSSession`, whose
/// actions this actor carries out.
///
/// Call `start()` once, then consume `events`: `.established` with the peer's endpoint ID,
/// `.record` for each USP Record after it, and finally one `.closed`, after which the stream
/// ends and the descriptor is closed.
public actor UDSConnection {
    public enum Event: Sendable, Equatable {
        case established(peerEndpointID: String)
        case record([UInt8])
        case closed(UDSCloseReason)
    }

    /// The client's default wait for the server's Handshake (R-UDS.18).
    public static let defaultHandshakeTimeout: Duration = .seconds(30)

    public nonisolated let name: String
    public nonisolated let role: UDSSession.Role
    public nonisolated let events: AsyncStream<Event>
    let continuation: AsyncStream<Event>.Continuation
    let port: SerialPort
    let handshakeTimeout: Duration?
    let logger: Logger
    var session: UDSSession
    var decoder: UDSFrameDecoder
    var reader: Task<Void, Never>?
    var timer: Task<Void, Never>?
    public private(set) var closeReason: UDSCloseReason?

    /// Adopts a connected descriptor (it is closed with the connection). `handshakeTimeout`
    /// applies to a client waiting for the server's Handshake; nil waits forever.
    public init(adopting fd: Int32, role: UDSSession.Role, localEndpointID: String, name: String,
                handshakeTimeout: Duration? = UDSConnection.defaultHandshakeTimeout,
                maxFrameLength: Int = UDSFrameDecoder.defaultMaxFrameLength,
                logger: Logger = Logger(label: "usp.mtp.uds")) throws(UDSError) {
        do {
            port = try SerialPort(adopting: fd, name: name)
        } catch {
            Glibc.close(fd)
            throw UDSError(.connectFailed, "\(name): \(error)")
        }
        self.name = name
        self.role = role
        self.handshakeTimeout = role == .client ? handshakeTimeout : nil
        self.logger = logger
        session = UDSSession(role: role, localEndpointID: localEndpointID)
        decoder = UDSFrameDecoder(maxFrameLength: maxFrameLength)
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
    }

    /// Connects as a client to the server at `path`.
    public static func connect(path: String, localEndpointID: String,
                               handshakeTimeout: Duration? = UDSConnection.defaultHandshakeTimeout,
                               maxFrameLength: Int = UDSFrameDecoder.defaultMaxFrameLength,
                               logger: Logger = Logger(label: "usp.mtp.uds")) throws(UDSError) -> UDSConnection {
        let fd = try UDSSocket.connect(path: path)
        return try UDSConnection(adopting: fd, role: .client, localEndpointID: localEndpointID, name: path,
                                 handshakeTimeout: handshakeTimeout, maxFrameLength: maxFrameLength, logger: logger)
    }

    /// The peer's endpoint ID once the handshake is complete.
    public var peerEndpointID: String? { session.peerEndpointID }
    public var isEstablished: Bool { session.peerEndpointID != nil }
    public var isClosed: Bool { session.isClosed }

    /// Starts reading and, for a client, sends the Handshake and arms the deadline.
    public func start() {
        guard reader == nil, !session.isClosed else { return }
        let bytes = port.bytes
        reader = Task { [weak self] in
            for await chunk in bytes {
                guard let self else { return }
                await self.ingest(chunk)
            }
            await self?.streamEnded()
        }
        if let limit = handshakeTimeout {
            timer = Task { [weak self] in
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                await self?.handshakeDeadline(limit)
            }
        }
        perform(session.start())
    }

    /// Sends one encoded USP Record (R-UDS.22). Only after the handshake.
    public func send(record: [UInt8]) throws(UDSError) {
        guard !session.isClosed else { throw UDSError(.closed, "\(name): the connection is closed") }
        guard session.peerEndpointID != nil else {
            throw UDSError(.notEstablished, "\(name): the handshake is not complete")
        }
        do {
            try port.write(UDSFrame.record(record).encoded())
        } catch {
            perform(session.ended(UDSCloseReason(.connectionLost, "\(name): write failed: \(error)")))
            throw UDSError(.writeFailed, "\(name): \(error)")
        }
    }

    /// Sends an Error frame with `message` and closes: for a record that cannot be extracted
    /// for processing (R-UDS.23).
    public func reject(_ message: String) {
        perform(session.reject(UDSCloseReason(.rejected, message)))
    }

    /// Closes without an Error frame.
    public func close() {
        perform(session.ended(UDSCloseReason(.closedLocally, "\(name): closed")))
    }

    // MARK: internals

    func ingest(_ chunk: [UInt8]) {
        guard !session.isClosed else { return }
        decoder.append(chunk)
        while !session.isClosed, let result = decoder.next() {
            if case .failure(let e) = result { logger.notice("\(name): malformed frame: \(e.detail)") }
            perform(session.receive(result))
        }
    }

    func streamEnded() {
        let why = port.endReason ?? "the connection ended"
        perform(session.ended(UDSCloseReason(.connectionLost, "\(name): \(why)")))
    }

    func handshakeDeadline(_ limit: Duration) {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        perform(session.handshakeTimedOut(after: seconds))
    }

    func perform(_ actions: [UDSSession.Action]) {
        for action in actions {
            switch action {
            case .send(let frame):
                do { try port.write(frame.encoded()) } catch {
                    // The close that usually follows still happens; a failed Handshake write
                    // ends the connection here.
                    logger.debug("\(name): could not write a frame: \(error)")
                    if !session.isClosed {
                        perform(session.ended(UDSCloseReason(.connectionLost, "\(name): write failed: \(error)")))
                        return
                    }
                }
            case .established(let peer):
                timer?.cancel()
                timer = nil
                logger.debug("\(name): handshake complete with \(peer)")
                continuation.yield(.established(peerEndpointID: peer))
            case .deliver(let record):
                continuation.yield(.record(record))
            case .close(let reason):
                closeReason = reason
                timer?.cancel()
                timer = nil
                port.close()
                continuation.yield(.closed(reason))
                continuation.finish()
            }
        }
    }
}
