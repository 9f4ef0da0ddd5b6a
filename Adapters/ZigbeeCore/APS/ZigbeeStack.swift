/// What a coordinator stick's driver (EZSP over ASH, Z-Stack MT) offers the ZigBee radio
/// adapter: a formed network, APS frames in and out, joins and leaves, permit-join. The adapter
/// above it (interviews, ZCL, the bridge seam) is the same for every stack.
public protocol ZigbeeStack: Sendable {
    /// Joins, leaves, received frames, network up/down. Finishes when the stack stops.
    var events: AsyncStream<ZigbeeStackEvent> { get }
    /// Opens the port, brings the coordinator up (forming the network when there is none) and
    /// serves until cancelled; recovers from stick resets by itself.
    func run() async throws
    /// Sends one APS frame (unicast, or broadcast to 0xFFFC/0xFFFD/0xFFFF). Returns when the
    /// stack has accepted it (unicasts: when the next hop acknowledged it, where the stack says so).
    func send(_ message: ZigbeeAPSMessage) async throws(ZigbeeStackError)
    /// Opens joining on every router for `seconds` (0 closes it).
    func permitJoin(seconds: UInt8) async throws(ZigbeeStackError)
}

public enum ZigbeeStackEvent: Sendable, Hashable {
    /// The network is up (after start or after recovering from a stick reset).
    case networkUp(ZigbeeNetworkInfo)
    /// The stick stopped answering or reset; the stack is recovering.
    case networkDown(reason: String)
    /// A device joined or rejoined through the trust centre.
    case deviceJoined(ieee: IEEEAddress, networkAddress: UInt16)
    /// A device left (its own leave, or one we asked for).
    case deviceLeft(ieee: IEEEAddress, networkAddress: UInt16)
    /// An APS frame for the coordinator (ZDO on endpoint 0, ZCL on the others).
    case message(ZigbeeAPSMessage)
}

/// The coordinator's network, as the stack reports it.
public struct ZigbeeNetworkInfo: Sendable, Hashable {
    public var ieee: IEEEAddress
    public var panId: UInt16
    public var extendedPanId: UInt64
    public var channel: UInt8
    /// Stack name and version, e.g. `EZSP v13, EmberZNet 7.4.3`.
    public var firmware: String

    public init(ieee: IEEEAddress, panId: UInt16, extendedPanId: UInt64, channel: UInt8, firmware: String) {
        self.ieee = ieee; self.panId = panId; self.extendedPanId = extendedPanId; self.channel = channel; self.firmware = firmware
    }
}

public struct ZigbeeStackError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The network is not up (starting, resetting, port lost).
        case notReady
        /// No route to the device, or the next hop did not acknowledge (EmberStatus / AF status).
        case deliveryFailed
        /// The stick did not answer in time.
        case timeout
        /// The stick's queues are full.
        case busy
        case other
    }
    public var code: Code
    /// The stack's own status byte, when there is one.
    public var status: UInt8?
    public var message: String
    public init(_ code: Code, status: UInt8? = nil, _ message: String) { self.code = code; self.status = status; self.message = message }
    public var description: String { message }
}
