import ZigbeeCore

/// A value decoded from the parameters of an EZSP response or callback. Decoding throws
/// `ZigbeeCodecError` (`.truncated` when bytes are missing). Bytes left over after the known fields
/// are ignored: newer firmware may append fields.
public protocol EZSPDecodable: Hashable, Sendable {
    static func decode(_ parameters: [UInt8], version: UInt8) throws -> Self
}

/// One EZSP command (host → NCP) with the type of its response. Each type encodes the layout of
/// every protocol version it supports, changing only where a version changed it.
public protocol EZSPCommand: Hashable, Sendable {
    associatedtype Response: EZSPDecodable
    static var id: UInt16 { get }
    func encodeParameters(version: UInt8) -> [UInt8]
}

extension EZSPCommand {
    /// Decodes the parameters of this command's response.
    public static func decodeResponse(_ parameters: [UInt8], version: UInt8) throws -> Response {
        try Response.decode(parameters, version: version)
    }
}

/// Namespace of the command types (`EZSPCommands+Concern.swift`).
public enum EZSPCommands {}

// MARK: Shared response shapes

/// A response without parameters (nop, callback).
public struct EZSPEmptyResponse: EZSPDecodable {
    public init() {}
    public static func decode(_ parameters: [UInt8], version: UInt8) throws -> EZSPEmptyResponse { .init() }
}

/// A response holding one status field typed EmberStatus before version 14 (sl_status from 14).
public struct EmberStatusResponse: EZSPDecodable {
    public var status: NCPStatus
    public init(status: NCPStatus) { self.status = status }

    public static func decode(_ parameters: [UInt8], version: UInt8) throws -> EmberStatusResponse {
        var reader = ByteReader(parameters)
        return EmberStatusResponse(status: try NCPStatus.readEmber(&reader, version: version))
    }
}

/// A response holding one status field typed EzspStatus before version 14 (sl_status from 14).
public struct EzspStatusResponse: EZSPDecodable {
    public var status: NCPStatus
    public init(status: NCPStatus) { self.status = status }

    public static func decode(_ parameters: [UInt8], version: UInt8) throws -> EzspStatusResponse {
        var reader = ByteReader(parameters)
        return EzspStatusResponse(status: try NCPStatus.readEzsp(&reader, version: version))
    }
}

/// The answer to a message send: status and the APS sequence number the stack assigned.
public struct EZSPSendResponse: EZSPDecodable {
    public var status: NCPStatus
    public var apsSequence: UInt8
    public init(status: NCPStatus, apsSequence: UInt8) { self.status = status; self.apsSequence = apsSequence }

    public static func decode(_ parameters: [UInt8], version: UInt8) throws -> EZSPSendResponse {
        var reader = ByteReader(parameters)
        return EZSPSendResponse(status: try NCPStatus.readEmber(&reader, version: version),
                                apsSequence: try reader.readUInt8())
    }
}

// MARK: Wire helpers

extension Array where Element == UInt8 {
    /// A one-byte length followed by the bytes (UG100 "uint8_t[]" with a preceding length field).
    mutating func appendLengthPrefixed(_ bytes: [UInt8]) {
        append(UInt8(truncatingIfNeeded: bytes.count))
        append(contentsOf: bytes)
    }

    /// A message tag: one byte before version 14, two from 14.
    mutating func appendMessageTag(_ tag: UInt16, version: UInt8) {
        if version >= EZSPProtocolVersion.slStatus {
            appendLE(tag)
        } else {
            append(UInt8(truncatingIfNeeded: tag))
        }
    }
}

extension ByteReader {
    mutating func readLengthPrefixed() throws -> [UInt8] {
        try readBytes(Int(try readUInt8()))
    }

    mutating func readMessageTag(version: UInt8) throws -> UInt16 {
        version >= EZSPProtocolVersion.slStatus ? try readUInt16() : UInt16(try readUInt8())
    }

    mutating func readBool() throws -> Bool {
        try readUInt8() != 0
    }
}

/// Raised by the initialisers of commands whose parameters have limits (a payload over 255 bytes).
public enum EZSPCommandError: Error, Hashable, Sendable {
    case payloadTooLong(count: Int)
    case tooManyClusters(count: Int)
}
