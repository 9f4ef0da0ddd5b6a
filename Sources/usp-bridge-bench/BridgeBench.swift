import Agent
import Bridge
import DataModel
import Foundation
import Logging
import Runtime
import USPMessages

/// A radio adapter that produces joins and reports on demand: it measures the bridge and the
/// agent, not a radio.
final class SyntheticAdapter: RadioAdapter, @unchecked Sendable {
    let events: AsyncStream<AdapterEvent>
    let continuation: AsyncStream<AdapterEvent>.Continuation
    var info: AdapterInfo { AdapterInfo(radioProtocol: .zigbee, stack: "SYNTHETIC", port: "none", firmware: "0", state: .running) }
    init() { (events, continuation) = AsyncStream.makeStream(of: AdapterEvent.self) }
    func run() async throws { while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) } }
    func send(_ command: DeviceCommand, to device: DeviceAddress, timeout: Duration) async throws(AdapterError) -> CommandOutcome { .success(nil) }
    func permitJoin(seconds: Int) async throws(AdapterError) {}
    func remove(device: DeviceAddress) async throws(AdapterError) {}
    func reinterview(device: DeviceAddress) async throws(AdapterError) {}
    func refresh(device: DeviceAddress, unit: UnitKey?) async throws(AdapterError) {}
}

/// Records when each Notify leaves the agent.
final class TimingSender: MessageSender, @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String: UInt64] = [:]
    private(set) var latencies: [Double] = []
    func expect(_ devicePath: String, at t: UInt64) { lock.withLock { pending[devicePath] = t } }
    func send(_ msg: Usp_Msg, to controller: String) async -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let path = msg.body.request.notify.valueChange.paramPath
        guard let r = path.range(of: ".IoTCapability.") else { return true }
        let device = String(path[..<r.lowerBound]) + "."
        lock.withLock {
            if let t = pending.removeValue(forKey: device) { latencies.append(Double(now - t) / 1e6) }
        }
        return true
    }
    var count: Int { lock.withLock { latencies.count } }
}

/// CPU time used by the whole process so far (every thread).
func processCPUMilliseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
}

func benchBridge(devices: Int) async throws {
    var logger = Logger(label: "bench"); logger.logLevel = .error
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-bench-bridge-\(getpid())").path
    var config = BridgeConfiguration()
    config.agent.endpointID = "proto::bench"
    config.dataDirectory = dir
    config.mqtt = nil
    config.controllers = [.init(endpointID: "self::bench")]
    let rssStart = rssKiB(getpid())
    let schema = try AgentAssembly.schema(extensions: BridgeSchema.objects)
    let (agent, db) = try await AgentAssembly.makeAgent(config: config, schema: schema, logger: logger)
    let sender = TimingSender()
    let notifications = NotificationService(agent: agent, sender: sender, logger: logger)
    let notifyTask = await notifications.start()
    let adapter = SyntheticAdapter()
    let catalog = MappingCatalog.load(shipped: MappingCatalog.defaultShippedDirectory(), logger: logger)
    let bridge = try Bridge(agent: agent, database: db, adapters: [adapter], mappings: catalog, options: BridgeOptions(), logger: logger)
    try await bridge.start()
    let runTask = Task { try? await bridge.run() }
    let units = [
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0006, attribute: 0x0000), value: .bool(false)),
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0008, attribute: 0x0000), value: .int(128)),
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0x0000), value: .int(2150)),
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0405, attribute: 0x0000), value: .int(4500)),
    ]
    let t0 = Date()
    for i in 0..<devices {
        let id = DeviceIdentity(address: .ieee(0x00124B0000000000 + UInt64(i)), nodeID: UInt16(i & 0xFFFF),
                                manufacturer: "Bench", model: "plug-thermo", power: .mains, kind: .router)
        adapter.continuation.yield(.deviceJoined(id, units))
    }
    while await agent.instances(ofTable: "Device.ProxiedDevice.").count < devices {
        try await Task.sleep(for: .milliseconds(20))
        if Date().timeIntervalSince(t0) > 120 { print("bench: joins did not complete"); break }
    }
    // Capability objects are created after their device: wait for the last device's too, so
    // that the Gets below always see the whole subtree (they did not on a loaded machine).
    let devicesDone = Date()
    while await agent.instances(ofTable: "Device.ProxiedDevice.\(devices).IoTCapability.").count < units.count {
        try await Task.sleep(for: .milliseconds(20))
        if Date().timeIntervalSince(devicesDone) > 20 {
            print("bench: capability objects did not appear (no mappings found? USPBRIDGE_MAPPINGS or run from the package directory)")
            break
        }
    }
    let caps = await agent.instances(ofTable: "Device.ProxiedDevice.1.IoTCapability.").count
    line("bridge.join", String(format: "%d devices × %d capabilities in %.2f s", devices, caps, Date().timeIntervalSince(t0)))
    try await Task.sleep(for: .seconds(1))
    let rss = rssKiB(getpid())
    line("bridge.rss", String(format: "%.1f MiB = %.1f MB (%d KiB) with %d devices (process; %.1f MiB before start)",
                              Double(rss) / 1024, Double(rss) * 1024 / 1e6, rss, devices, Double(rssStart) / 1024))
    // USPBENCH_RSS_PAUSE=seconds: hold still here, so that /proc/PID/smaps can be read at the
    // point the RSS figure describes (before the Gets allocate their responses).
    if let pause = ProcessInfo.processInfo.environment["USPBENCH_RSS_PAUSE"].flatMap(Double.init) {
        fflush(nil)   // every output stream: the RSS line is out before the pause
        try await Task.sleep(for: .seconds(pause))
    }
    // Full-subtree Get, in process (no MTP), median of 9.
    var g = Usp_Get(); g.paramPaths = ["Device.ProxiedDevice."]
    let getMsg = Usp_Msg.request(id: "g", type: .get, .get(g))
    var times: [Double] = []
    var cpuTimes: [Double] = []
    var params = 0
    for _ in 0..<9 {
        let t = DispatchTime.now().uptimeNanoseconds
        let c = processCPUMilliseconds()
        let r = await agent.handle(message: getMsg, from: "self::bench")
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        cpuTimes.append(processCPUMilliseconds() - c)
        params = r?.body.response.getResp.reqPathResults.first?.resolvedPathResults.reduce(0) { $0 + $1.resultParams.count } ?? 0
    }
    if let loops = ProcessInfo.processInfo.environment["USPBENCH_GET_LOOP"].flatMap(Int.init) {
        for _ in 0..<loops { _ = await agent.handle(message: getMsg, from: "self::bench") }
    }
    times.sort()
    line("bridge.get.subtree", String(format: "%.1f ms median (%d parameters, min %.1f, max %.1f)", times[4], params, times[0], times[8]))
    // CPU time of the process during each Get: steadier than wall time on a shared machine.
    cpuTimes.sort()
    line("bridge.get.subtree.cpu", String(format: "%.1f ms median CPU (min %.1f, max %.1f)", cpuTimes[4], cpuTimes[0], cpuTimes[8]))
    // Report → Notify at 500 reports/s.
    var add = Usp_Add(); var co = Usp_Add.CreateObject(); co.objPath = "Device.LocalAgent.Subscription."
    co.paramSettings = [("Enable", "true"), ("ID", "bench"), ("NotifType", "ValueChange"),
                        ("ReferenceList", "Device.ProxiedDevice.*.IoTCapability.*.LevelSensor.Value")].map {
        var p = Usp_Add.CreateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = true; return p
    }
    add.createObjs = [co]
    _ = await agent.handle(message: .request(id: "sub", type: .add, .add(add)), from: "self::bench")
    try await Task.sleep(for: .milliseconds(200))
    let reports = min(2000, devices * 2)
    let start = DispatchTime.now().uptimeNanoseconds
    for i in 0..<reports {
        let due = start + UInt64(i) * 2_000_000   // 500/s
        while DispatchTime.now().uptimeNanoseconds < due { try? await Task.sleep(for: .microseconds(200)) }
        let d = i % devices
        sender.expect("Device.ProxiedDevice.\(d + 1).", at: DispatchTime.now().uptimeNanoseconds)
        adapter.continuation.yield(.report(.ieee(0x00124B0000000000 + UInt64(d)), .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0x0000),
                                           .int(Int64(1000 + i)), timestamp: Date()))
    }
    let end = Date().addingTimeInterval(5)
    while sender.count < reports && Date() < end { try await Task.sleep(for: .milliseconds(10)) }
    let lat = sender.latencies.sorted()
    line("bridge.report-to-notify.median", String(format: "%.3f ms (%d of %d reports at 500/s)", percentile(lat, 0.5), lat.count, reports))
    line("bridge.report-to-notify.p99", String(format: "%.3f ms", percentile(lat, 0.99)))
    runTask.cancel(); notifyTask.cancel()
    try? FileManager.default.removeItem(atPath: dir)
}
