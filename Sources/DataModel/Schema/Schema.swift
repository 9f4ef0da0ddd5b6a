/// The immutable supported data model: every object with its parameters, commands and
/// events, keyed by supported path (`Device.LocalAgent.Controller.{i}.`). Built once by
/// `SchemaBuilder` and shared freely.
public struct Schema: Sendable {
    public let objects: [SupportedPath: ObjectSchema]
    /// Supported paths of each object's direct child objects, in schema order.
    public let children: [SupportedPath: [SupportedPath]]
    /// Every object path in schema (depth-first, insertion) order.
    public let orderedPaths: [SupportedPath]

    init(objects: [SupportedPath: ObjectSchema], children: [SupportedPath: [SupportedPath]], orderedPaths: [SupportedPath]) {
        self.objects = objects
        self.children = children
        self.orderedPaths = orderedPaths
    }

    public subscript(path: SupportedPath) -> ObjectSchema? { objects[path] }

    /// Every supported path at or below `path`, in schema order.
    public func subtree(of path: SupportedPath) -> [SupportedPath] {
        var out: [SupportedPath] = []
        func walk(_ p: SupportedPath) {
            out.append(p)
            for c in children[p] ?? [] { walk(c) }
        }
        if objects[path] != nil { walk(path) }
        return out
    }

    /// The supported path of the object that contains `path` one level up, or nil for the root.
    public static func parentPath(of path: SupportedPath) -> SupportedPath? {
        var comps = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard comps.last == "" else { return nil }
        comps.removeLast()
        if comps.last == "{i}" { comps.removeLast() }
        guard comps.count > 1 else { return nil }
        comps.removeLast()
        return comps.joined(separator: ".") + "."
    }

    /// True for a TR-106 vendor-extension name: `X_<VENDOR>_<Name>`, where VENDOR is an OUI
    /// or a domain-like token of letters, digits and `-`.
    public static func isVendorExtensionName(_ name: String) -> Bool {
        guard name.hasPrefix("X_") else { return false }
        let rest = name.dropFirst(2)
        guard let underscore = rest.firstIndex(of: "_") else { return false }
        let vendor = rest[rest.startIndex..<underscore]
        let tail = rest[rest.index(after: underscore)...]
        guard !vendor.isEmpty, !tail.isEmpty else { return false }
        return vendor.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            && tail.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

/// Errors found while building a schema; these are programming or generator errors.
public struct SchemaError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "schema error at \(path): \(reason)" }
}

/// Collects objects and turns them into an immutable `Schema`.
public struct SchemaBuilder: Sendable {
    private var objects: [SupportedPath: ObjectSchema] = [:]
    private var order: [SupportedPath] = []

    public init() {}

    /// Adds an object, or merges its parameters, commands and events into an existing one.
    public mutating func add(_ object: ObjectSchema) {
        if var existing = objects[object.path] {
            for p in object.parameters where existing.parameter(p.name) == nil { existing.parameters.append(p) }
            for c in object.commands where existing.command(c.name) == nil { existing.commands.append(c) }
            for e in object.events where existing.event(e.name) == nil { existing.events.append(e) }
            existing.uniqueKeys += object.uniqueKeys.filter { !existing.uniqueKeys.contains($0) }
            objects[object.path] = existing
        } else {
            objects[object.path] = object
            order.append(object.path)
        }
    }

    /// Adds a vendor-extension object: its last path component, and every parameter, command
    /// and event name that the standard model does not already define, must follow the
    /// TR-106 `X_<VENDOR>_` rule unless the object itself is an extension.
    public mutating func addExtension(_ object: ObjectSchema) throws(SchemaError) {
        let objName = Self.lastName(object.path)
        let objectIsExtension = object.path.split(separator: ".").contains { Schema.isVendorExtensionName(String($0)) }
        if !objectIsExtension {
            guard objects[object.path] != nil else {
                throw SchemaError(path: object.path, reason: "extension object \(objName) must be named X_<VENDOR>_…")
            }
            let names = object.parameters.map(\.name) + object.commands.map(\.name) + object.events.map(\.name)
            for n in names where !Schema.isVendorExtensionName(n) {
                throw SchemaError(path: object.path + n, reason: "vendor extension item \(n) must be named X_<VENDOR>_…")
            }
        }
        add(object)
    }

    public var count: Int { objects.count }
    public func object(_ path: SupportedPath) -> ObjectSchema? { objects[path] }

    /// Checks paths and parents and freezes the schema.
    public func build() throws(SchemaError) -> Schema {
        var children: [SupportedPath: [SupportedPath]] = [:]
        for path in order {
            let obj = objects[path]!
            guard path.hasSuffix(".") else { throw SchemaError(path: path, reason: "object path must end with '.'") }
            if obj.isMultiInstance != path.hasSuffix(".{i}.") {
                throw SchemaError(path: path, reason: "multi-instance objects, and only they, end with '{i}.'")
            }
            for key in obj.uniqueKeys {
                for name in key where obj.parameter(name) == nil {
                    throw SchemaError(path: path, reason: "unique key names unknown parameter \(name)")
                }
            }
            if let parent = Schema.parentPath(of: path) {
                guard objects[parent] != nil else { throw SchemaError(path: path, reason: "parent \(parent) is not defined") }
                children[parent, default: []].append(path)
            }
        }
        // Depth-first order so that rendering and GetSupportedDM follow the tree.
        var ordered: [SupportedPath] = []
        func walk(_ p: SupportedPath) {
            ordered.append(p)
            for c in children[p] ?? [] { walk(c) }
        }
        for root in order where Schema.parentPath(of: root) == nil { walk(root) }
        return Schema(objects: objects, children: children, orderedPaths: ordered)
    }

    static func lastName(_ path: SupportedPath) -> String {
        let comps = path.split(separator: ".").filter { $0 != "{i}" }
        return comps.last.map(String.init) ?? path
    }
}
