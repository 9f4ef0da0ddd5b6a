/// The instantiated data model's structure and stored values: which object instances
/// exist and the parameter values kept by the agent itself (values served by a provider
/// are not stored here). A value type, so a message can take a snapshot and roll back.
///
/// Paths are instantiated object paths with instance numbers, ending in `.`
/// (`Device.LocalAgent.Controller.3.`). Single-instance objects exist implicitly when
/// their parent exists; they are stored only when they hold values.
public struct InstanceStore: Sendable {
    /// Stored parameter values of each object (or object instance).
    public private(set) var values: [String: [String: String]] = [:]
    /// Instance numbers of each instantiated table (`Device.LocalAgent.Controller.`), ascending.
    public private(set) var tables: [String: [UInt32]] = [:]
    /// Next instance number of each table. Monotonic: never reused while the agent lives,
    /// and seeded from persistence so that it is not reused across restarts either.
    public private(set) var nextInstance: [String: UInt32] = [:]
    /// Single-instance objects (supported paths) that exist only where declared present, such
    /// as the class sub-object of an IoTCapability (only the one its `Class` names exists).
    public private(set) var conditionalObjects: Set<SupportedPath> = []
    /// Instantiated paths of conditional objects that exist.
    public private(set) var presentObjects: Set<String> = []

    public init() {}

    public func instances(ofTable tablePath: String) -> [UInt32] { tables[tablePath] ?? [] }

    public mutating func declareConditional(_ paths: [SupportedPath]) { conditionalObjects.formUnion(paths) }

    public mutating func setPresent(_ path: String, _ present: Bool) {
        if present { presentObjects.insert(path) } else { presentObjects.remove(path) }
    }

    /// False for a conditional object that was not declared present.
    public func isPresent(_ path: String, supported: SupportedPath) -> Bool {
        conditionalObjects.isEmpty || !conditionalObjects.contains(supported) || presentObjects.contains(path)
    }

    public func exists(instance path: String) -> Bool {
        guard let (table, number) = Self.splitInstancePath(path) else { return false }
        return tables[table]?.contains(number) ?? false
    }

    public func value(_ object: String, _ parameter: String) -> String? { values[object]?[parameter] }

    public mutating func setValue(_ object: String, _ parameter: String, _ value: String) {
        values[object, default: [:]][parameter] = value
    }

    public mutating func setValues(_ object: String, _ newValues: [String: String]) {
        values[object, default: [:]].merge(newValues) { _, new in new }
    }

    /// Makes sure the next instance number handed out for `tablePath` is at least `number`.
    public mutating func reserveInstanceNumbers(table tablePath: String, below number: UInt32) {
        if (nextInstance[tablePath] ?? 1) < number { nextInstance[tablePath] = number }
    }

    /// Creates an instance and returns its number. With `number` given (restoring persisted
    /// state, or a provider with its own numbering) that number is used if it is free.
    @discardableResult
    public mutating func addInstance(table tablePath: String, number: UInt32? = nil,
                                     values initial: [String: String] = [:]) throws(USPError) -> UInt32 {
        var list = tables[tablePath] ?? []
        let n: UInt32
        if let number {
            guard number > 0, !list.contains(number) else {
                throw USPError(.objectNotCreated, "instance \(number) of \(tablePath) already exists")
            }
            n = number
        } else {
            var candidate = nextInstance[tablePath] ?? 1
            while list.contains(candidate) {
                guard candidate < UInt32.max else { throw USPError(.resourcesExceeded, "no instance numbers left in \(tablePath)") }
                candidate += 1
            }
            n = candidate
        }
        if n >= (nextInstance[tablePath] ?? 1) { nextInstance[tablePath] = n == UInt32.max ? n : n + 1 }
        let idx = list.firstIndex { $0 > n } ?? list.endIndex
        list.insert(n, at: idx)
        tables[tablePath] = list
        if !initial.isEmpty { values["\(tablePath)\(n)."] = initial }
        return n
    }

    /// Deletes an instance and everything below it. Returns the deleted instance paths,
    /// deepest first, including the instance itself last.
    @discardableResult
    public mutating func deleteInstance(_ path: String) -> [String] {
        guard let (table, number) = Self.splitInstancePath(path), tables[table]?.contains(number) == true else { return [] }
        var removed: [String] = []
        // Nested instances first, so each deletion is reported.
        let nestedTables = tables.keys.filter { $0.hasPrefix(path) && $0 != path }.sorted { $0.count > $1.count }
        for t in nestedTables {
            for n in tables[t] ?? [] { removed.append("\(t)\(n).") }
            tables[t] = nil
        }
        for key in values.keys where key.hasPrefix(path) { values[key] = nil }
        if !presentObjects.isEmpty { presentObjects = presentObjects.filter { !$0.hasPrefix(path) } }
        tables[table]?.removeAll { $0 == number }
        removed.append(path)
        return removed
    }

    /// Splits `A.B.3.` into (`A.B.`, 3).
    public static func splitInstancePath(_ path: String) -> (String, UInt32)? {
        guard path.hasSuffix(".") else { return nil }
        let body = path.dropLast()
        guard let dot = body.lastIndex(of: ".") else { return nil }
        guard let n = UInt32(body[body.index(after: dot)...]) else { return nil }
        return (String(body[...dot]), n)
    }
}

extension InstanceStore {
    /// Loads persisted instances and values on top of the current content. Instance lists are
    /// merged, values replaced per object, next-instance counters only ever raised.
    public mutating func restore(values restored: [String: [String: String]], tables restoredTables: [String: [UInt32]],
                                 nextInstance restoredNext: [String: UInt32]) {
        for (table, list) in restoredTables {
            let merged = Set(tables[table] ?? []).union(list.filter { $0 > 0 })
            tables[table] = merged.sorted()
            let highest = merged.max() ?? 0
            reserveInstanceNumbers(table: table, below: highest == UInt32.max ? highest : highest + 1)
        }
        for (object, vals) in restored { values[object, default: [:]].merge(vals) { _, new in new } }
        for (table, next) in restoredNext { reserveInstanceNumbers(table: table, below: next) }
    }

    /// The values and instance lists at or below the given instantiated path prefixes.
    public func subset(prefixes: [String]) -> (values: [String: [String: String]], tables: [String: [UInt32]]) {
        func keep(_ p: String) -> Bool { prefixes.contains { p.hasPrefix($0) } }
        return (values.filter { keep($0.key) }, tables.filter { keep($0.key) })
    }
}
