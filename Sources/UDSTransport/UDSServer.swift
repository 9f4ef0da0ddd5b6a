#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The listening side (R-UDS.2, R-UDS.3): binds the socket file and accepts connections on a
/// dedicated thread waiting in `poll(2)`, so no Swift task ever blocks in `accept`. Accepted
/// descriptors (non-blocking, close-on-exec) come out of `connections`; wrap each in a
/// `UDSConnection` with role `.server`. `stop()` ends the stream and removes the socket file.
public final class UDSServer: @unchecked Sendable {
    public let path: String
    public let permissions: UInt32
    /// Accepted descriptors. One consumer; it owns each descriptor it takes.
    public let connections: AsyncStream<Int32>

    private let continuation: AsyncStream<Int32>.Continuation
    private let backlog: Int32
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var inode: ino_t = 0
    private var wake: (read: Int32, write: Int32) = (-1, -1)
    private var running = false
    private let finished = DispatchSemaphore(value: 0)

    /// `permissions` is the socket file's mode: 0o660 lets the owner's group connect, 0o666 everyone.
    public init(path: String, permissions: UInt32 = 0o660, backlog: Int32 = 16) {
        self.path = path
        self.permissions = permissions
        self.backlog = backlog
        (connections, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .unbounded)
    }

    deinit { stop() }

    /// Binds, listens and starts the accept thread.
    public func start() throws(UDSError) {
        let (fd, ino) = try UDSSocket.listen(path: path, permissions: permissions, backlog: backlog)
        var p: [Int32] = [0, 0]
        guard pipe(&p) == 0 else {
            Glibc.close(fd)
            UDSSocket.removeFile(path: path, inode: ino)
            throw UDSError(.listenFailed, "\(path): pipe: \(UDSSocket.errnoText())")
        }
        _ = fcntl(p[0], F_SETFD, FD_CLOEXEC); _ = fcntl(p[1], F_SETFD, FD_CLOEXEC)
        lock.withLock {
            listenFD = fd; inode = ino; wake = (p[0], p[1]); running = true
        }
        let wakeRead = p[0]
        let t = Thread { [self] in self.acceptLoop(fd: fd, wakeFD: wakeRead) }
        t.name = "uds accept \(path)"
        t.stackSize = 128 * 1024
        t.start()
    }

    public var isRunning: Bool { lock.withLock { running } }

    /// Stops accepting, closes the listening socket and removes the socket file. Idempotent;
    /// connections already accepted stay open.
    public func stop() {
        let (was, w) = lock.withLock { () -> (Bool, Int32) in
            let was = running
            running = false
            return (was, wake.write)
        }
        guard was else { return }
        var one: UInt8 = 1
        _ = Glibc.write(w, &one, 1)
        _ = finished.wait(timeout: .now() + 2)
        let (fd, ino, wr, ww) = lock.withLock { (listenFD, inode, wake.read, wake.write) }
        Glibc.close(fd); Glibc.close(wr); Glibc.close(ww)
        UDSSocket.removeFile(path: path, inode: ino)
        continuation.finish()
    }

    private func acceptLoop(fd: Int32, wakeFD: Int32) {
        defer { finished.signal() }
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            let r = poll(&fds, 2, -1)
            if r < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else {
                if fds[0].revents & Int16(POLLNVAL | POLLERR) != 0 { return }
                continue
            }
            // accept4 is not visible from Swift's Glibc module: flags right after accept.
            let c = accept(fd, nil, nil)
            if c >= 0 {
                _ = fcntl(c, F_SETFD, FD_CLOEXEC)
                _ = fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK)
            }
            if c < 0 {
                switch errno {
                case EINTR, EAGAIN, ECONNABORTED, EPROTO: continue
                // Out of descriptors or memory: back off instead of spinning.
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: usleep(100_000); continue
                default: return
                }
            }
            if case .terminated = continuation.yield(c) { Glibc.close(c) }
        }
    }
}
