import ZigbeeCore

/// A request the host can send to a Z-Stack ZNP device.
public enum ZNPRequest: Sendable, Hashable {
    // SYS
    case ping
    case version
    /// SYS_RESET_REQ (no SRSP; the device later sends SYS_RESET_IND).
    case reset(ZNPResetType)
    case nvRead(NVItemID, offset: UInt8 = 0)
    case nvWrite(NVItemID, offset: UInt8 = 0, value: [UInt8])
    /// Creates the item if missing (reply `.nvItemUninitialized`), else leaves it (reply `.success`).
    case nvItemInit(NVItemID, length: UInt16, initialValue: [UInt8])
    case setTxPower(dBm: Int8)
    // UTIL
    case getDeviceInfo
    // AF
    case afRegister(AFEndpoint)
    case afDataRequest(AFDataRequest)
    // ZDO (each SRSP only acknowledges; the answer is a ZDO_*_RSP callback)
    case startupFromApp(delayMilliseconds: UInt16)
    case permitJoin(ZDOPermitJoinTarget, seconds: UInt8)
    case nodeDescriptor(of: UInt16)
    case activeEndpoints(of: UInt16)
    case simpleDescriptor(of: UInt16, endpoint: UInt8)
    case bind(target: UInt16, source: IEEEAddress, sourceEndpoint: UInt8, clusterID: UInt16, destination: ZDOBindDestination)
    case mgmtLeave(target: UInt16, device: IEEEAddress, rejoin: Bool = false, removeChildren: Bool = false)
    // APP_CNF
    case bdbStartCommissioning(BDBCommissioningMode)
    case bdbSetChannel(primary: Bool, channels: UInt32)
    case setNetworkFrameCounter(UInt32)

    var command: any MTCommand {
        switch self {
        case .ping: SYS.Ping()
        case .version: SYS.Version()
        case .reset(let type): SYS.ResetRequest(resetType: type)
        case .nvRead(let item, let offset): SYS.OsalNVRead(item: item, offset: offset)
        case .nvWrite(let item, let offset, let value): SYS.OsalNVWrite(item: item, offset: offset, value: value)
        case .nvItemInit(let item, let length, let value): SYS.OsalNVItemInit(item: item, length: length, initialValue: value)
        case .setTxPower(let dBm): SYS.SetTxPower(dBm: dBm)
        case .getDeviceInfo: UTIL.GetDeviceInfo()
        case .afRegister(let endpoint): AF.Register(endpoint: endpoint)
        case .afDataRequest(let request): AF.DataRequest(request: request)
        case .startupFromApp(let delay): ZDO.StartupFromApp(delayMilliseconds: delay)
        case .permitJoin(let target, let seconds): ZDO.MgmtPermitJoinRequest(target: target, seconds: seconds)
        case .nodeDescriptor(let address): ZDO.NodeDescriptorRequest(destination: address, addressOfInterest: address)
        case .activeEndpoints(let address): ZDO.ActiveEndpointsRequest(destination: address, addressOfInterest: address)
        case .simpleDescriptor(let address, let endpoint):
            ZDO.SimpleDescriptorRequest(destination: address, addressOfInterest: address, endpoint: endpoint)
        case .bind(let target, let source, let sourceEndpoint, let cluster, let destination):
            ZDO.BindRequest(target: target, source: source, sourceEndpoint: sourceEndpoint, clusterID: cluster, destination: destination)
        case .mgmtLeave(let target, let device, let rejoin, let removeChildren):
            ZDO.MgmtLeaveRequest(target: target, device: device, rejoin: rejoin, removeChildren: removeChildren)
        case .bdbStartCommissioning(let mode): AppConfig.BDBStartCommissioning(mode: mode)
        case .bdbSetChannel(let primary, let channels): AppConfig.BDBSetChannel(isPrimary: primary, channels: channels)
        case .setNetworkFrameCounter(let value): AppConfig.SetNetworkFrameCounter(value: value)
        }
    }

    /// The request as a frame (type, subsystem, id and encoded parameters).
    public var frame: MTFrame { command.frame }

    /// True for SREQ requests, which the device answers with exactly one SRSP.
    public var expectsSynchronousResponse: Bool { frame.type == .sreq }

    /// Reads the data field of this request's SRSP.
    public func decodeResponse(_ payload: [UInt8]) throws(MTDecodingError) -> ZNPResponse {
        try decode(command, payload)
    }

    private func decode<Command: MTCommand>(_ command: Command, _ payload: [UInt8]) throws(MTDecodingError) -> ZNPResponse {
        try Command.decodeResponse(payload)
    }
}
