import ZigbeeCore

/// Why NCP start-up stopped. Match on the case, never on text.
public enum EZSPStartupError: Error, Sendable, Hashable {
    /// The NCP runs a protocol version below 8; only extended-frame versions are driven.
    case unsupportedProtocolVersion(UInt8)
    /// Asked again with the NCP's own version, the NCP answered yet another one.
    case versionNotAccepted(requested: UInt8, answered: UInt8)
    /// A required configuration value was refused.
    case configurationRejected(EzspConfigId, NCPStatus)
    case policyRejected(EzspPolicyId, NCPStatus)
    case endpointRejected(NCPStatus)
    /// networkInit answered something other than SUCCESS or NOT_JOINED.
    case networkInitFailed(NCPStatus)
    /// No network stored and no parameters given to form one.
    case notJoinedAndFormingDisabled
    case securityStateRejected(NCPStatus)
    case formNetworkFailed(NCPStatus)
    /// stackStatusHandler(NETWORK_UP) did not arrive in time; the last stack status seen, if any.
    case networkDidNotComeUp(lastStackStatus: NCPStatus?)
    case networkParametersFailed(NCPStatus)
    /// A command failed at the transaction layer (timeout, invalidCommand, ...).
    case transactionFailed(frameID: UInt16, EZSPTransactions.Failure)
    /// A response's parameters did not decode.
    case malformedResponse(frameID: UInt16, ZigbeeCodecError)
    /// The NCP reset (or the link dropped) during start-up.
    case ncpReset
}
