#if canImport(Glibc)
import Glibc
#endif
import CPseudoTerminal
import Foundation

/// A pseudo-terminal pair for a virtual stick: the stick owns the master side (`port`), a host
/// driver opens the slave (`slavePath`, or the symlink `link` pointing to it) as if it were a
/// USB serial stick.
///
/// The stick keeps its own descriptor on the slave open, so a host that closes and reopens the
/// port (as drivers do on restart) does not make the master read fail with EIO.
public final class PseudoTerminal: @unchecked Sendable {
    public let port: SerialPort
    public let slavePath: String
    public let link: String?
    private let keeper: Int32

    /// Creates the pair; with `link`, a symlink at that path points to the slave (an existing
    /// symlink there is replaced; any other file is an error, never overwritten).
    public init(link: String? = nil) throws(SerialPortError) {
        var name = [CChar](repeating: 0, count: 128)
        let master = uspbridge_open_pty(&name, name.count)
        guard master >= 0 else { throw SerialPortError(.io, "cannot open a pseudo-terminal: \(SerialPort.errnoText())") }
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let keep = Glibc.open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard keep >= 0 else {
            let why = SerialPort.errnoText()
            Glibc.close(master)
            throw SerialPortError(.io, "\(slave): \(why)")
        }
        // Raw line discipline on the slave: no echo, no CR/LF translation, 8-bit clean.
        var t = termios()
        tcgetattr(keep, &t)
        cfmakeraw(&t)
        tcsetattr(keep, TCSANOW, &t)
        if let link {
            var st = stat()
            if lstat(link, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFLNK else {
                    Glibc.close(master); Glibc.close(keep)
                    throw SerialPortError(.badAddress, "\(link) exists and is not a symlink; not replacing it")
                }
                unlink(link)
            }
            guard symlink(slave, link) == 0 else {
                let why = SerialPort.errnoText()
                Glibc.close(master); Glibc.close(keep)
                throw SerialPortError(.io, "cannot create the link \(link): \(why)")
            }
        }
        let adopted: SerialPort
        do {
            adopted = try SerialPort(adopting: master, name: link ?? slave)
        } catch {
            Glibc.close(keep)
            if let link { unlink(link) }
            throw error
        }
        port = adopted
        slavePath = slave
        self.link = link
        keeper = keep
    }

    /// Closes both sides and removes the link.
    public func close() {
        port.close()
        if let link {
            var st = stat()
            if lstat(link, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK { unlink(link) }
        }
        Glibc.close(keeper)
    }
}
