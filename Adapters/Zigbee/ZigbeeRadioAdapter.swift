import Foundation
import Logging
import RadioSeam
import ZigbeeCore

/// A ZigBee coordinator as a `RadioAdapter`, the same for every stack (EZSP, Z-Stack): it
/// interviews devices that join or announce themselves (ZigbeeCore's interview state machine),
/// binds and configures reporting for the attributes it exposes, enrols IAS zones, turns
/// attribute reports and zone notifications into value reports, and carries out commands as
/// ZCL commands, answering with the device's status.
public actor ZigbeeRadioAdapter: RadioAdapter {
    public struct Configuration: Sendable {
        /// `ezsp`, `znp`, …: shown as the radio's stack.
        public var stackName: String
        public var port: String
        /// How long one ZDO/ZCL request waits for its answer during an interview.
        public var requestTimeout: Duration = .seconds(5)
        /// Retries of one interview request before the interview gives up on that step.
        public var retries: Int = 2
        /// Reporting intervals asked of devices (seconds): minimum and maximum.
        public var reportMinimum: UInt16 = 1
        public var reportMaximum: UInt16 = 900
        public init(stackName: String, port: String) { self.stackName = stackName; self.port = port }
    }

    struct Known: Sendable {
        var networkAddress: UInt16
        var description: ZigbeeDeviceDescription?
        var units: [FunctionalUnit] = []
        var announced = false
        var sleepy = false
        var interviewing = false
    }

    enum Pending: Hashable { case zdo(UInt16, UInt8), zcl(UInt16, UInt8) }

    public nonisolated let events: AsyncStream<AdapterEvent>
    let continuation: AsyncStream<AdapterEvent>.Continuation
    let stack: any ZigbeeStack
    let configuration: Configuration
    let logger: Logger
    var state: AdapterState = .starting
    var network: ZigbeeNetworkInfo?
    var devices: [IEEEAddress: Known] = [:]
    var waiting: [Pending: CheckedContinuation<ZigbeeAPSMessage?, Never>] = [:]
    var lastFailure: [Pending: ZigbeeStackError] = [:]
    var sequence: UInt8 = 0
    var nextZoneID: UInt8 = 1

    public init(stack: any ZigbeeStack, configuration: Configuration, logger: Logger) {
        self.stack = stack
        self.configuration = configuration
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: AdapterEvent.self, bufferingPolicy: .unbounded)
    }

    public var info: AdapterInfo {
        AdapterInfo(radioProtocol: .zigbee, stack: configuration.stackName.uppercased(), port: configuration.port,
                    firmware: network?.firmware ?? "", state: state)
    }

    /// Devices known to this adapter (interviewed), for tests and diagnostics.
    public var knownDevices: [IEEEAddress: UInt16] { devices.mapValues(\.networkAddress) }

    // MARK: running

    public func run() async throws {
        defer { continuation.finish() }
        setState(.starting)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [stack] in
                do { try await stack.run() } catch { await self.stackStopped(error) }
            }
            group.addTask { [stack] in
                for await e in stack.events { await self.handle(e) }
            }
            await group.next()
            group.cancelAll()
        }
        failAllWaiting()
        setState(.stopped)
    }

    func stackStopped(_ error: any Error) {
        logger.error("ZigBee \(configuration.port): \(error)")
        setState(.failed)
    }

    func setState(_ s: AdapterState) {
        guard s != state else { return }
        state = s
        continuation.yield(.stateChanged(s))
    }

    func handle(_ event: ZigbeeStackEvent) async {
        switch event {
        case .networkUp(let info):
            network = info
            logger.info("ZigBee network up on \(configuration.port): PAN 0x\(String(info.panId, radix: 16)), channel \(info.channel), \(info.firmware)")
            setState(.running)
            for (ieee, d) in devices where d.description != nil {
                continuation.yield(.availability(.ieee(ieee.rawValue), online: true))
            }
            // Devices that announced themselves before the network was reported up.
            for (ieee, d) in devices where d.description == nil && !d.interviewing {
                devices[ieee]?.interviewing = true
                Task { await self.interview(ieee, update: false) }
            }
        case .networkDown(let reason):
            logger.warning("ZigBee \(configuration.port) down: \(reason)")
            setState(.resetting)
            failAllWaiting()
            for ieee in devices.keys { continuation.yield(.availability(.ieee(ieee.rawValue), online: false)) }
        case .deviceJoined(let ieee, let nwk):
            seen(ieee, nwk)
        case .deviceLeft(let ieee, _):
            if devices.removeValue(forKey: ieee)?.description != nil { continuation.yield(.deviceLeft(.ieee(ieee.rawValue))) }
        case .message(let m):
            await received(m)
        }
    }

    /// A device joined or announced itself: interview it when it is new, follow its new
    /// network address otherwise.
    func seen(_ ieee: IEEEAddress, _ nwk: UInt16) {
        if var d = devices[ieee] {
            d.networkAddress = nwk
            devices[ieee] = d
            if d.description != nil { continuation.yield(.availability(.ieee(ieee.rawValue), online: true)); return }
            if d.interviewing { return }
        }
        devices[ieee, default: Known(networkAddress: nwk)].interviewing = true
        Task { await self.interview(ieee, update: false) }
    }

    func received(_ m: ZigbeeAPSMessage) async {
        if m.isZDO || m.profileId == ZigbeeAPSMessage.zdoProfile {
            guard let f = try? ZDOFrame(clusterId: m.clusterId, bytes: m.payload) else {
                logger.debug("undecodable ZDO frame 0x\(String(m.clusterId, radix: 16)) from 0x\(String(m.source, radix: 16))")
                return
            }
            if case .request(.deviceAnnounce(let a)) = f.message { seen(a.ieeeAddress, a.networkAddress); return }
            if case .response = f.message, let k = waiting.removeValue(forKey: .zdo(m.source, f.transactionSequence)) { k.resume(returning: m) }
            return
        }
        guard let frame = try? ZCLFrame(decoding: m.payload) else {
            logger.debug("undecodable ZCL frame on cluster 0x\(String(m.clusterId, radix: 16)) from 0x\(String(m.source, radix: 16))")
            return
        }
        let ieee = devices.first { $0.value.networkAddress == m.source }?.key
        if let ieee, devices[ieee]?.sleepy == true { continuation.yield(.awake(.ieee(ieee.rawValue))) }
        if frame.direction == .serverToClient, let k = waiting.removeValue(forKey: .zcl(m.source, frame.transactionSequence)) {
            k.resume(returning: m)
        }
        guard let ieee, devices[ieee]?.description != nil else { return }
        report(ieee, m, frame)
    }

    /// Attribute reports, read answers and IAS zone notifications as value reports.
    func report(_ ieee: IEEEAddress, _ m: ZigbeeAPSMessage, _ frame: ZCLFrame) {
        let addr = DeviceAddress.ieee(ieee.rawValue)
        let now = Date()
        var values: [(UInt16, ZCLValue)] = []
        if frame.frameType == .global, let g = try? frame.globalCommand() {
            switch g {
            case .reportAttributes(let records): values = records.map { ($0.attributeId, $0.value) }
            case .readAttributesResponse(let records): values = records.compactMap { r in r.value.map { (r.attributeId, $0) } }
            default: return
            }
        } else if m.clusterId == ZCLClusterID.iasZone, frame.frameType == .clusterSpecific,
                  let n = try? IASZoneNotification(commandId: frame.commandId, payload: frame.payload),
                  case .zoneStatusChange(let status, _, _, _) = n {
            values = [(0x0002, .bitmap(UInt64(status.rawValue), .bits16))]
        }
        let exposed = Set(devices[ieee]?.units.map(\.key) ?? [])
        for (attribute, value) in values {
            let key = UnitKey.zigbee(endpoint: m.sourceEndpoint, cluster: m.clusterId, attribute: attribute)
            guard exposed.contains(key), let v = Self.radioValue(value) else { continue }
            if let i = devices[ieee]?.units.firstIndex(where: { $0.key == key }) { devices[ieee]?.units[i].value = v }
            continuation.yield(.report(addr, key, v, timestamp: now))
        }
    }

    static func radioValue(_ v: ZCLValue) -> RadioValue? {
        if v.isInvalid { return nil }
        switch v {
        case .bool(let b): return .bool(b)
        case .enum8(let e): return .enumeration(UInt32(e))
        case .enum16(let e): return .enumeration(UInt32(e))
        case .float(let d, _): return .double(d)
        case .string(let s), .longString(let s): return .string(s)
        default: return v.integerValue.map { .int($0) }
        }
    }

    func nextSequence() -> UInt8 { sequence &+= 1; return sequence }
}
