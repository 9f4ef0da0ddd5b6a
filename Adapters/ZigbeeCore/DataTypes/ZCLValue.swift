/// Width of the sized ZCL integer families (data, bitmap, unsigned, signed): 1 to 8 bytes.
public enum ZCLIntegerWidth: Int, Hashable, Sendable, CaseIterable {
    case bits8 = 1, bits16, bits24, bits32, bits40, bits48, bits56, bits64

    public init?(byteCount: Int) {
        self.init(rawValue: byteCount)
    }

    public var byteCount: Int { rawValue }
    public var bitCount: Int { rawValue * 8 }

    /// Largest unsigned value of this width (also the ZCL "invalid" unsigned value).
    public var unsignedMax: UInt64 {
        self == .bits64 ? UInt64.max : (UInt64(1) << UInt64(bitCount)) - 1
    }

    /// Smallest signed value of this width (also the ZCL "invalid" signed value).
    public var signedMin: Int64 {
        self == .bits64 ? Int64.min : -(Int64(1) << Int64(bitCount - 1))
    }

    public var signedMax: Int64 {
        self == .bits64 ? Int64.max : (Int64(1) << Int64(bitCount - 1)) - 1
    }
}

/// Precision of the ZCL floating point types: semi (0x38), single (0x39), double (0x3A).
public enum ZCLFloatPrecision: Hashable, Sendable, CaseIterable {
    case half, single, double
}

/// ZCL Time of Day (0xE0): each field 0xFF means "don't care / invalid".
public struct ZCLTimeOfDay: Hashable, Sendable {
    public var hours: UInt8
    public var minutes: UInt8
    public var seconds: UInt8
    public var hundredths: UInt8

    public init(hours: UInt8, minutes: UInt8, seconds: UInt8, hundredths: UInt8) {
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
        self.hundredths = hundredths
    }
}

/// ZCL Date (0xE1): year is stored as an offset from 1900; each field 0xFF means "don't care".
public struct ZCLDate: Hashable, Sendable {
    public var yearSince1900: UInt8
    public var month: UInt8
    public var dayOfMonth: UInt8
    /// 1 = Monday ... 7 = Sunday.
    public var dayOfWeek: UInt8

    public init(yearSince1900: UInt8, month: UInt8, dayOfMonth: UInt8, dayOfWeek: UInt8) {
        self.yearSince1900 = yearSince1900
        self.month = month
        self.dayOfMonth = dayOfMonth
        self.dayOfWeek = dayOfWeek
    }

    public var year: Int? { yearSince1900 == 0xFF ? nil : 1900 + Int(yearSince1900) }
}

/// A decoded ZCL attribute / parameter value. Every case determines its `dataType`, so
/// structure members need no separate type tag.
///
/// ZCL "invalid number" values (e.g. 0xFFFF for uint16, 0x8000 for int16, NaN for floats) are
/// kept as ordinary values and flagged by `isInvalid`. Types whose invalid marker has no
/// ordinary representation (bool 0xFF, string length 0xFF, collection count 0xFFFF) decode to
/// `.invalid(type)`.
public enum ZCLValue: Hashable, Sendable {
    case noData
    case data(UInt64, ZCLIntegerWidth)
    case bool(Bool)
    case bitmap(UInt64, ZCLIntegerWidth)
    case unsigned(UInt64, ZCLIntegerWidth)
    case signed(Int64, ZCLIntegerWidth)
    case enum8(UInt8)
    case enum16(UInt16)
    case float(Double, ZCLFloatPrecision)
    /// Octet string (0x41), at most 254 bytes.
    case octets([UInt8])
    /// Character string (0x42), at most 254 UTF-8 bytes.
    case string(String)
    /// Long octet string (0x43), at most 65534 bytes.
    case longOctets([UInt8])
    /// Long character string (0x44), at most 65534 UTF-8 bytes.
    case longString(String)
    /// Array (0x48): element type and elements (each element must have that type).
    case array(ZCLDataType, [ZCLValue])
    /// Structure (0x4C): ordered members; each member's type is its own `dataType`.
    case structure([ZCLValue])
    case set(ZCLDataType, [ZCLValue])
    case bag(ZCLDataType, [ZCLValue])
    case timeOfDay(ZCLTimeOfDay)
    case date(ZCLDate)
    /// UTCTime (0xE2): seconds since 2000-01-01 00:00:00 UTC.
    case utc(UInt32)
    case clusterId(UInt16)
    case attributeId(UInt16)
    case bacnetOID(UInt32)
    case eui64(IEEEAddress)
    /// 128-bit security key (0xF1), exactly 16 bytes.
    case key128([UInt8])
    /// The type's invalid / non-value marker where no ordinary value can express it.
    case invalid(ZCLDataType)

    /// The ZCL data type this value is encoded as.
    public var dataType: ZCLDataType {
        switch self {
        case .noData: return .noData
        case .data(_, let width): return ZCLDataType(rawValue: 0x07 + UInt8(width.rawValue))
        case .bool: return .bool
        case .bitmap(_, let width): return ZCLDataType(rawValue: 0x17 + UInt8(width.rawValue))
        case .unsigned(_, let width): return ZCLDataType(rawValue: 0x1F + UInt8(width.rawValue))
        case .signed(_, let width): return ZCLDataType(rawValue: 0x27 + UInt8(width.rawValue))
        case .enum8: return .enum8
        case .enum16: return .enum16
        case .float(_, .half): return .semi
        case .float(_, .single): return .single
        case .float(_, .double): return .double
        case .octets: return .octstr
        case .string: return .string
        case .longOctets: return .octstr16
        case .longString: return .string16
        case .array: return .array
        case .structure: return .structure
        case .set: return .set
        case .bag: return .bag
        case .timeOfDay: return .timeOfDay
        case .date: return .date
        case .utc: return .utc
        case .clusterId: return .clusterId
        case .attributeId: return .attributeId
        case .bacnetOID: return .bacnetOID
        case .eui64: return .eui64
        case .key128: return .key128
        case .invalid(let type): return type
        }
    }

    /// True when the value is the ZCL "invalid number" / non-value for its type.
    public var isInvalid: Bool {
        switch self {
        case .invalid: return true
        case .unsigned(let value, let width): return value == width.unsignedMax
        case .signed(let value, let width): return value == width.signedMin
        case .enum8(let value): return value == 0xFF
        case .enum16(let value): return value == 0xFFFF
        case .float(let value, _): return value.isNaN
        case .timeOfDay(let t):
            return t.hours == 0xFF && t.minutes == 0xFF && t.seconds == 0xFF && t.hundredths == 0xFF
        case .date(let d):
            return d.yearSince1900 == 0xFF && d.month == 0xFF && d.dayOfMonth == 0xFF && d.dayOfWeek == 0xFF
        case .utc(let value), .bacnetOID(let value): return value == 0xFFFF_FFFF
        case .clusterId(let value), .attributeId(let value): return value == 0xFFFF
        case .eui64(let address): return address.rawValue == UInt64.max
        default: return false
        }
    }

    // MARK: convenience accessors

    /// Integer view of unsigned/signed/enum/data/bitmap/identifier values.
    public var integerValue: Int64? {
        switch self {
        case .unsigned(let v, _), .data(let v, _), .bitmap(let v, _):
            return v <= UInt64(Int64.max) ? Int64(v) : nil
        case .signed(let v, _): return v
        case .enum8(let v): return Int64(v)
        case .enum16(let v): return Int64(v)
        case .bool(let v): return v ? 1 : 0
        case .utc(let v), .bacnetOID(let v): return Int64(v)
        case .clusterId(let v), .attributeId(let v): return Int64(v)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        if case .float(let v, _) = self { return v }
        return integerValue.map(Double.init)
    }

    public var stringValue: String? {
        switch self {
        case .string(let s), .longString(let s): return s
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
