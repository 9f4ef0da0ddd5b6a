import Foundation

/// Rendering of TR-106 dateTime values.
public enum USPDateTime {
    /// TR-106's "Unknown Time".
    public static let unknown = "0001-01-01T00:00:00Z"

    /// `date` in UTC, whole seconds (rounded down), e.g. `2026-11-24T21:32:20Z`. Computed
    /// directly (proleptic Gregorian calendar, years 0001…9999) rather than with a date
    /// formatter: formatters load ICU's calendar and locale data, megabytes of resident memory
    /// for a fixed format. Dates outside those years render as the nearest end.
    public static func render(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        guard t.isFinite else { return unknown }
        // 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z.
        let secs = Int64(Swift.min(Swift.max(t.rounded(.down), -62_135_596_800), 253_402_300_799))
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let sod = Int(secs - days * 86_400)
        // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400 + (month <= 2 ? 1 : 0))
        return String(unsafeUninitializedCapacity: 20) { buf in
            func put(_ v: Int, _ width: Int, at i: Int) {
                var v = v
                for k in stride(from: i + width - 1, through: i, by: -1) { buf[k] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 }
            }
            put(year, 4, at: 0); buf[4] = UInt8(ascii: "-")
            put(month, 2, at: 5); buf[7] = UInt8(ascii: "-")
            put(day, 2, at: 8); buf[10] = UInt8(ascii: "T")
            put(sod / 3600, 2, at: 11); buf[13] = UInt8(ascii: ":")
            put(sod / 60 % 60, 2, at: 14); buf[16] = UInt8(ascii: ":")
            put(sod % 60, 2, at: 17); buf[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Seconds from 0001-01-01T00:00:00Z to the Unix epoch.
    static let epochOffset: Decimal = 62_135_596_800

    /// A TR-106 dateTime as a `Date`; nil when it is not one.
    public static func date(_ text: String) -> Date? {
        guard let s = parse(text) else { return nil }
        return Date(timeIntervalSince1970: NSDecimalNumber(decimal: s - epochOffset).doubleValue)
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`; returns seconds since 0001-01-01
    /// (as a Decimal, to keep fractions) and whether it was the unknown time.
    static func parse(_ text: String) -> Decimal? {
        let c = Array(text.utf8)
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= c.count else { return nil }
            var v = 0
            for i in from..<(from + n) {
                guard c[i] >= 48 && c[i] <= 57 else { return nil }
                v = v * 10 + Int(c[i] - 48)
            }
            return v
        }
        guard c.count >= 20, let y = digits(0, 4), c[4] == 45, let mo = digits(5, 2), c[7] == 45, let d = digits(8, 2),
              c[10] == 84, let h = digits(11, 2), c[13] == 58, let mi = digits(14, 2), c[16] == 58, let s = digits(17, 2),
              (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y), h <= 23, mi <= 59, s <= 60 else { return nil }
        var i = 19
        var fraction: Decimal = 0
        if i < c.count && c[i] == 46 {
            i += 1
            var scale: Decimal = 1
            let start = i
            while i < c.count, c[i] >= 48 && c[i] <= 57 { scale /= 10; fraction += Decimal(Int(c[i] - 48)) * scale; i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        guard i < c.count else { return nil }
        if c[i] == 90 { i += 1 }
        else if c[i] == 43 || c[i] == 45 {
            guard let oh = digits(i + 1, 2), i + 3 < c.count, c[i + 3] == 58, let om = digits(i + 4, 2), oh <= 23, om <= 59 else { return nil }
            offset = (oh * 60 + om) * 60 * (c[i] == 43 ? 1 : -1)
            i += 6
        } else { return nil }
        guard i == c.count else { return nil }
        var days = 0
        if y > 1 { for yy in 1..<y { days += isLeap(yy) ? 366 : 365 } }
        if mo > 1 { for mm in 1..<mo { days += daysIn(month: mm, year: y) } }
        days += d - 1
        let secs = ((days * 24 + h) * 60 + mi) * 60 + s - offset
        return Decimal(secs) + fraction
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Canonical text: fractions kept as given, offsets converted to `Z`.
    static func canonical(_ text: String) -> String? {
        guard let secs = parse(text) else { return nil }
        if text.hasSuffix("Z") { return text }
        // Re-render in UTC; keep any fraction digits.
        let whole = NSDecimalNumber(decimal: secs).int64Value
        let frac: String = {
            guard let dot = text.firstIndex(of: "."), text.distance(from: text.startIndex, to: dot) == 19 else { return "" }
            let end = text[dot...].firstIndex { $0 == "+" || $0 == "-" } ?? text.endIndex
            return String(text[dot..<end])
        }()
        var rem = Int(whole)
        let s = rem % 60; rem /= 60
        let mi = rem % 60; rem /= 60
        let h = rem % 24; var days = rem / 24
        var y = 1
        while days >= (isLeap(y) ? 366 : 365) { days -= isLeap(y) ? 366 : 365; y += 1 }
        var mo = 1
        while days >= daysIn(month: mo, year: y) { days -= daysIn(month: mo, year: y); mo += 1 }
        func p(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(p(y, 4))-\(p(mo, 2))-\(p(days + 1, 2))T\(p(h, 2)):\(p(mi, 2)):\(p(s, 2))\(frac)Z"
    }
}

extension ValueSyntax {
    /// Validates a value string (from Set, Add or Operate) and returns its canonical form.
    /// Throws 7011 when the text is not of the type at all and 7012 when it is out of range,
    /// not in the enumeration or too long.
    public func canonicalValue(_ text: String) throws(USPError) -> String {
        guard let list else { return try canonicalItem(text) }
        if let max = list.maxLength, text.count > max {
            throw USPError(.invalidValue, "list is \(text.count) characters long; at most \(max) allowed")
        }
        let items = text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if let min = list.minItems, items.count < min { throw USPError(.invalidValue, "list has \(items.count) items; at least \(min) needed") }
        if let max = list.maxItems, items.count > max { throw USPError(.invalidValue, "list has \(items.count) items; at most \(max) allowed") }
        var out: [String] = []
        for item in items { out.append(try canonicalItem(item)) }
        return out.joined(separator: ",")
    }

    func canonicalItem(_ text: String) throws(USPError) -> String {
        switch base {
        case .string:
            if !enumeration.isEmpty && !enumeration.contains(text) {
                throw USPError(.invalidValue, "'\(text)' is not one of \(enumeration.joined(separator: ", "))")
            }
            try checkLength(text.count, unit: "characters")
            return text
        case .boolean:
            switch text {
            case "true", "1": return "true"
            case "false", "0": return "false"
            default: throw USPError(.invalidType, "'\(text)' is not a boolean (true, false, 1 or 0)")
            }
        case .int, .long, .unsignedInt, .unsignedLong:
            let (neg, digits) = try Self.integerParts(text)
            let lo: String, hi: String
            switch base {
            case .int: lo = "-2147483648"; hi = "2147483647"
            case .long: lo = "-9223372036854775808"; hi = "9223372036854775807"
            case .unsignedInt: lo = "0"; hi = "4294967295"
            default: lo = "0"; hi = "18446744073709551615"
            }
            let canonical = (neg && digits != "0" ? "-" : "") + digits
            if let value = Decimal(string: canonical), let l = Decimal(string: lo), let h = Decimal(string: hi), value < l || value > h {
                throw USPError(.invalidValue, "\(text) is out of range for \(base.rawValue) (\(lo) to \(hi))")
            }
            try checkRanges(canonical)
            return canonical
        case .decimal:
            guard Self.isDecimalLiteral(text), let v = Decimal(string: text) else {
                throw USPError(.invalidType, "'\(text)' is not a decimal number")
            }
            _ = v
            try checkRanges(text)
            return Self.trimDecimal(text)
        case .dateTime:
            guard let c = USPDateTime.canonical(text) else {
                throw USPError(.invalidType, "'\(text)' is not a dateTime (YYYY-MM-DDThh:mm:ssZ)")
            }
            return c
        case .hexBinary:
            guard text.count % 2 == 0, text.allSatisfy(\.isHexDigit), text.allSatisfy(\.isASCII) else {
                throw USPError(.invalidType, "'\(text)' is not hexBinary (an even number of hex digits)")
            }
            try checkLength(text.count / 2, unit: "bytes")
            return text.lowercased()
        case .base64:
            guard let data = Data(base64Encoded: text) else {
                throw USPError(.invalidType, "'\(text)' is not valid base64")
            }
            try checkLength(data.count, unit: "bytes")
            return text
        }
    }

    func checkLength(_ n: Int, unit: String) throws(USPError) {
        if let max = maxLength, n > max { throw USPError(.invalidValue, "value is \(n) \(unit) long; at most \(max) allowed") }
        if let min = minLength, n < min { throw USPError(.invalidValue, "value is \(n) \(unit) long; at least \(min) needed") }
    }

    func checkRanges(_ canonical: String) throws(USPError) {
        guard !ranges.isEmpty, let v = Decimal(string: canonical) else { return }
        let ok = ranges.contains { r in
            (r.min.flatMap { Decimal(string: $0) }.map { v >= $0 } ?? true) && (r.max.flatMap { Decimal(string: $0) }.map { v <= $0 } ?? true)
        }
        if !ok {
            let text = ranges.map { "\($0.min ?? "…") to \($0.max ?? "…")" }.joined(separator: " or ")
            throw USPError(.invalidValue, "\(canonical) is outside the allowed range \(text)")
        }
    }

    /// Sign and digits (leading zeros removed) of an integer literal like `+0123`.
    static func integerParts(_ text: String) throws(USPError) -> (Bool, String) {
        var s = Substring(text)
        var neg = false
        if s.first == "-" { neg = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw USPError(.invalidType, "'\(text)' is not an integer")
        }
        let trimmed = s.drop { $0 == "0" }
        return (neg, trimmed.isEmpty ? "0" : String(trimmed))
    }

    static func isDecimalLiteral(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !(parts.first?.isEmpty ?? true) || (parts.count == 2 && !parts[1].isEmpty) else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    static func trimDecimal(_ text: String) -> String {
        var s = text
        if s.hasPrefix("+") { s.removeFirst() }
        return s
    }
}

extension ValueSyntax {
    /// Evaluates `value op constant` for a search expression (TR-369 "Searching with
    /// Expressions"). Strings, booleans and the unknown dateTime allow only == and !=; `~=`
    /// only applies to lists. A constant of the wrong kind (e.g. `Enable=="true"`) is 7008.
    public func matches(_ value: String, _ op: PathExpression.SearchOperator, _ constant: PathExpression.SearchValue) throws(USPError) -> Bool {
        if op == .contains {
            guard list != nil else { throw USPError(.invalidPathSyntax, "'~=' applies only to list-valued parameters") }
            let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var item = self; item.list = nil
            for i in items where try item.compare(i, .equal, constant) { return true }
            return false
        }
        if list != nil {
            // A whole list compared as a string.
            guard case .quoted(let q) = constant else { throw USPError(.invalidPathSyntax, "list parameters compare with quoted strings") }
            switch op {
            case .equal: return value == q
            case .notEqual: return value != q
            default: throw USPError(.invalidPathSyntax, "only ==, != and ~= apply to lists")
            }
        }
        return try compare(value, op, constant)
    }

    func compare(_ value: String, _ op: PathExpression.SearchOperator, _ constant: PathExpression.SearchValue) throws(USPError) -> Bool {
        switch base {
        case .string, .hexBinary, .base64:
            guard case .quoted(let q) = constant else {
                throw USPError(.invalidPathSyntax, "a \(base.rawValue) parameter must be compared with a quoted string")
            }
            switch op {
            case .equal: return value == q
            case .notEqual: return value != q
            default: throw USPError(.invalidPathSyntax, "only == and != apply to \(base.rawValue) parameters")
            }
        case .boolean:
            guard case .bare(let b) = constant else { throw USPError(.invalidPathSyntax, "a boolean parameter is compared with true/false, not a quoted string") }
            let c: Bool
            switch b { case "true", "1": c = true; case "false", "0": c = false
            default: throw USPError(.invalidPathSyntax, "'\(b)' is not a boolean") }
            let v = value == "true" || value == "1"
            switch op {
            case .equal: return v == c
            case .notEqual: return v != c
            default: throw USPError(.invalidPathSyntax, "only == and != apply to boolean parameters")
            }
        case .int, .long, .unsignedInt, .unsignedLong, .decimal:
            guard case .bare(let b) = constant else { throw USPError(.invalidPathSyntax, "a number is compared with an unquoted number") }
            guard let c = Self.numericValue(b) else { throw USPError(.invalidPathSyntax, "'\(b)' is not a number") }
            guard let v = Self.numericValue(value) else { return false }
            return Self.apply(op, v, c)
        case .dateTime:
            guard case .bare(let b) = constant else { throw USPError(.invalidPathSyntax, "a dateTime is compared with an unquoted dateTime") }
            guard let c = USPDateTime.parse(b) else { throw USPError(.invalidPathSyntax, "'\(b)' is not a dateTime") }
            if b == USPDateTime.unknown && op != .equal && op != .notEqual {
                throw USPError(.invalidPathSyntax, "only == and != apply to the unknown time")
            }
            guard let v = USPDateTime.parse(value) else { return false }
            return Self.apply(op, v, c)
        }
    }

    static func numericValue(_ s: String) -> Decimal? {
        guard isDecimalLiteral(s) else { return nil }
        return Decimal(string: s.hasPrefix("+") ? String(s.dropFirst()) : s)
    }

    static func apply(_ op: PathExpression.SearchOperator, _ a: Decimal, _ b: Decimal) -> Bool {
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .greater: return a > b
        case .lessOrEqual: return a <= b
        case .greaterOrEqual: return a >= b
        case .contains: return false
        }
    }
}
