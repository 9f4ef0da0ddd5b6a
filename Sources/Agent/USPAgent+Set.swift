import DataModel
import USPMessages

extension USPAgent {
    /// One resolved object of an UpdateObject with its checked writes.
    struct PlannedObject {
        var path: String
        var supported: SupportedPath
        var writes: [PlannedWrite]
        var paramErrors: [USPError.ParamError]
        var requiredFailed = false
    }

    /// Set (TR-369 "The Set Message"): allow_partial, required parameters, holistic search
    /// paths (R-SET.2a) and rollback of the whole message when allow_partial is false.
    ///
    /// Called under the message lock. It runs in three phases so that a provider that waits for
    /// a device (a radio command to a sleepy device can wait for minutes) does not hold up other
    /// messages: (1) resolve and validate every UpdateObject under the lock, changing nothing;
    /// (2) release the lock and hand the provider-backed writes to their providers; (3) take the
    /// lock again, check that the objects are still there, apply the stored values and build the
    /// response. Messages without provider-backed writes keep the lock throughout. Another
    /// message may run during phase 2, so a Get sent meanwhile answers with the values from
    /// before this Set (as it would have had it arrived first).
    ///
    /// Every UpdateObject is resolved before any is applied, so a search expression in a later
    /// UpdateObject does not see values set by an earlier one of the same message; unique keys
    /// are checked again as the stored values are applied in order (phase 3).
    func handleSet(_ set: Usp_Set, controller: String) async -> Result<Usp_SetResp, USPError> {
        // Phase 1: plan everything; nothing is changed yet.
        var plans: [Result<[PlannedObject], SetFailure>] = []
        for update in set.updateObjs {
            let plan = await planUpdate(update)
            if case .failure(let f) = plan, !set.allowPartial { return .failure(f.asError) }
            plans.append(plan)
        }
        // Phase 2: provider-backed writes, without the lock.
        let needsProviders = plans.contains { plan in
            guard case .success(let objects) = plan else { return false }
            return objects.contains { $0.writes.contains { $0.mount != nil } }
        }
        if needsProviders {
            let savedPolicy = releaseLockForWait()
            for i in plans.indices {
                guard case .success(var objects) = plans[i] else { continue }
                await writeThroughProviders(&objects)
                plans[i] = holisticOutcome(objects)
                if case .failure(let f) = plans[i], !set.allowPartial {
                    await retakeLock(savedPolicy)
                    return .failure(f.asError)
                }
            }
            await retakeLock(savedPolicy)
        }
        // Phase 3: stored values, atomically.
        let snapshot = checkpoint()
        var resp = Usp_SetResp()
        for (update, plan) in zip(set.updateObjs, plans) {
            var result = Usp_SetResp.UpdatedObjectResult()
            result.requestedPath = update.objPath
            switch plan {
            case .success(let objects):
                let cp = checkpoint()
                switch applyStored(objects, recheck: needsProviders) {
                case .success(let ok):
                    result.operStatus.operSuccess = ok
                case .failure(let f):
                    rollback(to: cp)
                    if !set.allowPartial {
                        rollback(to: snapshot)
                        return .failure(f.asError)
                    }
                    result.operStatus.operFailure = f.asOperationFailure
                }
            case .failure(let f):
                result.operStatus.operFailure = f.asOperationFailure
            }
            resp.updatedObjResults.append(result)
        }
        return .success(resp)
    }

    /// Phase 1 for one UpdateObject: resolution, schema and permission checks, unique keys.
    /// A required parameter that fails on any matched object fails the whole UpdateObject.
    func planUpdate(_ update: Usp_Set.UpdateObject) async -> Result<[PlannedObject], SetFailure> {
        let resolution: Resolution
        do throws(USPError) {
            let expr = try PathExpression.parse(update.objPath)
            guard expr.leaf == .object else {
                throw USPError(.invalidPath, "\(update.objPath) is not an object path (it must end with '.')")
            }
            resolution = try await resolver.resolve(expr, store: store, lookup: self)
        } catch {
            return .failure(SetFailure(error: error, instances: []))
        }
        if resolution.objects.contains(where: \.isTable) {
            return .failure(SetFailure(error: USPError(.objectNotUpdated, "\(update.objPath) is a table; address its instances"), instances: []))
        }
        if !resolution.isSearch && resolution.objects.isEmpty {
            return .failure(SetFailure(error: USPError(.objectDoesNotExist, "\(update.objPath) does not exist"), instances: []))
        }
        var planned: [PlannedObject] = []
        for obj in resolution.objects {
            var p = PlannedObject(path: obj.path, supported: obj.supported, writes: [], paramErrors: [])
            for setting in update.paramSettings {
                switch planWrite(object: obj.path, supported: obj.supported, relative: setting.param,
                                 value: setting.value, required: setting.required, creating: false) {
                case .success(var w):
                    w.mount = mounts.lastIndex { $0.covers(w.supported, w.parameter) }
                    p.writes.append(w)
                case .failure(let pe):
                    p.paramErrors.append(pe)
                    if setting.required { p.requiredFailed = true }
                }
            }
            removeUniqueKeyConflicts(&p)
            planned.append(p)
        }
        return holisticOutcome(planned)
    }

    /// Unique keys of an instance must stay unique: conflicting key writes fail, and count as required.
    func removeUniqueKeyConflicts(_ p: inout PlannedObject) {
        let direct = Dictionary(p.writes.filter { $0.object == p.path }.map { ($0.parameter, $0.value) }) { _, b in b }
        guard let conflict = uniqueKeyConflict(object: p.path, supported: p.supported, newValues: direct) else { return }
        let keyParams = schema[p.supported]?.uniqueKeyParameters ?? []
        let keyWrites = p.writes.filter { keyParams.contains($0.parameter) }
        for w in keyWrites { p.paramErrors.append(.init(path: w.relative, code: conflict.code, message: conflict.message)) }
        p.writes.removeAll { w in keyWrites.contains { $0.relative == w.relative } }
        p.requiredFailed = true
    }

    /// R-SET.2a: the UpdateObject fails as a whole when a required parameter failed on any object.
    func holisticOutcome(_ objects: [PlannedObject]) -> Result<[PlannedObject], SetFailure> {
        let failed = objects.filter(\.requiredFailed)
        guard let first = failed.first else { return .success(objects) }
        let code: USPErrorCode = first.paramErrors.count == 1 ? first.paramErrors[0].code : .requiredParameterFailed
        return .failure(SetFailure(error: USPError(code, "required parameter failed to update on \(first.path)"),
                                   instances: failed.map { ($0.path, $0.paramErrors) }))
    }

    /// Phase 2 for one UpdateObject: one call per provider with the writes of all its objects.
    /// Runs without the message lock (providers may wait for devices).
    func writeThroughProviders(_ objects: inout [PlannedObject]) async {
        var perMount: [Int: [ObjectWrite]] = [:]
        for o in objects {
            for w in o.writes {
                guard let m = w.mount else { continue }
                if let k = perMount[m]?.firstIndex(where: { $0.path == w.object }) {
                    perMount[m]![k].values[w.parameter] = w.value
                } else {
                    perMount[m, default: []].append(ObjectWrite(path: w.object, supported: w.supported, values: [w.parameter: w.value]))
                }
            }
        }
        for (m, writes) in perMount.sorted(by: { $0.key < $1.key }) {
            let failures = await mounts[m].provider.write(writes.sorted { $0.path < $1.path })
            for f in failures {
                guard let oi = objects.firstIndex(where: { o in o.writes.contains { $0.object == f.path && $0.parameter == f.parameter } }) else { continue }
                let rel = objects[oi].writes.first { $0.object == f.path && $0.parameter == f.parameter }
                objects[oi].paramErrors.append(.init(path: rel?.relative ?? f.parameter, code: f.code, message: f.message))
                if rel?.required == true { objects[oi].requiredFailed = true }
                objects[oi].writes.removeAll { $0.object == f.path && $0.parameter == f.parameter }
            }
        }
    }

    /// Phase 3 for one UpdateObject: stores the values no provider serves, object by object, and
    /// builds the result. Unique keys are checked again against the store as it is now, with the
    /// objects before this one applied (two objects set to the same key conflict). With `recheck`
    /// (the lock was released in between) the objects must still exist. On failure the caller
    /// rolls back.
    func applyStored(_ objects: [PlannedObject], recheck: Bool) -> Result<Usp_SetResp.UpdatedObjectResult.OperationStatus.OperationSuccess, SetFailure> {
        var objects = objects
        for i in objects.indices where objects[i].writes.contains(where: { $0.mount == nil }) {
            if recheck && !instancesExist(objects[i].path) {
                objects[i].paramErrors.append(.init(path: "", code: .objectDoesNotExist, message: "\(objects[i].path) was deleted meanwhile"))
                objects[i].requiredFailed = true
                continue
            }
            removeUniqueKeyConflicts(&objects[i])
            if objects[i].requiredFailed { continue }
            for w in objects[i].writes where w.mount == nil && store.value(w.object, w.parameter) != w.value {
                store.setValue(w.object, w.parameter, w.value)
                pendingChanges.append(.valueChanged(path: w.object + w.parameter, value: w.value))
            }
        }
        if case .failure(let f) = holisticOutcome(objects) { return .failure(f) }
        var success = Usp_SetResp.UpdatedObjectResult.OperationStatus.OperationSuccess()
        for o in objects {
            var inst = Usp_SetResp.UpdatedInstanceResult()
            inst.affectedPath = o.path
            for w in o.writes { inst.updatedParams[w.relative] = w.value }
            inst.paramErrs = o.paramErrors.map { pe in
                var e = Usp_SetResp.ParameterError(); e.param = pe.path; e.errCode = pe.code.rawValue; e.errMsg = pe.message; return e
            }
            success.updatedInstResults.append(inst)
        }
        return .success(success)
    }

    /// Whether every instance along an object path (`Device.A.3.B.2.C.`) still exists.
    func instancesExist(_ path: String) -> Bool {
        var prefix = ""
        for comp in path.split(separator: ".") {
            prefix += comp + "."
            if comp.first?.isNumber == true, !store.exists(instance: prefix) { return false }
        }
        return true
    }
}
