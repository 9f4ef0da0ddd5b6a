import Foundation

/// Where a resolver reads parameter values it needs for search expressions and
/// reference following. The agent implements it over its store and providers.
public protocol ValueLookup: Sendable {
    func lookupValue(object: String, supported: SupportedPath, parameter: String) async -> String?
}

/// An object (or table) matched by a path.
public struct ResolvedObject: Sendable, Hashable {
    /// Instantiated path with instance numbers, ending in `.` (`Device.LocalAgent.Controller.2.`).
    /// For a table addressed without an instance identifier, the table path (`Device.LocalAgent.Controller.`).
    public var path: String
    /// Supported path (`Device.LocalAgent.Controller.{i}.`); for a table, its `{i}.` form.
    public var supported: SupportedPath
    /// True when `path` names a whole table rather than one instance or single object.
    public var isTable: Bool
    public init(path: String, supported: SupportedPath, isTable: Bool) {
        self.path = path; self.supported = supported; self.isTable = isTable
    }
}

/// The outcome of resolving one path against the schema and the instantiated model.
public struct Resolution: Sendable {
    public var objects: [ResolvedObject]
    public var leaf: PathExpression.Leaf
    /// True when the path searched (wildcard, expression that is not a full unique key,
    /// or a followed reference list): zero matches is then not an error.
    public var isSearch: Bool
}

/// Resolves parsed paths against a schema and an instance store (TR-369 "Path Names").
public struct Resolver: Sendable {
    public let schema: Schema
    public init(schema: Schema) { self.schema = schema }

    /// Resolves `path`. Throws 7026 when it names nothing in the supported model, 7016 when
    /// an addressed (non-search) instance does not exist.
    public func resolve(_ path: PathExpression, store: InstanceStore, lookup: some ValueLookup) async throws(USPError) -> Resolution {
        var isSearch = false
        guard case .name(let root)? = path.segments.first else {
            throw USPError(.invalidPath, "path must start with an object name")
        }
        let rootPath = root + "."
        guard schema[rootPath] != nil else {
            throw USPError(.invalidPath, "\(root) is not an object of this agent's data model")
        }
        // Current matches: instantiated path + supported path; `pendingTable` when the last step
        // named a multi-instance object and no instance identifier has followed yet.
        var current: [(path: String, supported: String)] = [(rootPath, rootPath)]
        // The supported path of where the walk is, kept even when no instance matches, so
        // that the rest of a search path is still checked against the schema.
        var sup = rootPath
        var pendingTable = false
        for segment in path.segments.dropFirst() {
            switch segment {
            case .name(let name):
                if pendingTable {
                    throw USPError(.invalidPath, "\(sup) is a table: an instance identifier must follow it before \(name)")
                }
                let base = sup
                let single = base + name + "."
                let multi = base + name + ".{i}."
                if let obj = schema[multi], obj.isMultiInstance {
                    current = current.map { ($0.path + name + ".", multi) }
                    sup = multi
                    pendingTable = true
                } else if schema[single] != nil {
                    let before = current.count
                    sup = single
                    current = current.map { ($0.path + name + ".", single) }.filter { store.isPresent($0.0, supported: $0.1) }
                    if current.isEmpty && before > 0 && !isSearch {
                        throw USPError(.objectDoesNotExist, "\(base)\(name). does not exist on this instance")
                    }
                } else {
                    throw USPError(.invalidPath, "\(base)\(name) is not in this agent's supported data model")
                }
            case .instance(let selector):
                guard pendingTable else {
                    throw USPError(.invalidPath, "\(sup) is not a multi-instance object; instance identifier not allowed")
                }
                pendingTable = false
                let supported = sup
                var next: [(String, String)] = []
                switch selector {
                case .number(let n):
                    for c in current {
                        if store.instances(ofTable: c.path).contains(n) {
                            next.append(("\(c.path)\(n).", supported))
                        } else if !isSearch {
                            throw USPError(.objectDoesNotExist, "\(c.path)\(n). does not exist")
                        }
                    }
                case .wildcard:
                    isSearch = true
                    for c in current {
                        for n in store.instances(ofTable: c.path) { next.append(("\(c.path)\(n).", supported)) }
                    }
                case .expression(let components):
                    let addressing = isUniqueKeyAddress(components, object: supported)
                    if !addressing { isSearch = true }
                    for c in current {
                        for n in store.instances(ofTable: c.path) {
                            let inst = "\(c.path)\(n)."
                            if try await matches(components, instance: inst, supported: supported, store: store, lookup: lookup) {
                                next.append((inst, supported))
                            }
                        }
                    }
                    if addressing && next.isEmpty && !isSearch {
                        throw USPError(.objectDoesNotExist, "no instance of \(current.first?.path ?? supported) has that unique key")
                    }
                }
                current = next
            case .reference(let parameter, let index):
                if pendingTable {
                    throw USPError(.invalidPath, "\(sup) is a table: an instance identifier must follow it")
                }
                let base = sup
                guard let p = schema[base]?.parameter(parameter) else {
                    throw USPError(.invalidPath, "\(base)\(parameter) is not a parameter of this agent's supported data model")
                }
                guard p.syntax.reference != nil || p.syntax.base == .string else {
                    throw USPError(.invalidPath, "\(base)\(parameter) is not a reference parameter")
                }
                if p.syntax.list != nil || index == .all { isSearch = true }
                var next: [(String, String)] = []
                for c in current {
                    let raw = await lookup.lookupValue(object: c.path, supported: c.supported, parameter: parameter) ?? ""
                    let items = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    let chosen: [String]
                    switch index {
                    case .all: chosen = items
                    case .item(let i): chosen = (i >= 1 && i <= items.count) ? [items[i - 1]] : []
                    }
                    for target in chosen {
                        if let obj = try await resolveReference(target, store: store, lookup: lookup) { next.append(obj) }
                    }
                }
                // All followed references must land on the same kind of object to continue.
                if let first = next.first, next.contains(where: { $0.1 != first.1 }) {
                    throw USPError(.invalidPath, "reference \(parameter) points at objects of different types")
                }
                isSearch = true
                current = next
                guard let landed = next.first?.1 else {
                    // Nothing referenced: the rest cannot be checked against a type; no matches.
                    return Resolution(objects: [], leaf: path.leaf, isSearch: true)
                }
                sup = landed
            }
        }
        let tableSupported: String? = sup
        var objects = current.map { ResolvedObject(path: $0.path, supported: $0.supported, isTable: pendingTable) }
        if current.isEmpty { objects = [] }
        // Validate the leaf against the schema (even when nothing matched).
        let supportedBase = tableSupported ?? supportedPathFromSegments(path)
        switch path.leaf {
        case .object: break
        case .parameter(let name):
            if pendingTable { throw USPError(.invalidPath, "\(supportedBase ?? "") is a table; \(name) needs an instance identifier before it") }
            if let s = supportedBase, schema[s]?.parameter(name) == nil {
                throw USPError(.invalidPath, "\(s)\(name) is not a parameter of this agent's supported data model")
            }
        case .command(let name):
            if pendingTable { throw USPError(.invalidPath, "\(supportedBase ?? "") is a table; \(name)() needs an instance identifier") }
            if let s = supportedBase, schema[s]?.command(name) == nil {
                throw USPError(.invalidPath, "\(s)\(name)() is not a command of this agent's supported data model")
            }
        case .event(let name):
            if pendingTable { throw USPError(.invalidPath, "\(supportedBase ?? "") is a table; \(name)! needs an instance identifier") }
            if let s = supportedBase, schema[s]?.event(name) == nil {
                throw USPError(.invalidPath, "\(s)\(name)! is not an event of this agent's supported data model")
            }
        }
        return Resolution(objects: objects, leaf: path.leaf, isSearch: isSearch)
    }

    /// The supported object path named by a path's segments, when it has no reference following.
    func supportedPathFromSegments(_ path: PathExpression) -> String? {
        var s = ""
        for seg in path.segments {
            switch seg {
            case .name(let n):
                let multi = s + n + ".{i}."
                if schema[multi] != nil { s = multi } else { s += n + "." }
            case .instance: continue
            case .reference: return nil
            }
        }
        return s.isEmpty ? nil : s
    }

    func isUniqueKeyAddress(_ components: [PathExpression.SearchComponent], object: SupportedPath) -> Bool {
        guard components.allSatisfy({ $0.op == .equal && $0.path.count == 1 && $0.path[0].follow == nil }) else { return false }
        let names = Set(components.map { $0.path[0].name })
        return schema[object]?.uniqueKeys.contains { Set($0) == names } ?? false
    }

    /// Evaluates a search expression on one instance.
    public func instanceMatches(_ components: [PathExpression.SearchComponent], instance: String, supported: SupportedPath,
                                store: InstanceStore, lookup: some ValueLookup) async throws(USPError) -> Bool {
        try await matches(components, instance: instance, supported: supported, store: store, lookup: lookup)
    }

    func matches(_ components: [PathExpression.SearchComponent], instance: String, supported: SupportedPath,
                 store: InstanceStore, lookup: some ValueLookup) async throws(USPError) -> Bool {
        for comp in components {
            // Walk the relative path: names of single-instance sub-objects, then a parameter,
            // possibly through followed references.
            var objPath = instance
            var objSupported = supported
            var value: String? = nil
            var syntax: ValueSyntax? = nil
            for (i, step) in comp.path.enumerated() {
                let isLast = i == comp.path.count - 1
                if let follow = step.follow {
                    guard let p = schema[objSupported]?.parameter(step.name) else {
                        throw USPError(.invalidPath, "\(objSupported)\(step.name) in search expression is not a parameter")
                    }
                    _ = p
                    let raw = await lookup.lookupValue(object: objPath, supported: objSupported, parameter: step.name) ?? ""
                    let items = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    let idx: Int
                    switch follow { case .item(let n): idx = n; case .all: idx = 1 }
                    guard idx >= 1, idx <= items.count,
                          let target = try await resolveReference(items[idx - 1], store: store, lookup: lookup) else { return false }
                    objPath = target.0; objSupported = target.1
                    if isLast { throw USPError(.invalidPathSyntax, "search expression ends in a reference, not a parameter") }
                    continue
                }
                if isLast {
                    guard let p = schema[objSupported]?.parameter(step.name) else {
                        throw USPError(.invalidPath, "\(objSupported)\(step.name) in search expression is not a parameter")
                    }
                    syntax = p.syntax
                    value = await lookup.lookupValue(object: objPath, supported: objSupported, parameter: step.name)
                } else {
                    let sub = objSupported + step.name + "."
                    guard schema[sub] != nil else {
                        throw USPError(.invalidPath, "\(sub) in search expression is not a single-instance sub-object")
                    }
                    objPath += step.name + "."; objSupported = sub
                }
            }
            guard let syntax else { return false }
            guard let value else { return false }
            if try !syntax.matches(value, comp.op, comp.value) { return false }
        }
        return true
    }

    /// Resolves a reference value (an instantiated object path, possibly with unique-key
    /// addressing, with or without the trailing dot) to one object.
    func resolveReference(_ target: String, store: InstanceStore, lookup: some ValueLookup) async throws(USPError) -> (String, String)? {
        let text = target.hasSuffix(".") ? target : target + "."
        guard let parsed = try? PathExpression.parse(text), parsed.leaf == .object else { return nil }
        guard let res = try? await resolve(parsed, store: store, lookup: lookup), res.objects.count == 1,
              let obj = res.objects.first, !obj.isTable else { return nil }
        return (obj.path, obj.supported)
    }
}
