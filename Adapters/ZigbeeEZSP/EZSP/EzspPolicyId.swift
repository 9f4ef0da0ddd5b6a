/// `EzspPolicyId` (UG100 "Configuration Frames", setPolicy). Codes: bellows `bellows/types/named.py`.
public enum EzspPolicyId: EZSPCodedValue {
    case trustCenterPolicy
    case bindingModificationPolicy
    case unicastRepliesPolicy
    case pollHandlerPolicy
    case messageContentsInCallbackPolicy
    case tcKeyRequestPolicy
    case appKeyRequestPolicy
    case packetValidateLibraryPolicy
    case zllPolicy
    case tcRejoinsUsingWellKnownKeyPolicy
    case other(UInt8)

    public static let known: [(EzspPolicyId, UInt8)] = [
        (.trustCenterPolicy, 0x00), (.bindingModificationPolicy, 0x01), (.unicastRepliesPolicy, 0x02),
        (.pollHandlerPolicy, 0x03), (.messageContentsInCallbackPolicy, 0x04), (.tcKeyRequestPolicy, 0x05),
        (.appKeyRequestPolicy, 0x06), (.packetValidateLibraryPolicy, 0x07), (.zllPolicy, 0x08),
        (.tcRejoinsUsingWellKnownKeyPolicy, 0x09),
    ]
    public var otherCode: UInt8? { if case let .other(code) = self { code } else { nil } }
}

/// A setPolicy decision: one byte on the wire. For the trust-center policy it is a bitmask
/// (`EzspDecisionBitmask`); for the other policies an `EzspDecisionId`.
/// Codes: bellows `bellows/types/named.py` (EzspDecisionBitmask, EzspDecisionId).
public struct EzspDecision: Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    // MARK: Trust-center policy bits (EzspDecisionBitmask)

    public static let allowJoins = EzspDecision(rawValue: 0x01)
    public static let allowUnsecuredRejoins = EzspDecision(rawValue: 0x02)
    public static let sendKeyInClear = EzspDecision(rawValue: 0x04)
    public static let ignoreUnsecuredRejoins = EzspDecision(rawValue: 0x08)
    public static let joinsUseInstallCodeKey = EzspDecision(rawValue: 0x10)
    public static let deferJoins = EzspDecision(rawValue: 0x20)

    /// Combines trust-center policy bits.
    public static func trustCenter(_ bits: EzspDecision...) -> EzspDecision {
        EzspDecision(rawValue: bits.reduce(0) { $0 | $1.rawValue })
    }

    // MARK: EzspDecisionId values for the other policies

    public static let allowTCKeyRequestsAndSendCurrentKey = EzspDecision(rawValue: 0x51)
    public static let denyTCKeyRequests = EzspDecision(rawValue: 0x50)
    public static let denyAppKeyRequests = EzspDecision(rawValue: 0x60)
    public static let allowAppKeyRequests = EzspDecision(rawValue: 0x61)
    public static let messageTagOnlyInCallback = EzspDecision(rawValue: 0x40)
    public static let messageTagAndContentsInCallback = EzspDecision(rawValue: 0x41)
    public static let hostWillNotSupplyReply = EzspDecision(rawValue: 0x20)
    public static let allowBindingModification = EzspDecision(rawValue: 0x11)
    public static let disallowBindingModification = EzspDecision(rawValue: 0x10)
}
