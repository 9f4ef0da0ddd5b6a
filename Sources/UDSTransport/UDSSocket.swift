#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls behind the transport: AF_UNIX SOCK_STREAM sockets, non-blocking and
/// close-on-exec, and the file at the socket path.
public enum UDSSocket {
    /// The longest path `sockaddr_un` holds (without its terminating NUL).
    public static var maxPathLength: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    /// Connects to the server at `path` without waiting: a full backlog (EAGAIN) fails like a
    /// missing server, and the caller retries later (R-UDS.5). Returns the connected descriptor.
    public static func connect(path: String) throws(UDSError) -> Int32 {
        var addr = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw UDSError(.connectFailed, "\(path): socket: \(errnoText())") }
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if r != 0 {
            let e = errno
            Glibc.close(fd)
            let why = switch e {
            case ENOENT: "no such socket (is the agent running?)"
            case ECONNREFUSED: "nobody is listening (a stale socket file?)"
            case EAGAIN: "the server's backlog is full"
            case EACCES: "permission denied"
            default: errnoText(e)
            }
            throw UDSError(.connectFailed, "cannot connect to \(path): \(why)")
        }
        return fd
    }

    /// A socket bound to `path` and listening. A stale socket file (nobody accepts on it) is
    /// removed first; a live one, or any other kind of file, is an `addressInUse` error.
    /// The file gets `permissions` (e.g. 0o660 for the owner's group, 0o666 for everyone).
    public static func listen(path: String, permissions: UInt32, backlog: Int32) throws(UDSError) -> (fd: Int32, inode: ino_t) {
        var addr = try address(path)
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFSOCK else {
                throw UDSError(.addressInUse, "\(path) exists and is not a socket; not replacing it")
            }
            if let probe = try? connect(path: path) {
                Glibc.close(probe)
                throw UDSError(.addressInUse, "another process is already listening on \(path)")
            }
            _ = unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw UDSError(.listenFailed, "\(path): socket: \(errnoText())") }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let e = errno
            Glibc.close(fd)
            throw UDSError(e == EADDRINUSE ? .addressInUse : .listenFailed, "cannot bind \(path): \(errnoText(e))")
        }
        guard chmod(path, mode_t(permissions)) == 0 else {
            let e = errno
            Glibc.close(fd); _ = unlink(path)
            throw UDSError(.listenFailed, "cannot set mode \(String(permissions, radix: 8)) on \(path): \(errnoText(e))")
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            Glibc.close(fd); _ = unlink(path)
            throw UDSError(.listenFailed, "cannot listen on \(path): \(errnoText(e))")
        }
        var mine = stat()
        _ = lstat(path, &mine)
        return (fd, mine.st_ino)
    }

    /// Removes the socket file if it is still the one this process bound (same inode), so a
    /// successor's socket at the same path survives.
    public static func removeFile(path: String, inode: ino_t) {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFSOCK, st.st_ino == inode else { return }
        _ = unlink(path)
    }

    static func address(_ path: String) throws(UDSError) -> sockaddr_un {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty else { throw UDSError(.pathTooLong, "the socket path is empty") }
        guard bytes.count <= maxPathLength else {
            throw UDSError(.pathTooLong, "\(path): a UNIX socket path holds at most \(maxPathLength) bytes (this one has \(bytes.count))")
        }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return addr
    }

    static func errnoText(_ e: Int32 = errno) -> String { String(cString: strerror(e)) }
}
