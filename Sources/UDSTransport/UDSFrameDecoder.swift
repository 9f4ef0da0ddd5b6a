/// Splits a byte stream into `UDSFrame`s. A pure value: bytes go in with `append`, complete
/// frames (or the first parse error) come out of `next()`; no I/O, no clock.
///
/// The header is checked as soon as its bytes arrive, so a stream that does not start with
/// `_USP` fails at its first wrong byte rather than after eight. After a failure the decoder
/// stays failed: the stream has lost its framing and the connection must be closed (R-UDS.24).
public struct UDSFrameDecoder: Sendable {
    /// The default limit on the length a header may announce: 16 MiB.
    public static let defaultMaxFrameLength = 16 * 1024 * 1024

    /// Frames announcing a longer body are refused (`frameTooLong`).
    public let maxFrameLength: Int
    private var buffer: [UInt8] = []
    private var start = 0
    public private(set) var failure: UDSFrameError?

    public init(maxFrameLength: Int = UDSFrameDecoder.defaultMaxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    /// Bytes received and not yet part of a returned frame.
    public var bufferedCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, nil when more bytes are needed, or the parse error (again on
    /// every later call).
    public mutating func next() -> Result<UDSFrame, UDSFrameError>? {
        if let failure { return .failure(failure) }
        let available = buffer.count - start
        // The sync bytes, as far as they have arrived.
        for i in 0..<min(available, UDSFrame.sync.count) where buffer[start + i] != UDSFrame.sync[i] {
            let got = buffer[start..<(start + min(available, UDSFrame.sync.count))].map { Self.hex($0) }.joined(separator: " ")
            return fail(.badSync, "frame header starts with \(got), not 5F 55 53 50 (\"_USP\")")
        }
        guard available >= UDSFrame.headerLength else { return nil }
        let length = Self.readLength(buffer, at: start + 4)
        guard length <= maxFrameLength else {
            return fail(.frameTooLong, "frame announces \(length) bytes, more than the limit of \(maxFrameLength)")
        }
        guard length > 0 else { return fail(.emptyFrame, "frame announces no TLV (length 0)") }
        guard available >= UDSFrame.headerLength + length else { return nil }
        let bodyStart = start + UDSFrame.headerLength
        let bodyEnd = bodyStart + length
        var fields: [UDSTLV] = []
        var i = bodyStart
        while i < bodyEnd {
            guard bodyEnd - i >= UDSFrame.tlvHeaderLength else {
                return fail(.tlvOverrun, "frame ends \(bodyEnd - i) bytes into a 5-byte TLV header")
            }
            let type = buffer[i]
            let valueLength = Self.readLength(buffer, at: i + 1)
            let valueStart = i + UDSFrame.tlvHeaderLength
            guard valueLength <= bodyEnd - valueStart else {
                return fail(.tlvOverrun, "TLV of type \(type) announces \(valueLength) bytes but the frame has \(bodyEnd - valueStart) left")
            }
            fields.append(UDSTLV(type: type, value: Array(buffer[valueStart..<(valueStart + valueLength)])))
            i = valueStart + valueLength
        }
        start = bodyEnd
        compact()
        return .success(UDSFrame(fields))
    }

    /// Appends `bytes` and returns every frame now complete; a parse error ends the list.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Result<UDSFrame, UDSFrameError>] {
        append(bytes)
        var out: [Result<UDSFrame, UDSFrameError>] = []
        while let r = next() {
            out.append(r)
            if case .failure = r { break }
        }
        return out
    }

    private mutating func fail(_ code: UDSFrameError.Code, _ detail: String) -> Result<UDSFrame, UDSFrameError> {
        let e = UDSFrameError(code, detail)
        failure = e
        buffer = []
        start = 0
        return .failure(e)
    }

    /// Drops consumed bytes once they are the larger part of the buffer.
    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            start = 0
        } else if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    static func readLength(_ b: [UInt8], at i: Int) -> Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
