/// Error raised when ZigBee/ZCL/ZDO bytes cannot be decoded or a value cannot be encoded.
///
/// Callers match on `code`, never on text. `offset` is the byte position in the input at which
/// decoding failed (nil for encoding errors).
public struct ZigbeeCodecError: Error, Hashable, Sendable {
    public enum Code: Hashable, Sendable {
        /// The input ended before a complete field could be read.
        case truncated
        /// A field holds a value the specification does not allow (e.g. a boolean of 0x02).
        case invalidValue
        /// A ZCL data type id that has no defined wire encoding (reserved ids, 0xFF "unknown").
        case unsupportedDataType(UInt8)
        /// A value does not match the declared data type (e.g. array element of the wrong type).
        case typeMismatch
        /// A value does not fit in its field (e.g. 300 in an 8-bit integer, a 255-byte string).
        case valueOutOfRange
        /// Collections nested deeper than the decoder accepts.
        case nestingTooDeep
        /// Bytes remained after a structure that must fill the whole input.
        case trailingBytes
        /// The frame is not of the kind the caller asked to decode (e.g. cluster-specific vs global).
        case wrongFrameKind
        /// The command id is not known for this cluster / direction.
        case unknownCommand(UInt8)
    }

    public var code: Code
    public var offset: Int?

    public init(_ code: Code, offset: Int? = nil) {
        self.code = code
        self.offset = offset
    }
}
