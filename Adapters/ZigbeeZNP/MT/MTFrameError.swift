/// Error raised when a frame cannot be encoded. Match on `code`.
public struct MTFrameError: Error, Sendable, Hashable {
    public enum Code: Sendable, Hashable {
        /// The data field exceeds `MTFrame.maximumPayloadLength`.
        case payloadTooLong(Int)
    }

    public var code: Code

    public init(_ code: Code) {
        self.code = code
    }
}
