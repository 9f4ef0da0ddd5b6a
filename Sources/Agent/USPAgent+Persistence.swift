import DataModel
import Foundation

/// Which parts of the instantiated data model are saved.
public struct PersistencePolicy: Sendable {
    /// Instantiated path prefixes whose instances and stored values are saved
    /// (`Device.LocalAgent.Controller.`, `Device.LocalAgent.Subscription.` …).
    public var prefixes: [String]
    /// Instances under `prefix` whose `parameter` has `value` are not saved
    /// (e.g. subscriptions with `Persistent` = false, TR-181).
    public var exclusions: [(prefix: String, parameter: String, value: String)]
    public init(prefixes: [String], exclusions: [(prefix: String, parameter: String, value: String)] = []) {
        self.prefixes = prefixes; self.exclusions = exclusions
    }

    public static let localAgent = PersistencePolicy(
        prefixes: ["Device.LocalAgent.Controller.", "Device.LocalAgent.ControllerTrust.", "Device.LocalAgent.Subscription.",
                   "Device.LocalAgent.MTP.", "Device.MQTT.Client."],
        exclusions: [("Device.LocalAgent.Subscription.", "Persistent", "false")])
}

extension USPAgent {
    /// Attaches a database: restores what it holds into the store (before any message), then
    /// saves after every change to a persistent subtree, before the change is acknowledged.
    public func attach(database: AgentDatabase, policy: PersistencePolicy = .localAgent) throws {
        let state = try database.load()
        store.restore(values: state.values, tables: state.tables, nextInstance: state.nextInstance)
        self.database = database
        self.persistencePolicy = policy
        lastSavedState = currentPersistedState()
        lastSavedState?.metadata = state.metadata
    }

    func currentPersistedState() -> PersistedState {
        var s = PersistedState()
        guard let policy = persistencePolicy else { return s }
        let subset = store.subset(prefixes: policy.prefixes)
        var values = subset.values
        var tables = subset.tables
        for ex in policy.exclusions {
            for (table, list) in tables where table.hasPrefix(ex.prefix) {
                let dropped = list.filter { store.value("\(table)\($0).", ex.parameter) == ex.value }
                guard !dropped.isEmpty else { continue }
                tables[table] = list.filter { !dropped.contains($0) }
                for n in dropped {
                    let p = "\(table)\(n)."
                    values = values.filter { !$0.key.hasPrefix(p) }
                    tables = tables.filter { !$0.key.hasPrefix(p) }
                }
            }
        }
        s.values = values
        s.tables = tables
        // Next instance numbers of the persistent tables, so that they are never reused.
        s.nextInstance = store.nextInstance.filter { t in policy.prefixes.contains { t.key.hasPrefix($0) } }
        return s
    }

    /// Whether a change can alter what is saved (cheap test before building the state).
    func touchesPersistentState(_ change: DataModelChange) -> Bool {
        guard let prefixes = persistencePolicy?.prefixes else { return false }
        switch change {
        case .objectCreated(let p, _), .objectDeleted(let p), .valueChanged(let p, _):
            return prefixes.contains { p.hasPrefix($0) }
        default: return false
        }
    }

    /// Saves when the persistent state differs from what was last saved. Called under the lock.
    func persistIfChanged() {
        guard let database else { return }
        var state = currentPersistedState()
        state.metadata = lastSavedState?.metadata ?? [:]
        guard state != lastSavedState else { return }
        do {
            try database.save(state)
            lastSavedState = state
        } catch {
            logger.error("could not save agent state to \(database.path): \(error)")
        }
    }
}
