import Foundation

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

    let pid: pid_t
    let stdoutFile: String
    let stderrFile: String

    /// Starts `executable args` with exactly `environment`.
    static func start(_ executable: String, _ args: [String], environment: [String: String]) throws -> Subprocess {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("stdout").path
        let err = dir.appendingPathComponent("stderr").path
        var cargs = ([executable] + args).map { strdup($0) } + [nil]
        var cenv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for a in cargs { free(a) }; for e in cenv { free(e) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(); sigemptyset(&empty)
        var defaults = sigset_t(); sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM); sigaddset(&defaults, SIGINT); sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attr, &cargs, &cenv)
        guard rc == 0 else { throw SubprocessError(message: "posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        return Subprocess(pid: pid, stdoutFile: out, stderrFile: err)
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits for the exit (killing it after `seconds`) and collects the output.
    func wait(seconds: Double = 30) async throws -> Result {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r == -1 { throw SubprocessError(message: "waitpid failed: \(String(cString: strerror(errno)))") }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw SubprocessError(message: "usp-bridge did not exit within \(seconds) s; stderr: \(read(stderrFile))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // WIFEXITED / WEXITSTATUS (the C macros are not imported).
        let exited = (status & 0x7F) == 0
        let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
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
