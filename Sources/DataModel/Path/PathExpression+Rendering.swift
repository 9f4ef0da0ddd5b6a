extension PathExpression: CustomStringConvertible {
    /// The canonical text of the path; parsing it gives back an equal value.
    public var description: String {
        var s = objectSegmentsDescription
        switch leaf {
        case .object: break
        case .parameter(let n): s += n
        case .command(let n): s += n + "()"
        case .event(let n): s += n + "!"
        }
        return s
    }

    /// The path up to and including the last `.` of its object part.
    public var objectSegmentsDescription: String {
        var s = ""
        for seg in segments {
            switch seg {
            case .name(let n): s += n
            case .instance(.number(let n)): s += String(n)
            case .instance(.wildcard): s += "*"
            case .instance(.expression(let comps)): s += "[" + comps.map(\.description).joined(separator: "&&") + "]"
            case .reference(let p, let idx): s += p + Self.render(idx)
            }
            s += "."
        }
        return s
    }

    static func render(_ idx: ReferenceIndex) -> String {
        switch idx {
        case .item(1): return "+"
        case .item(let n): return "#\(n)+"
        case .all: return "#*+"
        }
    }

    /// True when the path may match several instances: a wildcard, a search expression
    /// (including unique-key addressing, which the resolver tells apart) or a followed reference.
    public var isSearchPath: Bool {
        segments.contains { seg in
            switch seg {
            case .instance(.number), .name: return false
            case .instance(.wildcard), .instance(.expression), .reference: return true
            }
        }
    }
}

extension PathExpression.SearchComponent: CustomStringConvertible {
    public var description: String {
        let path = self.path.map { step in step.name + (step.follow.map { PathExpression.render($0) } ?? "") }.joined(separator: ".")
        let value: String
        switch self.value {
        case .quoted(let q): value = "\"" + q.replacingPercentSpecials() + "\""
        case .bare(let b): value = b
        }
        return path + op.rawValue + value
    }
}

extension String {
    /// Escapes `%` and `"` as TR-369 asks for quoted search values.
    func replacingPercentSpecials() -> String {
        var out = ""
        for c in self {
            switch c {
            case "%": out += "%25"
            case "\"": out += "%22"
            default: out.append(c)
            }
        }
        return out
    }
}
