@testable import Bridge
import Foundation

/// An in-process radio adapter: tests push events into it and script command outcomes.
final class FakeAdapter: RadioAdapter, @unchecked Sendable {
    enum Behaviour: Sendable {
        case succeed(RadioValue?)
        case fail(AdapterError)
        case reject(Int)
        /// Never answers (until the test ends).
        case hang
    }

    private let lock = NSLock()
    private var _info: AdapterInfo
    private var _sent: [(DeviceCommand, DeviceAddress)] = []
    private var _calls: [String] = []
    private var _behaviour: Behaviour = .succeed(nil)
    let events: AsyncStream<AdapterEvent>
    private let continuation: AsyncStream<AdapterEvent>.Continuation

    init(_ proto: RadioProtocol = .zigbee, port: String = "/dev/ttyFAKE0") {
        _info = AdapterInfo(radioProtocol: proto, stack: "FAKE", port: port, firmware: "1.2.3", state: .running)
        (events, continuation) = AsyncStream.makeStream(of: AdapterEvent.self)
    }

    var info: AdapterInfo { lock.withLock { _info } }
    var sent: [(DeviceCommand, DeviceAddress)] { lock.withLock { _sent } }
    var calls: [String] { lock.withLock { _calls } }
    func behave(_ b: Behaviour) { lock.withLock { _behaviour = b } }
    func emit(_ e: AdapterEvent) { continuation.yield(e) }

    func run() async throws {
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }

    func send(_ command: DeviceCommand, to device: DeviceAddress, timeout: Duration) async throws(AdapterError) -> CommandOutcome {
        let b = lock.withLock { _sent.append((command, device)); return _behaviour }
        switch b {
        case .succeed(let v): return .success(v)
        case .fail(let e): throw e
        case .reject(let s): return .rejected(status: s, reason: "unsupported attribute")
        case .hang:
            try? await Task.sleep(for: .seconds(3600))
            throw AdapterError(.timeout, "hung")
        }
    }

    func permitJoin(seconds: Int) async throws(AdapterError) { lock.withLock { _calls.append("permitJoin \(seconds)") } }
    func remove(device: DeviceAddress) async throws(AdapterError) {
        lock.withLock { _calls.append("remove \(device)") }
        continuation.yield(.deviceLeft(device))
    }
    /// Makes the next reinterview fail with this error.
    var failNext: AdapterError? {
        get { lock.withLock { _failNext } }
        set { lock.withLock { _failNext = newValue } }
    }
    private var _failNext: AdapterError?

    func reinterview(device: DeviceAddress) async throws(AdapterError) {
        let fail: AdapterError? = lock.withLock {
            _calls.append("reinterview \(device)")
            defer { _failNext = nil }
            return _failNext
        }
        if let fail { throw fail }
    }
    func refresh(device: DeviceAddress, unit: UnitKey?) async throws(AdapterError) { lock.withLock { _calls.append("refresh \(device)") } }
}
