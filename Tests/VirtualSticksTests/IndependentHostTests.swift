import Foundation
import LocalProcess
import Logging
import Testing
import VirtualSticks

/// The virtual sticks against host libraries we did not write: bellows (EZSP) and zigpy-znp
/// (Z-Stack), both installed by `scripts/setup.sh --test` from `scripts/requirements-test.txt`.
/// Each completes its own start-up sequence on the stick's pseudo-terminal.
@Suite(.serialized) struct IndependentHostTests {
    static func python() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a fixture script against `link` and returns its `key value` lines.
    static func run(_ script: String, link: String, dir: String) async throws -> [String: String] {
        let python = try #require(Self.python(), "python3 is needed")
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + script).path
        let out = dir + "/" + script + ".log"
        let child = try ChildProcess(python, [path, link], output: out)
        _ = await child.wait(seconds: 60)
        child.stop()
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        var lines: [String: String] = [:]
        for l in text.split(separator: "\n") {
            let parts = l.split(separator: " ", maxSplits: 1)
            if let key = parts.first { lines[String(key)] = parts.count == 2 ? String(parts[1]) : "" }
        }
        if lines["done"] == nil { Issue.record("\(script) did not finish:\n\(text)") }
        return lines
    }

    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hosts-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func bellowsStartsUpAndFormsANetworkOnTheVirtualNCP() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "bellows-test"); logger.logLevel = .warning
        let stick = try VirtualEZSPStick(link: dir + "/zb0", scenario: .home, logger: logger)
        let task = Task { await stick.run() }
        defer { task.cancel() }
        let out = try await Self.run("bellows_startup.py", link: dir + "/zb0", dir: dir)
        #expect(out["protocol"] == "13", "version negotiation")
        #expect(out["networkInit"] == "NOT_JOINED", "a blank NCP has no network")
        #expect(out["security"] == "SUCCESS")
        #expect(out["state"] == "JOINED_NETWORK")
        #expect(out["nodeType"] == "COORDINATOR" && out["panId"] == "0x1A62" && out["channel"] == "15" && out["nodeId"] == "0x0000")
        #expect(await stick.isNetworkFormed)
    }

    @Test func zigpyZNPConnectsToTheVirtualCoordinator() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "znp-test"); logger.logLevel = .warning
        let stick = try VirtualZNPStick(link: dir + "/zb1", network: ZigbeeScenario.home.network(), logger: logger)
        let task = Task { await stick.run() }
        defer { task.cancel() }
        let out = try await Self.run("znp_startup.py", link: dir + "/zb1", dir: dir)
        #expect(out["version"]?.hasPrefix("3.") == true, "Z-Stack 3.x recognised: \(out["version"] ?? "-")")
        #expect(out["aligned"] == "True", "the associated-device struct size says CC26x2 alignment")
        #expect(out["status"] == "SUCCESS" && out["nwk"] == "0x0000")
    }
}
