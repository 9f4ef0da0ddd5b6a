import Foundation
import LocalProcess

/// Runs the built `usp-bridge` executable with posix_spawn (Foundation's Process.waitUntilExit
/// can hang in this environment), output captured in files, waited for without blocking a
/// Swift concurrency thread.
struct Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `.build/debug/usp-bridge` of this package (put there by `swift build --product usp-bridge`).
    static var executable: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [".build/debug/usp-bridge", ".build/x86_64-unknown-linux-gnu/debug/usp-bridge",
                          ".build/aarch64-unknown-linux-gnu/debug/usp-bridge", ".build/arm64-apple-macosx/debug/usp-bridge"]
        return candidates.map { root.appendingPathComponent($0).path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let child: ChildProcess
    let stdoutFile: String
    let stderrFile: String

    /// Starts `executable args` with exactly `environment`.
    static func start(_ executable: String, _ args: [String], environment: [String: String]) throws -> Subprocess {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("stdout").path
        let err = dir.appendingPathComponent("stderr").path
        let child = try ChildProcess(executable, args, output: out, errorOutput: err, environment: environment)
        return Subprocess(child: child, stdoutFile: out, stderrFile: err)
    }

    func signal(_ sig: Int32) { child.signal(sig) }

    /// Waits for the exit (killing it after `seconds`) and collects the output.
    func wait(seconds: Double = 30) async throws -> Result {
        guard let code = await child.wait(seconds: seconds) else {
            child.stop(signal: SIGKILL)
            throw SubprocessError(message: "usp-bridge did not exit within \(seconds) s; stderr: \(read(stderrFile))")
        }
        return Result(status: code, stdout: read(stdoutFile), stderr: read(stderrFile))
    }

    /// Current output so far.
    var stdoutSoFar: String { read(stdoutFile) }
    var stderrSoFar: String { read(stderrFile) }

    private func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Runs to completion.
    static func run(_ args: [String], environment: [String: String], seconds: Double = 30) async throws -> Result {
        guard let exe = executable else {
            throw SubprocessError(message: "usp-bridge is not built: run `swift build --product usp-bridge` first")
        }
        return try await start(exe, args, environment: environment).wait(seconds: seconds)
    }
}

struct SubprocessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
