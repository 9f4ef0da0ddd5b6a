/// A reply or callback body that can be read from an MT data field. Trailing bytes after the last
/// known parameter are ignored, so newer firmware that appends fields still decodes.
protocol MTDecodable: Sendable {
    init(reader: inout MTReader) throws(MTDecodingError)
    /// The public form of this reply.
    var response: ZNPResponse { get }
}

extension MTDecodable {
    init(payload: [UInt8]) throws(MTDecodingError) {
        var reader = MTReader(payload)
        try self.init(reader: &reader)
    }
}

/// One MT request the host sends: its header, its parameters and the type of its SRSP.
/// The per-command structs are wire details; callers use `ZNPRequest`.
protocol MTCommand: Sendable {
    associatedtype Response: MTDecodable
    static var subsystem: MTSubsystem { get }
    static var id: UInt8 { get }
    /// `.sreq` (answered by one SRSP) unless the command is fire-and-forget (`.areq`).
    static var type: MTCommandType { get }
    func encodeParameters() -> [UInt8]
}

extension MTCommand {
    static var type: MTCommandType { .sreq }

    var frame: MTFrame {
        MTFrame(type: Self.type, subsystem: Self.subsystem, commandID: Self.id, payload: encodeParameters())
    }

    static func decodeResponse(_ payload: [UInt8]) throws(MTDecodingError) -> ZNPResponse {
        try Response(payload: payload).response
    }
}

// MARK: Shared reply bodies

extension MTStatus: MTDecodable {
    init(reader: inout MTReader) throws(MTDecodingError) {
        self.init(rawValue: try reader.uint8())
    }

    var response: ZNPResponse { .status(self) }
}

/// The reply of an AREQ request: there is none.
struct MTNoResponse: MTDecodable {
    init(reader: inout MTReader) throws(MTDecodingError) {}
    var response: ZNPResponse { .none }
}
