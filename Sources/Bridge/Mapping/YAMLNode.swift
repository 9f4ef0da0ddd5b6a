import Yams

/// A YAML node with its field path, for reading mapping files with precise errors.
struct YAMLValue {
    let node: Node
    let field: String
    let file: String

    var line: Int { node.mark?.line ?? 0 }
    var column: Int { node.mark?.column ?? 0 }

    func error(_ message: String) -> MappingError {
        MappingError(file: file, line: line, column: column, field: field, message: message)
    }

    func child(_ key: String, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, field: field.isEmpty ? key : "\(field).\(key)", file: file)
    }

    /// Key/value pairs of a mapping, in file order.
    func pairs() throws(MappingError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let m) = node else { throw error("expected a mapping") }
        var out: [(String, YAMLValue)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else {
                throw YAMLValue(node: k, field: field, file: file).error("mapping keys must be plain scalars")
            }
            out.append((s.string, child(s.string, v)))
        }
        return out
    }

    /// A mapping's values by key; `allowed` keys only (typos are errors).
    func fields(allowed: Set<String>) throws(MappingError) -> [String: YAMLValue] {
        var out: [String: YAMLValue] = [:]
        for (k, v) in try pairs() {
            guard allowed.contains(k) else {
                throw YAMLValue(node: v.node, field: v.field, file: file)
                    .error("unknown field '\(k)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            out[k] = v
        }
        return out
    }

    func items() throws(MappingError) -> [YAMLValue] {
        guard case .sequence(let s) = node else { throw error("expected a list") }
        return s.enumerated().map { i, n in YAMLValue(node: n, field: "\(field)[\(i)]", file: file) }
    }

    func string() throws(MappingError) -> String {
        guard case .scalar(let s) = node else { throw error("expected a text value") }
        return s.string
    }

    func nonEmptyString() throws(MappingError) -> String {
        let s = try string()
        guard !s.isEmpty else { throw error("must not be empty") }
        return s
    }

    func bool() throws(MappingError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false")
        }
    }

    /// An integer in decimal or `0x` hexadecimal.
    func integer() throws(MappingError) -> Int64 {
        let s = try string().replacingOccurrences(of: "_", with: "")
        if let v = Self.parseInteger(s) { return v }
        throw error("expected an integer (decimal or 0x hexadecimal), got '\(s)'")
    }

    func integer<T: FixedWidthInteger>(_: T.Type, name: String) throws(MappingError) -> T {
        let v = try integer()
        guard let t = T(exactly: v) else { throw error("\(name) \(v) is out of range \(T.min)…\(T.max)") }
        return t
    }

    func number() throws(MappingError) -> Double {
        let s = try string()
        if let i = Self.parseInteger(s) { return Double(i) }
        guard let d = Double(s), d.isFinite else { throw error("expected a number, got '\(s)'") }
        return d
    }

    static func parseInteger(_ s: String) -> Int64? {
        var t = Substring(s)
        var negative = false
        if t.hasPrefix("-") { negative = true; t = t.dropFirst() }
        let magnitude: Int64?
        if t.hasPrefix("0x") || t.hasPrefix("0X") { magnitude = Int64(t.dropFirst(2), radix: 16) } else { magnitude = Int64(t) }
        guard let m = magnitude, !t.isEmpty else { return nil }
        return negative ? -m : m
    }

    /// A scalar argument value: bool, integer, number or text.
    func radioValue() throws(MappingError) -> RadioValue {
        guard case .scalar(let s) = node else { throw error("expected a scalar value") }
        let text = s.string
        if s.style == .plain {
            switch text { case "true": return .bool(true); case "false": return .bool(false); default: break }
            if let i = Self.parseInteger(text) { return .int(i) }
            if let d = Double(text), d.isFinite { return .double(d) }
        }
        return .string(text)
    }
}
