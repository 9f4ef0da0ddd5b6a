/// Cursor over little-endian wire bytes. Every read is bounds-checked and throws
/// `ZigbeeCodecError(.truncated)` instead of trapping. Package-visible so the sibling adapters
/// (EZSP) decode with the same reader and errors.
package struct ByteReader {
    private let bytes: [UInt8]
    package private(set) var offset: Int

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        self.init(Array(bytes))
    }

    package var remaining: Int { bytes.count - offset }
    package var isAtEnd: Bool { offset >= bytes.count }

    package func error(_ code: ZigbeeCodecError.Code) -> ZigbeeCodecError {
        ZigbeeCodecError(code, offset: offset)
    }

    package mutating func readUInt8() throws -> UInt8 {
        guard offset < bytes.count else { throw error(.truncated) }
        let value = bytes[offset]
        offset += 1
        return value
    }

    package mutating func readInt8() throws -> Int8 {
        Int8(bitPattern: try readUInt8())
    }

    package mutating func readUInt16() throws -> UInt16 {
        UInt16(truncatingIfNeeded: try readUInt(byteCount: 2))
    }

    package mutating func readInt16() throws -> Int16 {
        Int16(bitPattern: try readUInt16())
    }

    package mutating func readUInt32() throws -> UInt32 {
        UInt32(truncatingIfNeeded: try readUInt(byteCount: 4))
    }

    package mutating func readUInt64() throws -> UInt64 {
        try readUInt(byteCount: 8)
    }

    /// Reads an unsigned little-endian integer of 1...8 bytes.
    package mutating func readUInt(byteCount: Int) throws -> UInt64 {
        guard byteCount >= 0, byteCount <= 8 else { throw error(.invalidValue) }
        guard remaining >= byteCount else { throw error(.truncated) }
        var value: UInt64 = 0
        for index in 0..<byteCount {
            value |= UInt64(bytes[offset + index]) << (8 * UInt64(index))
        }
        offset += byteCount
        return value
    }

    package mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw error(.invalidValue) }
        guard remaining >= count else { throw error(.truncated) }
        let slice = Array(bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    package mutating func readRest() -> [UInt8] {
        guard offset < bytes.count else { return [] }
        let slice = Array(bytes[offset...])
        offset = bytes.count
        return slice
    }

    package func expectEnd() throws {
        if !isAtEnd { throw error(.trailingBytes) }
    }
}

extension Array where Element == UInt8 {
    package mutating func appendLE(_ value: UInt64, byteCount: Int) {
        for index in 0..<byteCount {
            append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
        }
    }

    package mutating func appendLE(_ value: UInt16) {
        appendLE(UInt64(value), byteCount: 2)
    }

    package mutating func appendLE(_ value: UInt32) {
        appendLE(UInt64(value), byteCount: 4)
    }

    package mutating func appendLE(_ value: UInt64) {
        appendLE(value, byteCount: 8)
    }

    package mutating func appendLE(_ value: Int16) {
        appendLE(UInt16(bitPattern: value))
    }
}
