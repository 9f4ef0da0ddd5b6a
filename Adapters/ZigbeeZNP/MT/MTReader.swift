import ZigbeeCore

/// Why an MT data field could not be read as the command or callback it claims to be.
public struct MTDecodingError: Error, Sendable, Hashable {
    public enum Code: Sendable, Hashable {
        /// The data field ended before a complete parameter.
        case truncated
        /// A parameter holds a value the layout does not allow.
        case invalidValue
        /// Bytes remained after the last parameter.
        case trailingBytes
    }

    public var code: Code
    /// Byte offset in the data field where reading stopped.
    public var offset: Int

    public init(_ code: Code, offset: Int) {
        self.code = code
        self.offset = offset
    }
}

/// Bounds-checked little-endian cursor over an MT data field.
struct MTReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    func error(_ code: MTDecodingError.Code) -> MTDecodingError {
        MTDecodingError(code, offset: offset)
    }

    mutating func uint8() throws(MTDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw error(.truncated) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() throws(MTDecodingError) -> UInt16 {
        UInt16(truncatingIfNeeded: try unsigned(2))
    }

    mutating func uint32() throws(MTDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try unsigned(4))
    }

    mutating func ieee() throws(MTDecodingError) -> IEEEAddress {
        IEEEAddress(try unsigned(8))
    }

    mutating func bool() throws(MTDecodingError) -> Bool {
        switch try uint8() {
        case 0: return false
        case 1: return true
        default:
            offset -= 1
            throw error(.invalidValue)
        }
    }

    mutating func unsigned(_ count: Int) throws(MTDecodingError) -> UInt64 {
        guard remaining >= count else { throw error(.truncated) }
        var value: UInt64 = 0
        for index in 0..<count {
            value |= UInt64(bytes[offset + index]) << (8 * UInt64(index))
        }
        offset += count
        return value
    }

    mutating func bytes(_ count: Int) throws(MTDecodingError) -> [UInt8] {
        guard remaining >= count else { throw error(.truncated) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// A length byte followed by that many bytes.
    mutating func shortBytes() throws(MTDecodingError) -> [UInt8] {
        try bytes(Int(try uint8()))
    }

    /// A count byte followed by that many 16-bit values.
    mutating func uint16List() throws(MTDecodingError) -> [UInt16] {
        let count = Int(try uint8())
        guard remaining >= count * 2 else { throw error(.truncated) }
        var values: [UInt16] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try uint16()) }
        return values
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }

    func expectEnd() throws(MTDecodingError) {
        if remaining > 0 { throw error(.trailingBytes) }
    }
}

/// Little-endian writers for MT parameters.
struct MTWriter {
    private(set) var bytes: [UInt8] = []

    mutating func uint8(_ value: UInt8) { bytes.append(value) }

    mutating func uint16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func ieee(_ value: IEEEAddress) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value.rawValue >> UInt64(shift))) }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func raw(_ values: [UInt8]) { bytes.append(contentsOf: values) }

    /// A length byte then the bytes; longer inputs are cut at 255 (the frame limit rejects them anyway).
    mutating func shortBytes(_ values: [UInt8]) {
        let count = min(values.count, 0xFF)
        bytes.append(UInt8(count))
        bytes.append(contentsOf: values.prefix(count))
    }

    mutating func uint16List(_ values: [UInt16]) {
        let count = min(values.count, 0xFF)
        bytes.append(UInt8(count))
        for value in values.prefix(count) { uint16(value) }
    }
}
