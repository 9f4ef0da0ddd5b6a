import ZigbeeCore
import ZigbeeZNP

/// A TI CC2652 running Z-Stack 3.x ZNP coordinator firmware, as MT frames in and out, hosting a
/// `VirtualZigbeeNetwork`. Pure: the stick feeds it the host's frames and the time and writes what
/// it returns.
///
/// It answers every SREQ with one SRSP of the same subsystem and command id (or an RPC error SRSP
/// for a command it does not know), and sends AREQs the way the firmware does: SYS_RESET_IND after
/// a reset, ZDO_STATE_CHANGE_IND and APP_CNF_BDB_COMMISSIONING_NOTIFICATION while a network forms
/// or restores, AF_DATA_CONFIRM and AF_INCOMING_MSG around AF_DATA_REQUEST, ZDO_*_RSP after ZDO
/// requests, ZDO_TC_DEV_IND / ZDO_END_DEVICE_ANNCE_IND / ZDO_LEAVE_IND as devices come and go.
/// NV items and the formed network live in `flash` and survive resets.
public struct VirtualZNPCoordinator: Sendable {
    public struct Configuration: Sendable {
        public var ieee: IEEEAddress
        /// PAN id and extended PAN id of the network it forms.
        public var panID: UInt16
        public var extendedPanID: UInt64
        /// SYS_VERSION: a Koenkk-style Z-Stack 3.x.0 build for the CC2652.
        public var version: ZNPVersion
        /// SYS_PING: SYS, AF, ZDO, UTIL, ZGP and APP_CNF.
        public var capabilities: MTCapabilities
        /// Seconds from opening permit-join to the waiting devices' join indications.
        public var joinDelay: Double
        /// After the network comes up, the devices already in it announce themselves this much
        /// later (as they do when their coordinator reappears); nil: they stay quiet.
        public var announceMembersAfter: Double?

        public init(ieee: IEEEAddress = IEEEAddress(0x00124B00_2A5C_0001), panID: UInt16 = 0x1A62,
                    extendedPanID: UInt64 = 0xDDDD_DDDD_DDDD_DDDD,
                    version: ZNPVersion = ZNPVersion(transportRevision: 2, productID: 1, major: 2, minor: 7, maintenance: 1,
                                                     codeRevision: 20_240_710),
                    capabilities: MTCapabilities = [.sys, .af, .zdo, .util, .zgp, .appConfig],
                    joinDelay: Double = 0.5, announceMembersAfter: Double? = 1) {
            self.ieee = ieee
            self.panID = panID
            self.extendedPanID = extendedPanID
            self.version = version
            self.capabilities = capabilities
            self.joinDelay = joinDelay
            self.announceMembersAfter = announceMembersAfter
        }
    }

    /// SYS_RESET_IND reasons.
    public enum ResetReason: UInt8, Sendable {
        case powerUp = 0x00
        case external = 0x01
        case watchdog = 0x02
    }

    public let configuration: Configuration
    /// NV and the formed network; survives resets.
    public internal(set) var flash: VirtualZNPFlash
    /// The simulated devices around the coordinator.
    public internal(set) var network: VirtualZigbeeNetwork
    /// ZDO device state (0x09 once the coordinator runs).
    public internal(set) var state: ZNPDeviceState = .initializedNotStarted
    /// Endpoints registered with AF_REGISTER since the last reset.
    public internal(set) var endpoints: [UInt8: AFEndpoint] = [:]
    /// The last SREQs and AREQs received (at most 256), as "SUBSYSTEM/0xID", for tests and logs.
    public internal(set) var receivedCommands: [String] = []

    var primaryChannels: UInt32 = 0x07FF_F800
    var secondaryChannels: UInt32 = 0
    var now: Double = 0
    /// Network events and frames scheduled for later (joins after permit-join, announcements).
    var deferred: [(due: Double, events: [VirtualZigbeeNetwork.Event])] = []
    var zdpSequence: UInt8 = 0
    var incomingSequence: UInt8 = 0

    public init(network: VirtualZigbeeNetwork, flash: VirtualZNPFlash = .factory, configuration: Configuration = Configuration()) {
        self.network = network
        self.flash = flash
        self.configuration = configuration
    }

    /// True while the coordinator runs a network (state 0x09).
    public var isUp: Bool { state == .coordinator }

    // MARK: Input

    /// A frame from the host at scenario time `at` (seconds). Returns the frames to send back, in order.
    public mutating func handle(frame: MTFrame, at time: Double) -> [MTFrame] {
        now = max(now, time)
        if frame.type == .sreq || frame.type == .areq {
            if receivedCommands.count >= 256 { receivedCommands.removeFirst(receivedCommands.count - 255) }
            receivedCommands.append("\(frame.subsystem)/0x\(String(frame.commandID, radix: 16))")
        }
        switch frame.type {
        case .sreq:
            return request(frame)
        case .areq:
            // SYS_RESET_REQ is the only AREQ a host sends; others are ignored, as the firmware does.
            if frame.subsystem == .sys, frame.commandID == 0x00 { return reset(reason: .external) }
            return []
        case .srsp, .poll, .reserved:
            return []
        }
    }

    /// Time passes: deferred joins and announcements, sensor reports, permit-join expiry.
    public mutating func advance(to time: Double) -> [MTFrame] {
        now = max(now, time)
        var out: [MTFrame] = []
        while let index = deferred.firstIndex(where: { $0.due <= now }) {
            out += frames(for: deferred.remove(at: index).events)
        }
        out += frames(for: network.advance(to: now))
        return out
    }

    /// The chip reboots (SYS_RESET_REQ, or a fault injected by the stick): RAM state is lost, the
    /// startup option is applied, flash survives. Returns SYS_RESET_IND.
    public mutating func reset(reason: ResetReason) -> [MTFrame] {
        flash.applyStartupOption()
        state = .initializedNotStarted
        endpoints = [:]
        deferred = []
        _ = network.permitJoin(seconds: 0, at: now)
        return [ZNPDeviceFrames.resetIndication(reason: reason.rawValue, version: configuration.version)]
    }

    /// A device leaves on its own; the host hears ZDO_LEAVE_IND while the network runs.
    public mutating func leave(deviceNamed name: String) -> [MTFrame] {
        frames(for: network.leave(deviceNamed: name))
    }

    // MARK: Dispatch

    private mutating func request(_ frame: MTFrame) -> [MTFrame] {
        switch frame.subsystem {
        case .sys: return sys(frame)
        case .util: return util(frame)
        case .af: return af(frame)
        case .zdo: return zdo(frame)
        case .appConfig: return appConfig(frame)
        case .zgp:
            // Built in (SYS_PING says so) but none of its commands is modelled.
            return [ZNPDeviceFrames.rpcError(.invalidCommandID, for: frame)]
        default:
            // MAC, NWK, SAPI, DEBUG and APP are compiled out of coordinator ZNP builds.
            return [ZNPDeviceFrames.rpcError(.invalidSubsystem, for: frame)]
        }
    }

    // MARK: SYS

    private mutating func sys(_ frame: MTFrame) -> [MTFrame] {
        var r = ZNPDeviceFrames.Reader(frame.payload)
        switch frame.commandID {
        case 0x01:  // SYS_PING
            var w = ZNPDeviceFrames.Writer()
            w.u16(configuration.capabilities.rawValue)
            return [ZNPDeviceFrames.srsp(.sys, 0x01, w.bytes)]
        case 0x02:  // SYS_VERSION
            let v = configuration.version
            var w = ZNPDeviceFrames.Writer()
            w.raw([v.transportRevision, v.productID, v.major, v.minor, v.maintenance])
            w.u32(v.codeRevision ?? 0)
            w.u8(0)             // BootloaderBuildType: no bootloader build
            w.u32(0xFFFF_FFFF)  // BootloaderRevision: none
            return [ZNPDeviceFrames.srsp(.sys, 0x02, w.bytes)]
        case 0x07:  // SYS_OSAL_NV_ITEM_INIT
            guard let id = r.u16(), let length = r.u16(), let initial = r.short() else { return invalidLength(frame) }
            return [ZNPDeviceFrames.status(frame, flash.initialise(id, length: Int(length), initial: initial))]
        case 0x08:  // SYS_OSAL_NV_READ
            guard let id = r.u16(), let offset = r.u8() else { return invalidLength(frame) }
            let (status, value) = flash.read(id, offset: Int(offset))
            var w = ZNPDeviceFrames.Writer()
            w.u8(status.rawValue)
            w.short(value)
            return [ZNPDeviceFrames.srsp(.sys, 0x08, w.bytes)]
        case 0x09:  // SYS_OSAL_NV_WRITE
            guard let id = r.u16(), let offset = r.u8(), let value = r.short() else { return invalidLength(frame) }
            return [ZNPDeviceFrames.status(frame, flash.write(id, offset: Int(offset), value: value))]
        case 0x12:  // SYS_OSAL_NV_DELETE
            guard let id = r.u16(), let length = r.u16() else { return invalidLength(frame) }
            return [ZNPDeviceFrames.status(frame, flash.delete(id, length: Int(length)))]
        case 0x13:  // SYS_OSAL_NV_LENGTH
            guard let id = r.u16() else { return invalidLength(frame) }
            var w = ZNPDeviceFrames.Writer()
            w.u16(flash.length(id))
            return [ZNPDeviceFrames.srsp(.sys, 0x13, w.bytes)]
        case 0x14:  // SYS_SET_TX_POWER: answers the power applied (the CC2652 tops out at +5 dBm)
            guard let requested = r.u8() else { return invalidLength(frame) }
            let applied = min(max(Int8(bitPattern: requested), -20), 5)
            return [ZNPDeviceFrames.srsp(.sys, 0x14, [UInt8(bitPattern: applied)])]
        default:
            return [ZNPDeviceFrames.rpcError(.invalidCommandID, for: frame)]
        }
    }

    // MARK: UTIL

    private func util(_ frame: MTFrame) -> [MTFrame] {
        if frame.commandID == 0x49 {
            // UTIL_ASSOC_FIND_DEVICE: the associated_devices_t entry as it sits in memory. Z-Stack
            // 3.x on the CC26x2 pads it to 36 bytes (hosts use its size to learn the struct
            // alignment); an unused entry has the invalid short address 0xFFFE.
            var w = ZNPDeviceFrames.Writer()
            w.u16(0xFFFE)
            return [ZNPDeviceFrames.srsp(.util, 0x49, w.bytes + [UInt8](repeating: 0, count: 34))]
        }
        guard frame.commandID == 0x00 else { return [ZNPDeviceFrames.rpcError(.invalidCommandID, for: frame)] }
        // UTIL_GET_DEVICE_INFO
        var w = ZNPDeviceFrames.Writer()
        w.u8(MTStatus.success.rawValue)
        w.ieee(configuration.ieee)
        w.u16(0x0000)
        w.u8(0x07)  // the build supports coordinator, router and end device roles
        w.u8(state.rawValue)
        let children = isUp ? network.devices.filter { network.members.contains($0.ieee) }.map(\.networkAddress).prefix(100) : []
        w.u8(UInt8(children.count))
        for address in children { w.u16(address) }
        return [ZNPDeviceFrames.srsp(.util, 0x00, w.bytes)]
    }

    // MARK: APP_CNF

    private mutating func appConfig(_ frame: MTFrame) -> [MTFrame] {
        var r = ZNPDeviceFrames.Reader(frame.payload)
        switch frame.commandID {
        case 0x05:  // APP_CNF_BDB_START_COMMISSIONING
            guard let raw = r.u8() else { return invalidLength(frame) }
            return [ZNPDeviceFrames.status(frame, .success)] + commission(BDBCommissioningMode(rawValue: raw))
        case 0x08:  // APP_CNF_BDB_SET_CHANNEL
            guard let primary = r.u8(), let mask = r.u32() else { return invalidLength(frame) }
            if primary != 0 { primaryChannels = mask } else { secondaryChannels = mask }
            return [ZNPDeviceFrames.status(frame, .success)]
        case 0xFF:  // APP_CNF_SET_NWK_FRAME_COUNTER
            guard r.u32() != nil else { return invalidLength(frame) }
            return [ZNPDeviceFrames.status(frame, .success)]
        default:
            return [ZNPDeviceFrames.rpcError(.invalidCommandID, for: frame)]
        }
    }

    /// The AREQs that follow a BDB commissioning request.
    private mutating func commission(_ mode: BDBCommissioningMode) -> [MTFrame] {
        if mode.contains(.networkFormation) {
            guard flash.items[NVItemID.logicalType.rawValue]?.first == 0x00 else {
                return [ZNPDeviceFrames.commissioningNotification(.formationFailure, mode: .networkFormation, remaining: [])]
            }
            var out = [ZNPDeviceFrames.commissioningNotification(.inProgress, mode: .networkFormation, remaining: .networkFormation)]
            if !isUp {
                if flash.network == nil { flash.network = formNetwork() }
                out += comeUp(formed: true)
            }
            out.append(ZNPDeviceFrames.commissioningNotification(.success, mode: .networkFormation, remaining: []))
            return out
        }
        if mode.contains(.networkSteering) {
            guard isUp else { return [ZNPDeviceFrames.commissioningNotification(.noNetwork, mode: .networkSteering, remaining: [])] }
            openJoining(seconds: 180)
            return [ZNPDeviceFrames.commissioningNotification(.inProgress, mode: .networkSteering, remaining: .networkSteering),
                    ZNPDeviceFrames.commissioningNotification(.success, mode: .networkSteering, remaining: [])]
        }
        return [ZNPDeviceFrames.commissioningNotification(.failure, mode: mode, remaining: [])]
    }

    // MARK: Network start

    /// Picks the lowest channel of the primary mask (then the secondary), as an energy scan on a
    /// quiet bench would.
    func formNetwork() -> VirtualZNPFlash.Network {
        let mask = primaryChannels & 0x07FF_F800 != 0 ? primaryChannels : secondaryChannels
        let channel: Int = (11...26).first(where: { mask & (1 << UInt32($0)) != 0 }) ?? 11
        var key: [UInt8] = []
        var seed = configuration.ieee.rawValue ^ configuration.extendedPanID
        for _ in 0..<16 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            key.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        return VirtualZNPFlash.Network(panID: configuration.panID, extendedPanID: configuration.extendedPanID,
                                       channel: UInt8(channel), networkKey: key)
    }

    /// The coordinator starts running its network: state changes, then the members' announcements later.
    mutating func comeUp(formed: Bool) -> [MTFrame] {
        var out: [MTFrame] = []
        if formed { out.append(ZNPDeviceFrames.stateChanged(.startingAsCoordinator)) }
        state = .coordinator
        out.append(ZNPDeviceFrames.stateChanged(.coordinator))
        if let delay = configuration.announceMembersAfter {
            deferred.append((now + delay, network.announceMembers()))
        }
        return out
    }

    func invalidLength(_ frame: MTFrame) -> [MTFrame] {
        [ZNPDeviceFrames.rpcError(.invalidLength, for: frame)]
    }
}
