/// IEEE 754 binary16 conversion used by the ZCL semi-precision type (0x38).
/// Implemented by hand because `Float16` is not available on every platform we build for.
enum HalfFloat {
    static func decode(_ bits: UInt16) -> Double {
        let negative = bits & 0x8000 != 0
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Double(bits & 0x03FF)
        let magnitude: Double
        switch exponent {
        case 0:
            magnitude = fraction * 0x1p-24
        case 0x1F:
            magnitude = fraction == 0 ? .infinity : .nan
        default:
            magnitude = (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }

    /// Rounds to nearest, ties to even. NaN becomes the quiet NaN 0x7E00.
    static func encode(_ value: Double) -> UInt16 {
        if value.isNaN { return 0x7E00 }
        let sign: UInt16 = value.sign == .minus ? 0x8000 : 0
        let magnitude = value.magnitude
        if magnitude.isInfinite || magnitude >= 65520 { return sign | 0x7C00 }
        if magnitude == 0 { return sign }
        if magnitude < 0x1p-14 {
            // Subnormal: units of 2^-24. Rounding up to 1024 yields the smallest normal, which
            // has exactly that bit pattern.
            let units = (magnitude * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(units)
        }
        var exponent = Int(magnitude.exponent)
        let significand = Double(sign: .plus, exponent: 0, significand: magnitude.significand)
        var mantissa = ((significand - 1) * 1024).rounded(.toNearestOrEven)
        if mantissa >= 1024 {
            mantissa = 0
            exponent += 1
        }
        if exponent > 15 { return sign | 0x7C00 }
        return sign | UInt16(exponent + 15) << 10 | UInt16(mantissa)
    }
}
