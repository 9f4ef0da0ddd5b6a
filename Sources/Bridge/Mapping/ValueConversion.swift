import Foundation

/// The radio value kind a converted TR-181 value is written back as.
public enum RadioValueKind: String, Sendable, Hashable, CaseIterable {
    case bool, int, double, string, enumeration
}

/// A non-linear step applied to a numeric radio value before scaling.
public enum ValueTransform: String, Sendable, Hashable, CaseIterable {
    /// ZCL illuminance: MeasuredValue = 10000 × log10(lux) + 1 (ZCL 4.2.2.2.1), so
    /// lux = 10^((v − 1) / 10000); 0 means "too low to measure" and gives 0.
    case zclIlluminance = "zcl_illuminance"
    /// x → 1 000 000 / x: mireds ↔ kelvin (ZCL colour temperature); its own inverse.
    case reciprocalMega = "reciprocal_1e6"
}

/// Turns radio values into TR-181 values and back. Linear part:
/// `tr181 = transform(radio) × scale × multiplier / divisor + offset`, where multiplier and
/// divisor may come from unit properties read in the interview (ZCL metering and electrical
/// measurement formatting attributes).
public struct ValueConversion: Sendable, Hashable {
    public var scale: Double = 1
    public var offset: Double = 0
    /// Digits after the decimal point in the TR-181 value (trailing zeros are dropped).
    public var decimals: Int = 3
    public var invert: Bool = false
    /// Boolean taken from this bit of an integer/bitmap value.
    public var bit: Int?
    /// Raw value → TR-181 string, in ValidValues order.
    public var enumTable: [(Int64, String)] = []
    public var transform: ValueTransform?
    public var multiplierProperty: String?
    public var divisorProperty: String?
    /// Added to the divisor property's value: `-1` turns a level count N into the top level
    /// N − 1 (IAS zone sensitivity levels 0…N−1 onto 0…100).
    public var divisorOffset: Double = 0
    /// How a written value goes back to the radio.
    public var radioKind: RadioValueKind?

    public init() {}

    public static func == (a: ValueConversion, b: ValueConversion) -> Bool {
        a.scale == b.scale && a.offset == b.offset && a.decimals == b.decimals && a.invert == b.invert && a.bit == b.bit
            && a.enumTable.map(\.0) == b.enumTable.map(\.0) && a.enumTable.map(\.1) == b.enumTable.map(\.1)
            && a.transform == b.transform && a.multiplierProperty == b.multiplierProperty
            && a.divisorProperty == b.divisorProperty && a.divisorOffset == b.divisorOffset && a.radioKind == b.radioKind
    }
    public func hash(into h: inout Hasher) {
        h.combine(scale); h.combine(offset); h.combine(decimals); h.combine(invert); h.combine(bit)
        for (k, v) in enumTable { h.combine(k); h.combine(v) }
        h.combine(transform); h.combine(multiplierProperty); h.combine(divisorProperty); h.combine(divisorOffset); h.combine(radioKind)
    }

    /// The effective linear factor for a unit with these properties (nil when a divisor is 0).
    func factor(_ properties: [String: RadioValue]) -> Double? {
        var f = scale
        if let m = multiplierProperty, let v = properties[m]?.number { f *= v }
        if let d = divisorProperty, let v = properties[d]?.number {
            let divisor = v + divisorOffset
            guard divisor != 0, divisor.isFinite else { return nil }
            f /= divisor
        }
        return f
    }

    // MARK: radio → TR-181

    /// Renders a radio value as the TR-181 value of a capability of class `cls`; nil when the
    /// value cannot be converted (wrong kind, not finite).
    public func tr181Value(_ value: RadioValue, class cls: CapabilityClass, properties: [String: RadioValue] = [:]) -> String? {
        switch cls {
        case .binaryControl, .binarySensor:
            return boolean(value).map { String($0 != invert) }
        case .levelControl, .levelSensor:
            return number(value, properties).map(Self.render(decimals: decimals))
        case .multiLevelSensor:
            guard case .list(let items) = value, !items.isEmpty else { return nil }
            var out: [String] = []
            for item in items {
                guard let n = number(item, properties) else { return nil }
                out.append(Self.render(decimals: decimals)(n))
            }
            return out.joined(separator: ",")
        case .enumControl, .enumSensor:
            if case .string(let s) = value { return s }
            guard let raw = value.number, let i = Int64(exactly: raw.rounded()) else { return nil }
            if let hit = enumTable.first(where: { $0.0 == i }) { return hit.1 }
            return enumTable.isEmpty ? String(i) : nil
        }
    }

    func boolean(_ value: RadioValue) -> Bool? {
        switch value {
        case .bool(let b): return bit == nil ? b : nil
        case .int, .enumeration, .double:
            guard let n = value.number, let i = Int64(exactly: n.rounded()) else { return nil }
            if let bit { return bit >= 0 && bit < 63 && (i >> Int64(bit)) & 1 == 1 }
            return i != 0
        case .string(let s):
            switch s.lowercased() {
            case "true", "1", "on", "open": return true
            case "false", "0", "off", "closed": return false
            default: return nil
            }
        case .list: return nil
        }
    }

    func number(_ value: RadioValue, _ properties: [String: RadioValue]) -> Double? {
        guard case let raw? = value.number, raw.isFinite, let f = factor(properties) else { return nil }
        var v = raw
        switch transform {
        case .zclIlluminance?:
            v = raw <= 0 ? 0 : pow(10, (raw - 1) / 10000)
        case .reciprocalMega?:
            guard raw != 0 else { return nil }
            v = 1_000_000 / raw
        case nil: break
        }
        let out = v * f + offset
        return out.isFinite ? out : nil
    }

    /// Decimal rendering without exponent and without trailing zeros (TR-106 decimal).
    static func render(decimals: Int) -> (Double) -> String {
        { v in
            let d = Swift.max(0, Swift.min(decimals, 9))
            var s = String(format: "%.\(d)f", v)
            if s.contains(".") {
                while s.hasSuffix("0") { s.removeLast() }
                if s.hasSuffix(".") { s.removeLast() }
            }
            if s == "-0" { s = "0" }
            return s
        }
    }

    // MARK: TR-181 → radio

    /// Converts a canonical TR-181 value to the radio value to write; nil when it cannot be.
    public func radioValue(_ text: String, class cls: CapabilityClass, properties: [String: RadioValue] = [:]) -> RadioValue? {
        switch cls {
        case .binaryControl, .binarySensor:
            let b: Bool
            switch text { case "true", "1": b = true; case "false", "0": b = false; default: return nil }
            let radio = b != invert
            switch radioKind ?? .bool {
            case .bool: return .bool(radio)
            case .int: return .int(radio ? 1 : 0)
            case .enumeration: return .enumeration(radio ? 1 : 0)
            case .double: return .double(radio ? 1 : 0)
            case .string: return .string(radio ? "true" : "false")
            }
        case .levelControl, .levelSensor:
            guard let x = Double(text), x.isFinite, let f = factor(properties), f != 0 else { return nil }
            var v = (x - offset) / f
            switch transform {
            case .zclIlluminance?: v = v <= 0 ? 0 : 10000 * log10(v) + 1
            case .reciprocalMega?:
                guard v != 0 else { return nil }
                v = 1_000_000 / v
            case nil: break
            }
            guard v.isFinite else { return nil }
            switch radioKind ?? .int {
            case .double: return .double(v)
            case .string: return .string(Self.render(decimals: decimals)(v))
            case .bool: return .bool(v != 0)
            case .int, .enumeration:
                let r = v.rounded()
                guard r >= -9.2e18, r <= 9.2e18 else { return nil }
                return radioKind == .enumeration ? (r >= 0 && r <= 4.2e9 ? .enumeration(UInt32(r)) : nil) : .int(Int64(r))
            }
        case .enumControl, .enumSensor:
            if enumTable.isEmpty { return .string(text) }
            guard let raw = enumTable.first(where: { $0.1 == text })?.0 else { return nil }
            switch radioKind ?? .enumeration {
            case .enumeration: return raw >= 0 && raw <= Int64(UInt32.max) ? .enumeration(UInt32(raw)) : nil
            case .int: return .int(raw)
            case .double: return .double(Double(raw))
            case .string: return .string(text)
            case .bool: return .bool(raw != 0)
            }
        case .multiLevelSensor:
            return nil
        }
    }
}
