import Agent
@testable import Bridge
import DataModel
import Foundation
import Testing
import USPMessages

/// Collects the agent's change stream so tests can wait for a notification.
actor ChangeLog {
    private(set) var all: [DataModelChange] = []
    func append(_ c: DataModelChange) { all.append(c) }

    /// Waits (polling, at most `timeout`) for a change that satisfies `match`, after index `from`.
    func wait(from: Int = 0, timeout: Duration = .seconds(3), _ match: @Sendable (DataModelChange) -> Bool) async -> DataModelChange? {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if let hit = all.dropFirst(from).first(where: match) { return hit }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }
    var count: Int { all.count }

    /// Waits until no change arrived for 30 ms (the feed task has caught up).
    func settle() async {
        var last = -1
        while last != all.count {
            last = all.count
            try? await Task.sleep(for: .milliseconds(30))
        }
    }
}

/// One agent + bridge + fake adapter on a SQLite file, driven through encoded USP records.
struct Harness {
    let agent: USPAgent
    let bridge: Bridge
    let fake: FakeAdapter
    let log: ChangeLog
    let runTask: Task<Void, Never>
    let feedTask: Task<Void, Never>
    let controller: Controller

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bridge-\(UUID().uuidString).sqlite").path
    }

    static func make(dbPath: String, fake: FakeAdapter = FakeAdapter(), mappings: MappingCatalog? = nil,
                     configure: (inout BridgeOptions) -> Void = { _ in }) async throws -> Harness {
        let agent = USPAgent(endpointID: "proto::agent", schema: try BridgeTestSchema.make())
        let (db, _) = try AgentDatabase.open(path: dbPath)
        var config = BridgeOptions()
        config.commandTimeout = .seconds(1)
        config.flushInterval = .milliseconds(20)
        configure(&config)
        let catalog = mappings ?? MappingCatalog.load(shipped: MappingCatalogTests.shipped)
        let bridge = try Bridge(agent: agent, database: db, adapters: [fake], mappings: catalog, options: config)
        let log = ChangeLog()
        let feed = Task { for await c in agent.changes { await log.append(c) } }
        try await bridge.start()
        // The radio object is created by start(); let the log catch up so tests count from here.
        _ = await log.wait { if case .objectCreated("Device.X_USPBRIDGE_Radio.1.", _) = $0 { true } else { false } }
        await log.settle()
        let run = Task { _ = try? await bridge.run() }
        return Harness(agent: agent, bridge: bridge, fake: fake, log: log, runTask: run, feedTask: feed, controller: Controller(agent: agent))
    }

    func stop() async {
        runTask.cancel()
        _ = await runTask.value
        await bridge.flush()
        feedTask.cancel()
    }

    /// Emits a join and waits until the device's capability objects exist.
    func join(_ id: DeviceIdentity, _ units: [FunctionalUnit], expectCapabilities: Int) async -> [String] {
        let before = await log.count
        fake.emit(.deviceJoined(id, units))
        var created: [String] = []
        let clock = ContinuousClock()
        let end = clock.now + .seconds(3)
        while clock.now < end {
            created = await log.all.dropFirst(before).compactMap { if case .objectCreated(let p, _) = $0 { p } else { nil } }
            if created.filter({ $0.contains("IoTCapability.") }).count >= expectCapabilities && !created.isEmpty { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return created
    }

    func waitValue(_ path: String, _ value: String, from: Int = 0) async -> Bool {
        await log.wait(from: from) { if case .valueChanged(path, value) = $0 { true } else { false } } != nil
    }

    func waitOperationComplete(_ objectPath: String, from: Int = 0, timeout: Duration = .seconds(3)) async -> Result<[String: String], USPError>? {
        let c = await log.wait(from: from, timeout: timeout) { if case .operationComplete(objectPath, _, _, _) = $0 { true } else { false } }
        if case .operationComplete(_, _, _, let r)? = c { return r }
        return nil
    }
}

/// Sends messages to the agent the way an MTP would: encoded Records in, Records out.
struct Controller {
    let agent: USPAgent
    var endpoint = "proto::controller"
    var counter = 0

    mutating func send(_ type: Usp_Header.MsgType, _ req: Usp_Request.OneOf_ReqType) async throws -> Usp_Msg {
        counter += 1
        let msg = Usp_Msg.request(id: "m\(counter)", type: type, req)
        let rec = try USPRecord.noSession(to: "proto::agent", from: endpoint, msg: msg)
        let reply = try #require(await agent.handleRecord(try rec.encoded()))
        return try USPRecord.decode(try reply.encoded()).decodedMsg()
    }

    mutating func get(_ paths: [String]) async throws -> [String: [String: String]] {
        var g = Usp_Get(); g.paramPaths = paths
        let resp = try await send(.get, .get(g)).body.response.getResp
        var out: [String: [String: String]] = [:]
        for r in resp.reqPathResults {
            #expect(r.errCode == 0, "\(r.requestedPath): \(r.errCode) \(r.errMsg)")
            for rp in r.resolvedPathResults { out[rp.resolvedPath, default: [:]].merge(rp.resultParams) { _, b in b } }
        }
        return out
    }

    /// (updated params, param errors as (param, code, message)).
    mutating func set(_ path: String, _ params: [(String, String)]) async throws -> ([String: String], [(String, UInt32, String)]) {
        var s = Usp_Set(); s.allowPartial = true
        var u = Usp_Set.UpdateObject(); u.objPath = path
        u.paramSettings = params.map { var p = Usp_Set.UpdateParamSetting(); p.param = $0.0; p.value = $0.1; p.required = false; return p }
        s.updateObjs = [u]
        let msg = try await send(.set, .set(s))
        if case .error(let e)? = msg.body.msgBody { return ([:], [("", e.errCode, e.errMsg)]) }
        let r = try #require(msg.body.response.setResp.updatedObjResults.first)
        switch r.operStatus.operStatus {
        case .operSuccess(let ok)?:
            let inst = ok.updatedInstResults.first
            return (inst?.updatedParams ?? [:], inst?.paramErrs.map { ($0.param, $0.errCode, $0.errMsg) } ?? [])
        case .operFailure(let f)?:
            let errs = f.updatedInstFailures.flatMap { $0.paramErrs.map { ($0.param, $0.errCode, $0.errMsg) } }
            return ([:], errs.isEmpty ? [("", f.errCode, f.errMsg)] : errs)
        case nil:
            return ([:], [])
        }
    }

    /// Returns the OperateResp result (req_obj_path for async commands, or a failure).
    mutating func operate(_ command: String, _ args: [String: String] = [:]) async throws -> Usp_OperateResp.OperationResult {
        var o = Usp_Operate(); o.command = command; o.commandKey = "k\(counter)"; o.sendResp = true; o.inputArgs = args
        let msg = try await send(.operate, .operate(o))
        if case .error(let e)? = msg.body.msgBody {
            var r = Usp_OperateResp.OperationResult()
            var f = Usp_OperateResp.OperationResult.CommandFailure(); f.errCode = e.errCode; f.errMsg = e.errMsg
            r.cmdFailure = f
            return r
        }
        return try #require(msg.body.response.operateResp.operationResults.first)
    }
}

enum Devices {
    static let bulbAddress = DeviceAddress.ieee(0x00124B0001ABCDEF)
    static let bulb = DeviceIdentity(address: bulbAddress, nodeID: 0x1234, manufacturer: "Acme", model: "Dimmable Bulb",
                                     firmware: "2.0", power: .mains, kind: .router)
    static let bulbUnits = [
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0006, attribute: 0), value: .bool(false)),
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0008, attribute: 0), value: .int(127)),
    ]
    static let sensorAddress = DeviceAddress.ieee(0x00158D0000112233)
    static let sensor = DeviceIdentity(address: sensorAddress, manufacturer: "Acme", model: "TH Sensor", power: .battery, kind: .endDevice)
    static let sensorUnits = [
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0)),
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0405, attribute: 0)),
        FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0001, attribute: 0x21)),
    ]
}
