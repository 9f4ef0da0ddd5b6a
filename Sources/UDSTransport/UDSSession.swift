/// The handshake and record rules of one UNIX domain socket connection, as a pure state
/// machine: events go in (`start`, a decoded frame or parse error, the handshake deadline, a
/// local rejection), and the actions the connection must carry out come out. No I/O, no clock.
///
/// - The client sends its Handshake first (R-UDS.16); the server answers one when it receives
///   the client's (R-UDS.17).
/// - Records before the handshake is complete are ignored (R-UDS.20); so is a Handshake once
///   it is (R-UDS.19), and any TLV of an unknown type (R-UDS.15).
/// - A Handshake that cannot be processed is answered with an Error frame (R-UDS.21), an
///   unparsable frame likewise (R-UDS.24); both close the connection.
/// - An Error frame from the peer closes the connection (R-UDS.25).
/// - The client closes when no Handshake arrives in time (R-UDS.18; the deadline is the
///   connection's, this type only reacts to it).
public struct UDSSession: Sendable {
    public enum Role: String, Sendable, Equatable { case client, server }

    public enum State: Sendable, Equatable {
        case idle
        case awaitingHandshake
        case established(peerEndpointID: String)
        case closed
    }

    public enum Action: Sendable, Equatable {
        case send(UDSFrame)
        case established(peerEndpointID: String)
        case deliver(record: [UInt8])
        case close(UDSCloseReason)
    }

    public let role: Role
    public let localEndpointID: String
    public private(set) var state = State.idle

    public init(role: Role, localEndpointID: String) {
        self.role = role
        self.localEndpointID = localEndpointID
    }

    public var peerEndpointID: String? {
        if case .established(let p) = state { return p }
        return nil
    }

    public var isClosed: Bool { state == .closed }

    /// The connection is up: a client sends its Handshake, a server waits for one.
    public mutating func start() -> [Action] {
        guard state == .idle else { return [] }
        state = .awaitingHandshake
        return role == .client ? [.send(.handshake(localEndpointID))] : []
    }

    /// A decoding result from the connection's `UDSFrameDecoder`.
    public mutating func receive(_ result: Result<UDSFrame, UDSFrameError>) -> [Action] {
        switch result {
        case .success(let frame): return receive(frame)
        case .failure(let e): return parseFailed(e)
        }
    }

    public mutating func receive(_ frame: UDSFrame) -> [Action] {
        guard state != .closed else { return [] }
        var out: [Action] = []
        for field in frame.fields {
            switch field.type {
            case UDSTLV.error:
                state = .closed
                let text = field.text ?? "(\(field.value.count) bytes, not UTF-8)"
                out.append(.close(UDSCloseReason(.peerSentError, "the peer sent an Error: \(text)")))
                return out
            case UDSTLV.handshake:
                out += handshake(field)
                if state == .closed { return out }
            case UDSTLV.record:
                if case .established = state { out.append(.deliver(record: field.value)) }
            default:
                continue
            }
        }
        return out
    }

    mutating func handshake(_ field: UDSTLV) -> [Action] {
        guard state == .awaitingHandshake else { return [] }
        guard let peer = field.text else {
            return reject(UDSCloseReason(.badHandshake, "the Handshake's endpoint ID is not UTF-8 text"))
        }
        guard !peer.isEmpty else {
            return reject(UDSCloseReason(.badHandshake, "the Handshake carries an empty endpoint ID"))
        }
        guard !peer.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            return reject(UDSCloseReason(.badHandshake, "the Handshake's endpoint ID contains control characters"))
        }
        state = .established(peerEndpointID: peer)
        var out: [Action] = []
        if role == .server { out.append(.send(.handshake(localEndpointID))) }
        out.append(.established(peerEndpointID: peer))
        return out
    }

    /// The byte stream could not be parsed (R-UDS.24).
    public mutating func parseFailed(_ error: UDSFrameError) -> [Action] {
        var reason = UDSCloseReason(.malformedFrame, "cannot parse the frame: \(error.detail)")
        reason.frameError = error.code
        return reject(reason)
    }

    /// The client's deadline for the server's Handshake passed (R-UDS.18). Ignored once the
    /// handshake is complete.
    public mutating func handshakeTimedOut(after seconds: Double) -> [Action] {
        guard state == .awaitingHandshake || state == .idle else { return [] }
        state = .closed
        return [.close(UDSCloseReason(.handshakeTimeout, "no Handshake from the peer within \(seconds) s"))]
    }

    /// Sends an Error frame with `reason`'s text and closes (R-UDS.21, R-UDS.23, R-UDS.24).
    public mutating func reject(_ reason: UDSCloseReason) -> [Action] {
        guard state != .closed else { return [] }
        state = .closed
        return [.send(.error(reason.detail)), .close(reason)]
    }

    /// The socket ended or was closed here.
    public mutating func ended(_ reason: UDSCloseReason) -> [Action] {
        guard state != .closed else { return [] }
        state = .closed
        return [.close(reason)]
    }
}

/// Why a connection closed.
public struct UDSCloseReason: Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The peer sent an Error frame (R-UDS.25).
        case peerSentError
        /// The peer's bytes are not a valid frame (R-UDS.24).
        case malformedFrame
        /// The peer's Handshake could not be processed (R-UDS.21).
        case badHandshake
        /// No Handshake from the server in time (R-UDS.18).
        case handshakeTimeout
        /// A record could not be extracted for processing (R-UDS.23), or another local refusal.
        case rejected
        /// The socket reached end of file or failed.
        case connectionLost
        /// `close()` was called here.
        case closedLocally
    }

    public var code: Code
    public var detail: String
    /// For `malformedFrame`: what was wrong with the bytes.
    public var frameError: UDSFrameError.Code?

    public init(_ code: Code, _ detail: String) { self.code = code; self.detail = detail }

    public var description: String { detail }
}
