import DataModel
import USPMessages

extension USPAgent {
    /// Add (TR-369 "The Add Message"): creates instances with defaults, the given settings and
    /// agent-assigned unique keys (R-ADD.5); rollback of the whole message when allow_partial is false.
    func handleAdd(_ add: Usp_Add, controller: String) async -> Result<Usp_AddResp, USPError> {
        let snapshot = checkpoint()
        var resp = Usp_AddResp()
        for create in add.createObjs {
            let cp = checkpoint()
            switch await addOne(create, controller: controller) {
            case .success(let results):
                for ok in results {
                    var r = Usp_AddResp.CreatedObjectResult()
                    r.requestedPath = create.objPath
                    r.operStatus.operSuccess = ok
                    resp.createdObjResults.append(r)
                }
            case .failure(let err):
                rollback(to: cp)
                if !add.allowPartial {
                    rollback(to: snapshot)
                    return .failure(err)
                }
                var r = Usp_AddResp.CreatedObjectResult()
                r.requestedPath = create.objPath
                r.operStatus.operFailure.errCode = err.code.rawValue
                r.operStatus.operFailure.errMsg = err.message
                resp.createdObjResults.append(r)
            }
        }
        return .success(resp)
    }

    func addOne(_ create: Usp_Add.CreateObject, controller: String) async -> Result<[Usp_AddResp.CreatedObjectResult.OperationStatus.OperationSuccess], USPError> {
        let resolution: Resolution
        do throws(USPError) {
            let expr = try PathExpression.parse(create.objPath)
            guard expr.leaf == .object else { throw USPError(.invalidPath, "\(create.objPath) is not an object path (it must end with '.')") }
            resolution = try await resolver.resolve(expr, store: store, lookup: self)
        } catch {
            return .failure(error)
        }
        guard let first = resolution.objects.first ?? nil as ResolvedObject? else {
            if resolution.isSearch { return .success([]) }
            return .failure(USPError(.objectDoesNotExist, "\(create.objPath) does not exist"))
        }
        guard first.isTable, let obj = schema[first.supported] else {
            return .failure(USPError(.objectNotTable, "\(create.objPath) is not a multi-instance object (a table path ends with the table name and '.')"))
        }
        guard obj.access.canAdd else {
            return .failure(USPError(.objectNotCreatable, "\(first.supported) does not allow Add"))
        }
        var results: [Usp_AddResp.CreatedObjectResult.OperationStatus.OperationSuccess] = []
        for table in resolution.objects where !policy.allows(.obj, .write, table.path) {
            return .failure(USPError(.permissionDenied, "controller may not add instances to \(table.path)"))
        }
        for table in resolution.objects {
            // Validate settings against the new instance's schema (path uses a placeholder number).
            var writes: [PlannedWrite] = []
            var paramErrors: [USPError.ParamError] = []
            let keyParams = Set(obj.uniqueKeyParameters)
            for setting in create.paramSettings {
                switch planWrite(object: "\(table.path)0.", supported: table.supported, relative: setting.param,
                                 value: setting.value, required: setting.required, creating: true) {
                case .success(let w): writes.append(w)
                case .failure(let pe):
                    // Unique keys count as required (TR-369 note on CreateParamSetting).
                    if setting.required || keyParams.contains(setting.param) {
                        return .failure(USPError(pe.code == .unsupportedParameter ? .requiredParameterFailed : pe.code,
                                                 "required parameter \(setting.param) failed: \(pe.message)",
                                                 paramErrors: [.init(path: table.path + setting.param, code: pe.code, message: pe.message)]))
                    }
                    paramErrors.append(pe)
                }
            }
            var initial: [String: String] = [:]
            for p in obj.parameters where p.defaultValue != nil { initial[p.name] = p.defaultValue }
            for w in writes where w.object == "\(table.path)0." { initial[w.parameter] = w.value }
            let number: UInt32
            do throws(USPError) {
                number = try store.addInstance(table: table.path, values: [:])
            } catch {
                return .failure(error)
            }
            let path = "\(table.path)\(number)."
            // R-ADD.5: assign unique keys the controller left out.
            for name in obj.uniqueKeyParameters where initial[name] == nil {
                if name == "Alias" { initial[name] = "cpe-\(number)" }
            }
            if let hook = creationHooks[table.supported] {
                let given = Set(writes.map(\.parameter))
                let ctx = CreationContext(controller: controller, controllerPath: controllerPath(endpointID: controller), instance: number)
                for (k, v) in hook(ctx) where !given.contains(k) { initial[k] = v }
            }
            store.setValues(path, initial)
            if let conflict = uniqueKeyConflict(object: path, supported: table.supported, newValues: initial) {
                return .failure(conflict)
            }
            // Values in single-instance sub-objects of the new instance.
            for w in writes where w.object != "\(table.path)0." {
                let sub = path + String(w.object.dropFirst("\(table.path)0.".count))
                store.setValue(sub, w.parameter, w.value)
            }
            // Provider-backed parameters of the new instance.
            let providerWrites = writes.filter { w in mounts.contains { $0.covers(w.supported, w.parameter) } }
                .map { w in PlannedWrite(object: path + String(w.object.dropFirst("\(table.path)0.".count)), supported: w.supported,
                                         parameter: w.parameter, relative: w.relative, value: w.value, required: w.required) }
            for f in await applyWrites(providerWrites) {
                let rel = providerWrites.first { $0.object == f.path && $0.parameter == f.parameter }
                if rel?.required == true {
                    return .failure(USPError(.requiredParameterFailed, "required parameter \(f.parameter) failed: \(f.message)",
                                             paramErrors: [.init(path: f.path + f.parameter, code: f.code, message: f.message)]))
                }
                paramErrors.append(.init(path: rel?.relative ?? f.parameter, code: f.code, message: f.message))
            }
            let keys = uniqueKeyValuesFromStore(path)
            pendingChanges.append(.objectCreated(path: path, uniqueKeys: keys))
            var ok = Usp_AddResp.CreatedObjectResult.OperationStatus.OperationSuccess()
            ok.instantiatedPath = path
            ok.uniqueKeys = keys
            ok.paramErrs = paramErrors.map { pe in
                var e = Usp_AddResp.ParameterError(); e.param = pe.path; e.errCode = pe.code.rawValue; e.errMsg = pe.message; return e
            }
            results.append(ok)
        }
        return .success(results)
    }
}
