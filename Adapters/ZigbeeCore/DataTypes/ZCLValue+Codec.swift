/// Little-endian wire encoding of ZCL values (ZCL rev 6/7/8, section 2.6.2).
/// The type id itself is not part of the value encoding; callers write it where a frame needs it.
extension ZCLValue {
    /// Collections nested deeper than this are rejected, so hostile input cannot exhaust the stack.
    static let maxNestingDepth = 8

    /// Decodes a value of `type` that must fill `bytes` exactly.
    public init(decoding bytes: [UInt8], as type: ZCLDataType) throws {
        var reader = ByteReader(bytes)
        self = try ZCLValue.read(type, from: &reader)
        try reader.expectEnd()
    }

    /// The value's wire bytes (without the type id).
    public func encoded() throws -> [UInt8] {
        var out: [UInt8] = []
        try write(to: &out)
        return out
    }

    // MARK: decoding

    static func read(_ type: ZCLDataType, from reader: inout ByteReader, depth: Int = 0) throws -> ZCLValue {
        if let (family, byteCount) = type.integerFamily {
            let start = reader.offset
            let raw = try reader.readUInt(byteCount: byteCount)
            guard let width = ZCLIntegerWidth(byteCount: byteCount) else {
                throw ZigbeeCodecError(.invalidValue, offset: start)
            }
            switch family {
            case .data: return .data(raw, width)
            case .bitmap: return .bitmap(raw, width)
            case .unsigned: return .unsigned(raw, width)
            case .signed:
                let shift = UInt64(64 - width.bitCount)
                return .signed(Int64(bitPattern: raw << shift) >> Int64(shift), width)
            }
        }
        switch type {
        case .noData:
            return .noData
        case .bool:
            let start = reader.offset
            switch try reader.readUInt8() {
            case 0x00: return .bool(false)
            case 0x01: return .bool(true)
            case 0xFF: return .invalid(.bool)
            default: throw ZigbeeCodecError(.invalidValue, offset: start)
            }
        case .enum8:
            return .enum8(try reader.readUInt8())
        case .enum16:
            return .enum16(try reader.readUInt16())
        case .semi:
            return .float(HalfFloat.decode(try reader.readUInt16()), .half)
        case .single:
            return .float(Double(Float(bitPattern: try reader.readUInt32())), .single)
        case .double:
            return .float(Double(bitPattern: try reader.readUInt64()), .double)
        case .octstr, .string:
            let length = try reader.readUInt8()
            if length == 0xFF { return .invalid(type) }
            let bytes = try reader.readBytes(Int(length))
            return type == .octstr ? .octets(bytes) : .string(String(decoding: bytes, as: UTF8.self))
        case .octstr16, .string16:
            let length = try reader.readUInt16()
            if length == 0xFFFF { return .invalid(type) }
            let bytes = try reader.readBytes(Int(length))
            return type == .octstr16 ? .longOctets(bytes) : .longString(String(decoding: bytes, as: UTF8.self))
        case .array, .set, .bag:
            guard depth < maxNestingDepth else { throw reader.error(.nestingTooDeep) }
            let elementType = ZCLDataType(rawValue: try reader.readUInt8())
            let count = try reader.readUInt16()
            if count == 0xFFFF { return .invalid(type) }
            var elements: [ZCLValue] = []
            for _ in 0..<count {
                elements.append(try read(elementType, from: &reader, depth: depth + 1))
            }
            switch type {
            case .array: return .array(elementType, elements)
            case .set: return .set(elementType, elements)
            default: return .bag(elementType, elements)
            }
        case .structure:
            guard depth < maxNestingDepth else { throw reader.error(.nestingTooDeep) }
            let count = try reader.readUInt16()
            if count == 0xFFFF { return .invalid(.structure) }
            var members: [ZCLValue] = []
            for _ in 0..<count {
                let memberType = ZCLDataType(rawValue: try reader.readUInt8())
                members.append(try read(memberType, from: &reader, depth: depth + 1))
            }
            return .structure(members)
        case .timeOfDay:
            let b = try reader.readBytes(4)
            return .timeOfDay(ZCLTimeOfDay(hours: b[0], minutes: b[1], seconds: b[2], hundredths: b[3]))
        case .date:
            let b = try reader.readBytes(4)
            return .date(ZCLDate(yearSince1900: b[0], month: b[1], dayOfMonth: b[2], dayOfWeek: b[3]))
        case .utc:
            return .utc(try reader.readUInt32())
        case .clusterId:
            return .clusterId(try reader.readUInt16())
        case .attributeId:
            return .attributeId(try reader.readUInt16())
        case .bacnetOID:
            return .bacnetOID(try reader.readUInt32())
        case .eui64:
            return .eui64(IEEEAddress(try reader.readUInt64()))
        case .key128:
            return .key128(try reader.readBytes(16))
        default:
            throw reader.error(.unsupportedDataType(type.rawValue))
        }
    }

    // MARK: encoding

    func write(to out: inout [UInt8], depth: Int = 0) throws {
        switch self {
        case .noData:
            break
        case .data(let v, let w), .bitmap(let v, let w), .unsigned(let v, let w):
            guard v <= w.unsignedMax else { throw ZigbeeCodecError(.valueOutOfRange) }
            out.appendLE(v, byteCount: w.byteCount)
        case .signed(let v, let w):
            guard v >= w.signedMin, v <= w.signedMax else { throw ZigbeeCodecError(.valueOutOfRange) }
            out.appendLE(UInt64(bitPattern: v), byteCount: w.byteCount)
        case .bool(let b):
            out.append(b ? 1 : 0)
        case .enum8(let v):
            out.append(v)
        case .enum16(let v):
            out.appendLE(v)
        case .float(let v, .half):
            out.appendLE(HalfFloat.encode(v))
        case .float(let v, .single):
            out.appendLE(Float(v).bitPattern)
        case .float(let v, .double):
            out.appendLE(v.bitPattern)
        case .octets(let bytes):
            try Self.writeShort(bytes, to: &out)
        case .string(let s):
            try Self.writeShort(Array(s.utf8), to: &out)
        case .longOctets(let bytes):
            try Self.writeLong(bytes, to: &out)
        case .longString(let s):
            try Self.writeLong(Array(s.utf8), to: &out)
        case .array(let elementType, let elements),
             .set(let elementType, let elements),
             .bag(let elementType, let elements):
            guard depth < Self.maxNestingDepth else { throw ZigbeeCodecError(.nestingTooDeep) }
            guard elements.count < 0xFFFF else { throw ZigbeeCodecError(.valueOutOfRange) }
            out.append(elementType.rawValue)
            out.appendLE(UInt16(elements.count))
            for element in elements {
                guard element.dataType == elementType else { throw ZigbeeCodecError(.typeMismatch) }
                try element.write(to: &out, depth: depth + 1)
            }
        case .structure(let members):
            guard depth < Self.maxNestingDepth else { throw ZigbeeCodecError(.nestingTooDeep) }
            guard members.count < 0xFFFF else { throw ZigbeeCodecError(.valueOutOfRange) }
            out.appendLE(UInt16(members.count))
            for member in members {
                out.append(member.dataType.rawValue)
                try member.write(to: &out, depth: depth + 1)
            }
        case .timeOfDay(let t):
            out += [t.hours, t.minutes, t.seconds, t.hundredths]
        case .date(let d):
            out += [d.yearSince1900, d.month, d.dayOfMonth, d.dayOfWeek]
        case .utc(let v), .bacnetOID(let v):
            out.appendLE(v)
        case .clusterId(let v), .attributeId(let v):
            out.appendLE(v)
        case .eui64(let address):
            out.appendLE(address.rawValue)
        case .key128(let bytes):
            guard bytes.count == 16 else { throw ZigbeeCodecError(.valueOutOfRange) }
            out += bytes
        case .invalid(let type):
            out += try Self.invalidMarker(for: type)
        }
    }

    private static func writeShort(_ bytes: [UInt8], to out: inout [UInt8]) throws {
        guard bytes.count < 0xFF else { throw ZigbeeCodecError(.valueOutOfRange) }
        out.append(UInt8(bytes.count))
        out += bytes
    }

    private static func writeLong(_ bytes: [UInt8], to out: inout [UInt8]) throws {
        guard bytes.count < 0xFFFF else { throw ZigbeeCodecError(.valueOutOfRange) }
        out.appendLE(UInt16(bytes.count))
        out += bytes
    }

    /// Wire bytes of the ZCL "invalid number" for `type`. Data, bitmap, no-data and key types
    /// have no invalid value.
    static func invalidMarker(for type: ZCLDataType) throws -> [UInt8] {
        if let (family, byteCount) = type.integerFamily {
            switch family {
            case .unsigned: return Array(repeating: 0xFF, count: byteCount)
            case .signed: return Array(repeating: 0x00, count: byteCount - 1) + [0x80]
            case .data, .bitmap: throw ZigbeeCodecError(.invalidValue)
            }
        }
        switch type {
        case .bool, .enum8, .octstr, .string: return [0xFF]
        case .enum16, .octstr16, .string16, .structure, .clusterId, .attributeId: return [0xFF, 0xFF]
        case .semi: return [0x00, 0x7E]
        case .single: return [0x00, 0x00, 0xC0, 0x7F]
        case .double: return [0, 0, 0, 0, 0, 0, 0xF8, 0x7F]
        // Element type is not known for an invalid collection: written as "unknown" (0xFF).
        case .array, .set, .bag: return [0xFF, 0xFF, 0xFF]
        case .timeOfDay, .date, .utc, .bacnetOID: return [0xFF, 0xFF, 0xFF, 0xFF]
        case .eui64: return Array(repeating: 0xFF, count: 8)
        case .noData, .key128: throw ZigbeeCodecError(.invalidValue)
        default: throw ZigbeeCodecError(.unsupportedDataType(type.rawValue))
        }
    }
}
