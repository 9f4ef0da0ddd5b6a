/// Complete MT frames used across the tests.
///
/// Sources: request frames are the ones TI documents or shows (SWRA198 "Z-Stack Monitor and Test
/// API" §2.1 and the SYS/UTIL command tables; the same three requests appear in a UART capture in TI
/// E2E thread 90454 "z-tool protocol not as documented"). Response and callback frames are built
/// from the parameter layouts in SWRA198 (SYS_PING, SYS_VERSION, SYS_RESET_IND, AF_INCOMING_MSG,
/// ZDO_END_DEVICE_ANNCE_IND, ZDO_STATE_CHANGE_IND, AF_DATA_CONFIRM) cross-checked against
/// zigpy-znp `zigpy_znp/commands/{sys,af,zdo,util}.py`; their FCS bytes were computed by hand.
enum MTFixtures {
    /// SYS_PING SREQ (SWRA198 §3.8.1.2; E2E 90454 capture).
    static let pingRequest: [UInt8] = [0xFE, 0x00, 0x21, 0x01, 0x20]
    /// SYS_VERSION SREQ (E2E 90454 capture).
    static let versionRequest: [UInt8] = [0xFE, 0x00, 0x21, 0x02, 0x23]
    /// UTIL_GET_DEVICE_INFO SREQ (E2E 90454 capture).
    static let deviceInfoRequest: [UInt8] = [0xFE, 0x00, 0x27, 0x00, 0x27]
    /// SYS_PING SRSP, Capabilities 0x0659 = SYS, AF, ZDO, UTIL, ZGP and APP_CNF (bit layout: zigpy-znp `MTCapabilities`).
    static let pingResponse: [UInt8] = [0xFE, 0x02, 0x61, 0x01, 0x59, 0x06, 0x3D]
    /// SYS_VERSION SRSP: transport 2, product 1, version 2.7.1 (short form of SWRA198 §3.8.1.3).
    static let versionResponse: [UInt8] = [0xFE, 0x05, 0x61, 0x02, 0x02, 0x01, 0x02, 0x07, 0x01, 0x61]
    /// SYS_VERSION SRSP with the Z-Stack 3 extension: code revision 20200417, bootloader type 0, revision 0.
    static let versionResponseExtended: [UInt8] = [0xFE, 0x0E, 0x61, 0x02, 0x02, 0x01, 0x02, 0x07, 0x01,
                                                   0xE1, 0x3B, 0x34, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x85]
    /// SYS_RESET_IND AREQ: reason power-up, transport 2, product 1, version 2.7.1 (SWRA198 §3.8.2.1).
    static let resetIndication: [UInt8] = [0xFE, 0x06, 0x41, 0x80, 0x00, 0x02, 0x01, 0x02, 0x07, 0x01, 0xC0]
    /// AF_INCOMING_MSG AREQ (SWRA198 §3.2.2.3, plus the two trailing bytes Z-Stack 3 appends: MAC source
    /// address and radius, see zigpy-znp af.py). On/Off cluster from 0x1234 ep 1, LQI 0x50, TSN 0x2A,
    /// ZCL payload 18 2A 0B.
    static let afIncomingMessage: [UInt8] = [0xFE, 0x17, 0x44, 0x81, 0x00, 0x00, 0x06, 0x00, 0x34, 0x12, 0x01, 0x01,
                                             0x00, 0x50, 0x00, 0x78, 0x56, 0x34, 0x12, 0x2A, 0x03, 0x18, 0x2A, 0x0B,
                                             0x34, 0x12, 0x1E, 0x82]
    /// ZDO_END_DEVICE_ANNCE_IND AREQ (SWRA198 §3.12.2.21): 0x1234, IEEE 00:12:4b:00:01:02:03:04, capabilities 0x8E.
    static let endDeviceAnnounce: [UInt8] = [0xFE, 0x0D, 0x45, 0xC1, 0x34, 0x12, 0x34, 0x12, 0x04, 0x03, 0x02, 0x01,
                                             0x00, 0x4B, 0x12, 0x00, 0x8E, 0x5A]
    /// ZDO_STATE_CHANGE_IND AREQ, state 0x09 "started as coordinator" (SWRA198 §3.12.2.20).
    static let stateChangeCoordinator: [UInt8] = [0xFE, 0x01, 0x45, 0xC0, 0x09, 0x8D]
    /// AF_DATA_REQUEST SRSP, SUCCESS.
    static let dataRequestResponse: [UInt8] = [0xFE, 0x01, 0x64, 0x01, 0x00, 0x64]
    /// AF_DATA_CONFIRM AREQ: SUCCESS, endpoint 1, transaction 0x2A (SWRA198 §3.2.2.1).
    static let dataConfirm: [UInt8] = [0xFE, 0x03, 0x44, 0x80, 0x00, 0x01, 0x2A, 0xEC]
    /// RPC error SRSP: invalid command id (0x02) for cmd0 0x21 cmd1 0x55 (layout: zigpy-znp rpc_error.py).
    static let rpcError: [UInt8] = [0xFE, 0x03, 0x60, 0x00, 0x02, 0x21, 0x55, 0x15]

    static let all: [[UInt8]] = [
        pingRequest, versionRequest, deviceInfoRequest, pingResponse, versionResponse, versionResponseExtended,
        resetIndication, afIncomingMessage, endDeviceAnnounce, stateChangeCoordinator, dataRequestResponse,
        dataConfirm, rpcError,
    ]
}
