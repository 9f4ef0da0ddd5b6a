/// A failure of the UNIX domain socket transport itself (not of the peer's frames).
public struct UDSError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The socket path does not fit `sockaddr_un.sun_path`.
        case pathTooLong
        /// Another server is listening at the path, or a non-socket file is in the way.
        case addressInUse
        /// socket(2), bind(2), listen(2) or chmod(2) failed.
        case listenFailed
        /// Nobody listens at the path, or connect(2) failed.
        case connectFailed
        /// A record was sent before the handshake completed.
        case notEstablished
        /// The connection is closed.
        case closed
        /// Writing to the socket failed.
        case writeFailed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }

    public var description: String { message }
}
