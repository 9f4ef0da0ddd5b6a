import Foundation
import USPMessages

/// One failure reported by the agent: a whole Error message, a requested path that failed,
/// or a single parameter.
public struct USPFailure: Sendable, Equatable {
    public var code: UInt32
    /// The path the failure concerns; empty for a message-level Error.
    public var path: String
    public var message: String
    public init(code: UInt32, path: String, message: String) {
        self.code = code; self.path = path; self.message = message
    }

    /// `ERROR 7026 Device.Foo.: invalid path` (or `ERROR 7004: message` without a path).
    public var line: String {
        path.isEmpty ? "ERROR \(code): \(message)" : "ERROR \(code) \(path): \(message)"
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if !path.isEmpty { o["path"] = .string(path) }
        return .object(o)
    }
}

/// Turns USP responses into text for people (aligned tables, sorted) or JSON for scripts
/// (stable: keys sorted, lists sorted). Pure: no I/O.
///
/// Text and JSON always carry the failures the response reports (per-path or per-parameter
/// errors inside an otherwise successful response); `failures(of:)` lists them so a caller
/// can decide its exit status.
public enum USPResultFormatter {
    public enum Format: Sendable, Equatable { case text, json }

    /// A response body rendered in `format`.
    public static func render(_ response: Usp_Response.OneOf_RespType, as format: Format) -> String {
        switch format {
        case .text: return text(response)
        case .json: return json(response).pretty
        }
    }

    /// An `Error` message rendered in `format`.
    public static func render(_ error: USPResponseError, as format: Format) -> String {
        switch format {
        case .text: return failures(of: error).map(\.line).joined(separator: "\n")
        case .json: return JSONValue.object(["errors": .array(failures(of: error).map(\.json))]).pretty
        }
    }

    /// A Notify rendered as one line.
    public static func render(_ notify: Usp_Notify, as format: Format) -> String {
        switch format {
        case .text: return text(notify)
        case .json: return json(notify).compact
        }
    }

    // MARK: failures

    public static func failures(of error: USPResponseError) -> [USPFailure] {
        [USPFailure(code: error.code, path: "", message: error.message)]
            + error.paramErrors.map { USPFailure(code: $0.code, path: $0.path, message: $0.message) }
    }

    /// Every failure a response reports, in response order.
    public static func failures(of response: Usp_Response.OneOf_RespType) -> [USPFailure] {
        var out: [USPFailure] = []
        switch response {
        case .getResp(let r):
            for p in r.reqPathResults where p.errCode != 0 {
                out.append(USPFailure(code: p.errCode, path: p.requestedPath, message: p.errMsg))
            }
        case .setResp(let r):
            for o in r.updatedObjResults {
                switch o.operStatus.operStatus {
                case .operFailure(let f)?:
                    out.append(USPFailure(code: f.errCode, path: o.requestedPath, message: f.errMsg))
                    for inst in f.updatedInstFailures {
                        out += inst.paramErrs.map { USPFailure(code: $0.errCode, path: inst.affectedPath + $0.param, message: $0.errMsg) }
                    }
                case .operSuccess(let s)?:
                    for inst in s.updatedInstResults {
                        out += inst.paramErrs.map { USPFailure(code: $0.errCode, path: inst.affectedPath + $0.param, message: $0.errMsg) }
                    }
                case nil:
                    break
                }
            }
        case .addResp(let r):
            for o in r.createdObjResults {
                switch o.operStatus.operStatus {
                case .operFailure(let f)?:
                    out.append(USPFailure(code: f.errCode, path: o.requestedPath, message: f.errMsg))
                case .operSuccess(let s)?:
                    let base = s.instantiatedPath.isEmpty ? o.requestedPath : s.instantiatedPath
                    out += s.paramErrs.map { USPFailure(code: $0.errCode, path: base + $0.param, message: $0.errMsg) }
                case nil:
                    break
                }
            }
        case .deleteResp(let r):
            for o in r.deletedObjResults {
                switch o.operStatus.operStatus {
                case .operFailure(let f)?:
                    out.append(USPFailure(code: f.errCode, path: o.requestedPath, message: f.errMsg))
                case .operSuccess(let s)?:
                    out += s.unaffectedPathErrs.map { USPFailure(code: $0.errCode, path: $0.unaffectedPath, message: $0.errMsg) }
                case nil:
                    break
                }
            }
        case .operateResp(let r):
            for o in r.operationResults {
                if case .cmdFailure(let f)? = o.operationResp {
                    out.append(USPFailure(code: f.errCode, path: o.executedCommand, message: f.errMsg))
                }
            }
        case .getInstancesResp(let r):
            for p in r.reqPathResults where p.errCode != 0 {
                out.append(USPFailure(code: p.errCode, path: p.requestedPath, message: p.errMsg))
            }
        case .getSupportedDmResp(let r):
            for p in r.reqObjResults where p.errCode != 0 {
                out.append(USPFailure(code: p.errCode, path: p.reqObjPath, message: p.errMsg))
            }
        case .notifyResp, .getSupportedProtocolResp, .registerResp, .deregisterResp:
            break
        }
        return out
    }

    // MARK: names

    static func name(_ t: Usp_GetSupportedDMResp.ParamValueType) -> String {
        switch t {
        case .paramUnknown: return "unknown"
        case .paramBase64: return "base64"
        case .paramBoolean: return "boolean"
        case .paramDateTime: return "dateTime"
        case .paramDecimal: return "decimal"
        case .paramHexBinary: return "hexBinary"
        case .paramInt: return "int"
        case .paramLong: return "long"
        case .paramString: return "string"
        case .paramUnsignedInt: return "unsignedInt"
        case .paramUnsignedLong: return "unsignedLong"
        case .UNRECOGNIZED(let n): return "type(\(n))"
        }
    }

    static func name(_ a: Usp_GetSupportedDMResp.ParamAccessType) -> String {
        switch a {
        case .paramReadOnly: return "readOnly"
        case .paramReadWrite: return "readWrite"
        case .paramWriteOnly: return "writeOnly"
        case .UNRECOGNIZED(let n): return "access(\(n))"
        }
    }

    static func name(_ a: Usp_GetSupportedDMResp.ObjAccessType) -> String {
        switch a {
        case .objReadOnly: return "readOnly"
        case .objAddDelete: return "addDelete"
        case .objAddOnly: return "addOnly"
        case .objDeleteOnly: return "deleteOnly"
        case .UNRECOGNIZED(let n): return "access(\(n))"
        }
    }

    static func name(_ c: Usp_GetSupportedDMResp.CmdType) -> String {
        switch c {
        case .cmdUnknown: return "unknown"
        case .cmdSync: return "sync"
        case .cmdAsync: return "async"
        case .UNRECOGNIZED(let n): return "type(\(n))"
        }
    }

    static func name(_ v: Usp_GetSupportedDMResp.ValueChangeType) -> String {
        switch v {
        case .valueChangeUnknown: return "unknown"
        case .valueChangeAllowed: return "allowed"
        case .valueChangeWillIgnore: return "willIgnore"
        case .UNRECOGNIZED(let n): return "valueChange(\(n))"
        }
    }

    /// `k1=v1, k2=v2`, keys sorted.
    static func pairs(_ m: [String: String]) -> String {
        m.keys.sorted().map { "\($0)=\(m[$0] ?? "")" }.joined(separator: ", ")
    }

    /// Get results as (full parameter path, value), sorted by path.
    static func parameterRows(_ r: Usp_GetResp) -> [(String, String)] {
        var rows: [String: String] = [:]
        for p in r.reqPathResults where p.errCode == 0 {
            for res in p.resolvedPathResults {
                for (k, v) in res.resultParams { rows[res.resolvedPath + k] = v }
            }
        }
        return rows.keys.sorted(by: Self.pathOrder).map { ($0, rows[$0] ?? "") }
    }

    /// Set results as (full parameter path, value), sorted by path.
    static func updatedRows(_ r: Usp_SetResp) -> [(String, String)] {
        var rows: [String: String] = [:]
        for o in r.updatedObjResults {
            guard case .operSuccess(let s)? = o.operStatus.operStatus else { continue }
            for inst in s.updatedInstResults {
                for (k, v) in inst.updatedParams { rows[inst.affectedPath + k] = v }
            }
        }
        return rows.keys.sorted(by: Self.pathOrder).map { ($0, rows[$0] ?? "") }
    }

    static func created(_ r: Usp_AddResp) -> [(path: String, keys: [String: String])] {
        r.createdObjResults.compactMap { o in
            guard case .operSuccess(let s)? = o.operStatus.operStatus else { return nil }
            return (s.instantiatedPath, s.uniqueKeys)
        }.sorted { Self.pathOrder($0.path, $1.path) }
    }

    static func deleted(_ r: Usp_DeleteResp) -> [String] {
        var paths = Set<String>()
        for o in r.deletedObjResults {
            guard case .operSuccess(let s)? = o.operStatus.operStatus else { continue }
            paths.formUnion(s.affectedPaths)
        }
        return paths.sorted(by: Self.pathOrder)
    }

    static func instances(_ r: Usp_GetInstancesResp) -> [Usp_GetInstancesResp.CurrInstance] {
        var byPath: [String: Usp_GetInstancesResp.CurrInstance] = [:]
        for p in r.reqPathResults where p.errCode == 0 {
            for i in p.currInsts { byPath[i.instantiatedObjPath] = i }
        }
        return byPath.keys.sorted().compactMap { byPath[$0] }
    }

    static func supportedObjects(_ r: Usp_GetSupportedDMResp) -> [Usp_GetSupportedDMResp.SupportedObjectResult] {
        var byPath: [String: Usp_GetSupportedDMResp.SupportedObjectResult] = [:]
        for p in r.reqObjResults where p.errCode == 0 {
            for o in p.supportedObjs { byPath[o.supportedObjPath] = o }
        }
        return byPath.keys.sorted().compactMap { byPath[$0] }
    }

    static func versions(_ r: Usp_GetSupportedProtocolResp) -> [String] {
        r.agentSupportedProtocolVersions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Path order for people: instance numbers compare as numbers (`Device.X.2.` before
    /// `Device.X.10.`), everything else as text.
    public static func pathOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".", omittingEmptySubsequences: false), y = b.split(separator: ".", omittingEmptySubsequences: false)
        for (p, q) in zip(x, y) where p != q {
            if let i = Int(p), let j = Int(q) { return i < j }
            return p < q
        }
        return x.count < y.count
    }
}
