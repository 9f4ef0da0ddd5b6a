import Foundation
import SerialPort
import UDSTransport

/// A test peer that speaks bytes, not frames: a connected socket whose reads go through
/// `SerialPort`'s poll thread, so tests never block a Swift task in `read`.
public final class RawSocket: @unchecked Sendable {
    public let port: SerialPort
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var eof = false

    public convenience init(path: String) throws {
        try self.init(adopting: try UDSSocket.connect(path: path))
    }

    public init(adopting fd: Int32) throws {
        port = try SerialPort(adopting: fd, name: "raw fd \(fd)")
        let bytes = port.bytes
        Task { [self] in
            for await c in bytes { lock.withLock { buffer += c } }
            lock.withLock { eof = true }
        }
    }

    public var received: [UInt8] { lock.withLock { buffer } }
    public var ended: Bool { lock.withLock { eof } }

    public func write(_ bytes: [UInt8]) throws { try port.write(bytes) }

    /// Waits until `enough(received)`, end of file or `seconds`; returns whether `enough` held.
    public func read(seconds: Double = 5, until enough: ([UInt8]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !enough(received) && !ended && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return enough(received)
    }

    /// Frames received so far (an unparsable tail is left out).
    public var frames: [UDSFrame] {
        var d = UDSFrameDecoder()
        return d.feed(received).compactMap { try? $0.get() }
    }

    /// Waits for end of file.
    public func waitForEOF(seconds: Double = 5) async -> Bool {
        _ = await read(seconds: seconds) { _ in false }
        return ended
    }

    public func close() { port.close() }
}

public enum TempSocket {
    /// A fresh, short socket path in a new directory under /tmp.
    public static func path(_ name: String = "t.sock") -> String {
        let dir = "/tmp/uds-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }
}

/// The next event of a stream, or nil after `seconds`.
public func nextEvent<T: Sendable>(_ stream: AsyncStream<T>, seconds: Double = 5) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask {
            for await e in stream { return e }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
