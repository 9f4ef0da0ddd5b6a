import Testing
import ZigbeeCore
import ZigbeeZNP

/// Scripted start-ups. Reply layouts as in SWRA198 / zigpy-znp; NV ids and the 0x55 marker as in
/// zigpy-znp `types/nvids.py`; BDB notification statuses as in zigpy-znp `commands/app_config.py`.
@Suite struct ZNPStartupTests {
    static let ieee = IEEEAddress(0x0012_4B00_0102_0304)
    static let deviceInfoCoordinator: [UInt8] = [0x00, 0x04, 0x03, 0x02, 0x01, 0x00, 0x4B, 0x12, 0x00, 0x00, 0x00, 0x07, 0x09, 0x00]
    static let version = ZNPVersion(transportRevision: 2, productID: 1, major: 2, minor: 7, maintenance: 1)
    static let resetIndication: [UInt8] = [0x00, 0x02, 0x01, 0x02, 0x07, 0x01]

    /// One request written: checks it and returns it.
    @discardableResult
    private func expectWritten(_ rig: inout ZNPStartupRig, _ request: ZNPRequest,
                               sourceLocation: SourceLocation = #_sourceLocation) -> MTFrame? {
        let frames = rig.take()
        #expect(frames == [request.frame], sourceLocation: sourceLocation)
        return frames.first
    }

    /// Ping, version and the startup option read, answered.
    private func throughStartupOption(_ rig: inout ZNPStartupRig, option: UInt8 = 0x00, product: UInt8 = 1) {
        expectWritten(&rig, .ping)
        rig.srsp(.sys, 0x01, [0x59, 0x06])
        expectWritten(&rig, .version)
        rig.srsp(.sys, 0x02, [0x02, product, 0x02, 0x07, 0x01])
        expectWritten(&rig, .nvRead(.startupOption))
        rig.srsp(.sys, 0x08, [0x00, 0x01, option])
    }

    /// From ZDO_STARTUP_FROM_APP to `.ready`, the coordinator state arriving after the SRSP.
    private func throughStartupToReady(_ rig: inout ZNPStartupRig) {
        expectWritten(&rig, .startupFromApp(delayMilliseconds: 100))
        rig.srsp(.zdo, 0x40, [0x00])
        #expect(rig.startupTimer == 30_000)
        rig.areq(.zdo, 0xC0, [0x08])
        #expect(rig.take().isEmpty)
        rig.areq(.zdo, 0xC0, [0x09])
        #expect(rig.startupTimer == nil)
        expectWritten(&rig, .afRegister(.defaultCoordinator))
        rig.srsp(.af, 0x00, [0x00])
        expectWritten(&rig, .getDeviceInfo)
        rig.srsp(.util, 0x00, Self.deviceInfoCoordinator)
    }

    @Test func configuredDeviceStartsFromNV() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig)
        expectWritten(&rig, .nvRead(.hasConfiguredZStack3))
        rig.srsp(.sys, 0x08, [0x00, 0x01, 0x55])
        throughStartupToReady(&rig)

        guard case .ready(let info)? = rig.outcome.first else {
            Issue.record("not ready: \(rig.outcome)")
            return
        }
        #expect(info.version == Self.version)
        #expect(info.capabilities.contains(.appConfig))
        #expect(info.startupOption == 0)
        #expect(!info.formedNetwork)
        #expect(info.deviceInfo?.ieeeAddress == Self.ieee)
        #expect(info.deviceInfo?.state == .coordinator)
        #expect(rig.startup.state == .ready)
        #expect(rig.linkTimers.isEmpty)
        #expect(rig.passedUp == [.stateChanged(.startingAsCoordinator), .stateChanged(.coordinator)])
    }

    @Test func unconfiguredDeviceFormsANetwork() {
        var rig = ZNPStartupRig(.init(channels: 1 << 15))
        rig.start()
        throughStartupOption(&rig)
        expectWritten(&rig, .nvRead(.hasConfiguredZStack3))
        rig.srsp(.sys, 0x08, [0x0A, 0x00])  // NV_OPER_FAILED: no such item yet
        expectWritten(&rig, .nvWrite(.logicalType, value: [0x00]))
        rig.srsp(.sys, 0x09, [0x00])
        expectWritten(&rig, .reset(.soft))
        #expect(rig.linkTimers[.callback(rig.startup.currentRequest ?? 0)] == 10_000)
        rig.areq(.sys, 0x80, [0x01] + Self.resetIndication.dropFirst())
        expectWritten(&rig, .bdbSetChannel(primary: true, channels: 1 << 15))
        rig.srsp(.appConfig, 0x08, [0x00])
        expectWritten(&rig, .bdbSetChannel(primary: false, channels: 0))
        rig.srsp(.appConfig, 0x08, [0x00])
        expectWritten(&rig, .bdbStartCommissioning(.networkFormation))
        rig.srsp(.appConfig, 0x05, [0x00])
        #expect(rig.linkTimers.values.contains(60_000))
        rig.areq(.appConfig, 0x80, [0x01, 0x04, 0x04])  // in progress: not the end
        rig.areq(.zdo, 0xC0, [0x09])                    // becomes coordinator while forming
        #expect(rig.take().isEmpty)
        rig.areq(.appConfig, 0x80, [0x00, 0x04, 0x00])
        expectWritten(&rig, .nvItemInit(.hasConfiguredZStack3, length: 1, initialValue: [0x55]))
        rig.srsp(.sys, 0x07, [0x09])  // created
        expectWritten(&rig, .nvWrite(.hasConfiguredZStack3, value: [0x55]))
        rig.srsp(.sys, 0x09, [0x00])
        expectWritten(&rig, .startupFromApp(delayMilliseconds: 100))
        rig.srsp(.zdo, 0x40, [0x00])
        // Already coordinator: no wait.
        #expect(rig.startupTimer == nil)
        expectWritten(&rig, .afRegister(.defaultCoordinator))
        rig.srsp(.af, 0x00, [0xB8])  // already registered is fine
        expectWritten(&rig, .getDeviceInfo)
        rig.srsp(.util, 0x00, Self.deviceInfoCoordinator)
        guard case .ready(let info)? = rig.outcome.first else {
            Issue.record("not ready: \(rig.outcome)")
            return
        }
        #expect(info.formedNetwork)
    }

    @Test func startupOptionClearingStateForcesFormation() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig, option: 0x02)
        expectWritten(&rig, .nvRead(.hasConfiguredZStack3))
        rig.srsp(.sys, 0x08, [0x00, 0x01, 0x55])
        expectWritten(&rig, .nvWrite(.logicalType, value: [0x00]))
    }

    @Test func zStack12UsesItsOwnMarker() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig, product: 0)
        expectWritten(&rig, .nvRead(.hasConfiguredZStack12))
    }

    @Test func notConfiguredWithoutFormation() {
        var rig = ZNPStartupRig(.init(formIfUnconfigured: false))
        rig.start()
        throughStartupOption(&rig)
        _ = rig.take()
        rig.srsp(.sys, 0x08, [0x00, 0x01, 0x00])
        #expect(rig.outcome == [.failed(.notConfigured)])
        #expect(rig.startup.state == .failed)
    }

    @Test func pingIsRetriedThenGivesUp() {
        var rig = ZNPStartupRig(.init(pingAttempts: 3))
        rig.start()
        for attempt in 1...3 {
            expectWritten(&rig, .ping)
            #expect(rig.outcome.isEmpty, "attempt \(attempt)")
            rig.expire(.response(rig.startup.currentRequest ?? 0))
        }
        #expect(rig.take().isEmpty)
        #expect(rig.outcome == [.failed(.noResponse)])
    }

    @Test func pingAnsweredOnSecondAttempt() {
        var rig = ZNPStartupRig()
        rig.start()
        expectWritten(&rig, .ping)
        rig.expire(.response(rig.startup.currentRequest ?? 0))
        expectWritten(&rig, .ping)
        rig.srsp(.sys, 0x01, [0x59, 0x06])
        expectWritten(&rig, .version)
    }

    @Test func versionTimeoutFails() {
        var rig = ZNPStartupRig()
        rig.start()
        _ = rig.take()
        rig.srsp(.sys, 0x01, [0x59, 0x06])
        _ = rig.take()
        rig.expire(.response(rig.startup.currentRequest ?? 0))
        #expect(rig.outcome == [.failed(.requestFailed(.version, .responseTimeout))])
    }

    @Test func coordinatorWaitTimesOutThenDeviceInfoDecides() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig)
        _ = rig.take()
        rig.srsp(.sys, 0x08, [0x00, 0x01, 0x55])
        expectWritten(&rig, .startupFromApp(delayMilliseconds: 100))
        rig.srsp(.zdo, 0x40, [0x00])
        rig.expireStartupTimer()
        expectWritten(&rig, .getDeviceInfo)
        var notRunning = Self.deviceInfoCoordinator
        notRunning[12] = 0x01
        rig.srsp(.util, 0x00, notRunning)
        #expect(rig.outcome == [.failed(.notCoordinator(.initializedNotConnected))])

        // Same again, but the device is in fact running.
        var second = ZNPStartupRig()
        second.start()
        throughStartupOption(&second)
        _ = second.take()
        second.srsp(.sys, 0x08, [0x00, 0x01, 0x55])
        _ = second.take()
        second.srsp(.zdo, 0x40, [0x00])
        second.expireStartupTimer()
        expectWritten(&second, .getDeviceInfo)
        second.srsp(.util, 0x00, Self.deviceInfoCoordinator)
        expectWritten(&second, .afRegister(.defaultCoordinator))
    }

    @Test func formationFailureIsReported() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig)
        _ = rig.take()
        rig.srsp(.sys, 0x08, [0x0A, 0x00])
        rig.srsp(.sys, 0x09, [0x00])
        rig.areq(.sys, 0x80, Self.resetIndication)
        rig.srsp(.appConfig, 0x08, [0x00])
        rig.srsp(.appConfig, 0x08, [0x00])
        rig.srsp(.appConfig, 0x05, [0x00])
        rig.areq(.appConfig, 0x80, [0x08, 0x04, 0x00])
        #expect(rig.outcome == [.failed(.formationFailed(.formationFailure))])
    }

    @Test func formationTimeout() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig)
        _ = rig.take()
        rig.srsp(.sys, 0x08, [0x0A, 0x00])
        rig.srsp(.sys, 0x09, [0x00])
        rig.areq(.sys, 0x80, Self.resetIndication)
        rig.srsp(.appConfig, 0x08, [0x00])
        rig.srsp(.appConfig, 0x08, [0x00])
        rig.srsp(.appConfig, 0x05, [0x00])
        rig.expire(.callback(rig.startup.currentRequest ?? 0))
        #expect(rig.outcome == [.failed(.requestFailed(.formNetwork, .callbackTimeout(.status(.success))))])
    }

    @Test func rejectedCommissioningStart() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig)
        _ = rig.take()
        rig.srsp(.sys, 0x08, [0x0A, 0x00])
        rig.srsp(.sys, 0x09, [0x00])
        rig.areq(.sys, 0x80, Self.resetIndication)
        rig.srsp(.appConfig, 0x08, [0x00])
        rig.srsp(.appConfig, 0x08, [0x00])
        rig.srsp(.appConfig, 0x05, [0x01])
        #expect(rig.outcome == [.failed(.requestFailed(.formNetwork, .rejected(.status(.failure))))])
    }

    @Test func resetMidStartupRestartsOnceThenFails() {
        var rig = ZNPStartupRig(.init(maximumRestarts: 1))
        rig.start()
        throughStartupOption(&rig)
        expectWritten(&rig, .nvRead(.hasConfiguredZStack3))
        // The stick reboots while the marker read is outstanding: start over.
        rig.areq(.sys, 0x80, Self.resetIndication)
        expectWritten(&rig, .ping)
        #expect(rig.outcome.isEmpty)
        rig.srsp(.sys, 0x01, [0x59, 0x06])
        expectWritten(&rig, .version)
        rig.areq(.sys, 0x80, Self.resetIndication)
        #expect(rig.take().isEmpty)
        #expect(rig.outcome == [.failed(.deviceReset(ZNPResetIndication(reason: .powerUp, version: Self.version)))])
    }

    @Test func resetWhileWaitingForCoordinatorRestarts() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig)
        _ = rig.take()
        rig.srsp(.sys, 0x08, [0x00, 0x01, 0x55])
        _ = rig.take()
        rig.srsp(.zdo, 0x40, [0x00])
        #expect(rig.startupTimer != nil)
        rig.areq(.sys, 0x80, Self.resetIndication)
        #expect(rig.startupTimer == nil)
        expectWritten(&rig, .ping)
    }

    @Test func unexpectedStatuses() {
        var rig = ZNPStartupRig()
        rig.start()
        throughStartupOption(&rig)
        _ = rig.take()
        rig.srsp(.sys, 0x08, [0x00, 0x01, 0x55])
        _ = rig.take()
        rig.srsp(.zdo, 0x40, [0x02])
        #expect(rig.outcome == [.failed(.startupFailed(.notStarted))])

        var register = ZNPStartupRig()
        register.start()
        throughStartupOption(&register)
        _ = register.take()
        register.srsp(.sys, 0x08, [0x00, 0x01, 0x55])
        _ = register.take()
        register.areq(.zdo, 0xC0, [0x09])
        register.srsp(.zdo, 0x40, [0x00])
        expectWritten(&register, .afRegister(.defaultCoordinator))
        register.srsp(.af, 0x00, [0x01])
        #expect(register.outcome == [.failed(.unexpectedStatus(.registerEndpoint, .failure))])
    }

    @Test func eventsAfterTheEndAreIgnored() {
        var startup = ZNPStartup()
        #expect(startup.handle(.timerExpired) == [])
        #expect(startup.handle(.callback(.stateChanged(.coordinator))) == [])
        #expect(startup.handle(.completed(1, .failure(.responseTimeout))) == [])
        #expect(startup.state == .idle)
    }
}
