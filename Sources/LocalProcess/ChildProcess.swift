import Foundation

/// A child process started with posix_spawn, with a clean signal mask (a Swift concurrency
/// thread may block signals, which the child would otherwise inherit), output to files, and
/// waitpid-based waiting (Foundation's Process.waitUntilExit can hang off the main thread).
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var reaped = false
    private var status: Int32?

    /// - Parameters:
    ///   - output: file for standard output (created, appended).
    ///   - errorOutput: file for standard error; nil = the same as `output`.
    ///   - environment: the child's environment; nil = this process's.
    public init(_ executable: String, _ arguments: [String], output: String = "/dev/null", errorOutput: String? = nil,
                environment: [String: String]? = nil) throws {
        var cargs = ([executable] + arguments).map { strdup($0) } + [nil]
        var cenv: [UnsafeMutablePointer<CChar>?] = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for a in cargs { free(a) }; for e in cenv { free(e) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorOutput ?? output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(); sigemptyset(&empty)
        var defaults = sigset_t(); sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attr, &cargs, &cenv)
        guard rc == 0 else { throw ChildProcessError(description: "cannot start \(executable): \(String(cString: strerror(rc)))") }
        pid = child
    }

    public var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return pollLocked()
    }

    /// True while running; records the exit status when it has ended.
    private func pollLocked() -> Bool {
        guard !reaped else { return false }
        var st: Int32 = 0
        let r = waitpid(pid, &st, WNOHANG)
        if r == pid { reaped = true; status = st; return false }
        if r == -1 && errno == ECHILD { reaped = true; return false }
        return true
    }

    /// Sends a signal without waiting.
    public func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits up to `seconds` for the child to end and returns its exit code (128 + signal
    /// when a signal ended it), or nil if it is still running.
    public func wait(seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let done: Int32?? = lock.withLock { pollLocked() ? nil : .some(status.map(Self.exitCode)) }
            if let done { return done ?? -1 }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    static func exitCode(_ st: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (they are macros in C).
        let sig = st & 0x7f
        return sig == 0 ? (st >> 8) & 0xff : 128 + sig
    }

    /// Sends `signal` and waits (up to 5 s, then SIGKILL) for the child to end.
    public func stop(signal: Int32 = SIGTERM) {
        lock.lock(); defer { lock.unlock() }
        guard !reaped else { return }
        kill(pid, signal)
        var st: Int32 = 0
        let deadline = Date().addingTimeInterval(5)
        while true {
            let r = waitpid(pid, &st, WNOHANG)
            if r == pid { status = st; break }
            if r == -1 && errno == ECHILD { break }
            if Date() > deadline { kill(pid, SIGKILL); _ = waitpid(pid, &st, 0); status = st; break }
            usleep(5_000)
        }
        reaped = true
    }

    deinit { stop() }
}

public struct ChildProcessError: Error, CustomStringConvertible { public var description: String }

/// Loopback helpers for starting private services.
public enum Loopback {
    /// A TCP port on 127.0.0.1 that nobody listens on right now.
    public static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var a = sockaddr_in(); a.sin_family = sa_family_t(AF_INET); a.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &a) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        return ok ? Int(UInt16(bigEndian: a.sin_port)) : nil
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var a = sockaddr_in(); a.sin_family = sa_family_t(AF_INET); a.sin_port = UInt16(port).bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &a) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
