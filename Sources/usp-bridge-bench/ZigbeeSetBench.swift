import Agent
import Bridge
import DataModel
import Foundation
import Logging
import Runtime
import USPMessages
import VirtualSticks
import Zigbee
import ZigbeeCore
import ZigbeeEZSP
import ZigbeeZNP

/// Bridge overhead from a USP Set arriving to the first command byte on the stick's wire:
/// agent, bridge and ZigBee driver in this process, the virtual stick on a pseudo-terminal.
/// The clock stops when the stick's reader sees the first bytes, so the figure includes the
/// pty hop and the stick's own scheduling (an upper bound for "written to the port").
func benchZigbeeSet(stack kind: String, sets: Int) async throws {
    var logger = Logger(label: "bench"); logger.logLevel = .error
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-bench-zb-\(kind)-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var config = BridgeConfiguration()
    config.agent.endpointID = "proto::bench"
    config.dataDirectory = dir
    config.mqtt = nil
    config.controllers = [.init(endpointID: "self::bench")]
    // One light: nothing else talks on the wire while Sets are timed.
    let scenario = ZigbeeScenario(devices: [.init(name: "Bench light", kind: .onOffLight, ieee: IEEEAddress(0x00158D00_0000BE01))])
    let arm: @Sendable () async -> Void
    let arrival: @Sendable () async -> ContinuousClock.Instant
    let runStick: @Sendable () async -> Void
    let zstack: any ZigbeeStack
    if kind == "znp" {
        let stick = try VirtualZNPStick(link: nil, network: scenario.network(), logger: logger)
        arm = { await stick.armArrival() }; arrival = { await stick.awaitArrival() }; runStick = { await stick.run() }
        zstack = ZNPStack(configuration: .init(port: .device(path: stick.path)), logger: logger)
    } else {
        let stick = try VirtualEZSPStick(link: nil, scenario: scenario, logger: logger)
        arm = { await stick.armArrival() }; arrival = { await stick.awaitArrival() }; runStick = { await stick.run() }
        zstack = EZSPStack(configuration: .init(port: .device(path: stick.path)), logger: logger)
    }
    let stickTask = Task { await runStick() }
    let schema = try AgentAssembly.schema(extensions: BridgeSchema.objects)
    let (agent, db) = try await AgentAssembly.makeAgent(config: config, schema: schema, logger: logger)
    let adapter = ZigbeeRadioAdapter(stack: zstack, configuration: .init(stackName: kind, port: "virtual"), logger: logger)
    let catalog = MappingCatalog.load(shipped: MappingCatalog.defaultShippedDirectory(), logger: logger)
    let bridge = try Bridge(agent: agent, database: db, adapters: [adapter], mappings: catalog, options: BridgeOptions(), logger: logger)
    try await bridge.start()
    let runTask = Task { try? await bridge.run() }
    defer { runTask.cancel(); stickTask.cancel() }
    let t0 = Date()
    while await agent.instances(ofTable: "Device.ProxiedDevice.").isEmpty {
        try await Task.sleep(for: .milliseconds(50))
        if Date().timeIntervalSince(t0) > 60 { print("bench: the light did not join"); return }
    }
    try await Task.sleep(for: .seconds(1)) // let the interview's reporting set-up settle
    var latencies: [Double] = []
    var failures = 0
    for i in 0..<sets {
        var set = Usp_Set()
        var obj = Usp_Set.UpdateObject(); obj.objPath = "Device.ProxiedDevice.1.IoTCapability.1.BinaryControl."
        var p = Usp_Set.UpdateParamSetting(); p.param = "Value"; p.value = i % 2 == 0 ? "true" : "false"; p.required = true
        obj.paramSettings = [p]; set.updateObjs = [obj]
        let msg = Usp_Msg.request(id: "s\(i)", type: .set, .set(set))
        await arm()
        let start = ContinuousClock.now
        let handling = Task { await agent.handle(message: msg, from: "self::bench") }
        let first = await arrival()
        let reply = await handling.value
        if case .error? = reply?.body.msgBody { failures += 1 }
        let d = (first - start).components
        latencies.append(Double(d.seconds) * 1000 + Double(d.attoseconds) / 1e15)
        try await Task.sleep(for: .milliseconds(20)) // the device's answer and report drain
    }
    latencies.sort()
    line("zigbee.\(kind).set-to-byte.median", String(format: "%.3f ms (%d Sets, %d failed)", percentile(latencies, 0.5), sets, failures))
    line("zigbee.\(kind).set-to-byte.p99", String(format: "%.3f ms", percentile(latencies, 0.99)))
}
