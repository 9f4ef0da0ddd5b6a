#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension SerialPort {
    /// Opens a port: a tty gets raw mode, the baud rate and flow control; a `tcp://` port is
    /// connected (at most `connectTimeoutMilliseconds`) with Nagle off.
    public static func open(_ address: PortAddress, settings: SerialSettings = SerialSettings(),
                            connectTimeoutMilliseconds: Int32 = 5000) throws(SerialPortError) -> SerialPort {
        switch address {
        case .device(let path):
            let fd = try openDevice(path, settings: settings)
            return try SerialPort(adopting: fd, name: path)
        case .tcp(let host, let port):
            let fd = try connectTCP(host: host, port: port, timeout: connectTimeoutMilliseconds)
            return try SerialPort(adopting: fd, name: address.description)
        }
    }

    static func openDevice(_ path: String, settings: SerialSettings) throws(SerialPortError) -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let e = errno
            switch e {
            case ENOENT, ENODEV, ENXIO: throw SerialPortError(.notFound, "\(path): no such device (is the stick plugged in?)")
            case EACCES, EPERM: throw SerialPortError(.permissionDenied, "\(path): permission denied (add the user to the 'dialout' group)")
            case EBUSY: throw SerialPortError(.busy, "\(path): the device is busy")
            default: throw SerialPortError(.io, "\(path): open: \(errnoText(e))")
            }
        }
        // Another process holding the stick would garble both sides' frames.
        if flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK {
            Glibc.close(fd)
            throw SerialPortError(.busy, "\(path): another process has the port open (locked)")
        }
        do throws(SerialPortError) {
            try configure(fd, path: path, settings: settings)
        } catch {
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Raw 8N1 at the requested speed and flow control.
    static func configure(_ fd: Int32, path: String, settings: SerialSettings) throws(SerialPortError) {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else {
            throw SerialPortError(.badSettings, "\(path): not a serial port (\(errnoText()))")
        }
        guard let speed = speedConstant(settings.baudRate) else {
            throw SerialPortError(.badSettings, "\(path): unsupported baud rate \(settings.baudRate) (supported: \(SerialSettings.supportedBaudRates.map(String.init).joined(separator: ", ")))")
        }
        cfmakeraw(&t)
        t.c_cflag |= tcflag_t(CLOCAL | CREAD)
        t.c_cflag &= ~tcflag_t(CSTOPB)
        t.c_cflag &= ~tcflag_t(CRTSCTS)
        t.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        switch settings.flowControl {
        case .none: break
        case .hardware: t.c_cflag |= tcflag_t(CRTSCTS)
        case .software: t.c_iflag |= tcflag_t(IXON | IXOFF)
        }
        // VMIN/VTIME are irrelevant: reads are non-blocking after poll.
        cfsetispeed(&t, speed)
        cfsetospeed(&t, speed)
        guard tcsetattr(fd, TCSANOW, &t) == 0 else {
            throw SerialPortError(.badSettings, "\(path): cannot set line settings: \(errnoText())")
        }
        _ = tcflush(fd, TCIOFLUSH)
    }

    static func speedConstant(_ baud: Int) -> speed_t? {
        switch baud {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 9600: speed_t(B9600)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115_200: speed_t(B115200)
        case 230_400: speed_t(B230400)
        case 460_800: speed_t(B460800)
        case 500_000: speed_t(B500000)
        case 576_000: speed_t(B576000)
        case 921_600: speed_t(B921600)
        case 1_000_000: speed_t(B1000000)
        case 1_152_000: speed_t(B1152000)
        case 1_500_000: speed_t(B1500000)
        case 2_000_000: speed_t(B2000000)
        case 3_000_000: speed_t(B3000000)
        case 4_000_000: speed_t(B4000000)
        default: nil
        }
    }

    static func connectTCP(host: String, port: Int, timeout: Int32) throws(SerialPortError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw SerialPortError(.connectFailed, "tcp://\(host):\(port): cannot resolve host: \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 { lastError = errnoText(); continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var r = Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            if r != 0 && errno == EINPROGRESS {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let pr = poll(&p, 1, timeout)
                if pr == 1 {
                    var err: Int32 = 0
                    var len = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
                    r = err == 0 ? 0 : -1
                    if err != 0 { lastError = errnoText(err) }
                } else {
                    lastError = pr == 0 ? "timed out after \(timeout) ms" : errnoText()
                    r = -1
                }
            } else if r != 0 {
                lastError = errnoText()
            }
            if r == 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            Glibc.close(fd)
        }
        throw SerialPortError(.connectFailed, "tcp://\(host):\(port): cannot connect: \(lastError)")
    }
}
