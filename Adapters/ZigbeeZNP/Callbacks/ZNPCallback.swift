import ZigbeeCore

/// An AREQ the device sends on its own: indications, confirmations and ZDO answers.
///
/// Callbacks the adapter does not interpret stay available as `.unknown`; a known callback whose data
/// field does not fit its layout becomes `.malformed` (never a crash).
public enum ZNPCallback: Sendable, Hashable {
    /// SYS_RESET_IND: the device has (re)booted.
    case resetIndication(ZNPResetIndication)
    /// AF_DATA_CONFIRM: the fate of the AF_DATA_REQUEST with this transaction id.
    case afDataConfirm(status: MTStatus, endpoint: UInt8, transactionID: UInt8)
    /// AF_INCOMING_MSG: application data for one of our endpoints.
    case afIncomingMessage(AFIncomingMessage)
    /// ZDO_STATE_CHANGE_IND.
    case stateChanged(ZNPDeviceState)
    /// ZDO_END_DEVICE_ANNCE_IND: a device joined or rejoined.
    case endDeviceAnnounce(ZNPEndDeviceAnnounce)
    /// ZDO_LEAVE_IND.
    case leaveIndication(ZNPLeaveIndication)
    /// ZDO_NODE_DESC_RSP, ZDO_SIMPLE_DESC_RSP, ZDO_ACTIVE_EP_RSP, ZDO_BIND_RSP, ZDO_UNBIND_RSP,
    /// ZDO_MGMT_LEAVE_RSP, ZDO_MGMT_PERMIT_JOIN_RSP: the remote answer and the address it came from.
    case zdoResponse(source: UInt16, ZDOResponse)
    /// APP_CNF_BDB_COMMISSIONING_NOTIFICATION.
    case bdbCommissioningNotification(status: BDBCommissioningStatus, mode: BDBCommissioningMode, remainingModes: BDBCommissioningMode)
    /// An AREQ this adapter does not interpret.
    case unknown(subsystem: MTSubsystem, id: UInt8, payload: [UInt8])
    /// A known AREQ whose data field does not fit its layout.
    case malformed(subsystem: MTSubsystem, id: UInt8, payload: [UInt8], error: MTDecodingError)
}
