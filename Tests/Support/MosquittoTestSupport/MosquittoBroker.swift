import Foundation

/// A real `mosquitto` broker on 127.0.0.1 for tests: free ports, a private config with
/// `set_tcp_nodelay true`, an optional TLS listener with a CA and certificates made with the
/// `openssl` CLI. It can be stopped and started again on the same ports.
public final class MosquittoBroker: @unchecked Sendable {
    public let port: Int
    public let tlsPort: Int?
    public let directory: URL
    public let certificates: TestCertificates?
    private var pid: pid_t?
    private let lock = NSLock()

    public static var executable: String? {
        ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public init(tls: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mosq-\(UUID().uuidString.prefix(8))")
        // Started as root, mosquitto drops to its own user: it must be able to write its log here.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        port = try Self.freePort()
        if tls {
            certificates = try TestCertificates.shared()
            tlsPort = try Self.freePort()
        } else {
            certificates = nil
            tlsPort = nil
        }
        var conf = """
        per_listener_settings false
        allow_anonymous true
        persistence false
        log_dest file \(directory.path)/mosquitto.log
        log_type error
        log_type warning
        log_type notice
        set_tcp_nodelay true
        listener \(port) 127.0.0.1

        """
        if let tlsPort, let c = certificates {
            conf += """
            listener \(tlsPort) 127.0.0.1
            cafile \(c.caFile)
            certfile \(c.serverCertFile)
            keyfile \(c.serverKeyFile)
            require_certificate false

            """
        }
        try conf.write(to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts (or restarts) the broker and waits until its ports accept connections.
    /// (posix_spawn and waitpid directly: Foundation's Process.waitUntilExit can hang here.)
    public func start() throws {
        lock.lock(); defer { lock.unlock() }
        guard pid == nil else { return }
        guard let exe = Self.executable else { throw BrokerError(message: "mosquitto is not installed (apt-get install mosquitto)") }
        let args = [exe, "-c", directory.appendingPathComponent("mosquitto.conf").path]
        var cargs = args.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
        // The calling thread may block signals (Dispatch workers do); the child must not
        // inherit that mask, or SIGTERM would not stop it.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(); sigemptyset(&empty)
        var defaults = sigset_t(); sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM); sigaddset(&defaults, SIGINT); sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = posix_spawn(&child, exe, &fileActions, &attr, &cargs, environ)
        guard rc == 0 else { throw BrokerError(message: "could not start mosquitto: \(String(cString: strerror(rc)))") }
        pid = child
        let deadline = Date().addingTimeInterval(10)
        for port in [port] + (tlsPort.map { [$0] } ?? []) {
            while !Self.accepts(port) {
                var status: Int32 = 0
                let exited = waitpid(child, &status, WNOHANG) == child
                guard Date() < deadline, !exited else {
                    pid = nil
                    throw BrokerError(message: "mosquitto did not start on port \(port); log: \((try? String(contentsOf: directory.appendingPathComponent("mosquitto.log"), encoding: .utf8)) ?? "")")
                }
                usleep(20_000)
            }
        }
    }

    /// Stops the broker (SIGTERM) and waits for it to exit.
    public func stop() { end(signal: SIGTERM) }

    /// Kills the broker with SIGKILL (no DISCONNECT to anyone).
    public func kill() { end(signal: SIGKILL) }

    private func end(signal: Int32) {
        lock.lock(); defer { lock.unlock() }
        guard let p = pid else { return }
        Foundation.kill(p, signal)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(5)
        while true {
            let r = waitpid(p, &status, WNOHANG)
            // -1/ECHILD: someone else (Foundation's child monitor) already reaped it.
            if r == p || (r == -1 && errno == ECHILD) { break }
            if Date() > deadline { Foundation.kill(p, SIGKILL); _ = waitpid(p, &status, 0); break }
            usleep(5_000)
        }
        pid = nil
    }

    public var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return pid != nil }

    public struct BrokerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A port nobody listens on right now (bind to 0, read it back, close).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BrokerError(message: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, len) == 0 && getsockname(fd, sp, &len) == 0
            }
        }
        guard ok else { throw BrokerError(message: "bind() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made once
/// per test process with the `openssl` command; plus a second, unrelated CA.
public struct TestCertificates: Sendable {
    public let directory: String
    public var caFile: String { directory + "/ca.crt" }
    public var otherCAFile: String { directory + "/other-ca.crt" }
    public var serverCertFile: String { directory + "/server.crt" }
    public var serverKeyFile: String { directory + "/server.key" }
    public var clientCertFile: String { directory + "/client.crt" }
    public var clientKeyFile: String { directory + "/client.key" }

    nonisolated(unsafe) private static var cached: TestCertificates?
    private static let lock = NSLock()

    public static func shared() throws -> TestCertificates {
        lock.lock(); defer { lock.unlock() }
        if let c = cached { return c }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("usp-test-certs-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
        set -e
        cd '\(dir)'
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj '/CN=USPBridge Test CA' 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt -days 2 -subj '/CN=Unrelated CA' 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile san.ext 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj '/CN=usp-test-client' 2>/dev/null
        openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 2>/dev/null
        chmod 0755 .
        chmod 0644 *.key *.crt
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw MosquittoBroker.BrokerError(message: "openssl failed to make test certificates") }
        let c = TestCertificates(directory: dir)
        cached = c
        return c
    }
}
