/// Why the start-up gave up. Match on the case, never on text.
public enum ZNPStartupError: Error, Sendable, Hashable {
    /// SYS_PING went unanswered `pingAttempts` times.
    case noResponse
    case requestFailed(ZNPStartup.Step, ZNPLink.Failure)
    case unexpectedStatus(ZNPStartup.Step, MTStatus)
    /// A reply of the wrong kind for the step.
    case unexpectedResponse(ZNPStartup.Step)
    /// Not configured and `formIfUnconfigured` is off.
    case notConfigured
    case formationFailed(BDBCommissioningStatus)
    case startupFailed(ZNPStartupState)
    /// After the coordinator wait timed out, the device reported this state.
    case notCoordinator(ZNPDeviceState)
    /// The device kept resetting.
    case deviceReset(ZNPResetIndication)
}
