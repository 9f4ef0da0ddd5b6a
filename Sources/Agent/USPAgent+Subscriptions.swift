import DataModel
import Foundation

extension DataModelChange {
    var touchesSubscriptions: Bool {
        let prefixes = ["Device.LocalAgent.Subscription.", "Device.LocalAgent.Controller.", "Device.LocalAgent.ControllerTrust."]
        switch self {
        case .objectCreated(let p, _), .objectDeleted(let p), .valueChanged(let p, _):
            return prefixes.contains { p.hasPrefix($0) }
        default: return false
        }
    }
}

/// What the notification service needs to know of one subscription.
public struct SubscriptionInfo: Sendable, Equatable {
    public var path: String
    public var id: String
    public var enabled: Bool
    public var controllerEndpoint: String
    public var controllerPath: String
    public var type: String
    public var references: [String]
    public var retry: Bool
    public var expiration: UInt32
    public var timeToLive: UInt32
    public var created: Date
}

extension USPAgent {
    /// The current subscriptions with their recipients resolved to controller endpoint IDs.
    public func subscriptionSnapshot() -> [SubscriptionInfo] {
        let table = "Device.LocalAgent.Subscription."
        var out: [SubscriptionInfo] = []
        for n in store.instances(ofTable: table) {
            let p = "\(table)\(n)."
            var vals: [String: String] = [:]
            for k in ["Recipient", "ReferenceList", "CreationDate", "ID", "Enable", "NotifType", "NotifRetry", "NotifExpiration", "TimeToLive"] {
                vals[k] = store.value(p, k) ?? defaultRendering("Device.LocalAgent.Subscription.{i}.", k)
            }
            let v = { (k: String) -> String in vals[k] ?? "" }
            let recipient = v("Recipient").trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let controllerPath = recipient.isEmpty ? "" : recipient + "."
            let endpoint = store.value(controllerPath, "EndpointID") ?? ""
            let refs = v("ReferenceList").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let created = USPDateTime.date(v("CreationDate")) ?? Date()
            out.append(SubscriptionInfo(path: p, id: v("ID"), enabled: v("Enable") == "true", controllerEndpoint: endpoint,
                                    controllerPath: controllerPath, type: v("NotifType"), references: refs,
                                    retry: v("NotifRetry") == "true", expiration: UInt32(v("NotifExpiration")) ?? 0,
                                    timeToLive: UInt32(v("TimeToLive")) ?? 0, created: created))
        }
        return out
    }

    /// Evaluates a search expression on one instance (for subscriptions on search paths).
    public func instanceMatches(_ components: [PathExpression.SearchComponent], instancePath: String) async -> Bool {
        guard let supported = supportedPath(ofInstance: instancePath) else { return false }
        return (try? await resolver.instanceMatches(components, instance: instancePath, supported: supported, store: store, lookup: self)) ?? false
    }

    /// False for parameters the schema marks as ignored by ValueChange (counters).
    public func valueChangeAllowed(_ paramPath: String) -> Bool {
        guard let dot = paramPath.lastIndex(of: ".") else { return false }
        let obj = String(paramPath[...dot])
        let name = String(paramPath[paramPath.index(after: dot)...])
        guard let s = supportedPath(ofInstance: obj), let p = schema[s]?.parameter(name) else { return true }
        return p.valueChangeAllowed
    }

    /// The controller's notification retry parameters (m seconds, k per mille), TR-181 defaults 5 and 2000.
    public func notifRetryParameters(controllerPath: String) -> (Double, Double) {
        let m = Double(store.value(controllerPath, "USPNotifRetryMinimumWaitInterval") ?? "") ?? 5
        let k = Double(store.value(controllerPath, "USPNotifRetryIntervalMultiplier") ?? "") ?? 2000
        return (max(m, 1), max(k, 1000))
    }

    /// `Controller.{i}.PeriodicNotifInterval` in seconds (TR-181 default 86400).
    public func periodicNotifInterval(controllerPath: String) -> Double {
        max(1, Double(store.value(controllerPath, "PeriodicNotifInterval") ?? "") ?? 86400)
    }

    /// Emits `Device.Boot!` (TR-181) once the agent is up.
    public nonisolated func announceBoot(cause: String = "LocalReboot", firmwareUpdated: Bool = false) {
        emitEvent(objectPath: "Device.", name: "Boot", arguments: [
            "CommandKey": "", "Cause": cause, "FirmwareUpdated": firmwareUpdated ? "true" : "false", "ParameterMap": "{}",
        ])
    }

    /// The unique-key values of an instance, read like a Get (providers included).
    public func uniqueKeyValues(of path: String) async -> [String: String] {
        guard let supported = supportedPath(ofInstance: path), let keys = schema[supported]?.uniqueKeyParameters, !keys.isEmpty,
              store.exists(instance: path) else { return [:] }
        return await readValues([ObjectRead(path: path, supported: supported, parameters: keys)])[path] ?? [:]
    }

    /// Path of the controller instance with this endpoint ID, if configured.
    public func controllerPath(endpointID: String) -> String? {
        let table = "Device.LocalAgent.Controller."
        for n in store.instances(ofTable: table) where store.value("\(table)\(n).", "EndpointID") == endpointID {
            return "\(table)\(n)."
        }
        return nil
    }
}
