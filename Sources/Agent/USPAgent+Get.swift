import DataModel
import USPMessages

extension USPAgent {
    /// Get: resolve every requested path, then one read for all objects (one call per
    /// provider), then render per requested path (TR-369 "The Get Message").
    func handleGet(_ get: Usp_Get, controller: String) async -> Usp_GetResp {
        struct Planned {
            var requested: String
            var error: USPError?
            /// Object path → (supported path, parameter names to return), in order.
            var objects: [(path: String, supported: String, params: [String])] = []
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
                        .map { ($0.path, $0.supported, [name]) }
                    // R-GET.1: an addressed parameter the controller may not read is "not present".
                    if !res.isSearch && plan.objects.isEmpty && !res.objects.isEmpty {
                        throw USPError(.invalidPath, "\(requested) is not readable by this controller")
                    }
                case .object:
                    let depth = get.maxDepth == 0 ? Int.max : Int(get.maxDepth)
                    for obj in res.objects {
                        plan.objects += expandObject(obj, depth: depth)
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
        var seen: [String: Int] = [:]
        for plan in plans where plan.error == nil {
            for o in plan.objects {
                if let idx = seen[o.path] {
                    let missing = o.params.filter { !reads[idx].parameters.contains($0) }
                    reads[idx].parameters += missing
                } else {
                    seen[o.path] = reads.count
                    reads.append(ObjectRead(path: o.path, supported: o.supported, parameters: o.params))
                }
            }
        }
        let values = await readValues(reads)
        var resp = Usp_GetResp()
        for plan in plans {
            var r = Usp_GetResp.RequestedPathResult()
            r.requestedPath = plan.requested
            if let e = plan.error {
                r.errCode = e.code.rawValue
                r.errMsg = e.message
            } else {
                for o in plan.objects {
                    var rp = Usp_GetResp.ResolvedPathResult()
                    rp.resolvedPath = o.path
                    if let dict = values[o.path], dict.count == o.params.count {
                        rp.resultParams = dict   // exactly the requested parameters
                    } else {
                        let dict = values[o.path]
                        for p in o.params { rp.resultParams[p] = dict?[p] ?? "" }
                    }
                    r.resolvedPathResults.append(rp)
                }
            }
            resp.reqPathResults.append(r)
        }
        return resp
    }

    struct ChildLayout {
        var path: SupportedPath
        /// `Name.` (single) or `Name.` without `{i}.` (table).
        var relative: String
        var multi: Bool
        var conditional: Bool
    }

    /// An object's child objects, computed once per supported path.
    func childLayout(_ supported: SupportedPath) -> [ChildLayout] {
        if let c = childLayoutCache[supported] { return c }
        let layout = (schema.children[supported] ?? []).compactMap { child -> ChildLayout? in
            guard let obj = schema[child] else { return nil }
            let rel = String(child.dropFirst(supported.count))
            return ChildLayout(path: child, relative: obj.isMultiInstance ? String(rel.dropLast("{i}.".count)) : rel,
                               multi: obj.isMultiInstance, conditional: store.conditionalObjects.contains(child))
        }
        childLayoutCache[supported] = layout
        return layout
    }

    /// The objects (with their readable parameters) at and below a resolved object, down to
    /// `depth` levels (1 = the object alone). A table expands to its instances at the same level.
    func expandObject(_ obj: ResolvedObject, depth: Int) -> [(path: String, supported: String, params: [String])] {
        var out: [(String, String, [String])] = []
        func visit(_ path: String, _ supported: SupportedPath, _ level: Int) {
            guard level <= depth, let schemaObj = schema[supported] else { return }
            let params: [String]
            if policy.unrestricted {
                if let cached = readableParamsCache[supported] { params = cached } else {
                    params = schemaObj.parameters.filter { $0.access != .writeOnly }.map(\.name)
                    readableParamsCache[supported] = params
                }
            } else {
                params = schemaObj.parameters.filter { $0.access != .writeOnly && policy.allows(.param, .read, path + $0.name) }.map(\.name)
            }
            // R-GET.1b: objects without parameters produce no resolved path result.
            if !params.isEmpty { out.append((path, supported, params)) }
            guard level < depth else { return }
            for c in childLayout(supported) {
                if c.multi {
                    let table = path + c.relative
                    for n in store.instances(ofTable: table) { visit("\(table)\(n).", c.path, level + 1) }
                } else {
                    let p = path + c.relative
                    if !c.conditional || store.presentObjects.contains(p) { visit(p, c.path, level + 1) }
                }
            }
        }
        if obj.isTable {
            for n in store.instances(ofTable: obj.path) { visit("\(obj.path)\(n).", obj.supported, 1) }
        } else {
            visit(obj.path, obj.supported, 1)
        }
        return out
    }
}
