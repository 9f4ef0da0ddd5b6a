#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An open byte stream to a radio stick: a tty, a pseudo-terminal or a TCP connection.
///
/// Reads happen on a dedicated thread that waits in `poll(2)` (never a blocking `read()` on a
/// Swift concurrency thread) and arrive as chunks on `bytes`. Writes go straight to the
/// descriptor. `close()` wakes the reader and ends the stream; so does the far end going away
/// (EOF, EIO after an unplugged USB stick, a reset TCP connection), with `endReason` set.
public final class SerialPort: @unchecked Sendable {
    public let name: String
    /// Chunks as they arrive. One consumer. Finishes when the port closes or fails.
    public let bytes: AsyncStream<[UInt8]>

    private let fd: Int32
    /// Sockets are written with `send(MSG_NOSIGNAL)`: a peer that went away is an error, not SIGPIPE.
    private let isSocket: Bool
    private let wake: (read: Int32, write: Int32)
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private let lock = NSLock()
    private var closed = false
    private var reason: String?
    private var readerStarted = false
    private let released = DispatchSemaphore(value: 0)
    private var readerThread: pthread_t?
    /// How long a write may wait for the far end to drain before it fails.
    public var writeTimeoutMilliseconds: Int32 = 2000

    /// Adopts an open descriptor (closed by `close()`), made non-blocking here.
    public init(adopting fd: Int32, name: String) throws(SerialPortError) {
        var p: [Int32] = [0, 0]
        guard pipe(&p) == 0 else { throw SerialPortError(.io, "\(name): pipe: \(Self.errnoText())") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(p[0], F_SETFD, FD_CLOEXEC); _ = fcntl(p[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        var st = stat()
        self.isSocket = fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFSOCK
        self.name = name
        self.wake = (p[0], p[1])
        (bytes, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .unbounded)
        startReader()
    }

    deinit {
        close()
    }

    /// Why the stream ended, when it did (nil while open or after a local `close()`).
    public var endReason: String? { lock.withLock { reason } }
    public var isClosed: Bool { lock.withLock { closed } }

    /// Writes every byte or throws (`closed`, `io`, `writeTimeout`).
    public func write(_ data: [UInt8]) throws(SerialPortError) {
        if lock.withLock({ closed }) { throw SerialPortError(.closed, "\(name): the port is closed") }
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { raw in
                if isSocket { return send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) }
                #if canImport(Glibc)
                return Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #else
                return Darwin.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #endif
            }
            if n > 0 { offset += n; continue }
            let e = errno
            if n < 0 && e == EINTR { continue }
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let r = poll(&p, 1, writeTimeoutMilliseconds)
                if r == 0 { throw SerialPortError(.writeTimeout, "\(name): the far end did not drain within \(writeTimeoutMilliseconds) ms") }
                if r < 0 && errno != EINTR { throw SerialPortError(.io, "\(name): poll: \(Self.errnoText())") }
                continue
            }
            throw SerialPortError(.io, "\(name): write: \(Self.errnoText(e))")
        }
    }

    /// Closes the port; the reader thread stops and `bytes` finishes. Idempotent. Returns once
    /// the descriptor is closed (and its lock released), so the port can be opened again at once.
    public func close() {
        let first: Bool = lock.withLock {
            if closed { return false }
            closed = true
            return true
        }
        guard first else { return }
        var one: UInt8 = 1
        _ = withUnsafePointer(to: &one) { ptr in
            #if canImport(Glibc)
            Glibc.write(wake.write, ptr, 1)
            #else
            Darwin.write(wake.write, ptr, 1)
            #endif
        }
        let (started, reader) = lock.withLock { (readerStarted, readerThread) }
        if !started { finishAndRelease(nil); return }
        // Wait for the reader to let go of the descriptor, unless we are the reader.
        if let reader, pthread_equal(reader, pthread_self()) != 0 { return }
        _ = released.wait(timeout: .now() + 2)
        released.signal()
    }

    // MARK: reader thread

    private func startReader() {
        lock.withLock { readerStarted = true }
        let t = Thread { [self] in self.readLoop() }
        t.name = "serial \(name)"
        t.stackSize = 256 * 1024
        t.start()
    }

    private func readLoop() {
        lock.withLock { readerThread = pthread_self() }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var endReason: String?
        loop: while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            let r = poll(&fds, 2, -1)
            if r < 0 {
                if errno == EINTR { continue }
                endReason = "poll: \(Self.errnoText())"
                break
            }
            if fds[1].revents != 0 { break }
            let ev = fds[0].revents
            if ev & Int16(POLLIN) != 0 || ev & Int16(POLLHUP | POLLERR) != 0 {
                let n = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress!, raw.count) }
                if n > 0 {
                    continuation.yield(Array(buffer[0..<n]))
                    continue
                }
                if n == 0 { endReason = "the far end closed the connection"; break loop }
                switch errno {
                case EINTR, EAGAIN: continue
                case EIO: endReason = "I/O error (device unplugged or its other side closed)"; break loop
                default: endReason = "read: \(Self.errnoText())"; break loop
                }
            }
            if ev & Int16(POLLNVAL) != 0 { endReason = "descriptor no longer valid"; break }
        }
        finishAndRelease(endReason)
    }

    private func finishAndRelease(_ why: String?) {
        lock.withLock {
            if reason == nil, let why, !closed { reason = why }
            closed = true
        }
        continuation.finish()
        #if canImport(Glibc)
        Glibc.close(fd); Glibc.close(wake.read); Glibc.close(wake.write)
        released.signal()
        #else
        Darwin.close(fd); Darwin.close(wake.read); Darwin.close(wake.write)
        #endif
    }

    static func errnoText(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }
}
