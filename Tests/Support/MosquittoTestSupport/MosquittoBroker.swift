import Foundation
import LocalProcess

/// A real `mosquitto` broker on 127.0.0.1 for tests: free ports, a private config with
/// `set_tcp_nodelay true`, an optional TLS listener with a CA and certificates made with the
/// `openssl` CLI. It can be stopped and started again on the same ports.
public final class MosquittoBroker: @unchecked Sendable {
    public let port: Int
    public let tlsPort: Int?
    public let directory: URL
    public let certificates: TestCertificates?
    private var child: ChildProcess?
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
    public func start() throws {
        lock.lock(); defer { lock.unlock() }
        guard child == nil else { return }
        guard let exe = Self.executable else { throw BrokerError(message: "mosquitto is not installed (apt-get install mosquitto)") }
        let p = try ChildProcess(exe, ["-c", directory.appendingPathComponent("mosquitto.conf").path])
        child = p
        let deadline = Date().addingTimeInterval(10)
        for port in [port] + (tlsPort.map { [$0] } ?? []) {
            while !Loopback.accepts(port) {
                guard Date() < deadline, p.isRunning else {
                    child = nil
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
        child?.stop(signal: signal)
        child = nil
    }

    public var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return child?.isRunning ?? false }

    public struct BrokerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A port nobody listens on right now.
    public static func freePort() throws -> Int {
        guard let p = Loopback.freePort() else { throw BrokerError(message: "no free loopback port") }
        return p
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
