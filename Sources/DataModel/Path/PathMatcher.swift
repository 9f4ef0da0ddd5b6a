/// Matches a concrete path (instance numbers only, as the agent reports changes) against a
/// subscription's ReferenceList entry, without walking the data model.
public enum PathMatcher {
    /// What a concrete path is, for deciding how an object-path pattern covers it.
    public enum Subject: Sendable {
        /// A parameter path (ValueChange): an object pattern covers every parameter below it.
        case parameter
        /// An object instance path (ObjectCreation/Deletion): a table pattern covers its instances.
        case instance
        /// `Obj.Cmd()` or `Obj.Event!`: matched by the same name or by an object pattern above it.
        case commandOrEvent
    }

    /// A search expression that must hold on one instance for the match to stand.
    public struct PendingSearch: Sendable {
        public var instancePath: String
        public var components: [PathExpression.SearchComponent]
    }

    /// nil when the pattern cannot match; otherwise the search expressions still to check
    /// (empty: it matches).
    public static func match(_ pattern: PathExpression, _ concrete: String, as subject: Subject) -> [PendingSearch]? {
        var tokens = concrete.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if tokens.last == "" { tokens.removeLast() }
        var i = 0
        var prefix = ""
        var pending: [PendingSearch] = []
        for seg in pattern.segments {
            guard i < tokens.count else { return nil }
            let tok = tokens[i]
            switch seg {
            case .name(let n):
                guard tok == n else { return nil }
            case .instance(let sel):
                guard let n = UInt32(tok) else { return nil }
                switch sel {
                case .number(let k): guard k == n else { return nil }
                case .wildcard: break
                case .expression(let comps): pending.append(PendingSearch(instancePath: prefix + tok + ".", components: comps))
                }
            case .reference:
                return nil
            }
            prefix += tok + "."
            i += 1
        }
        let rest = Array(tokens[i...])
        switch pattern.leaf {
        case .object:
            switch subject {
            case .parameter, .commandOrEvent: return rest.isEmpty ? nil : pending
            case .instance:
                // The instance itself, or an instance of the named table.
                if rest.isEmpty { return pending }
                if rest.count == 1, UInt32(rest[0]) != nil { return pending }
                return nil
            }
        case .parameter(let name):
            return rest == [name] ? pending : nil
        case .command(let name):
            return rest == [name + "()"] ? pending : nil
        case .event(let name):
            return rest == [name + "!"] ? pending : nil
        }
    }
}
