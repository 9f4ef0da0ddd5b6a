import Foundation
import ZigbeeCore

/// The simulated ZigBee network offered directly as a coordinator stack, in process, without
/// a stick protocol in between. It exercises the radio adapter and the bridge above it; the
/// byte-level EZSP and Z-Stack virtual sticks build on the same network.
public actor VirtualZigbeeStack: ZigbeeStack {
    public nonisolated let events: AsyncStream<ZigbeeStackEvent>
    let continuation: AsyncStream<ZigbeeStackEvent>.Continuation
    var network: VirtualZigbeeNetwork
    let timeScale: Double
    let tick: Duration
    let started = ContinuousClock.now
    var up = false
    public let info: ZigbeeNetworkInfo

    public init(network: VirtualZigbeeNetwork, timeScale: Double = 1, tick: Duration = .milliseconds(200),
                info: ZigbeeNetworkInfo = ZigbeeNetworkInfo(ieee: IEEEAddress(0x00124B00_C0FFEE01), panId: 0x1A62,
                                                            extendedPanId: 0xDDDD_DDDD_DDDD_DDDD, channel: 15, firmware: "virtual")) {
        self.network = network
        self.timeScale = timeScale
        self.tick = tick
        self.info = info
        (events, continuation) = AsyncStream.makeStream(of: ZigbeeStackEvent.self, bufferingPolicy: .unbounded)
    }

    var now: Double {
        let c = (ContinuousClock.now - started).components
        return (Double(c.seconds) + Double(c.attoseconds) / 1e18) * timeScale
    }

    public func run() async throws {
        defer { continuation.finish() }
        up = true
        continuation.yield(.networkUp(info))
        deliver(network.announceMembers())
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            deliver(network.advance(to: now))
        }
        up = false
    }

    public func send(_ message: ZigbeeAPSMessage) async throws(ZigbeeStackError) {
        guard up else { throw ZigbeeStackError(.notReady, "the virtual network is not up") }
        let broadcast = message.destination >= 0xFFF8
        guard broadcast || network.isMember(message.destination) else {
            throw ZigbeeStackError(.deliveryFailed, status: 0x66, "no route to 0x\(String(message.destination, radix: 16))")
        }
        deliver(network.send(message, at: now))
    }

    public func permitJoin(seconds: UInt8) async throws(ZigbeeStackError) {
        guard up else { throw ZigbeeStackError(.notReady, "the virtual network is not up") }
        deliver(network.permitJoin(seconds: Double(seconds), at: now))
    }

    /// A device leaves on its own.
    public func leave(deviceNamed name: String) { deliver(network.leave(deviceNamed: name)) }

    /// Whether the named device is in the network.
    public func isMember(named name: String) -> Bool { network.device(named: name).map { network.members.contains($0.ieee) } ?? false }

    /// A device's current state, for tests and logs.
    public func device(named name: String) -> VirtualZigbeeDevice? { network.device(named: name) }

    func deliver(_ events: [VirtualZigbeeNetwork.Event]) {
        for e in events {
            switch e {
            case .message(let m): continuation.yield(.message(m))
            case .joined(let ieee, let nwk, _): continuation.yield(.deviceJoined(ieee: ieee, networkAddress: nwk))
            case .left(let ieee, let nwk): continuation.yield(.deviceLeft(ieee: ieee, networkAddress: nwk))
            }
        }
    }
}
