/// One frame of the TR-369 UNIX domain socket MTP: a header (the 4 synchronisation bytes
/// `_USP` and the big-endian 32-bit length of the rest) followed by one or more TLV fields,
/// each a 1-byte type, a big-endian 32-bit length and the value (R-UDS.6 … R-UDS.11).
public struct UDSFrame: Sendable, Equatable {
    /// The synchronisation part of the header: 0x5F 0x55 0x53 0x50 (R-UDS.8).
    public static let sync: [UInt8] = [0x5F, 0x55, 0x53, 0x50]
    /// Sync plus length.
    public static let headerLength = 8
    /// TLV type plus length.
    public static let tlvHeaderLength = 5

    public var fields: [UDSTLV]

    public init(_ fields: [UDSTLV]) { self.fields = fields }

    /// A frame with one Handshake TLV carrying `endpointID` (R-UDS.12, R-UDS.16, R-UDS.17).
    public static func handshake(_ endpointID: String) -> UDSFrame {
        UDSFrame([UDSTLV(type: UDSTLV.handshake, value: Array(endpointID.utf8))])
    }

    /// A frame with one Error TLV carrying `message` (R-UDS.13).
    public static func error(_ message: String) -> UDSFrame {
        UDSFrame([UDSTLV(type: UDSTLV.error, value: Array(message.utf8))])
    }

    /// A frame with one USP Record TLV carrying an encoded Record (R-UDS.14, R-UDS.22).
    public static func record(_ bytes: [UInt8]) -> UDSFrame {
        UDSFrame([UDSTLV(type: UDSTLV.record, value: bytes)])
    }

    /// The length the header announces: every TLV with its 5-byte header.
    public var bodyLength: Int { fields.reduce(0) { $0 + UDSFrame.tlvHeaderLength + $1.value.count } }

    /// The bytes on the wire.
    public func encoded() -> [UInt8] {
        var out = Self.sync
        out.reserveCapacity(Self.headerLength + bodyLength)
        Self.appendLength(UInt32(bodyLength), to: &out)
        for f in fields {
            out.append(f.type)
            Self.appendLength(UInt32(f.value.count), to: &out)
            out.append(contentsOf: f.value)
        }
        return out
    }

    static func appendLength(_ n: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: n >> 24))
        out.append(UInt8(truncatingIfNeeded: n >> 16))
        out.append(UInt8(truncatingIfNeeded: n >> 8))
        out.append(UInt8(truncatingIfNeeded: n))
    }
}

/// A Type-Length-Value field of a frame. Types other than 1, 2 and 3 are carried through the
/// decoder unchanged; receivers ignore them (R-UDS.15).
public struct UDSTLV: Sendable, Equatable {
    /// Type 1: the UTF-8 endpoint ID of the sender.
    public static let handshake: UInt8 = 1
    /// Type 2: a UTF-8 error text.
    public static let error: UInt8 = 2
    /// Type 3: a protobuf-encoded USP Record.
    public static let record: UInt8 = 3

    public var type: UInt8
    public var value: [UInt8]

    public init(type: UInt8, value: [UInt8]) { self.type = type; self.value = value }

    /// The value as UTF-8 text, or nil when it is not valid UTF-8.
    public var text: String? {
        String(validating: value, as: UTF8.self)
    }
}
