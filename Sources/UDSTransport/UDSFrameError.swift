/// A byte stream that is not a valid sequence of UNIX domain socket frames. The stream cannot
/// be resynchronised after one: the receiver sends an Error frame and closes (R-UDS.24).
public struct UDSFrameError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The header does not start with `_USP` (0x5F 0x55 0x53 0x50).
        case badSync
        /// The header announces more bytes than the receiver accepts.
        case frameTooLong
        /// The header announces a frame without any TLV (R-UDS.6 asks for at least one).
        case emptyFrame
        /// A TLV's header or value runs past the end of its frame.
        case tlvOverrun
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) { self.code = code; self.detail = detail }

    public var description: String { detail }
}
