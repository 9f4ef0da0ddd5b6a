import DataModel
import USPMessages

extension USPAgent {
    /// Delete (TR-369 "The Delete Message"). A valid path that matches nothing succeeds with
    /// no affected paths (R-DEL.2a); allow_partial false turns any failure into an Error and
    /// leaves the data model unchanged.
    func handleDelete(_ del: Usp_Delete, controller: String) async -> Result<Usp_DeleteResp, USPError> {
        let snapshot = checkpoint()
        var resp = Usp_DeleteResp()
        for requested in del.objPaths {
            var r = Usp_DeleteResp.DeletedObjectResult()
            r.requestedPath = requested
            do throws(USPError) {
                let expr = try PathExpression.parse(requested)
                guard expr.leaf == .object else { throw USPError(.invalidPath, "\(requested) is not an object path (it must end with '.')") }
                let res: Resolution
                do throws(USPError) {
                    res = try await resolver.resolve(expr, store: store, lookup: self)
                } catch where error.code == .objectDoesNotExist {
                    r.operStatus.operSuccess = .init()
                    resp.deletedObjResults.append(r)
                    continue
                }
                var ok = Usp_DeleteResp.DeletedObjectResult.OperationStatus.OperationSuccess()
                for obj in res.objects {
                    guard !obj.isTable, let schemaObj = schema[obj.supported], schemaObj.isMultiInstance else {
                        throw USPError(.objectNotTable, "\(obj.path) is not an object instance; Delete needs instance paths")
                    }
                    guard policy.allows(.instantiatedObj, .write, obj.path) else {
                        throw USPError(.permissionDenied, "controller may not delete \(obj.path)")
                    }
                    guard schemaObj.access.canDelete else {
                        throw USPError(.deleteFailure, "\(obj.supported) instances cannot be deleted")
                    }
                    for removed in store.deleteInstance(obj.path) {
                        pendingChanges.append(.objectDeleted(path: removed))
                    }
                    ok.affectedPaths.append(obj.path)
                }
                r.operStatus.operSuccess = ok
            } catch {
                if !del.allowPartial {
                    rollback(to: snapshot)
                    return .failure(error)
                }
                r.operStatus.operFailure.errCode = error.code.rawValue
                r.operStatus.operFailure.errMsg = error.message
            }
            resp.deletedObjResults.append(r)
        }
        return .success(resp)
    }
}
