import DataModel
import Foundation
import Logging
import USPMessages

/// A change in the instantiated data model that subscriptions may turn into notifications.
public enum DataModelChange: Sendable, Equatable {
    case objectCreated(path: String, uniqueKeys: [String: String])
    case objectDeleted(path: String)
    case valueChanged(path: String, value: String)
    case event(objectPath: String, name: String, arguments: [String: String])
    case operationComplete(objectPath: String, command: String, commandKey: String,
                           result: Result<[String: String], USPError>)
    /// The subscriptions as they stand after the changes before this one in the stream
    /// (emitted when a message touched Subscription, Controller or ControllerTrust objects),
    /// so that a notifier always matches a change against the subscriptions of its time.
    case subscriptionsUpdated([SubscriptionInfo])
}

/// Who is creating an instance, for creation hooks.
public struct CreationContext: Sendable {
    public var controller: String
    /// `Device.LocalAgent.Controller.{i}.` of that controller, when it is configured.
    public var controllerPath: String?
    public var instance: UInt32
}

/// The USP agent's message engine: it owns the instance store, the provider mounts and the
/// command handlers, and answers every USP request message (TR-369 "Messages").
///
/// Messages are processed one at a time (a transaction per message): a FIFO lock covers
/// each message, and every mutation from elsewhere (providers adding instances, async
/// commands completing) takes the same lock, so a Set that rolls back never loses them.
/// The one exception is waiting for a provider's write or a synchronous command handler
/// (a radio round trip, possibly to a sleepy device): Set and Operate release the lock for
/// that wait and take it again to finish (see `handleSet`).
public actor USPAgent {
    public nonisolated let endpointID: String
    public nonisolated let schema: Schema
    let resolver: Resolver
    var store = InstanceStore()
    var mounts: [ProviderMount] = []
    var commands: [String: CommandHandler] = [:]
    /// Parent supported path → `<X>NumberOfEntries` parameter → child table name.
    let entryCounters: [SupportedPath: [String: String]]
    let logger: Logger
    public nonisolated let changes: AsyncStream<DataModelChange>
    let changeContinuation: AsyncStream<DataModelChange>.Continuation
    /// Supported protocol versions reported by GetSupportedProtocol.
    public var supportedProtocolVersions = USPRecord.supportedVersions
    public var dataModelURI = "urn:broadband-forum-org:tr-181-2-19-0-usp"

    // FIFO message lock.
    private var locked = false
    var pendingChanges: [DataModelChange] = []
    var wholeMountCache: [SupportedPath: Int?] = [:]
    /// What a Get needs per supported object, built on first use (see `readNode`).
    var readNodes: [SupportedPath: ReadNode] = [:]
    /// The access policy of the controller whose message is being handled.
    var policy: AccessPolicy = .allowAll
    var creationHooks: [SupportedPath: @Sendable (CreationContext) -> [String: String]] = [:]
    var database: AgentDatabase?
    var persistencePolicy: PersistencePolicy?
    var lastSavedState: PersistedState?
    var notifyResponseHandler: (@Sendable (String, String, String) -> Void)?

    /// Called with (msg_id, subscription_id, controller) for each NotifyResp received.
    public func setNotifyResponseHandler(_ h: @escaping @Sendable (String, String, String) -> Void) { notifyResponseHandler = h }
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(endpointID: String, schema: Schema, logger: Logger = Logger(label: "usp.agent")) {
        self.endpointID = endpointID
        self.schema = schema
        self.resolver = Resolver(schema: schema)
        self.logger = logger
        (changes, changeContinuation) = AsyncStream.makeStream(of: DataModelChange.self, bufferingPolicy: .unbounded)
        var counters: [SupportedPath: [String: String]] = [:]
        for (path, obj) in schema.objects {
            guard let param = obj.numberOfEntriesParameter, let parent = Schema.parentPath(of: path) else { continue }
            let name = path.dropLast(".{i}.".count).split(separator: ".").last.map(String.init) ?? ""
            counters[parent, default: [:]][param] = name
        }
        self.entryCounters = counters
    }

    // MARK: lock

    func acquire() async {
        if !locked { locked = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if persistencePolicy != nil, pendingChanges.contains(where: touchesPersistentState) { persistIfChanged() }
        // Changes are published only when the message (or mutation) that made them is done,
        // so a rolled-back Set never notifies.
        if pendingChanges.contains(where: { $0.touchesSubscriptions }) {
            pendingChanges.append(.subscriptionsUpdated(subscriptionSnapshot()))
        }
        for c in pendingChanges { changeContinuation.yield(c) }
        pendingChanges.removeAll()
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }

    /// A point to roll back to: the store and the changes recorded so far.
    struct Checkpoint { var store: InstanceStore; var changes: Int }
    func checkpoint() -> Checkpoint { Checkpoint(store: store, changes: pendingChanges.count) }
    func rollback(to cp: Checkpoint) {
        // Instance numbers handed out since the checkpoint stay used: numbers only go up.
        let next = store.nextInstance
        store = cp.store
        for (table, n) in next { store.reserveInstanceNumbers(table: table, below: n) }
        if pendingChanges.count > cp.changes { pendingChanges.removeSubrange(cp.changes...) }
    }

    /// Lets other messages and mutations run while the current message waits for something slow
    /// (a provider's write, a command handler). Nothing may read or change the store until
    /// `retakeLock` returns. Changes recorded so far are published now.
    func releaseLockForWait() -> AccessPolicy {
        let saved = policy
        release()
        policy = .allowAll
        return saved
    }

    /// Takes the message lock again after `releaseLockForWait`, with the message's access policy.
    func retakeLock(_ saved: AccessPolicy) async {
        await acquire()
        policy = saved
    }

    /// Runs `body` under the message lock.
    func exclusive<T: Sendable>(_ body: () async -> T) async -> T {
        await acquire()
        defer { release() }
        return await body()
    }

    // MARK: registration

    /// Serves every parameter of the objects at or below `prefix` from `provider`.
    public func mount(_ provider: any ParameterProvider, at prefix: SupportedPath) {
        wholeMountCache.removeAll()
        readNodes.removeAll()
        mounts.append(ProviderMount(prefix: prefix, parameters: nil, provider: provider))
    }

    /// Serves only the named parameters of the object `object` from `provider` (e.g. UpTime).
    public func mount(_ provider: any ParameterProvider, object: SupportedPath, parameters: [String]) {
        wholeMountCache.removeAll()
        readNodes.removeAll()
        mounts.append(ProviderMount(prefix: object, parameters: Set(parameters), provider: provider))
    }

    /// Implements the command `name` (without `()`) of the objects at supported path `object`.
    public func registerCommand(_ object: SupportedPath, _ name: String, handler: @escaping CommandHandler) {
        commands[object + name] = handler
    }

    /// Values the agent fills in when a controller's Add leaves them out (e.g. a
    /// Subscription's Recipient and CreationDate).
    public func setCreationHook(_ object: SupportedPath, _ hook: @escaping @Sendable (CreationContext) -> [String: String]) {
        creationHooks[object] = hook
    }

    // MARK: store access for providers and runtime

    /// Creates an instance on behalf of a provider or the runtime and reports ObjectCreation.
    /// With `announce` false (restoring what existed before a restart) no ObjectCreation is sent.
    @discardableResult
    public func addInstance(table: String, number: UInt32? = nil, values: [String: String] = [:],
                            announce: Bool = true) async throws(USPError) -> UInt32 {
        await acquire()
        defer { release() }
        return try addInstanceLocked(table: table, number: number, values: values, announce: announce)
    }

    func addInstanceLocked(table: String, number: UInt32?, values: [String: String], announce: Bool = true) throws(USPError) -> UInt32 {
        let n = try store.addInstance(table: table, number: number, values: values)
        let path = "\(table)\(n)."
        if announce { pendingChanges.append(.objectCreated(path: path, uniqueKeys: uniqueKeyValuesFromStore(path))) }
        return n
    }

    /// Deletes an instance (and everything below it) and reports ObjectDeletion for each.
    public func deleteInstance(_ path: String) async {
        await acquire()
        defer { release() }
        deleteInstanceLocked(path)
    }

    func deleteInstanceLocked(_ path: String) {
        for removed in store.deleteInstance(path) {
            pendingChanges.append(.objectDeleted(path: removed))
        }
    }

    /// Sets stored values (no validation: the caller is the agent itself) and reports changes.
    public func setStoredValues(_ object: String, _ values: [String: String]) async {
        await acquire()
        defer { release() }
        setStoredValuesLocked(object, values)
    }

    func setStoredValuesLocked(_ object: String, _ values: [String: String]) {
        for (k, v) in values.sorted(by: { $0.key < $1.key }) where store.value(object, k) != v {
            store.setValue(object, k, v)
            pendingChanges.append(.valueChanged(path: object + k, value: v))
        }
    }

    /// A provider reports that one of its parameters changed (push; no polling anywhere).
    public nonisolated func providerValueChanged(_ path: String, _ value: String) {
        changeContinuation.yield(.valueChanged(path: path, value: value))
    }

    /// Emits a data-model event (`Device.Boot!`, a capability's button press …).
    public nonisolated func emitEvent(objectPath: String, name: String, arguments: [String: String]) {
        // The event's name without its "!" (either spelling is accepted).
        let bare = name.hasSuffix("!") ? String(name.dropLast()) : name
        changeContinuation.yield(.event(objectPath: objectPath, name: bare, arguments: arguments))
    }

    public func instances(ofTable table: String) -> [UInt32] { store.instances(ofTable: table) }

    /// Declares single-instance objects that exist only where `setObjectPresent` says so.
    public func declareConditionalObjects(_ paths: [SupportedPath]) {
        store.declareConditional(paths)
        readNodes.removeAll()
    }

    /// Marks a conditional object as existing (or not) under one instance.
    public func setObjectPresent(_ path: String, _ present: Bool = true) async {
        await acquire()
        defer { release() }
        store.setPresent(path, present)
    }
    public func storedValue(_ object: String, _ parameter: String) -> String? { store.value(object, parameter) }
    public func reserveInstanceNumbers(table: String, below: UInt32) { store.reserveInstanceNumbers(table: table, below: below) }
    public var nextInstanceNumbers: [String: UInt32] { store.nextInstance }

    /// Reads one parameter through the same path as Get (providers, counters, defaults).
    public func value(of paramPath: String) async throws(USPError) -> String {
        let expr = try PathExpression.parse(paramPath)
        let res = try await resolver.resolve(expr, store: store, lookup: self)
        guard case .parameter(let name) = res.leaf, let obj = res.objects.first, res.objects.count == 1 else {
            throw USPError(.invalidPath, "\(paramPath) does not name one parameter")
        }
        let vals = await readValues([ObjectRead(path: obj.path, supported: obj.supported, parameters: [name])])
        return vals[obj.path]?[name] ?? ""
    }

    func uniqueKeyValuesFromStore(_ path: String) -> [String: String] {
        guard let supported = supportedPath(ofInstance: path), let obj = schema[supported] else { return [:] }
        var keys: [String: String] = [:]
        for name in obj.uniqueKeyParameters { keys[name] = store.value(path, name) ?? defaultRendering(supported, name) }
        return keys
    }

    /// `Device.A.3.B.2.` → `Device.A.{i}.B.{i}.`
    func supportedPath(ofInstance path: String) -> SupportedPath? {
        let comps = path.split(separator: ".", omittingEmptySubsequences: true)
        let mapped = comps.map { c in c.allSatisfy(\.isNumber) ? "{i}" : String(c) }
        let s = mapped.joined(separator: ".") + "."
        return schema[s] != nil ? s : nil
    }
}

extension USPAgent: ValueLookup {
    public func lookupValue(object: String, supported: SupportedPath, parameter: String) async -> String? {
        let v = await readValues([ObjectRead(path: object, supported: supported, parameters: [parameter])])
        return v[object]?[parameter]
    }
}
