import DataModel

/// What reading the objects of one supported path takes, worked out once: the readable
/// parameters, the provider serving the whole object, and the child objects (with their nodes,
/// so that expanding a subtree looks nothing up by path). Lives in the agent's `readNodes`
/// cache, dropped when mounts or conditional objects change.
final class ReadNode {
    struct Child {
        /// `Name.` (single) or `Name.` without `{i}.` (table).
        var relative: String
        var multi: Bool
        var conditional: Bool
        var node: ReadNode
    }
    let supported: SupportedPath
    let schemaObject: ObjectSchema
    /// Parameters other than write-only ones, in schema order.
    let readable: [String]
    /// The mount serving every parameter, when the object has no computed counters.
    let wholeMount: Int?
    /// What each parameter without a value renders as (`defaultRendering`).
    let defaults: [String: String]
    /// `<X>NumberOfEntries` parameters (computed by the agent) → child table name.
    let counters: [String: String]
    /// With counters: the mount serving every other parameter, and those parameters of `readable`.
    let mountBesideCounters: Int?
    let readableBesideCounters: [String]
    var children: [Child] = []

    init(supported: SupportedPath, schemaObject: ObjectSchema, counters: [String: String], mount: Int?, defaults: [String: String]) {
        self.supported = supported
        self.schemaObject = schemaObject
        self.readable = schemaObject.parameters.filter { $0.access != .writeOnly }.map(\.name)
        self.counters = counters
        self.wholeMount = counters.isEmpty ? mount : nil
        self.mountBesideCounters = counters.isEmpty ? nil : mount
        self.readableBesideCounters = readable.filter { counters[$0] == nil }
        self.defaults = defaults
    }
}

extension USPAgent {
    /// The read node of a supported object path, with its subtree (cached).
    func readNode(_ supported: SupportedPath) -> ReadNode? {
        if let n = readNodes[supported] { return n }
        guard let obj = schema[supported] else { return nil }
        let counters = entryCounters[supported] ?? [:]
        let defaults = Dictionary(obj.parameters.map { ($0.name, defaultRendering(supported, $0.name)) }) { a, _ in a }
        let node = ReadNode(supported: supported, schemaObject: obj, counters: counters, mount: wholeObjectMount(supported),
                            defaults: defaults)
        readNodes[supported] = node
        node.children = (schema.children[supported] ?? []).compactMap { child -> ReadNode.Child? in
            guard let childNode = readNode(child) else { return nil }
            let rel = String(child.dropFirst(supported.count))
            let multi = childNode.schemaObject.isMultiInstance
            return ReadNode.Child(relative: multi ? String(rel.dropLast("{i}.".count)) : rel, multi: multi,
                                  conditional: store.conditionalObjects.contains(child), node: childNode)
        }
        return node
    }

    /// Reads many objects' parameters: computed counters, stored values, and one call per
    /// provider for everything it serves. Missing values render as the schema default.
    /// Keyed by object path (see `readValuesInOrder`).
    func readValues(_ reads: [ObjectRead]) async -> [String: [String: String]] {
        let values = await readValuesInOrder(reads)
        var out: [String: [String: String]] = [:]
        out.reserveCapacity(reads.count)
        for (r, v) in zip(reads, values) { out[r.path, default: [:]].merge(v) { _, new in new } }
        return out
    }

    /// The values of each read, in the order of `reads`: exactly the parameters asked for, with
    /// the schema default for those that have no value. `nodes`, when given, are the read
    /// nodes of the objects (else looked up per object).
    func readValuesInOrder(_ reads: [ObjectRead], nodes: [ReadNode]? = nil) async -> [[String: String]] {
        var out = [[String: String]](repeating: [:], count: reads.count)
        // Per provider (by mount index): the read indices and what to ask it for.
        var perProvider = [(indices: [Int], reads: [ObjectRead])](repeating: ([], []), count: mounts.count)
        for (i, r) in reads.enumerated() {
            // Fast path: a provider serves the whole object (the bridge's subtree).
            let whole: Int?
            if let nodes { whole = nodes[i].wholeMount } else {
                whole = (entryCounters[r.supported]?.isEmpty ?? true) ? wholeObjectMount(r.supported) : nil
            }
            if let m = whole {
                perProvider[m].indices.append(i)
                perProvider[m].reads.append(r)
                continue
            }
            // Counters, and a provider for everything else (a ProxiedDevice with its
            // IoTCapabilityNumberOfEntries), for the node's usual parameter list.
            if let node = nodes?[i], let m = node.mountBesideCounters, r.parameters == node.readable {
                for (p, child) in node.counters { out[i][p] = String(store.instances(ofTable: r.path + child + ".").count) }
                perProvider[m].indices.append(i)
                perProvider[m].reads.append(ObjectRead(path: r.path, supported: r.supported, parameters: node.readableBesideCounters))
                continue
            }
            let counters = entryCounters[r.supported] ?? [:]
            var providedNames: [Int: [String]] = [:]
            for p in r.parameters {
                if let child = counters[p] {
                    out[i][p] = String(store.instances(ofTable: r.path + child + ".").count)
                } else if let m = mounts.lastIndex(where: { $0.covers(r.supported, p) }) {
                    providedNames[m, default: []].append(p)
                } else if let v = store.value(r.path, p) {
                    out[i][p] = v
                } else {
                    out[i][p] = defaultRendering(r.supported, p)
                }
            }
            for (m, names) in providedNames {
                perProvider[m].indices.append(i)
                perProvider[m].reads.append(ObjectRead(path: r.path, supported: r.supported, parameters: names))
            }
        }
        for (m, batch) in perProvider.enumerated() where !batch.reads.isEmpty {
            let provider = mounts[m].provider
            let got = await provider.readInOrder(batch.reads)
            for (k, o) in batch.reads.enumerated() {
                let i = batch.indices[k]
                var dict = k < got.count ? got[k] : [:]
                // Only what was asked for, and a default for what the provider left out.
                // Providers answer only what was asked (ParameterProvider.read), so the same
                // count means the same parameters.
                if dict.count < o.parameters.count {
                    let defaults = nodes?[i].defaults
                    for p in o.parameters where dict[p] == nil { dict[p] = defaults?[p] ?? defaultRendering(o.supported, p) }
                }
                if dict.count != o.parameters.count {
                    var exact: [String: String] = [:]
                    exact.reserveCapacity(o.parameters.count)
                    for p in o.parameters { exact[p] = dict[p] ?? defaultRendering(o.supported, p) }
                    dict = exact
                }
                if out[i].isEmpty {
                    out[i] = dict
                } else {
                    // Few values (counters) read before: add them to the provider's (which win).
                    for (p, v) in out[i] where dict[p] == nil { dict[p] = v }
                    out[i] = dict
                }
            }
        }
        return out
    }

    /// The mount serving every parameter of objects at `supported`, if one does (cached).
    func wholeObjectMount(_ supported: SupportedPath) -> Int? {
        if let cached = wholeMountCache[supported] { return cached }
        let m = mounts.lastIndex { $0.parameters == nil && supported.hasPrefix($0.prefix) }
        // A later mount of single parameters on the same object must still win for those.
        let overridden = mounts.contains { $0.parameters != nil && $0.prefix == supported }
        let result = overridden ? nil : m
        wholeMountCache[supported] = result
        return result
    }

    func defaultRendering(_ supported: SupportedPath, _ param: String) -> String {
        guard let p = schema[supported]?.parameter(param) else { return "" }
        if let d = p.defaultValue { return d }
        if p.syntax.list != nil { return "" }
        switch p.syntax.base {
        case .boolean: return "false"
        case .int, .unsignedInt, .long, .unsignedLong, .decimal: return "0"
        case .dateTime: return USPDateTime.unknown
        case .string, .hexBinary, .base64: return ""
        }
    }
}
