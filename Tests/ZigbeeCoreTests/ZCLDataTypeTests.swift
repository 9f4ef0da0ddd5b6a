import Testing
@testable import ZigbeeCore

// Type ids and invalid values: ZigBee Cluster Library Specification (07-5123, rev 6/7/8)
// section 2.6.2, Table 2-10 "Data Types" (also tabulated at
// https://mmbnetworks.atlassian.net/wiki/spaces/SPRC2/pages/111321476/Zigbee+Specification+References).
// All multi-byte values are little-endian (ZCL 2.6.1 "Transmission order").

@Suite struct ZCLDataTypeTests {
    @Test func typeIdsMatchTheSpecificationTable() {
        let expected: [(UInt8, ZCLDataType)] = [
            (0x00, .noData), (0x08, .data8), (0x0F, .data64), (0x10, .bool), (0x18, .bitmap8),
            (0x1F, .bitmap64), (0x20, .uint8), (0x22, .uint24), (0x27, .uint64), (0x28, .int8),
            (0x2A, .int24), (0x2F, .int64), (0x30, .enum8), (0x31, .enum16), (0x38, .semi),
            (0x39, .single), (0x3A, .double), (0x41, .octstr), (0x42, .string), (0x43, .octstr16),
            (0x44, .string16), (0x48, .array), (0x4C, .structure), (0x50, .set), (0x51, .bag),
            (0xE0, .timeOfDay), (0xE1, .date), (0xE2, .utc), (0xE8, .clusterId), (0xE9, .attributeId),
            (0xEA, .bacnetOID), (0xF0, .eui64), (0xF1, .key128), (0xFF, .unknown),
        ]
        for (id, type) in expected {
            #expect(ZCLDataType(rawValue: id) == type)
            #expect(type.rawValue == id)
        }
        #expect(ZCLDataType(rawValue: 0x01) == .reserved(0x01))
        #expect(ZCLDataType.reserved(0x40).rawValue == 0x40)
        #expect(ZCLDataType.allDefined.count == 56)
        // Every id maps back to itself.
        for id in 0...255 { #expect(ZCLDataType(rawValue: UInt8(id)).rawValue == UInt8(id)) }
    }

    @Test func analogAndDiscreteClassification() {
        // ZCL Table 2-10 column "Analog / Discrete".
        for type in [ZCLDataType.uint8, .uint24, .int16, .int64, .semi, .single, .double, .timeOfDay, .date, .utc] {
            #expect(type.isAnalog, "\(type)")
        }
        for type in [ZCLDataType.bool, .data8, .bitmap16, .enum8, .enum16, .string, .octstr, .array, .structure, .clusterId, .eui64, .key128] {
            #expect(!type.isAnalog, "\(type)")
        }
    }

    /// One sample value for every defined type except "unknown" (which has no encoding).
    static let samples: [ZCLValue] = [
        .noData,
        .data(0xAB, .bits8), .data(0xABCD, .bits16), .data(0xABCDEF, .bits24), .data(0x0102_0304, .bits32),
        .data(0x01_0203_0405, .bits40), .data(0x0102_0304_0506, .bits48), .data(0x01_0203_0405_0607, .bits56),
        .data(0x0102_0304_0506_0708, .bits64),
        .bool(true),
        .bitmap(0x81, .bits8), .bitmap(0x8001, .bits16), .bitmap(0x80_0001, .bits24), .bitmap(0x8000_0001, .bits32),
        .bitmap(0x80_0000_0001, .bits40), .bitmap(0x8000_0000_0001, .bits48), .bitmap(0x80_0000_0000_0001, .bits56),
        .bitmap(0x8000_0000_0000_0001, .bits64),
        .unsigned(200, .bits8), .unsigned(60000, .bits16), .unsigned(0x12_3456, .bits24), .unsigned(0xDEAD_BEEF, .bits32),
        .unsigned(0xFF_FFFF_FFFE, .bits40), .unsigned(0x0102_0304_0506, .bits48), .unsigned(0x00FF_0000_0000_0001, .bits56),
        .unsigned(0xFFFF_FFFF_FFFF_FFFE, .bits64),
        .signed(-100, .bits8), .signed(-2000, .bits16), .signed(-2, .bits24), .signed(-123_456_789, .bits32),
        .signed(-1, .bits40), .signed(140_737_488_355_327, .bits48), .signed(-36_028_797_018_963_967, .bits56),
        .signed(Int64.max, .bits64),
        .enum8(0x03), .enum16(0x0115),
        .float(-2.5, .half), .float(3.14159274101257324, .single), .float(-1.0e300, .double),
        .octets([0x00, 0xFF, 0x10]), .string("Philips"), .longOctets(Array(repeating: 0x5A, count: 300)),
        .longString("ß long string ✓"),
        .array(.uint8, [.unsigned(1, .bits8), .unsigned(2, .bits8)]),
        .structure([.unsigned(5, .bits8), .bool(false), .string("x"), .array(.int16, [.signed(-1, .bits16)])]),
        .set(.uint16, [.unsigned(0x0102, .bits16)]),
        .bag(.enum8, [.enum8(1), .enum8(1)]),
        .timeOfDay(ZCLTimeOfDay(hours: 13, minutes: 45, seconds: 30, hundredths: 25)),
        .date(ZCLDate(yearSince1900: 124, month: 5, dayOfMonth: 17, dayOfWeek: 5)),
        .utc(0x2A3B_4C5D), .clusterId(0x0702), .attributeId(0x4000), .bacnetOID(0x0040_0001),
        .eui64(IEEEAddress(0x0012_4B00_0102_0304)),
        .key128(Array(0..<16)),
    ]

    @Test func everyDefinedTypeRoundTrips() throws {
        var covered = Set<UInt8>()
        for value in Self.samples {
            let bytes = try value.encoded()
            let decoded = try ZCLValue(decoding: bytes, as: value.dataType)
            #expect(decoded == value, "\(value)")
            #expect(decoded.dataType == value.dataType)
            #expect(try decoded.encoded() == bytes)
            covered.insert(value.dataType.rawValue)
        }
        let missing = ZCLDataType.allDefined.filter { $0 != .unknown && !covered.contains($0.rawValue) }
        #expect(missing.isEmpty, "no sample for \(missing)")
    }

    @Test func everyProperPrefixIsTruncated() throws {
        for value in Self.samples {
            let bytes = try value.encoded()
            for length in 0..<bytes.count {
                let error = codecError { _ = try ZCLValue(decoding: Array(bytes.prefix(length)), as: value.dataType) }
                #expect(error?.code == .truncated, "\(value) prefix \(length)")
            }
        }
    }

    @Test func handBuiltIntegerBytes() throws {
        // Sized integers, ZCL 2.6.2.4-2.6.2.6: little-endian, two's complement for signed.
        let vectors: [(ZCLDataType, String, ZCLValue)] = [
            (.uint24, "56 34 12", .unsigned(0x123456, .bits24)),
            (.int24, "fe ff ff", .signed(-2, .bits24)),
            (.int24, "ff ff 7f", .signed(8_388_607, .bits24)),
            (.uint40, "05 04 03 02 01", .unsigned(0x01_0203_0405, .bits40)),
            (.int40, "ff ff ff ff ff", .signed(-1, .bits40)),
            (.uint48, "06 05 04 03 02 01", .unsigned(0x0102_0304_0506, .bits48)),
            (.int48, "00 00 00 00 00 80", .signed(-140_737_488_355_328, .bits48)),
            (.uint56, "07 06 05 04 03 02 01", .unsigned(0x01_0203_0405_0607, .bits56)),
            (.int56, "01 00 00 00 00 00 80", .signed(-36_028_797_018_963_967, .bits56)),
            (.int16, "18 fc", .signed(-1000, .bits16)),
            (.bitmap16, "01 80", .bitmap(0x8001, .bits16)),
            (.data24, "aa bb cc", .data(0xCCBBAA, .bits24)),
            (.enum16, "15 00", .enum16(0x0015)),
        ]
        for (type, bytes, value) in vectors {
            #expect(try ZCLValue(decoding: hex(bytes), as: type) == value, "\(type) \(bytes)")
            #expect(try value.encoded() == hex(bytes))
        }
    }

    @Test func handBuiltOtherBytes() throws {
        let vectors: [(ZCLDataType, String, ZCLValue)] = [
            (.bool, "01", .bool(true)),
            (.bool, "00", .bool(false)),
            // Character / octet strings: length octet then data (ZCL 2.6.2.10/11).
            (.string, "03 61 62 63", .string("abc")),
            (.octstr, "00", .octets([])),
            (.octstr16, "02 00 aa bb", .longOctets([0xAA, 0xBB])),
            (.string16, "01 00 5a", .longString("Z")),
            // Array: element type, 2-byte count, elements (ZCL 2.6.2.13).
            (.array, "20 03 00 01 02 03", .array(.uint8, [.unsigned(1, .bits8), .unsigned(2, .bits8), .unsigned(3, .bits8)])),
            // Structure: 2-byte count, then (type, value) per member (ZCL 2.6.2.14).
            (.structure, "02 00 20 05 10 01", .structure([.unsigned(5, .bits8), .bool(true)])),
            (.set, "21 01 00 02 01", .set(.uint16, [.unsigned(0x0102, .bits16)])),
            // Time of day: hours, minutes, seconds, hundredths (ZCL 2.6.2.17).
            (.timeOfDay, "0d 2d 1e 19", .timeOfDay(ZCLTimeOfDay(hours: 13, minutes: 45, seconds: 30, hundredths: 25))),
            // Date: year-1900, month, day of month, day of week (ZCL 2.6.2.18).
            (.date, "7c 05 11 05", .date(ZCLDate(yearSince1900: 124, month: 5, dayOfMonth: 17, dayOfWeek: 5))),
            (.utc, "5d 4c 3b 2a", .utc(0x2A3B_4C5D)),
            (.clusterId, "02 07", .clusterId(0x0702)),
            (.eui64, "04 03 02 01 00 4b 12 00", .eui64(IEEEAddress(0x0012_4B00_0102_0304))),
            (.single, "00 00 80 3f", .float(1.0, .single)),
            (.double, "00 00 00 00 00 00 f8 bf", .float(-1.5, .double)),
        ]
        for (type, bytes, value) in vectors {
            #expect(try ZCLValue(decoding: hex(bytes), as: type) == value, "\(type) \(bytes)")
            #expect(try value.encoded() == hex(bytes))
        }
        if case .date(let date) = try ZCLValue(decoding: hex("7c 05 11 05"), as: .date) {
            #expect(date.year == 2024)
        } else {
            Issue.record("date did not decode")
        }
    }

    @Test func halfPrecisionFloats() throws {
        // IEEE 754 binary16 reference bit patterns (ZCL 2.6.2.9 "Semi-precision").
        let vectors: [(UInt16, Double)] = [
            (0x3C00, 1.0), (0xC000, -2.0), (0x7BFF, 65504), (0x0001, 0x1p-24), (0x0400, 0x1p-14),
            (0x3555, 0.333251953125), (0x7C00, .infinity), (0xFC00, -.infinity), (0x0000, 0), (0x8000, -0.0),
        ]
        for (bits, value) in vectors {
            let bytes = [UInt8(bits & 0xFF), UInt8(bits >> 8)]
            let decoded = try ZCLValue(decoding: bytes, as: .semi)
            #expect(decoded == .float(value, .half), "0x\(String(bits, radix: 16))")
            #expect(try ZCLValue.float(value, .half).encoded() == bytes)
        }
        // Rounding to nearest even and overflow.
        #expect(HalfFloat.encode(1.0 + 0x1p-11) == 0x3C00)
        #expect(HalfFloat.encode(1.0 + 0x1p-10 + 0x1p-11) == 0x3C02)
        #expect(HalfFloat.encode(70000) == 0x7C00)
        #expect(HalfFloat.encode(0x1p-26) == 0x0000)
        #expect(HalfFloat.encode(.nan) == 0x7E00)
        let nan = try ZCLValue(decoding: [0x00, 0x7E], as: .semi)
        #expect(nan.isInvalid)
    }

    @Test func invalidNumbersAreFlaggedNotThrown() throws {
        // "Invalid Number" column of ZCL Table 2-10.
        let invalid: [(ZCLDataType, String)] = [
            (.uint8, "ff"), (.uint16, "ff ff"), (.uint24, "ff ff ff"), (.uint48, "ff ff ff ff ff ff"),
            (.int8, "80"), (.int16, "00 80"), (.int24, "00 00 80"), (.int64, "00 00 00 00 00 00 00 80"),
            (.enum8, "ff"), (.enum16, "ff ff"), (.bool, "ff"), (.octstr, "ff"), (.string, "ff"),
            (.octstr16, "ff ff"), (.string16, "ff ff"), (.structure, "ff ff"), (.array, "20 ff ff"),
            (.set, "20 ff ff"), (.bag, "20 ff ff"), (.timeOfDay, "ff ff ff ff"), (.date, "ff ff ff ff"),
            (.utc, "ff ff ff ff"), (.clusterId, "ff ff"), (.attributeId, "ff ff"), (.bacnetOID, "ff ff ff ff"),
            (.eui64, "ff ff ff ff ff ff ff ff"), (.single, "00 00 c0 7f"), (.double, "00 00 00 00 00 00 f8 7f"),
        ]
        for (type, bytes) in invalid {
            let value = try ZCLValue(decoding: hex(bytes), as: type)
            #expect(value.isInvalid, "\(type)")
            #expect(value.dataType == type)
        }
        #expect(try ZCLValue(decoding: hex("ff"), as: .string) == .invalid(.string))
        #expect(try ZCLValue(decoding: hex("ff ff"), as: .uint16) == .unsigned(0xFFFF, .bits16))
        // Valid neighbours are not flagged.
        #expect(!(try ZCLValue(decoding: hex("fe ff"), as: .uint16)).isInvalid)
        #expect(!(try ZCLValue(decoding: hex("01 80"), as: .int16)).isInvalid)
        #expect(!ZCLValue.bitmap(0xFF, .bits8).isInvalid)
        // Explicit invalid markers encode to the table's bytes.
        #expect(try ZCLValue.invalid(.uint16).encoded() == hex("ff ff"))
        #expect(try ZCLValue.invalid(.int8).encoded() == hex("80"))
        #expect(try ZCLValue.invalid(.string).encoded() == hex("ff"))
        #expect(try ZCLValue.invalid(.bool).encoded() == hex("ff"))
        #expect(codecError { _ = try ZCLValue.invalid(.bitmap8).encoded() }?.code == .invalidValue)
    }

    @Test func malformedValuesThrow() throws {
        #expect(codecError { _ = try ZCLValue(decoding: [0x02], as: .bool) }?.code == .invalidValue)
        #expect(codecError { _ = try ZCLValue(decoding: [0x05, 0x61], as: .string) }?.code == .truncated)
        #expect(codecError { _ = try ZCLValue(decoding: [0x01, 0x02], as: .uint8) }?.code == .trailingBytes)
        #expect(codecError { _ = try ZCLValue(decoding: [0x00], as: .unknown) }?.code == .unsupportedDataType(0xFF))
        #expect(codecError { _ = try ZCLValue(decoding: [0x00], as: .reserved(0x40)) }?.code == .unsupportedDataType(0x40))
        // Array of an undecodable element type.
        #expect(codecError { _ = try ZCLValue(decoding: hex("40 01 00 00"), as: .array) }?.code == .unsupportedDataType(0x40))
        // Hostile nesting: arrays of arrays, 100 deep.
        let nested = Array(repeating: hex("48 01 00"), count: 100).flatMap { $0 }
        #expect(codecError { _ = try ZCLValue(decoding: [0x48, 0x01, 0x00] + nested, as: .array) }?.code == .nestingTooDeep)
    }

    @Test func encodingRejectsValuesThatDoNotFit() {
        #expect(codecError { _ = try ZCLValue.unsigned(256, .bits8).encoded() }?.code == .valueOutOfRange)
        #expect(codecError { _ = try ZCLValue.signed(-129, .bits8).encoded() }?.code == .valueOutOfRange)
        #expect(codecError { _ = try ZCLValue.signed(8_388_608, .bits24).encoded() }?.code == .valueOutOfRange)
        #expect(codecError { _ = try ZCLValue.string(String(repeating: "a", count: 255)).encoded() }?.code == .valueOutOfRange)
        #expect(codecError { _ = try ZCLValue.key128([1, 2]).encoded() }?.code == .valueOutOfRange)
        #expect(codecError { _ = try ZCLValue.array(.uint8, [.bool(true)]).encoded() }?.code == .typeMismatch)
        #expect((try? ZCLValue.string(String(repeating: "a", count: 254)).encoded())?.count == 255)
    }

    @Test func fuzzedBytesNeverTrap() {
        var rng = XorShift(seed: 0x5EED)
        for _ in 0..<3000 {
            let bytes = rng.bytes(maxCount: 24)
            let type = ZCLDataType(rawValue: UInt8.random(in: 0...255, using: &rng))
            do {
                let value = try ZCLValue(decoding: bytes, as: type)
                // Decoding is stable: re-encoding and re-decoding gives the same bytes.
                if let first = try? value.encoded() {
                    #expect(try ZCLValue(decoding: first, as: type).encoded() == first)
                }
            } catch {
                #expect(error is ZigbeeCodecError)
            }
        }
    }
}
