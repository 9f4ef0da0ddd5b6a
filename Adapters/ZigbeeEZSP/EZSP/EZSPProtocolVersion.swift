/// The EZSP protocol versions at which the wire layouts used here change.
///
/// Sources: UG100 "Protocol Format" (two-byte frame control and frame id from version 8);
/// bellows `bellows/ezsp/v6/commands.py` (networkInit takes a bitmask), `v10/commands.py`
/// (EmberChildData gains remainingTimeout), `v14/commands.py` (sl_status everywhere; new
/// incomingMessageHandler, messageSentHandler, sendUnicast/Broadcast/Multicast layouts);
/// zigbee-herdsman `src/adapter/ember/ezsp/ezsp.ts` (the same v14 switches at `version < 0x0E`).
public enum EZSPProtocolVersion {
    /// The lowest protocol version this module drives (extended frames only).
    public static let minimumSupported: UInt8 = 8
    /// Frames use the two-byte frame control and frame id from this version.
    public static let extendedFrames: UInt8 = 8
    /// EmberChildData carries a 4-byte remaining timeout from this version.
    public static let childDataRemainingTimeout: UInt8 = 10
    /// Status fields are 4-byte `sl_status_t`, message tags 2 bytes, and the messaging layouts
    /// change, from this version.
    public static let slStatus: UInt8 = 14
    /// The version the host asks for first. An NCP running another version answers with its own,
    /// and the host asks again with that one.
    public static let preferred: UInt8 = 14
}
