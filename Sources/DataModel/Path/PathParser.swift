/// A strict parser of TR-369 path names (the `idmpath` and `sdmpath` grammars of TR-369
/// "Data Model Path Grammar"). Errors are USPError 7008 naming the character and position.
struct PathParser {
    let text: String
    let chars: [Character]
    var pos = 0

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    var atEnd: Bool { pos >= chars.count }
    var current: Character? { pos < chars.count ? chars[pos] : nil }

    func fail(_ what: String) -> USPError {
        let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
        if let c = current {
            return USPError(.invalidPathSyntax, "invalid character '\(c)' at position \(pos + 1) in \"\(shown)\": \(what)")
        }
        return USPError(.invalidPathSyntax, "path \"\(shown)\" ends early at position \(pos + 1): \(what)")
    }

    static func isNameStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
    static func isNameChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

    mutating func name() throws(USPError) -> String {
        guard let c = current, Self.isNameStart(c) else { throw fail("expected a name") }
        let start = pos
        while let c = current, Self.isNameChar(c) { pos += 1 }
        return String(chars[start..<pos])
    }

    mutating func expect(_ c: Character, _ what: String) throws(USPError) {
        guard current == c else { throw fail(what) }
        pos += 1
    }

    mutating func posnum() throws(USPError) -> UInt32 {
        guard let c = current, c.isASCII, c.isNumber, c != "0" else { throw fail("expected an instance number (1 or more, no leading zero)") }
        let start = pos
        while let c = current, c.isASCII, c.isNumber { pos += 1 }
        guard let n = UInt32(String(chars[start..<pos])) else {
            pos = start
            throw fail("instance number out of range")
        }
        return n
    }

    /// `#n+`, `#*+` or `+` after a parameter name; nil if none follows.
    mutating func referenceFollow() throws(USPError) -> PathExpression.ReferenceIndex? {
        if current == "+" { pos += 1; return .item(1) }
        guard current == "#" else { return nil }
        pos += 1
        let index: PathExpression.ReferenceIndex
        if current == "*" { pos += 1; index = .all } else { index = .item(Int(try posnum())) }
        try expect("+", "expected '+' after a list index")
        return index
    }

    mutating func parse() throws(USPError) -> PathExpression {
        guard !chars.isEmpty else { throw USPError(.invalidPathSyntax, "empty path") }
        var segments: [PathExpression.Segment] = [.name(try name())]
        try expect(".", "expected '.' after the first object name")
        // After a name we may see: end (object path), '.', '()' (command), '!' (event),
        // or, after a '.', an instance identifier.
        while true {
            if atEnd { return PathExpression(segments: segments, leaf: .object) }
            guard let c = current else { break }
            if c == "*" {
                guard case .name = segments.last, segments.count > 1 else { throw fail("an instance identifier must follow an object name") }
                pos += 1
                segments.append(.instance(.wildcard))
                try expect(".", "expected '.' after '*'")
                continue
            }
            if c == "[" {
                guard case .name = segments.last, segments.count > 1 else { throw fail("an instance identifier must follow an object name") }
                segments.append(.instance(.expression(try expression())))
                try expect(".", "expected '.' after ']'")
                continue
            }
            if c.isASCII && c.isNumber {
                guard case .name = segments.last, segments.count > 1 else { throw fail("an instance identifier must follow an object name") }
                segments.append(.instance(.number(try posnum())))
                try expect(".", "expected '.' after an instance number")
                continue
            }
            let n = try name()
            if atEnd { return PathExpression(segments: segments, leaf: .parameter(n)) }
            switch current {
            case ".":
                pos += 1
                segments.append(.name(n))
            case "(":
                pos += 1
                try expect(")", "expected ')' to close the command's '('")
                guard atEnd else { throw fail("nothing may follow a command's '()'") }
                return PathExpression(segments: segments, leaf: .command(n))
            case "!":
                pos += 1
                guard atEnd else { throw fail("nothing may follow an event's '!'") }
                return PathExpression(segments: segments, leaf: .event(n))
            case "+", "#":
                let index = try referenceFollow()!
                segments.append(.reference(parameter: n, index: index))
                if atEnd { return PathExpression(segments: segments, leaf: .object) }
                try expect(".", "expected '.' after a followed reference")
            default:
                throw fail("expected '.', '()', '!' or the end of the path after \(n)")
            }
        }
        throw fail("unexpected end")
    }

    mutating func skipSpaces() { while current == " " { pos += 1 } }

    mutating func expression() throws(USPError) -> [PathExpression.SearchComponent] {
        try expect("[", "expected '['")
        var comps: [PathExpression.SearchComponent] = []
        repeat {
            skipSpaces()
            if current == "]" { throw fail(comps.isEmpty ? "empty search expression" : "expected an expression after '&&'") }
            comps.append(try component())
            skipSpaces()
            if current == "&" {
                pos += 1
                try expect("&", "expected '&&' between expression components")
                continue
            }
            break
        } while true
        try expect("]", "expected ']' or '&&' in search expression")
        return comps
    }

    mutating func component() throws(USPError) -> PathExpression.SearchComponent {
        var steps: [PathExpression.RelativeStep] = []
        while true {
            let n = try name()
            let follow = try referenceFollow()
            steps.append(PathExpression.RelativeStep(name: n, follow: follow))
            if current == "." {
                pos += 1
                if let c = current, c.isASCII && (c.isNumber || c == "*" || c == "[") {
                    throw fail("a search expression may not descend into a child table")
                }
                continue
            }
            break
        }
        if steps.last?.follow != nil { throw fail("a search expression must end in a parameter name") }
        skipSpaces()
        let op = try searchOperator()
        skipSpaces()
        let value = try searchValue()
        return PathExpression.SearchComponent(path: steps, op: op, value: value)
    }

    mutating func searchOperator() throws(USPError) -> PathExpression.SearchOperator {
        let two = pos + 1 < chars.count ? String(chars[pos...pos + 1]) : ""
        for op in [PathExpression.SearchOperator.equal, .notEqual, .contains, .lessOrEqual, .greaterOrEqual] where two == op.rawValue {
            pos += 2
            return op
        }
        if current == "<" { pos += 1; return .less }
        if current == ">" { pos += 1; return .greater }
        throw fail("expected one of == != ~= < > <= >=")
    }

    mutating func searchValue() throws(USPError) -> PathExpression.SearchValue {
        if current == "\"" {
            pos += 1
            var raw: [Character] = []
            while let c = current, c != "\"" { raw.append(c); pos += 1 }
            guard current == "\"" else { throw fail("unterminated string: expected '\"'") }
            pos += 1
            guard let decoded = Self.percentDecode(String(raw)) else {
                throw USPError(.invalidPathSyntax, "bad percent-escape in search string \"\(String(raw))\"")
            }
            return .quoted(decoded)
        }
        let start = pos
        while let c = current, c != "]", c != "&", c != " " {
            guard c.isASCII, c.isLetter || c.isNumber || "+-.:_".contains(c) else { throw fail("invalid character in search constant") }
            pos += 1
        }
        guard pos > start else { throw fail("expected a value after the operator") }
        return .bare(String(chars[start..<pos]))
    }

    /// Decodes `%XX` escapes (TR-369: `%22` for `"`, `%25` for `%`). Nil on a bad escape.
    static func percentDecode(_ s: String) -> String? {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension PathExpression {
    /// Parses an instantiated-data-model path (object, parameter, command, event or search
    /// path). Throws USPError 7008 naming the offending character and its position.
    public static func parse(_ text: String) throws(USPError) -> PathExpression {
        var p = PathParser(text)
        return try p.parse()
    }

    /// Parses a supported-data-model path (`Device.LocalAgent.Controller.{i}.`, instance numbers
    /// allowed and mapped to `{i}`, optionally ending in a parameter, `Name()` or `Name!`) and
    /// returns it normalised with `{i}`.
    public static func parseSupported(_ text: String) throws(USPError) -> String {
        var p = PathParser(text)
        guard !text.isEmpty else { throw USPError(.invalidPathSyntax, "empty path") }
        var out = try p.name() + "."
        try p.expect(".", "expected '.' after the first object name")
        var lastWasName = false   // the root object is never a table
        while !p.atEnd {
            if p.current == "{" {
                guard lastWasName else { throw p.fail("'{i}' must follow an object name") }
                p.pos += 1
                try p.expect("i", "expected '{i}'")
                try p.expect("}", "expected '{i}'")
                try p.expect(".", "expected '.' after '{i}'")
                out += "{i}."
                lastWasName = false
                continue
            }
            if let c = p.current, c.isASCII, c.isNumber {
                guard lastWasName else { throw p.fail("an instance number must follow an object name") }
                _ = try p.posnum()
                try p.expect(".", "expected '.' after an instance number")
                out += "{i}."
                lastWasName = false
                continue
            }
            let n = try p.name()
            if p.atEnd { return out + n }
            switch p.current {
            case ".": p.pos += 1; out += n + "."; lastWasName = true
            case "(":
                p.pos += 1
                try p.expect(")", "expected ')'")
                guard p.atEnd else { throw p.fail("nothing may follow '()'") }
                return out + n + "()"
            case "!":
                p.pos += 1
                guard p.atEnd else { throw p.fail("nothing may follow '!'") }
                return out + n + "!"
            default: throw p.fail("expected '.', '()', '!' or the end of the path")
            }
        }
        return out
    }
}
