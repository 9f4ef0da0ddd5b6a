import DataModel
import USPMessages

extension USPAgent {
    /// GetInstances (TR-369 "The GetInstances Message"): the instances of the addressed tables
    /// (and, unless first_level_only, of every table below them) with their unique keys.
    func handleGetInstances(_ req: Usp_GetInstances, controller: String) async -> Usp_GetInstancesResp {
        var resp = Usp_GetInstancesResp()
        for requested in req.objPaths {
            var r = Usp_GetInstancesResp.RequestedPathResult()
            r.requestedPath = requested
            do throws(USPError) {
                let expr = try PathExpression.parse(requested)
                guard expr.leaf == .object else { throw USPError(.invalidPath, "\(requested) is not an object path (it must end with '.')") }
                let res = try await resolver.resolve(expr, store: store, lookup: self)
                var found: [(String, SupportedPath)] = []
                for obj in res.objects {
                    if obj.isTable {
                        for n in store.instances(ofTable: obj.path) {
                            let inst = "\(obj.path)\(n)."
                            found.append((inst, obj.supported))
                            if !req.firstLevelOnly { found += nestedInstances(inst, obj.supported, recursive: true) }
                        }
                    } else {
                        if schema[obj.supported]?.isMultiInstance == true { found.append((obj.path, obj.supported)) }
                        found += nestedInstances(obj.path, obj.supported, recursive: !req.firstLevelOnly)
                    }
                }
                found = found.filter { policy.allows(.instantiatedObj, .read, $0.0) }
                var reads: [ObjectRead] = []
                for (path, sup) in found {
                    let keys = schema[sup]?.uniqueKeyParameters ?? []
                    if !keys.isEmpty { reads.append(ObjectRead(path: path, supported: sup, parameters: keys)) }
                }
                let values = await readValues(reads)
                for (path, sup) in found {
                    var ci = Usp_GetInstancesResp.CurrInstance()
                    ci.instantiatedObjPath = path
                    for k in schema[sup]?.uniqueKeyParameters ?? [] where policy.allows(.param, .read, path + k) {
                        ci.uniqueKeys[k] = values[path]?[k] ?? ""
                    }
                    r.currInsts.append(ci)
                }
            } catch {
                r.errCode = (error.code == .objectDoesNotExist ? USPErrorCode.invalidPath : error.code).rawValue
                r.errMsg = error.message
            }
            resp.reqPathResults.append(r)
        }
        return resp
    }

    /// Instances of tables below an object (its immediate tables only unless `recursive`).
    func nestedInstances(_ path: String, _ supported: SupportedPath, recursive: Bool) -> [(String, SupportedPath)] {
        var out: [(String, SupportedPath)] = []
        for child in schema.children[supported] ?? [] {
            guard let c = schema[child] else { continue }
            let rel = String(child.dropFirst(supported.count))
            if c.isMultiInstance {
                let table = path + String(rel.dropLast("{i}.".count))
                for n in store.instances(ofTable: table) {
                    let inst = "\(table)\(n)."
                    out.append((inst, child))
                    if recursive { out += nestedInstances(inst, child, recursive: true) }
                }
            } else if store.isPresent(path + rel, supported: child) {
                // Tables inside single-instance sub-objects count as the same level.
                out += nestedInstances(path + rel, child, recursive: recursive)
            }
        }
        return out
    }
}
