import DataModel
import USPMessages

extension USPAgent {
    /// One object a Get returns: its path, how to read it, and the parameters to return.
    struct ExpandedObject {
        var path: String
        var node: ReadNode
        var params: [String]
    }

    /// Get: resolve every requested path, then one read for all objects (one call per
    /// provider), then render per requested path (TR-369 "The Get Message").
    func handleGet(_ get: Usp_Get, controller: String) async -> Usp_GetResp {
        struct Planned {
            var requested: String
            var error: USPError?
            var objects: [ExpandedObject] = []
            /// Index in `reads` of each object.
            var readIndex: [Int] = []
        }
        var plans: [Planned] = []
        for requested in get.paramPaths {
            var plan = Planned(requested: requested)
            do throws(USPError) {
                let expr = try PathExpression.parse(requested)
                let res = try await resolver.resolve(expr, store: store, lookup: self)
                switch res.leaf {
                case .parameter(let name):
                    plan.objects = res.objects.filter { policy.allows(.param, .read, $0.path + name) }
                        .compactMap { o in readNode(o.supported).map { ExpandedObject(path: o.path, node: $0, params: [name]) } }
                    // R-GET.1: an addressed parameter the controller may not read is "not present".
                    if !res.isSearch && plan.objects.isEmpty && !res.objects.isEmpty {
                        throw USPError(.invalidPath, "\(requested) is not readable by this controller")
                    }
                case .object:
                    let depth = get.maxDepth == 0 ? Int.max : Int(get.maxDepth)
                    for obj in res.objects {
                        expandObject(obj, depth: depth, into: &plan.objects)
                    }
                case .command, .event:
                    throw USPError(.invalidPath, "\(requested) is a command or event path; Get needs an object or parameter path")
                }
            } catch {
                // R-GET.0: an addressed object that does not exist is an invalid path for Get.
                plan.error = error.code == .objectDoesNotExist ? USPError(.invalidPath, error.message) : error
            }
            plans.append(plan)
        }
        // One read for everything all requested paths need.
        var reads: [ObjectRead] = []
        var nodes: [ReadNode] = []
        let total = plans.reduce(0) { $0 + $1.objects.count }
        reads.reserveCapacity(total)
        nodes.reserveCapacity(total)
        // Paths already read, only needed when several requested paths may overlap.
        var seen: [String: Int]? = plans.count > 1 ? [:] : nil
        for p in plans.indices where plans[p].error == nil {
            plans[p].readIndex.reserveCapacity(plans[p].objects.count)
            for o in plans[p].objects {
                if let idx = seen?[o.path] {
                    let missing = o.params.filter { !reads[idx].parameters.contains($0) }
                    reads[idx].parameters += missing
                    plans[p].readIndex.append(idx)
                } else {
                    seen?[o.path] = reads.count
                    plans[p].readIndex.append(reads.count)
                    reads.append(ObjectRead(path: o.path, supported: o.node.supported, parameters: o.params))
                    nodes.append(o.node)
                }
            }
        }
        let values = await readValuesInOrder(reads, nodes: nodes)
        var resp = Usp_GetResp()
        resp.reqPathResults.reserveCapacity(plans.count)
        for plan in plans {
            var r = Usp_GetResp.RequestedPathResult()
            r.requestedPath = plan.requested
            if let e = plan.error {
                r.errCode = e.code.rawValue
                r.errMsg = e.message
            } else {
                r.resolvedPathResults.reserveCapacity(plan.objects.count)
                for (o, idx) in zip(plan.objects, plan.readIndex) {
                    var rp = Usp_GetResp.ResolvedPathResult()
                    rp.resolvedPath = o.path
                    let dict = values[idx]
                    if dict.count == o.params.count {
                        rp.resultParams = dict   // exactly the requested parameters
                    } else {
                        for p in o.params { rp.resultParams[p] = dict[p] ?? "" }
                    }
                    r.resolvedPathResults.append(rp)
                }
            }
            resp.reqPathResults.append(r)
        }
        return resp
    }

    /// The objects (with their readable parameters) at and below a resolved object, down to
    /// `depth` levels (1 = the object alone). A table expands to its instances at the same level.
    func expandObject(_ obj: ResolvedObject, depth: Int, into out: inout [ExpandedObject]) {
        guard let root = readNode(obj.supported) else { return }
        func visit(_ path: String, _ node: ReadNode, _ level: Int) {
            guard level <= depth else { return }
            let params = policy.unrestricted ? node.readable
                : node.schemaObject.parameters.filter { $0.access != .writeOnly && policy.allows(.param, .read, path + $0.name) }.map(\.name)
            // R-GET.1b: objects without parameters produce no resolved path result.
            if !params.isEmpty { out.append(ExpandedObject(path: path, node: node, params: params)) }
            guard level < depth else { return }
            for c in node.children {
                if c.multi {
                    let table = path + c.relative
                    for n in store.instances(ofTable: table) { visit(Self.instancePath(table, n), c.node, level + 1) }
                } else {
                    let p = path + c.relative
                    if !c.conditional || store.presentObjects.contains(p) { visit(p, c.node, level + 1) }
                }
            }
        }
        if obj.isTable {
            for n in store.instances(ofTable: obj.path) { visit(Self.instancePath(obj.path, n), root, 1) }
        } else {
            visit(obj.path, root, 1)
        }
    }

    /// `table` + `n` + `.`, without string interpolation.
    static func instancePath(_ table: String, _ n: UInt32) -> String {
        var s = table
        s.reserveCapacity(table.utf8.count + 11)
        s += String(n)
        s += "."
        return s
    }
}
