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
        /// Index in `mounts` of the provider that serves the parameter (nil: the store).
        var mount: Int? = nil
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
}
