import ZigbeeCore

/// Which callback completes a request whose real answer comes as an AREQ after its SRSP
/// (AF_DATA_REQUEST → AF_DATA_CONFIRM, ZDO requests → ZDO_*_RSP, SYS_RESET_REQ → SYS_RESET_IND,
/// BDB commissioning → its final notification).
public enum ZNPCallbackMatcher: Sendable, Hashable {
    /// AF_DATA_CONFIRM carrying this transaction id.
    case afDataConfirm(transactionID: UInt8)
    /// A ZDO answer on this response cluster (0x8002 node descriptor, …), from `source` when given.
    case zdoResponse(clusterID: UInt16, source: UInt16?)
    case resetIndication
    /// APP_CNF_BDB_COMMISSIONING_NOTIFICATION with a status other than "in progress".
    case bdbCommissioningFinished
    /// ZDO_STATE_CHANGE_IND to this state.
    case stateChanged(ZNPDeviceState)

    public func matches(_ callback: ZNPCallback) -> Bool {
        switch (self, callback) {
        case let (.afDataConfirm(expected), .afDataConfirm(_, _, transactionID)):
            return expected == transactionID
        case let (.zdoResponse(clusterID, source), .zdoResponse(from, response)):
            return response.clusterId == clusterID && (source == nil || source == from)
        case (.resetIndication, .resetIndication):
            return true
        case let (.bdbCommissioningFinished, .bdbCommissioningNotification(status, _, _)):
            return status != .inProgress
        case let (.stateChanged(expected), .stateChanged(state)):
            return expected == state
        default:
            return false
        }
    }
}

extension ZNPRequest {
    /// The callback that carries the outcome of this request, for requests that have one.
    public var expectedCallback: ZNPCallbackMatcher? {
        switch self {
        case .reset: .resetIndication
        case .afDataRequest(let request): .afDataConfirm(transactionID: request.transactionID)
        case .nodeDescriptor(let address): .zdoResponse(clusterID: 0x8002, source: address)
        case .simpleDescriptor(let address, _): .zdoResponse(clusterID: 0x8004, source: address)
        case .activeEndpoints(let address): .zdoResponse(clusterID: 0x8005, source: address)
        case .bind(let target, _, _, _, _): .zdoResponse(clusterID: 0x8021, source: target)
        case .mgmtLeave(let target, _, _, _): .zdoResponse(clusterID: 0x8034, source: target)
        case .permitJoin(.device(let address), _): .zdoResponse(clusterID: 0x8036, source: address)
        case .permitJoin(.allRouters, _): .zdoResponse(clusterID: 0x8036, source: nil)
        case .bdbStartCommissioning: .bdbCommissioningFinished
        case .ping, .version, .nvRead, .nvWrite, .nvItemInit, .setTxPower, .getDeviceInfo, .afRegister,
             .startupFromApp, .bdbSetChannel, .setNetworkFrameCounter:
            nil
        }
    }
}
