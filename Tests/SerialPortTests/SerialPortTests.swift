import Foundation
import SerialPort
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Real pseudo-terminals and a real TCP socket: what host drivers and virtual sticks use.
@Suite struct SerialPortTests {
    /// Collects bytes from a port until `count` arrived or the time is up.
    static func read(_ port: SerialPort, count: Int, seconds: Double = 5) async -> [UInt8] {
        await withTaskGroup(of: [UInt8].self) { group in
            group.addTask {
                var got: [UInt8] = []
                for await chunk in port.bytes {
                    got += chunk
                    if got.count >= count { break }
                }
                return got
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    static func tempLink() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("usp-bridge-pty-\(UUID().uuidString.prefix(8))").path
    }

    @Test func addressesParse() throws {
        #expect(try PortAddress(parsing: "/dev/ttyUSB0") == .device(path: "/dev/ttyUSB0"))
        #expect(try PortAddress(parsing: "tcp://192.168.1.20:6638") == .tcp(host: "192.168.1.20", port: 6638))
        #expect(try PortAddress(parsing: "tcp://[fe80::1]:6638") == .tcp(host: "fe80::1", port: 6638))
        #expect(try PortAddress(parsing: "tcp://[fe80::1]:6638").description == "tcp://[fe80::1]:6638")
        for bad in ["ttyUSB0", "tcp://host", "tcp://:80", "tcp://h:0", "tcp://h:70000", "tcp://[::1]6638"] {
            #expect(throws: SerialPortError.self, "\(bad)") { try PortAddress(parsing: bad) }
        }
    }

    @Test func bytesCrossAPseudoTerminalBothWays() async throws {
        let link = Self.tempLink()
        let pty = try PseudoTerminal(link: link)
        defer { pty.close() }
        // The host opens the link as it would open /dev/ttyUSB0, with line settings.
        let host = try SerialPort.open(.device(path: link), settings: SerialSettings(baudRate: 460_800, flowControl: .hardware))
        defer { host.close() }
        // Every byte value, including the ones a cooked terminal would eat (^C, ^S, CR, DEL).
        let all = (0...255).map { UInt8($0) }
        try host.write(all)
        #expect(await Self.read(pty.port, count: 256) == all)
        try pty.port.write(all.reversed())
        #expect(await Self.read(host, count: 256) == Array(all.reversed()))
    }

    @Test func hostCanCloseAndReopenWithoutBreakingTheStick() async throws {
        let link = Self.tempLink()
        let pty = try PseudoTerminal(link: link)
        defer { pty.close() }
        let first = try SerialPort.open(.device(path: link))
        try first.write([1, 2, 3])
        #expect(await Self.read(pty.port, count: 3) == [1, 2, 3])
        first.close()
        #expect(first.isClosed)
        #expect(throws: SerialPortError.self) { try first.write([9]) }
        // The stick's side did not get EIO: a new host session works.
        let second = try SerialPort.open(.device(path: link))
        defer { second.close() }
        try second.write([4, 5])
        #expect(await Self.read(pty.port, count: 2) == [4, 5])
        #expect(pty.port.endReason == nil)
    }

    @Test func theHostSeesTheStickVanish() async throws {
        let link = Self.tempLink()
        let pty = try PseudoTerminal(link: link)
        let host = try SerialPort.open(.device(path: link))
        defer { host.close() }
        pty.close() // unplugged
        let rest = await Self.read(host, count: 1, seconds: 5)
        #expect(rest.isEmpty)
        // The stream ended with a reason, and the link is gone.
        let deadline = Date().addingTimeInterval(5)
        while host.endReason == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(host.endReason != nil)
        #expect(!FileManager.default.fileExists(atPath: link))
        #expect(throws: SerialPortError.self) { try host.write([1]) }
    }

    @Test func openErrorsCarryCodes() throws {
        do {
            _ = try SerialPort.open(.device(path: "/dev/ttyNOPE\(getpid())"))
            Issue.record("opened a missing device")
        } catch { #expect(error.code == .notFound) }
        // A regular file is not a serial port.
        let file = Self.tempLink()
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { unlink(file) }
        do {
            _ = try SerialPort.open(.device(path: file))
            Issue.record("opened a regular file as a tty")
        } catch { #expect(error.code == .badSettings) }
        // A link path that is a real file is never replaced.
        do {
            _ = try PseudoTerminal(link: file)
            Issue.record("replaced a regular file")
        } catch { #expect(error.code == .badAddress) }
        #expect(FileManager.default.fileExists(atPath: file))
        // An unsupported speed is refused with the list.
        let link = Self.tempLink()
        let pty = try PseudoTerminal(link: link)
        defer { pty.close() }
        do {
            _ = try SerialPort.open(.device(path: link), settings: SerialSettings(baudRate: 12345))
            Issue.record("accepted 12345 baud")
        } catch { #expect(error.code == .badSettings && error.message.contains("115200")) }
        // A second opener of a locked port is told it is busy.
        let a = try SerialPort.open(.device(path: link))
        defer { a.close() }
        do {
            _ = try SerialPort.open(.device(path: link))
            Issue.record("opened a port another opener holds")
        } catch { #expect(error.code == .busy) }
    }

    @Test func tcpPortsConnect() async throws {
        // A listening socket on a free loopback port, as ser2net would offer.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
        _ = listen(listener, 1)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let client = try SerialPort.open(try PortAddress(parsing: "tcp://127.0.0.1:\(port)"))
        defer { client.close() }
        let server = accept(listener, nil, nil)
        #expect(server >= 0)
        let remote = try SerialPort(adopting: server, name: "server")
        defer { remote.close() }
        try client.write([0x1A, 0xC0, 0x38, 0xBC, 0x7E])
        #expect(await Self.read(remote, count: 5) == [0x1A, 0xC0, 0x38, 0xBC, 0x7E])
        remote.close()
        let deadline = Date().addingTimeInterval(5)
        while client.endReason == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(client.endReason?.contains("closed") == true)
        close(listener)
        // Nobody listening: a clear connect failure. (A bound, non-listening socket holds the
        // port so no other test can take it meanwhile.)
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var hold = sockaddr_in()
        hold.sin_family = sa_family_t(AF_INET)
        hold.sin_addr.s_addr = inet_addr("127.0.0.1")
        var hlen = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &hold) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, hlen) } }
        _ = withUnsafeMutablePointer(to: &hold) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &hlen) } }
        do {
            _ = try SerialPort.open(.tcp(host: "127.0.0.1", port: Int(UInt16(bigEndian: hold.sin_port))), connectTimeoutMilliseconds: 500)
            Issue.record("connected to a closed port")
        } catch { #expect(error.code == .connectFailed) }
    }
}
