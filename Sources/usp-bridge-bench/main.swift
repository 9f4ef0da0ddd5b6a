import Foundation
import LocalProcess
import MQTTTransport
import USPMessages

// usp-bridge-bench: named scenarios, one line per figure.
//   swift run -c release usp-bridge-bench [codec|get|bridge|framers|ble|zigbee|all] [--requests N] [--devices N]
// `get` starts a private mosquitto on a free loopback port and the usp-bridge executable
// built beside this one, then measures Get round trips through the broker.

let args = CommandLine.arguments.dropFirst()
let scenario = args.first { !$0.hasPrefix("--") } ?? "all"
let requests: Int = {
    if let i = args.firstIndex(of: "--requests"), args.index(after: i) < args.endIndex, let n = Int(args[args.index(after: i)]) { return n }
    return 100_000
}()

func line(_ name: String, _ value: String) { print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(value)") }

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let idx = min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))
    return sorted[idx]
}

func rssKiB(_ pid: Int32) -> Int {
    guard let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
    for l in s.split(separator: "\n") where l.hasPrefix("VmRSS:") {
        return Int(l.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") ?? -1
    }
    return -1
}

func benchCodec() {
    var g = Usp_Get(); g.paramPaths = ["Device.LocalAgent.EndpointID", "Device.ProxiedDevice.*.IoTCapability.*."]
    let msg = Usp_Msg.request(id: "bench-1", type: .get, .get(g))
    let n = 200_000
    var bytes: [UInt8] = []
    let t0 = Date()
    for _ in 0..<n { bytes = (try? USPRecord.noSession(to: "proto::a", from: "self::c", msg: msg).encoded()) ?? [] }
    let enc = Double(n) / Date().timeIntervalSince(t0)
    let t1 = Date()
    var ok = 0
    for _ in 0..<n { if let r = try? USPRecord.decode(bytes), (try? r.decodedMsg()) != nil { ok += 1 } }
    let dec = Double(n) / Date().timeIntervalSince(t1)
    line("codec.record+get.encode", String(format: "%.0f ops/s (%d bytes)", enc, bytes.count))
    line("codec.record+get.decode", String(format: "%.0f ops/s", dec))
}

func freePort() -> Int { Loopback.freePort() ?? 1883 }

func spawn(_ path: String, _ arguments: [String]) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
}

func benchGet(requests: Int) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
    let port = freePort()
    try "listener \(port) 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n".write(toFile: dir + "/m.conf", atomically: true, encoding: .utf8)
    let broker = try spawn("/usr/sbin/mosquitto", ["-c", dir + "/m.conf"])
    defer { broker.terminate() }
    try """
    agent:
      endpointID: "proto::bench-agent"
    dataDirectory: "\(dir)/data"
    mqtt:
      port: \(port)
      agentTopic: usp/bench/agent
      qos: 0
    """.write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("usp-bridge").path
    usleep(200_000)
    let agent = try spawn(exe, ["run", "--config", dir + "/c.yaml", "--log-level", "error"])
    defer { agent.terminate() }
    let c = try BenchController(port: port, agentID: "proto::bench-agent", agentTopic: "usp/bench/agent")
    guard await c.waitConnected() else { print("bench: cannot reach the broker"); return }
    let g: Usp_Get = { var g = Usp_Get(); g.paramPaths = ["Device.LocalAgent.EndpointID"]; return g }()
    // Wait for the agent.
    for i in 0..<200 { if await c.request("warm-\(i)", .request(id: "warm-\(i)", type: .get, .get(g)), timeout: 0.2) != nil { break } }
    try await Task.sleep(for: .seconds(1))
    line("agent.rss.idle", "\(rssKiB(agent.processIdentifier) / 1024) MiB (\(rssKiB(agent.processIdentifier)) KiB)")
    // Sequential round trips.
    let sequential = min(requests, 20_000)
    var rtts: [Double] = []
    rtts.reserveCapacity(sequential)
    for i in 0..<sequential {
        let t = DispatchTime.now().uptimeNanoseconds
        guard await c.request("s\(i)", .request(id: "s\(i)", type: .get, .get(g))) != nil else { print("bench: timeout at \(i)"); return }
        rtts.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
    }
    rtts.sort()
    line("get.rtt.median", String(format: "%.3f ms (n=%d, 1 param, MQTT 5 QoS 0)", percentile(rtts, 0.5), sequential))
    line("get.rtt.p99", String(format: "%.3f ms", percentile(rtts, 0.99)))
    // Throughput with 32 requests in flight.
    let total = requests
    let t0 = Date()
    var done = 0
    try await withThrowingTaskGroup(of: Int.self) { group in
        for w in 0..<32 {
            group.addTask {
                var n = 0
                var i = w
                while i < total {
                    if await c.request("p\(i)", .request(id: "p\(i)", type: .get, .get(g))) != nil { n += 1 }
                    i += 32
                }
                return n
            }
        }
        for try await n in group { done += n }
    }
    let secs = Date().timeIntervalSince(t0)
    line("get.throughput", String(format: "%.0f Gets/s (%d answered of %d, 32 in flight)", Double(done) / secs, done, total))
    line("agent.rss.after", "\(rssKiB(agent.processIdentifier) / 1024) MiB after \(sequential + total) requests")
}

let deviceCount: Int = {
    if let i = args.firstIndex(of: "--devices"), args.index(after: i) < args.endIndex, let n = Int(args[args.index(after: i)]) { return n }
    return 1000
}()

switch scenario {
case "codec": benchCodec()
case "framers": benchFramers()
case "ble": benchAdvertisements(); try await benchBLERSS(devices: min(deviceCount, 2000))
case "zigbee": try await benchZigbeeSet(stack: "ezsp", sets: 500); try await benchZigbeeSet(stack: "znp", sets: 500)
case "get": try await benchGet(requests: requests)
case "bridge": try await benchBridge(devices: deviceCount)
default:
    benchCodec()
    try await benchGet(requests: requests)
    try await benchBridge(devices: deviceCount)
    benchFramers()
    try await benchZigbeeSet(stack: "ezsp", sets: 500)
    try await benchZigbeeSet(stack: "znp", sets: 500)
    benchAdvertisements()
    try await benchBLERSS(devices: 500)
}
