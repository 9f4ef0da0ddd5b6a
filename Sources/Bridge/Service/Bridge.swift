import Agent
import DataModel
import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// The bridge between radio adapters and the USP agent: it keeps the device registry, shows
/// every device as `Device.ProxiedDevice.{i}.` with IoT capabilities from the mappings,
/// turns Set/Operate into radio commands and radio reports into value changes.
///
/// Wiring: build the schema with the TR-181 ProxiedDevice objects and
/// `BridgeSchema.addExtensions(to:)`, create the `USPAgent`, open the `AgentDatabase`, then
/// `Bridge(agent:database:adapters:mappings:)` and run it as a `Service` (or call `start()`
/// and `run()` yourself).
public actor Bridge: Service {
    public nonisolated let agent: USPAgent
    public nonisolated let mappings: MappingCatalog
    public nonisolated let options: BridgeOptions
    nonisolated let adapters: [any RadioAdapter]
    nonisolated let registry: RegistryDatabase
    nonisolated let logger: Logger

    var records: [String: DeviceRecord] = [:]
    var addressByInstance: [UInt32: String] = [:]
    /// Active capabilities by device address, then unit key text.
    var resolved: [String: KeyedList<ResolvedCapability>] = [:]
    /// Units that hold capability settings, by device address, then unit key text:
    /// (capability unit key text, TR-181 parameter).
    var settingUnits: [String: [String: (capability: String, parameter: String)]] = [:]
    var deviceMappings: [String: DeviceTexts] = [:]
    /// Mapping rules in use, by where they are written (see `sharedMapping`).
    var sharedMappings: [SourceLocation: SharedMapping] = [:]
    /// Devices whose values come from the registry and were not heard since start-up.
    var stale: Set<String> = []
    var radios: [AdapterInfo]
    /// The agent's schema, read in `start()`.
    var schema: Schema
    var started = false

    /// Bridge-side BinarySensor HoldTime timers and the last activation (for RestTime), by
    /// "address|unit key" (`Bridge+SensorTiming`).
    var holdTimers: [String: Task<Void, Never>] = [:]
    var activations: [String: Date] = [:]

    var queues: [String: SleepyCommandQueue] = [:]
    var waiters: [UInt64: CheckedContinuation<SleepyCommandQueue.Action, Never>] = [:]
    var asleepTasks: [String: Task<Void, Never>] = [:]
    var nextCommandID: UInt64 = 1

    var dirty: Set<String> = []
    var flushTask: Task<Void, Never>?
    var saveChain: Task<Void, Never>?
    /// A registry write is running (`saveChain`).
    var saving = false
    nonisolated let materializeStream: AsyncStream<String>
    nonisolated let materializeContinuation: AsyncStream<String>.Continuation

    /// An active capability: its unit and its mapping (shared by every device using the same rule).
    struct ResolvedCapability: Sendable {
        var unit: FunctionalUnit
        var shared: SharedMapping
        var type: String
        /// Settings whose unit the device has, by TR-181 parameter name.
        var settings: [String: ResolvedSetting] = [:]
        var mapping: CapabilityMapping { shared.mapping }
        var texts: MappingTexts { shared.texts }
    }

    /// A capability setting present on a device: the mapping and the unit that holds it.
    struct ResolvedSetting: Sendable {
        var mapping: SettingMapping
        var unit: FunctionalUnit
    }

    /// One mapping rule with its fixed parameter values rendered once (MinValue, ValidValues …),
    /// held once however many devices use it.
    final class SharedMapping: Sendable {
        let mapping: CapabilityMapping
        let texts: MappingTexts
        init(_ mapping: CapabilityMapping) {
            self.mapping = mapping
            texts = MappingTexts(mapping)
        }
    }

    struct MappingTexts: Sendable {
        var min: String?
        var max: String?
        var validValues: String
        var valueNames: String

        init(_ m: CapabilityMapping) {
            let num = ValueConversion.render(decimals: 6)
            min = m.min.map(num)
            max = m.max.map(num)
            validValues = m.effectiveValidValues.joined(separator: ",")
            valueNames = m.valueNames.joined(separator: ",")
        }
    }

    /// What a read needs of a device's mapping (the full `DeviceMapping` is not kept).
    struct DeviceTexts: Sendable {
        var deviceType: String
        var description: String?
    }

    /// - Parameters:
    ///   - adapters: one per radio stick, in a stable order (radio `i` is `Device.X_USPBRIDGE_Radio.{i+1}.`).
    ///   - mappings: a loaded catalog (`MappingCatalog.load(shipped:user:)`).
    public init(agent: USPAgent, database: AgentDatabase, adapters: [any RadioAdapter], mappings: MappingCatalog,
                options: BridgeOptions = BridgeOptions(),
                logger: Logger = Logger(label: "usp.bridge")) throws {
        self.agent = agent
        self.adapters = adapters
        self.mappings = mappings
        self.options = options
        self.logger = logger
        self.registry = try RegistryDatabase(queue: database.databaseQueue, logger: logger)
        self.radios = []
        self.schema = Self.emptySchema
        (materializeStream, materializeContinuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
    }

    /// Restores the registry into the data model (values marked stale), mounts the providers
    /// and registers the commands. Returns once the restored devices are in the data model.
    /// Called by `run()` when not called before.
    public func start() async throws {
        guard !started else { return }
        started = true
        for a in adapters { radios.append(await a.info) }
        schema = agent.schema
        // Only the sub-object named by a capability's Class exists (TR-181 IoTCapability).
        // BlobSensor has no mapping class (no radio unit maps to it), so it is never present.
        await agent.declareConditionalObjects((CapabilityClass.allCases.map(\.rawValue) + ["BlobSensor"]).flatMap { cls in
            [BridgePaths.deviceCapability, BridgePaths.nodeCapability].map { $0 + cls + "." }
        })
        await agent.mount(ProxiedDeviceProvider(bridge: self), at: BridgePaths.deviceTable)
        if schema[BridgePaths.radio] != nil {
            await agent.mount(RadioProvider(bridge: self), at: BridgePaths.radioTable)
            for i in radios.indices {
                let n = UInt32(i + 1)
                if !(await agent.instances(ofTable: BridgePaths.radioTable).contains(n)) {
                    try await agent.addInstance(table: BridgePaths.radioTable, number: n)
                }
            }
        }
        await registerCommands()
        for var r in registry.loadAll() {
            let addr = r.address.description
            guard addressByInstance[r.instance] == nil else {
                logger.error("registry: device \(addr) has instance \(r.instance) already taken; skipped")
                continue
            }
            if r.radio >= adapters.count {
                // The stick it came from is not configured now: keep the row, show nothing.
                r.present = false
            }
            records[addr] = r
            addressByInstance[r.instance] = addr
            if r.present {
                stale.insert(addr)
                rebuildCapabilities(addr)
                armRestoredHoldTimers(addr)
            }
        }
        // Devices restored from the registry existed before the restart: no ObjectCreation.
        for addr in records.keys.sorted(by: { records[$0]!.instance < records[$1]!.instance }) where records[addr]!.present {
            await materialize(addr, announce: false)
        }
    }

    /// Runs every adapter and consumes their events until cancelled or shut down gracefully.
    /// A failing adapter is logged and shown as Failed; the others keep running.
    public func run() async throws {
        try await start()
        let adapters = self.adapters
        let stream = self.materializeStream
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for (i, adapter) in adapters.enumerated() {
                    group.addTask {
                        do {
                            try await adapter.run()
                        } catch is CancellationError {
                        } catch {
                            await self.adapterFailed(i, error)
                        }
                    }
                    group.addTask {
                        for await event in adapter.events {
                            await self.handle(event, radio: i)
                        }
                    }
                }
                group.addTask {
                    for await addr in stream {
                        await self.materialize(addr)
                    }
                }
            }
        }
        materializeContinuation.finish()
        await flush()
    }

    func adapterFailed(_ radio: Int, _ error: any Error) {
        logger.error("radio \(radio + 1) stopped: \(error)")
        setRadioState(radio, .failed)
    }

    func setRadioState(_ radio: Int, _ state: AdapterState) {
        guard radios.indices.contains(radio), radios[radio].state != state else { return }
        radios[radio].state = state
        agent.providerValueChanged(BridgePaths.radio(radio) + "State", RadioProvider.render(state))
    }

    static let emptySchema: Schema = {
        var b = SchemaBuilder()
        b.add(ObjectSchema(path: "Device."))
        return (try? b.build()) ?? { fatalError("an empty schema always builds") }()
    }()

    // MARK: persistence

    /// Writes every changed device to SQLite now and waits until it is written.
    public func flush() async {
        // Until nothing is dirty and no write is running (a finishing write starts the next).
        while let task = startSave() {
            await task.value
            if dirty.isEmpty && !saving { return }
        }
    }

    /// Hands the changed devices to a background writer, so that a large write never holds up
    /// reports on this actor. One write runs at a time; what changes meanwhile stays dirty and
    /// goes in the next batch, started when the running one finishes (a burst of 1,000 joins
    /// becomes a few batches, not 1,000 queued writes each holding its own copy).
    @discardableResult
    func startSave() -> Task<Void, Never>? {
        flushTask?.cancel()
        flushTask = nil
        guard !saving else { return saveChain }
        let batch = dirty.compactMap { records[$0] }
        dirty.removeAll()
        guard !batch.isEmpty else { return nil }
        saving = true
        let registry = self.registry
        let task = Task.detached(priority: .utility) { [weak self] in
            registry.save(batch)
            await self?.saveFinished()
        }
        saveChain = task
        return task
    }

    func saveFinished() {
        saving = false
        if !dirty.isEmpty { startSave() }
    }

    /// Marks a device changed; saved within `flushInterval` (or at once with `immediately`).
    func markDirty(_ addr: String, immediately: Bool = false) {
        dirty.insert(addr)
        if immediately { startSave(); return }
        guard flushTask == nil else { return }
        let interval = options.flushInterval
        flushTask = Task { [weak self] in
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            await self?.flushFromTimer()
        }
    }

    func flushFromTimer() {
        flushTask = nil
        startSave()
    }

    // MARK: lookups

    func record(instance: UInt32) -> DeviceRecord? {
        addressByInstance[instance].flatMap { records[$0] }
    }

    /// The capability at a location: (device address, unit key text).
    func capability(device: UInt32, node: UInt32?, instance: UInt32) -> (String, String)? {
        guard let addr = addressByInstance[device], let r = records[addr], r.present else { return nil }
        for (key, c) in r.capabilities where c.active && c.instance == instance {
            let nodeInstance = c.node.flatMap { r.nodes[$0] }
            if nodeInstance == node { return (addr, key) }
        }
        return nil
    }

    /// Instantiated path of a capability object (`…IoTCapability.3.`).
    func capabilityPath(_ r: DeviceRecord, _ c: CapabilityRecord) -> String {
        BridgePaths.capabilityTable(r.instance, node: c.node.flatMap { r.nodes[$0] }) + "\(c.instance)."
    }
}
