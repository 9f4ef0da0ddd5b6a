/// ZCL attribute data type identifiers (ZCL rev 6/7/8, section 2.6.2 "Data Types", Table 2-10).
///
/// Ids without a defined meaning are kept opaque as `.reserved(id)`.
public enum ZCLDataType: Hashable, Sendable, CustomStringConvertible {
    case noData                                    // 0x00
    case data8, data16, data24, data32             // 0x08-0x0B
    case data40, data48, data56, data64            // 0x0C-0x0F
    case bool                                      // 0x10
    case bitmap8, bitmap16, bitmap24, bitmap32     // 0x18-0x1B
    case bitmap40, bitmap48, bitmap56, bitmap64    // 0x1C-0x1F
    case uint8, uint16, uint24, uint32             // 0x20-0x23
    case uint40, uint48, uint56, uint64            // 0x24-0x27
    case int8, int16, int24, int32                 // 0x28-0x2B
    case int40, int48, int56, int64                // 0x2C-0x2F
    case enum8                                     // 0x30
    case enum16                                    // 0x31
    case semi                                      // 0x38 half precision float
    case single                                    // 0x39
    case double                                    // 0x3A
    case octstr                                    // 0x41
    case string                                    // 0x42
    case octstr16                                  // 0x43
    case string16                                  // 0x44
    case array                                     // 0x48
    case structure                                 // 0x4C
    case set                                       // 0x50
    case bag                                       // 0x51
    case timeOfDay                                 // 0xE0
    case date                                      // 0xE1
    case utc                                       // 0xE2
    case clusterId                                 // 0xE8
    case attributeId                               // 0xE9
    case bacnetOID                                 // 0xEA
    case eui64                                     // 0xF0
    case key128                                    // 0xF1
    case unknown                                   // 0xFF
    case reserved(UInt8)

    private static let sizedFamilies: [(base: UInt8, types: [ZCLDataType])] = [
        (0x08, [.data8, .data16, .data24, .data32, .data40, .data48, .data56, .data64]),
        (0x18, [.bitmap8, .bitmap16, .bitmap24, .bitmap32, .bitmap40, .bitmap48, .bitmap56, .bitmap64]),
        (0x20, [.uint8, .uint16, .uint24, .uint32, .uint40, .uint48, .uint56, .uint64]),
        (0x28, [.int8, .int16, .int24, .int32, .int40, .int48, .int56, .int64]),
    ]

    private static let singles: [(UInt8, ZCLDataType)] = [
        (0x00, .noData), (0x10, .bool), (0x30, .enum8), (0x31, .enum16),
        (0x38, .semi), (0x39, .single), (0x3A, .double),
        (0x41, .octstr), (0x42, .string), (0x43, .octstr16), (0x44, .string16),
        (0x48, .array), (0x4C, .structure), (0x50, .set), (0x51, .bag),
        (0xE0, .timeOfDay), (0xE1, .date), (0xE2, .utc),
        (0xE8, .clusterId), (0xE9, .attributeId), (0xEA, .bacnetOID),
        (0xF0, .eui64), (0xF1, .key128), (0xFF, .unknown),
    ]

    public init(rawValue: UInt8) {
        for family in Self.sizedFamilies where rawValue >= family.base && rawValue < family.base + 8 {
            self = family.types[Int(rawValue - family.base)]
            return
        }
        for (id, type) in Self.singles where id == rawValue {
            self = type
            return
        }
        self = .reserved(rawValue)
    }

    public var rawValue: UInt8 {
        if case .reserved(let id) = self { return id }
        for family in Self.sizedFamilies {
            if let index = family.types.firstIndex(of: self) { return family.base + UInt8(index) }
        }
        for (id, type) in Self.singles where type == self { return id }
        return 0xFF
    }

    /// Every defined (non-reserved) type, in id order.
    public static var allDefined: [ZCLDataType] {
        (0...255).map { ZCLDataType(rawValue: UInt8($0)) }.filter {
            if case .reserved = $0 { return false }
            return true
        }
    }

    /// Kind of sized integer family, with the byte width, for the 8 families of 1...8 bytes.
    enum IntegerFamily { case data, bitmap, unsigned, signed }

    var integerFamily: (family: IntegerFamily, byteCount: Int)? {
        if case .reserved = self { return nil }
        let id = rawValue
        switch id {
        case 0x08...0x0F: return (.data, Int(id - 0x08) + 1)
        case 0x18...0x1F: return (.bitmap, Int(id - 0x18) + 1)
        case 0x20...0x27: return (.unsigned, Int(id - 0x20) + 1)
        case 0x28...0x2F: return (.signed, Int(id - 0x28) + 1)
        default: return nil
        }
    }

    /// Wire length in bytes for fixed-size types; nil for strings, collections and undecodable ids.
    public var fixedLength: Int? {
        if let family = integerFamily { return family.byteCount }
        switch self {
        case .noData: return 0
        case .bool, .enum8: return 1
        case .enum16, .semi, .clusterId, .attributeId: return 2
        case .single, .timeOfDay, .date, .utc, .bacnetOID: return 4
        case .double, .eui64: return 8
        case .key128: return 16
        default: return nil
        }
    }

    /// "Analog" types per the ZCL data type table (integers, floats, time); everything else is
    /// "discrete". Only analog attributes carry a Reportable Change field in reporting configuration.
    public var isAnalog: Bool {
        if let family = integerFamily { return family.family == .unsigned || family.family == .signed }
        switch self {
        case .semi, .single, .double, .timeOfDay, .date, .utc: return true
        default: return false
        }
    }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
