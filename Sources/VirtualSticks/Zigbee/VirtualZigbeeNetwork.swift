import Foundation
import ZigbeeCore

/// A simulated ZigBee network behind a virtual coordinator: devices that join when permit-join
/// is open, answer ZDO and ZCL requests, report attributes on schedule and on change, honour
/// On/Off, Level and Color commands, and can leave. Pure: the virtual stick feeds it what the
/// host sends and the time, and turns the events into EZSP callbacks or Z-Stack AREQs.
public struct VirtualZigbeeNetwork: Sendable {
    public enum Event: Sendable, Equatable {
        /// An APS frame for the coordinator.
        case message(ZigbeeAPSMessage)
        /// A device joined through the trust centre (followed by its Device_annce message).
        case joined(ieee: IEEEAddress, networkAddress: UInt16, capabilities: UInt8)
        /// A device left the network.
        case left(ieee: IEEEAddress, networkAddress: UInt16)
    }

    public static let broadcastAll: UInt16 = 0xFFFF
    public static let broadcastRxOnWhenIdle: UInt16 = 0xFFFD
    public static let broadcastRouters: UInt16 = 0xFFFC

    public private(set) var devices: [VirtualZigbeeDevice]
    /// Devices in the network, by IEEE address.
    public private(set) var members: Set<IEEEAddress> = []
    /// Until when (seconds) joining is permitted.
    public private(set) var permitJoinUntil: Double = -1
    var zdoSequence: UInt8 = 0

    /// `members`: devices already in the network when the coordinator starts (they announce
    /// themselves with `announceMembers`); the others wait for permit-join.
    public init(devices: [VirtualZigbeeDevice], members: Set<IEEEAddress> = []) {
        self.devices = devices
        self.members = members
    }

    public func device(named name: String) -> VirtualZigbeeDevice? { devices.first { $0.name == name } }
    public func device(networkAddress: UInt16) -> VirtualZigbeeDevice? {
        devices.first { $0.networkAddress == networkAddress && members.contains($0.ieee) }
    }
    public func isMember(_ networkAddress: UInt16) -> Bool { device(networkAddress: networkAddress) != nil }
    public var permitJoinOpen: Bool { permitJoinUntil > 0 }

    /// Device_annce from every member, as devices do when they rejoin after the coordinator restarts.
    public mutating func announceMembers() -> [Event] {
        devices.filter { members.contains($0.ieee) }.map { .message(announce($0)) }
    }

    /// Opens (seconds > 0) or closes joining. Waiting devices join at once when it opens.
    public mutating func permitJoin(seconds: Double, at now: Double) -> [Event] {
        permitJoinUntil = seconds > 0 ? now + seconds : -1
        guard seconds > 0 else { return [] }
        var out: [Event] = []
        for d in devices where !members.contains(d.ieee) {
            members.insert(d.ieee)
            out.append(.joined(ieee: d.ieee, networkAddress: d.networkAddress, capabilities: d.macCapabilities.rawValue))
            out.append(.message(announce(d)))
        }
        return out
    }

    /// A device leaves on its own (a user pressed its reset button).
    public mutating func leave(deviceNamed name: String) -> [Event] {
        guard let d = device(named: name), members.remove(d.ieee) != nil else { return [] }
        return [.left(ieee: d.ieee, networkAddress: d.networkAddress)]
    }

    /// What happens on the network until time `now`: scheduled sensor changes and reports,
    /// permit-join expiry.
    public mutating func advance(to now: Double) -> [Event] {
        if permitJoinUntil > 0 && now >= permitJoinUntil { permitJoinUntil = -1 }
        var out: [Event] = []
        for i in devices.indices where members.contains(devices[i].ieee) {
            for (cluster, frame) in devices[i].advance(to: now) {
                out.append(.message(zclMessage(from: devices[i], cluster: cluster, frame: frame, toEndpoint: 1)))
            }
        }
        return out
    }

    /// An APS frame from the coordinator. Returns the answers and what follows from it.
    public mutating func send(_ m: ZigbeeAPSMessage, at now: Double) -> [Event] {
        if m.isZDO {
            if [Self.broadcastAll, Self.broadcastRxOnWhenIdle, Self.broadcastRouters].contains(m.destination) {
                if let f = try? ZDOFrame(clusterId: m.clusterId, bytes: m.payload),
                   case .request(.mgmtPermitJoining(let seconds, _)) = f.message {
                    return permitJoin(seconds: Double(seconds == 0xFF ? 254 : seconds), at: now)
                }
                return []
            }
            return zdo(m, at: now)
        }
        guard let i = devices.firstIndex(where: { $0.networkAddress == m.destination && members.contains($0.ieee) }),
              let frame = try? ZCLFrame(decoding: m.payload) else { return [] }
        let replies = devices[i].receiveZCL(endpoint: m.destinationEndpoint, cluster: m.clusterId, frame: frame, at: now)
        return replies.map { .message(zclMessage(from: devices[i], cluster: $0.cluster, frame: $0.frame, toEndpoint: m.sourceEndpoint, fromEndpoint: m.destinationEndpoint)) }
    }

    func zclMessage(from d: VirtualZigbeeDevice, cluster: UInt16, frame: ZCLFrame, toEndpoint: UInt8, fromEndpoint: UInt8 = 1) -> ZigbeeAPSMessage {
        ZigbeeAPSMessage(source: d.networkAddress, sourceEndpoint: fromEndpoint, destination: 0x0000, destinationEndpoint: toEndpoint,
                         profileId: ZigbeeAPSMessage.homeAutomationProfile, clusterId: cluster, payload: frame.encoded(), linkQuality: 200)
    }

    mutating func announce(_ d: VirtualZigbeeDevice) -> ZigbeeAPSMessage {
        zdoSequence &+= 1
        let f = ZDOFrame(transactionSequence: zdoSequence, message: .request(.deviceAnnounce(
            ZDODeviceAnnounce(networkAddress: d.networkAddress, ieeeAddress: d.ieee, capabilities: d.macCapabilities))))
        return ZigbeeAPSMessage(source: d.networkAddress, sourceEndpoint: 0, destination: Self.broadcastRxOnWhenIdle, destinationEndpoint: 0,
                                profileId: ZigbeeAPSMessage.zdoProfile, clusterId: ZDOClusterID.deviceAnnounce, payload: (try? f.encoded()) ?? [])
    }

    mutating func zdo(_ m: ZigbeeAPSMessage, at now: Double) -> [Event] {
        guard let d = device(networkAddress: m.destination),
              let f = try? ZDOFrame(clusterId: m.clusterId, bytes: m.payload), case .request(let req) = f.message else { return [] }
        var after: [Event] = []
        let response: ZDOResponse
        switch req {
        case .nodeDescriptor:
            response = .nodeDescriptor(status: .success, networkAddress: d.networkAddress, descriptor: d.nodeDescriptor)
        case .activeEndpoints:
            response = .activeEndpoints(status: .success, networkAddress: d.networkAddress, endpoints: d.endpoints.map(\.id))
        case .simpleDescriptor(_, let ep):
            if let e = d.endpoints.first(where: { $0.id == ep }) {
                response = .simpleDescriptor(status: .success, networkAddress: d.networkAddress, descriptor: ZigbeeSimpleDescriptor(
                    endpoint: e.id, profileId: ZigbeeAPSMessage.homeAutomationProfile, deviceId: e.deviceId, deviceVersion: 1,
                    inputClusters: e.inputClusters, outputClusters: e.outputClusters))
            } else {
                response = .simpleDescriptor(status: .invalidEndpoint, networkAddress: d.networkAddress, descriptor: nil)
            }
        case .bind: response = .bind(.success)
        case .unbind: response = .unbind(.success)
        case .mgmtLqi: response = .mgmtLqi(ZDOMgmtLqiResponse(status: .success))
        case .mgmtLeave:
            response = .mgmtLeave(.success)
            members.remove(d.ieee)
            after.append(.left(ieee: d.ieee, networkAddress: d.networkAddress))
        case .ieeeAddress:
            response = .ieeeAddress(ZDOAddressResponse(status: .success, ieeeAddress: d.ieee, networkAddress: d.networkAddress))
        case .networkAddress:
            response = .networkAddress(ZDOAddressResponse(status: .success, ieeeAddress: d.ieee, networkAddress: d.networkAddress))
        case .mgmtPermitJoining(let seconds, _):
            after += permitJoin(seconds: Double(seconds), at: now)
            response = .mgmtPermitJoining(.success)
        case .deviceAnnounce:
            return []
        }
        let frame = ZDOFrame(transactionSequence: f.transactionSequence, message: .response(response))
        let reply = ZigbeeAPSMessage(source: d.networkAddress, sourceEndpoint: 0, destination: 0x0000, destinationEndpoint: 0,
                                     profileId: ZigbeeAPSMessage.zdoProfile, clusterId: response.clusterId, payload: (try? frame.encoded()) ?? [])
        return [.message(reply)] + after
    }
}
