import Bluetooth
import Foundation
import USPMessages
import ZigbeeEZSP
import ZigbeeZNP

/// Decode throughput of the pure framers, against the 115200-baud line rate (11,520 bytes/s:
/// 10 bits per byte on the wire).
func benchFramers() {
    let lineRate = 115_200.0 / 10
    // H4: a stream of LE Advertising Report events (a BTHome thermometer), fed in 4 KiB chunks.
    var adv = H4Packet.event(code: 0x3E, parameters: [0x02, 0x01, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 18,
                                                      0x02, 0x01, 0x06, 0x0E, 0x16, 0xD2, 0xFC, 0x40, 0x00, 0x01,
                                                      0x02, 0xCA, 0x09, 0x03, 0xBF, 0x13, 0x01, 0x5A, 0xC4]).encoded()
    adv[5] = 0x11
    var h4Stream: [UInt8] = []
    while h4Stream.count < 4 << 20 { h4Stream += adv }
    var h4 = H4Decoder()
    var packets = 0
    let t0 = Date()
    for _ in 0..<4 {
        var i = 0
        while i < h4Stream.count {
            let end = min(i + 4096, h4Stream.count)
            packets += h4.feed(h4Stream[i..<end]).count
            i = end
        }
    }
    let h4Secs = Date().timeIntervalSince(t0)
    let h4MBs = Double(h4Stream.count * 4) / h4Secs / 1e6
    line("framer.h4.decode", String(format: "%.1f MB/s (%d packets; %.0f× the 115200-baud line rate)", h4MBs, packets, h4MBs * 1e6 / lineRate))

    // ASH: DATA frames with 40-byte EZSP payloads (randomised, stuffed, CRC'd), fed in 4 KiB chunks.
    var ashStream: [UInt8] = []
    var n: UInt8 = 0
    while ashStream.count < 4 << 20 {
        let payload = (0..<40).map { UInt8(truncatingIfNeeded: Int($0) &* 37 &+ Int(n)) }
        ashStream += ASHFrame.data(frameNumber: n & 7, ackNumber: (n &+ 1) & 7, retransmitted: false, payload: payload).encoded()
        n &+= 1
    }
    var ash = ASHDecoder()
    var frames = 0
    let t1 = Date()
    for _ in 0..<4 {
        var i = 0
        while i < ashStream.count {
            let end = min(i + 4096, ashStream.count)
            frames += ash.feed(ashStream[i..<end]).count
            i = end
        }
    }
    let ashSecs = Date().timeIntervalSince(t1)
    let ashMBs = Double(ashStream.count * 4) / ashSecs / 1e6
    line("framer.ash.decode", String(format: "%.1f MB/s (%d frames; %.0f× the 115200-baud line rate)", ashMBs, frames, ashMBs * 1e6 / lineRate))

    // Z-Stack MT: AF_INCOMING_MSG AREQs (0x44 0x81) with a 20-byte ZCL report, fed in 4 KiB chunks.
    var mtStream: [UInt8] = []
    var k: UInt8 = 0
    while mtStream.count < 4 << 20 {
        let payload: [UInt8] = [0, 0, 0x02, 0x04, 0x01, 0x10, 0x01, 0x01, 0, 200, 0, 0, 0, 0, 0, k, 20] + (0..<20).map { UInt8(truncatingIfNeeded: Int($0) &+ Int(k)) } + [0x01, 0x10, 0x0F]
        mtStream += (try? MTFrame(cmd0: 0x44, cmd1: 0x81, payload: payload).encoded()) ?? []
        k &+= 1
    }
    var mt = MTDecoder()
    var mtFrames = 0
    let t2 = Date()
    for _ in 0..<4 {
        var i = 0
        while i < mtStream.count {
            let end = min(i + 4096, mtStream.count)
            mtFrames += mt.feed(mtStream[i..<end]).count
            i = end
        }
    }
    let mtSecs = Date().timeIntervalSince(t2)
    let mtMBs = Double(mtStream.count * 4) / mtSecs / 1e6
    line("framer.mt.decode", String(format: "%.1f MB/s (%d frames; %.0f× the 115200-baud line rate)", mtMBs, mtFrames, mtMBs * 1e6 / lineRate))
}

/// Advertisements decoded per second: BTHome and MiBeacon reports from 500 sensors through the
/// device tracker (AD parsing, format decoding, de-duplication, unit tracking).
func benchAdvertisements() {
    var reports: [LEAdvertisingReport] = []
    for d in 0..<500 {
        let addr: [UInt8] = [UInt8(d & 0xFF), UInt8(d >> 8), 0x00, 0x38, 0xC1, 0xA4]
        for k in 0..<20 {
            let t = Int16(2000 + k * 7 + d % 13)
            if d % 5 == 4 {
                // MiBeacon temperature 0x1004.
                var sd: [UInt8] = [0x95, 0xFE, 0x50, 0x20, 0x98, 0x00, UInt8(k)] + addr
                sd += [0x04, 0x10, 0x02, UInt8(truncatingIfNeeded: t / 10), UInt8(truncatingIfNeeded: (t / 10) >> 8)]
                reports.append(LEAdvertisingReport(eventType: .nonConnectable, addressType: 0, address: addr, data: [0x02, 0x01, 0x06, UInt8(sd.count + 1), 0x16] + sd, rssi: -60))
            } else {
                let sd: [UInt8] = [0xD2, 0xFC, 0x40, 0x00, UInt8(k), 0x01, 0x5A, 0x02, UInt8(truncatingIfNeeded: t), UInt8(truncatingIfNeeded: t >> 8), 0x03, 0xBF, 0x13]
                reports.append(LEAdvertisingReport(eventType: .nonConnectable, addressType: 0, address: addr, data: [0x02, 0x01, 0x06, UInt8(sd.count + 1), 0x16] + sd, rssi: -60))
            }
        }
    }
    var tracker = BLEDeviceTracker()
    tracker.options.minInterval = 0
    var outputs = 0
    let rounds = 20
    let t0 = Date()
    for r in 0..<rounds {
        for (i, rep) in reports.enumerated() { outputs += tracker.observe(rep, at: Double(r * reports.count + i) * 1e-4).count }
    }
    let secs = Date().timeIntervalSince(t0)
    line("ble.advertisements.decode", String(format: "%.0f advertisements/s (%d reports from %d devices, %d accepted)",
                                            Double(rounds * reports.count) / secs, rounds * reports.count, tracker.devices.count, tracker.accepted))
    _ = outputs
}

/// RSS of the agent process with `devices` BTHome sensors advertising through a virtual HCI
/// controller in its own process (so only the bridge is measured).
func benchBLERSS(devices: Int) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-bench-ble-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var yaml = "devices:\n"
    for d in 0..<devices {
        let a = String(format: "A4:C1:38:%02X:%02X:%02X", (d >> 16) & 0xFF, (d >> 8) & 0xFF, d & 0xFF)
        yaml += """
          - name: S\(d)
            address: "\(a)"
            format: bthome
            interval: 5
            phase: \(Double(d % 50) * 0.1)
            objects:
              - {id: 0x02, base: \(18 + d % 7), amplitude: 2, period: 60}
              - {id: 0x03, base: 45, amplitude: 5, period: 90}
              - {id: 0x01, base: 90}

        """
    }
    try yaml.write(toFile: dir + "/home.yaml", atomically: true, encoding: .utf8)
    let port = freePort()
    try "listener \(port) 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n".write(toFile: dir + "/m.conf", atomically: true, encoding: .utf8)
    let broker = try spawn("/usr/sbin/mosquitto", ["-c", dir + "/m.conf"])
    defer { broker.terminate() }
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("usp-bridge").path
    let stick = try spawn(exe, ["virtual-stick", "hci", "--link", dir + "/bt0", "--scenario", dir + "/home.yaml", "--log-level", "error"])
    defer { stick.terminate() }
    try """
    agent:
      endpointID: "proto::bench-ble"
    dataDirectory: "\(dir)/data"
    mqtt:
      port: \(port)
      agentTopic: usp/bench/ble
      qos: 0
    radios:
      - {protocol: bluetooth, stack: hci, port: "\(dir)/bt0"}
    """.write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
    usleep(300_000)
    let agent = try spawn(exe, ["run", "--config", dir + "/c.yaml", "--log-level", "error"])
    defer { agent.terminate() }
    let c = try BenchController(port: port, agentID: "proto::bench-ble", agentTopic: "usp/bench/ble")
    guard await c.waitConnected() else { print("bench: cannot reach the broker"); return }
    var g = Usp_Get(); g.paramPaths = ["Device.ProxiedDeviceNumberOfEntries"]
    let t0 = Date()
    var count = 0
    var poll = 0
    while Date().timeIntervalSince(t0) < 90 {
        poll += 1
        if let r = await c.request("n\(poll)", .request(id: "n\(poll)", type: .get, .get(g)), timeout: 1),
           let v = r.body.response.getResp.reqPathResults.first?.resolvedPathResults.first?.resultParams["ProxiedDeviceNumberOfEntries"],
           let n = Int(v) {
            count = n
            if n >= devices { break }
        }
        try await Task.sleep(for: .milliseconds(250))
    }
    let joined = Date().timeIntervalSince(t0)
    try await Task.sleep(for: .seconds(10)) // a couple of report rounds for every device
    var whole = Usp_Get(); whole.paramPaths = ["Device.ProxiedDevice."]
    let tg = Date()
    _ = await c.request("whole", .request(id: "whole", type: .get, .get(whole)), timeout: 30)
    let getMs = Date().timeIntervalSince(tg) * 1000
    line("ble.rss", "\(rssKiB(agent.processIdentifier) / 1024) MiB agent RSS with \(count) advertising BTHome devices (all joined in \(String(format: "%.1f", joined)) s)")
    line("ble.get.subtree", String(format: "%.1f ms for Get Device.ProxiedDevice. over MQTT (%d devices × 3 capabilities)", getMs, count))
}
