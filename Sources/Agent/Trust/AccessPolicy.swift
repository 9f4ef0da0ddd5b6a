import DataModel

/// The four permission kinds of `Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.`.
public enum PermissionKind: Sendable { case param, obj, instantiatedObj, commandEvent }

/// The positions of a TR-181 permission string `rwxn`.
public enum PermissionFlag: Int, Sendable { case read = 0, write = 1, execute = 2, notify = 3 }

/// One enabled Permission entry, with search targets already resolved to concrete paths.
struct PermissionEntry: Sendable {
    var order: UInt32
    var targets: [PathExpression]
    /// Permission strings per kind, e.g. "r--n".
    var flags: [PermissionKind: [Bool]]
}

/// What one controller may do (TR-369 "Role Based Access Control"). Among the Permission
/// entries of the controller's roles whose Targets cover a path, the one with the largest
/// Order decides. With no roles configured at all, everything is allowed (a fresh agent is
/// usable); once roles exist, a controller without a matching entry gets nothing.
public struct AccessPolicy: Sendable {
    let entries: [PermissionEntry]
    public let unrestricted: Bool

    public static let allowAll = AccessPolicy(entries: [], unrestricted: true)

    init(entries: [PermissionEntry], unrestricted: Bool) {
        self.entries = entries.sorted { $0.order > $1.order }
        self.unrestricted = unrestricted
    }

    /// Whether `flag` of `kind` is granted on `path` (a parameter, object, instance,
    /// `Obj.Cmd()` or `Obj.Event!` path with instance numbers).
    public func allows(_ kind: PermissionKind, _ flag: PermissionFlag, _ path: String) -> Bool {
        if unrestricted { return true }
        for e in entries {
            guard let f = e.flags[kind] else { continue }
            if e.targets.contains(where: { Self.covers($0, path) }) { return f[flag.rawValue] }
        }
        return false
    }

    /// A target covers a path when it is the same path or an object path above it.
    static func covers(_ target: PathExpression, _ path: String) -> Bool {
        var tokens = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if tokens.last == "" { tokens.removeLast() }
        var i = 0
        for seg in target.segments {
            guard i < tokens.count else { return false }
            let tok = tokens[i]
            switch seg {
            case .name(let n): guard n == tok else { return false }
            // `{i}` in a supported path (GetSupportedDM) stands for any instance.
            case .instance(.number(let k)): guard String(k) == tok || tok == "{i}" else { return false }
            case .instance(.wildcard): guard UInt32(tok) != nil || tok == "{i}" else { return false }
            case .instance(.expression), .reference: return false
            }
            i += 1
        }
        let rest = tokens[i...]
        switch target.leaf {
        case .object:
            // A table path (`Device.X.`) also covers `Device.X.` itself.
            return true
        case .parameter(let n): return rest.count == 1 && rest.first == n
        case .command(let n): return rest.count == 1 && rest.first == n + "()"
        case .event(let n): return rest.count == 1 && rest.first == n + "!"
        }
    }

    static func parseFlags(_ s: String) -> [Bool] {
        let chars = Array(s)
        let letters: [Character] = ["r", "w", "x", "n"]
        return (0..<4).map { i in i < chars.count && chars[i] == letters[i] }
    }
}

extension USPAgent {
    /// Whether `controller` may receive a notification about `path` (the `n` permission).
    public func allowsNotification(_ controller: String, _ kind: PermissionKind, _ path: String) async -> Bool {
        await accessPolicy(for: controller).allows(kind, .notify, path)
    }

    /// Builds the access policy of a controller from the ControllerTrust tables.
    func accessPolicy(for controller: String) async -> AccessPolicy {
        let roleTable = "Device.LocalAgent.ControllerTrust.Role."
        let roles = store.instances(ofTable: roleTable)
        guard !roles.isEmpty else { return .allowAll }
        var roleRefs: [String]
        if let cp = controllerPath(endpointID: controller) {
            roleRefs = (store.value(cp, "AssignedRole") ?? "") .split(separator: ",").map { String($0) }
            roleRefs += (store.value(cp, "InheritedRole") ?? "").split(separator: ",").map { String($0) }
        } else {
            roleRefs = (store.value("Device.LocalAgent.ControllerTrust.", "UntrustedRole") ?? "").split(separator: ",").map { String($0) }
        }
        var entries: [PermissionEntry] = []
        for ref in roleRefs {
            let trimmed = ref.trimmingCharacters(in: .whitespaces)
            let rolePath = trimmed.hasSuffix(".") ? trimmed : trimmed + "."
            guard let (table, n) = InstanceStore.splitInstancePath(rolePath), table == roleTable, roles.contains(n),
                  store.value(rolePath, "Enable") != "false" else { continue }
            let permTable = rolePath + "Permission."
            for p in store.instances(ofTable: permTable) {
                let pp = "\(permTable)\(p)."
                guard store.value(pp, "Enable") == "true" else { continue }
                var targets: [PathExpression] = []
                for t in (store.value(pp, "Targets") ?? "").split(separator: ",") {
                    let text = t.trimmingCharacters(in: .whitespaces)
                    guard let expr = try? PathExpression.parse(text) else { continue }
                    if expr.isSearchPath {
                        // Search targets are resolved now, for this message, to concrete paths.
                        if let res = try? await resolver.resolve(expr, store: store, lookup: self) {
                            for o in res.objects {
                                let leafText: String
                                switch res.leaf {
                                case .object: leafText = ""
                                case .parameter(let n): leafText = n
                                case .command(let n): leafText = n + "()"
                                case .event(let n): leafText = n + "!"
                                }
                                if let concrete = try? PathExpression.parse(o.path + leafText) { targets.append(concrete) }
                            }
                        }
                    } else {
                        targets.append(expr)
                    }
                }
                var flags: [PermissionKind: [Bool]] = [:]
                flags[.param] = AccessPolicy.parseFlags(store.value(pp, "Param") ?? "----")
                flags[.obj] = AccessPolicy.parseFlags(store.value(pp, "Obj") ?? "----")
                flags[.instantiatedObj] = AccessPolicy.parseFlags(store.value(pp, "InstantiatedObj") ?? "----")
                flags[.commandEvent] = AccessPolicy.parseFlags(store.value(pp, "CommandEvent") ?? "----")
                entries.append(PermissionEntry(order: UInt32(store.value(pp, "Order") ?? "0") ?? 0, targets: targets, flags: flags))
            }
        }
        return AccessPolicy(entries: entries, unrestricted: false)
    }
}
