import DataModel
import USPMessages

extension USPAgent {
    /// One parameter setting checked against the schema, ready to apply.
    struct PlannedWrite {
        var object: String
        var supported: SupportedPath
        var parameter: String
        /// The relative path as the controller wrote it (for ParameterError.param).
        var relative: String
        var value: String
        var required: Bool
    }

    /// Validates one relative parameter setting on an object. Returns the planned write, or the
    /// parameter error (7010 unknown, 7013 read-only, 7011/7012 bad value).
    func planWrite(object: String, supported: SupportedPath, relative: String, value: String,
                   required: Bool, creating: Bool) -> Result<PlannedWrite, USPError.ParamError> {
        // A relative path may descend into single-instance sub-objects: `Stats.Foo`.
        var objPath = object
        var objSupported = supported
        let comps = relative.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let name = comps.last, !name.isEmpty, comps.allSatisfy({ !$0.isEmpty }) else {
            return .failure(.init(path: relative, code: .unsupportedParameter, message: "'\(relative)' is not a relative parameter path"))
        }
        for sub in comps.dropLast() {
            let next = objSupported + sub + "."
            guard schema[next] != nil else {
                return .failure(.init(path: relative, code: .unsupportedParameter, message: "\(objSupported)\(sub) is not a single-instance sub-object"))
            }
            objPath += sub + "."; objSupported = next
        }
        guard let p = schema[objSupported]?.parameter(name) else {
            return .failure(.init(path: relative, code: .unsupportedParameter, message: "\(objSupported)\(name) is not a parameter of this agent's data model"))
        }
        if p.access == .readOnly && !(creating && isSettableOnCreate(objSupported, name)) {
            return .failure(.init(path: relative, code: .parameterReadOnly, message: "\(objPath)\(name) is read-only"))
        }
        if !policy.allows(.param, .write, objPath + name) {
            return .failure(.init(path: relative, code: .permissionDenied, message: "controller may not write \(objPath)\(name)"))
        }
        if entryCounters[objSupported]?[name] != nil {
            return .failure(.init(path: relative, code: .parameterReadOnly, message: "\(objPath)\(name) is read-only"))
        }
        do throws(USPError) {
            let canonical = try p.syntax.canonicalValue(value)
            return .success(PlannedWrite(object: objPath, supported: objSupported, parameter: name,
                                         relative: relative, value: canonical, required: required))
        } catch {
            return .failure(.init(path: relative, code: error.code, message: "\(objPath)\(name): \(error.message)"))
        }
    }

    /// Unique-key parameters may be given in Add even when the schema marks them read-only
    /// after creation (TR-106 writeOnceReadOnly keys are reported as readWrite anyway).
    func isSettableOnCreate(_ supported: SupportedPath, _ name: String) -> Bool { false }

    /// Checks that applying `values` to instance `object` keeps every unique key unique.
    func uniqueKeyConflict(object: String, supported: SupportedPath, newValues: [String: String]) -> USPError? {
        guard let obj = schema[supported], obj.isMultiInstance,
              let (table, number) = InstanceStore.splitInstancePath(object) else { return nil }
        for key in obj.uniqueKeys where key.contains(where: { newValues[$0] != nil }) {
            func keyValues(_ path: String, overriding: [String: String]) -> [String] {
                key.map { overriding[$0] ?? store.value(path, $0) ?? defaultRendering(supported, $0) }
            }
            let mine = keyValues(object, overriding: newValues)
            for other in store.instances(ofTable: table) where other != number {
                if keyValues("\(table)\(other).", overriding: [:]) == mine {
                    return USPError(.duplicateUniqueKey, "\(table)\(other). already has \(key.joined(separator: "+")) = \(mine.joined(separator: ","))")
                }
            }
        }
        return nil
    }

    /// Applies planned writes: provider-backed ones through their providers (one call per
    /// provider), stored ones into the store. Returns the writes that failed.
    func applyWrites(_ writes: [PlannedWrite]) async -> [ParameterFailure] {
        var perProvider: [Int: [String: ObjectWrite]] = [:]
        var failures: [ParameterFailure] = []
        for w in writes {
            if let m = mounts.lastIndex(where: { $0.covers(w.supported, w.parameter) }) {
                perProvider[m, default: [:]][w.object, default: ObjectWrite(path: w.object, supported: w.supported, values: [:])]
                    .values[w.parameter] = w.value
            }
        }
        for (m, objs) in perProvider.sorted(by: { $0.key < $1.key }) {
            failures += await mounts[m].provider.write(Array(objs.values).sorted { $0.path < $1.path })
        }
        for w in writes where !mounts.contains(where: { $0.covers(w.supported, w.parameter) }) {
            if store.value(w.object, w.parameter) != w.value {
                store.setValue(w.object, w.parameter, w.value)
                pendingChanges.append(.valueChanged(path: w.object + w.parameter, value: w.value))
            }
        }
        return failures
    }

    /// Set (TR-369 "The Set Message"): allow_partial, required parameters, holistic search
    /// paths (R-SET.2a) and rollback of the whole message when allow_partial is false.
    func handleSet(_ set: Usp_Set, controller: String) async -> Result<Usp_SetResp, USPError> {
        let snapshot = checkpoint()
        var resp = Usp_SetResp()
        for update in set.updateObjs {
            var result = Usp_SetResp.UpdatedObjectResult()
            result.requestedPath = update.objPath
            let outcome = await setOne(update)
            switch outcome {
            case .success(let ok):
                result.operStatus.operSuccess = ok
            case .failure(let failure):
                if !set.allowPartial {
                    rollback(to: snapshot)
                    return .failure(failure.asError)
                }
                result.operStatus.operFailure = failure.asOperationFailure
            }
            resp.updatedObjResults.append(result)
        }
        return .success(resp)
    }

    struct SetFailure: Error {
        var error: USPError
        var instances: [(path: String, errors: [USPError.ParamError])]
        var asOperationFailure: Usp_SetResp.UpdatedObjectResult.OperationStatus.OperationFailure {
            var f = Usp_SetResp.UpdatedObjectResult.OperationStatus.OperationFailure()
            f.errCode = error.code.rawValue
            f.errMsg = error.message
            f.updatedInstFailures = instances.map { inst in
                var u = Usp_SetResp.UpdatedInstanceFailure()
                u.affectedPath = inst.path
                u.paramErrs = inst.errors.map { pe in
                    var e = Usp_SetResp.ParameterError(); e.param = pe.path; e.errCode = pe.code.rawValue; e.errMsg = pe.message; return e
                }
                return u
            }
            return f
        }
        var asError: USPError {
            var e = error
            e.paramErrors = instances.flatMap { inst in inst.errors.map { .init(path: inst.path + $0.path, code: $0.code, message: $0.message) } }
            return e
        }
    }

    func setOne(_ update: Usp_Set.UpdateObject) async -> Result<Usp_SetResp.UpdatedObjectResult.OperationStatus.OperationSuccess, SetFailure> {
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
        let snapshot = checkpoint()
        var success = Usp_SetResp.UpdatedObjectResult.OperationStatus.OperationSuccess()
        var failedInstances: [(String, [USPError.ParamError])] = []
        var firstRequiredError: USPError?
        for obj in resolution.objects {
            var writes: [PlannedWrite] = []
            var paramErrors: [USPError.ParamError] = []
            var requiredFailed = false
            for setting in update.paramSettings {
                switch planWrite(object: obj.path, supported: obj.supported, relative: setting.param,
                                 value: setting.value, required: setting.required, creating: false) {
                case .success(let w): writes.append(w)
                case .failure(let pe):
                    paramErrors.append(pe)
                    if setting.required { requiredFailed = true }
                }
            }
            // Unique keys of this instance must stay unique.
            let direct = Dictionary(writes.filter { $0.object == obj.path }.map { ($0.parameter, $0.value) }) { _, b in b }
            if let conflict = uniqueKeyConflict(object: obj.path, supported: obj.supported, newValues: direct) {
                let keyWrites = writes.filter { w in schema[obj.supported]?.uniqueKeyParameters.contains(w.parameter) == true }
                for w in keyWrites { paramErrors.append(.init(path: w.relative, code: conflict.code, message: conflict.message)) }
                writes.removeAll { w in keyWrites.contains { $0.relative == w.relative } }
                requiredFailed = true   // unique keys count as required
            }
            if !requiredFailed {
                let failures = await applyWrites(writes)
                for f in failures {
                    let rel = writes.first { $0.object == f.path && $0.parameter == f.parameter }
                    paramErrors.append(.init(path: rel?.relative ?? f.parameter, code: f.code, message: f.message))
                    if rel?.required == true { requiredFailed = true }
                }
                writes.removeAll { w in failures.contains { $0.path == w.object && $0.parameter == w.parameter } }
            }
            if requiredFailed {
                failedInstances.append((obj.path, paramErrors))
                if firstRequiredError == nil {
                    let code: USPErrorCode = paramErrors.count == 1 ? paramErrors[0].code : .requiredParameterFailed
                    firstRequiredError = USPError(code, "required parameter failed to update on \(obj.path)")
                }
                continue
            }
            var inst = Usp_SetResp.UpdatedInstanceResult()
            inst.affectedPath = obj.path
            for w in writes { inst.updatedParams[w.relative] = w.value }
            inst.paramErrs = paramErrors.map { pe in
                var e = Usp_SetResp.ParameterError(); e.param = pe.path; e.errCode = pe.code.rawValue; e.errMsg = pe.message; return e
            }
            success.updatedInstResults.append(inst)
        }
        if let err = firstRequiredError {
            // R-SET.2a: a search path is handled holistically; undo what it changed.
            rollback(to: snapshot)
            return .failure(SetFailure(error: err, instances: failedInstances))
        }
        return .success(success)
    }
}
