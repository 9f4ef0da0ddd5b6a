import Testing
import ZigbeeCore
import ZigbeeEZSP

/// One scripted NCP answer: the command expected next, the parameters to answer with, and
/// callbacks (frame id, parameters) the NCP sends right after.
private struct Step {
    var frameID: UInt16
    var reply: [UInt8]?
    var callbacks: [(UInt16, [UInt8])] = []
    /// Callbacks sent before the reply (a stack status may overtake the response).
    var early: [(UInt16, [UInt8])] = []
}

/// Wires EZSPStartup to EZSPTransactions and answers host frames from a script.
private struct Harness {
    var startup: EZSPStartup
    var transactions = EZSPTransactions()
    var hostFrames: [[UInt8]] = []
    /// Start-up actions other than submit/setProtocolVersion.
    var outputs: [EZSPStartup.Action] = []
    var commandLog: [UInt16] = []
    var versionsAsked: [UInt8] = []
    var legacyVersionFrames = 0

    init(_ configuration: EZSPStartup.Configuration) {
        startup = EZSPStartup(configuration: configuration)
    }

    mutating func startup(_ event: EZSPStartup.Event) {
        for action in startup.handle(event) {
            switch action {
            case let .submit(request): transact(.submit(request))
            case let .setProtocolVersion(version): transact(.setProtocolVersion(version))
            default: outputs.append(action)
            }
        }
    }

    mutating func transact(_ event: EZSPTransactions.Event) {
        for action in transactions.handle(event) {
            switch action {
            case let .send(bytes): hostFrames.append(bytes)
            case let .completed(tag, frame) where startup.owns(tag: tag): startup(.completed(tag: tag, frame: frame))
            case let .failed(tag, failure) where startup.owns(tag: tag): startup(.failed(tag: tag, failure))
            case let .callback(callback): startup(.callback(callback))
            case .ncpReset: startup(.ncpReset)
            default: break
            }
        }
    }

    /// Plays the script: each host command is checked against the next step and answered.
    mutating func run(_ script: [Step], start: Bool = true) {
        if start { startup(.start) }
        var steps = script[...]
        while !hostFrames.isEmpty, let step = steps.popFirst() {
            let bytes = hostFrames.removeFirst()
            let extended = bytes[2] == 0x01
            let frameID = extended ? UInt16(bytes[3]) | UInt16(bytes[4]) << 8 : UInt16(bytes[2])
            let parameters = Array(bytes[(extended ? 5 : 3)...])
            commandLog.append(frameID)
            if frameID == 0 {
                versionsAsked.append(parameters[0])
                if !extended { legacyVersionFrames += 1 }
            }
            #expect(frameID == step.frameID, "expected command \(step.frameID), host sent \(frameID)")
            for (callbackID, callbackParameters) in step.early {
                transact(.received([bytes[0], 0x90, 0x01, UInt8(callbackID & 0xFF), UInt8(callbackID >> 8)] + callbackParameters))
            }
            guard let reply = step.reply else { continue }
            let header: [UInt8] = extended ? [bytes[0], 0x80, 0x01, UInt8(frameID & 0xFF), UInt8(frameID >> 8)]
                                           : [bytes[0], 0x80, UInt8(frameID)]
            transact(.received(header + reply))
            for (callbackID, callbackParameters) in step.callbacks {
                transact(.received([bytes[0], 0x90, 0x01, UInt8(callbackID & 0xFF), UInt8(callbackID >> 8)] + callbackParameters))
            }
        }
    }

    var ready: EZSPStartup.NetworkInfo? {
        for case let .ready(info) in outputs { return info }
        return nil
    }

    var failure: EZSPStartupError? {
        for case let .failed(error) in outputs { return error }
        return nil
    }
}

private let networkParameters: [UInt8] = [0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0xDD, 0x62, 0x1A, 0x08, 0x0F, 0x00,
                                          0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00]
private let eui: [UInt8] = [0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00]

private func configuration(formation: EZSPStartup.Formation? = nil,
                           values: [EZSPStartup.ConfigurationValue] = [.init(.stackProfile, 2),
                                                                       .init(.addressTableSize, 16, optional: true)],
                           desired: UInt8 = 14) -> EZSPStartup.Configuration {
    EZSPStartup.Configuration(desiredProtocolVersion: desired, configurationValues: values,
                              policies: [.init(.trustCenterPolicy, .trustCenter(.allowJoins, .allowUnsecuredRejoins))],
                              formation: formation, networkUpTimeoutMilliseconds: 2000)
}

private let formation = EZSPStartup.Formation(
    parameters: EmberNetworkParameters(extendedPanId: 0xDDDD_DDDD_DDDD_DDDD, panId: 0x1A62, radioTxPower: 8, radioChannel: 15),
    security: .coordinator(networkKey: EmberKeyData(Array(1...16))!))

@Suite struct EZSPStartupTests {
    /// A v13 NCP asked for 14 answers 13; the host asks again with 13 (extended form) and resumes the
    /// stored network.
    @Test func existingNetworkAfterRenegotiation() {
        var harness = Harness(configuration())
        harness.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0053, reply: [0x00]),
            Step(frameID: 0x0053, reply: [0x00]),
            Step(frameID: 0x0055, reply: [0x00]),
            Step(frameID: 0x0002, reply: [0x00]),
            Step(frameID: 0x0017, reply: [0x00], early: [(0x0019, [0x90])]),
            Step(frameID: 0x0027, reply: [0x00, 0x00]),
            Step(frameID: 0x0026, reply: eui),
            Step(frameID: 0x0028, reply: [0x00, 0x01] + networkParameters),
        ])
        #expect(harness.versionsAsked == [14, 13])
        #expect(harness.legacyVersionFrames == 1)
        #expect(harness.failure == nil)
        let info = harness.ready
        #expect(info?.protocolVersion == 13)
        #expect(info?.stackVersion == 0x7410)
        #expect(info?.eui64 == IEEEAddress(0x0011_2233_4455_6677))
        #expect(info?.nodeType == .coordinator)
        #expect(info?.parameters.panId == 0x1A62)
        #expect(info?.formed == false)
        #expect(harness.startup.phase == .ready)
        #expect(!harness.outputs.contains(.startNetworkUpTimer(milliseconds: 2000)))
    }

    /// v14 NCP, nothing stored: optional config refused with a warning, security + form, wait for
    /// NETWORK_UP (sl_status 0x15) delivered after the form response.
    @Test func formsNetworkWhenNotJoined() {
        var harness = Harness(configuration(formation: formation))
        harness.run([
            Step(frameID: 0x0000, reply: [14, 2, 0x00, 0x80]),
            Step(frameID: 0x0053, reply: [0, 0, 0, 0]),
            Step(frameID: 0x0053, reply: [0x21, 0, 0, 0]), // INVALID_PARAMETER on the optional one
            Step(frameID: 0x0055, reply: [0, 0, 0, 0]),
            Step(frameID: 0x0002, reply: [0, 0, 0, 0]),
            Step(frameID: 0x0017, reply: [0x17, 0, 0, 0]), // NOT_JOINED
            Step(frameID: 0x0068, reply: [0, 0, 0, 0]),
            Step(frameID: 0x001E, reply: [0, 0, 0, 0]),
        ])
        #expect(harness.versionsAsked == [14])
        #expect(harness.outputs.contains(.warning(.optionalConfigurationRejected(.addressTableSize, value: 16,
                                                                                 .sl(.invalidParameter)))))
        #expect(harness.outputs.last == .startNetworkUpTimer(milliseconds: 2000))
        #expect(harness.startup.phase == .waitingForNetworkUp)
        // Unrelated stack statuses while waiting change nothing.
        harness.transact(.received([0x07, 0x90, 0x01, 0x19, 0x00, 0x16, 0, 0, 0]))
        #expect(harness.startup.phase == .waitingForNetworkUp)
        harness.transact(.received([0x07, 0x90, 0x01, 0x19, 0x00, 0x15, 0, 0, 0]))
        #expect(harness.outputs.last == .cancelNetworkUpTimer)
        harness.run([
            Step(frameID: 0x0027, reply: [0x00, 0x00]),
            Step(frameID: 0x0026, reply: eui),
            Step(frameID: 0x0028, reply: [0, 0, 0, 0, 0x01] + networkParameters),
        ], start: false)
        #expect(harness.ready?.formed == true)
        #expect(harness.ready?.protocolVersion == 14)
        #expect(harness.commandLog == [0x0000, 0x0053, 0x0053, 0x0055, 0x0002, 0x0017, 0x0068, 0x001E, 0x0027, 0x0026, 0x0028])
    }

    @Test func formingFails() {
        var harness = Harness(configuration(formation: formation, values: []))
        harness.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0055, reply: [0x00]),
            Step(frameID: 0x0002, reply: [0x00]),
            Step(frameID: 0x0017, reply: [0x93]),
            Step(frameID: 0x0068, reply: [0x00]),
            Step(frameID: 0x001E, reply: [0x70]), // INVALID_CALL
        ])
        #expect(harness.failure == .formNetworkFailed(.ember(.invalidCall)))
        #expect(harness.startup.phase == .failed)
    }

    @Test func notJoinedWithoutFormation() {
        var harness = Harness(configuration(values: [], desired: 13))
        harness.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0055, reply: [0x00]),
            Step(frameID: 0x0002, reply: [0x00]),
            Step(frameID: 0x0017, reply: [0x93]),
        ])
        #expect(harness.failure == .notJoinedAndFormingDisabled)
    }

    @Test func rejectsOldProtocolVersion() {
        var harness = Harness(configuration())
        harness.run([Step(frameID: 0x0000, reply: [7, 2, 0x30, 0x66])])
        #expect(harness.failure == .unsupportedProtocolVersion(7))
        #expect(harness.hostFrames.isEmpty)
    }

    @Test func versionNotAccepted() {
        var harness = Harness(configuration())
        harness.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0000, reply: [12, 2, 0x10, 0x74]),
        ])
        #expect(harness.failure == .versionNotAccepted(requested: 13, answered: 12))
    }

    @Test func requiredConfigurationRefused() {
        var harness = Harness(configuration(desired: 13))
        harness.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0053, reply: [0x36]),
        ])
        #expect(harness.failure == .configurationRejected(.stackProfile, .ezsp(.invalidValue)))
    }

    /// NETWORK_UP after the networkInit response: the wait timer is armed, then cancelled.
    @Test func networkUpAfterResponse() {
        var harness = Harness(configuration(values: [], desired: 13))
        harness.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0055, reply: [0x00]),
            Step(frameID: 0x0002, reply: [0x00]),
            Step(frameID: 0x0017, reply: [0x00], callbacks: [(0x0019, [0x90])]),
            Step(frameID: 0x0027, reply: [0x00, 0x00]),
            Step(frameID: 0x0026, reply: eui),
            Step(frameID: 0x0028, reply: [0x00, 0x01] + networkParameters),
        ])
        #expect(harness.outputs.prefix(2) == [.startNetworkUpTimer(milliseconds: 2000), .cancelNetworkUpTimer])
        #expect(harness.ready != nil)
    }

    @Test func networkUpTimeout() {
        var harness = Harness(configuration(values: [], desired: 13))
        harness.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0055, reply: [0x00]),
            Step(frameID: 0x0002, reply: [0x00]),
            Step(frameID: 0x0017, reply: [0x00], callbacks: [(0x0019, [0x91])]),
        ])
        harness.startup(.networkUpTimeout)
        #expect(harness.failure == .networkDidNotComeUp(lastStackStatus: .ember(.networkDown)))
    }

    @Test func commandTimeoutAndReset() {
        var harness = Harness(configuration(values: [], desired: 13))
        harness.run([Step(frameID: 0x0000, reply: nil)])
        harness.transact(.responseTimeout)
        #expect(harness.failure == .transactionFailed(frameID: 0x0000, .timeout))

        var reset = Harness(configuration(values: [], desired: 13))
        reset.run([
            Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74]),
            Step(frameID: 0x0055, reply: nil),
        ])
        reset.transact(.linkReset)
        #expect(reset.failure == .transactionFailed(frameID: 0x0055, .ncpReset))
        // Start-up can run again after the reset.
        reset.outputs.removeAll()
        reset.hostFrames.removeAll()
        reset.run([Step(frameID: 0x0000, reply: [13, 2, 0x10, 0x74])])
        #expect(reset.legacyVersionFrames == 2)
        #expect(reset.startup.phase == .settingPolicies)
    }
}
