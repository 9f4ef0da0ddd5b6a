import Foundation
import Logging
import SerialPort
import ZigbeeCore

/// A Silicon Labs EmberZNet NCP (Sonoff ZBDongle-E, SkyConnect/ZBT-1 …) as a `ZigbeeStack`: the
/// serial port, the ASH link, EZSP transactions and NCP start-up, wired together. Joins, leaves
/// and received APS frames come out of `events`; `send` becomes sendUnicast/sendBroadcast.
///
/// Recovery: an unsolicited RSTACK, an ASH ERROR or a lost port ends the network
/// (`networkDown`), fails what was waiting, and runs start-up again (reopening the port every
/// `reopenInterval` if it is gone); the NCP restores its network from its own storage, so
/// devices and their addresses stay as they were.
public actor EZSPStack: ZigbeeStack {
    public struct Configuration: Sendable {
        public var port: PortAddress
        public var serial: SerialSettings
        public var link = ASHLink.Configuration()
        public var transactions = EZSPTransactions.Configuration()
        public var startup: EZSPStartup.Configuration
        public var reopenInterval: Duration = .seconds(2)

        public init(port: PortAddress, serial: SerialSettings = SerialSettings(baudRate: 115_200, flowControl: .none),
                    startup: EZSPStartup.Configuration = EZSPStartup.Configuration(formation: EZSPStack.randomFormation())) {
            self.port = port; self.serial = serial; self.startup = startup
        }
    }

    public nonisolated let events: AsyncStream<ZigbeeStackEvent>
    let continuation: AsyncStream<ZigbeeStackEvent>.Continuation
    let configuration: Configuration
    let logger: Logger
    var port: SerialPort?
    var decoder = ASHDecoder()
    var link: ASHLink
    var transactions: EZSPTransactions
    var startup: EZSPStartup
    var ready: EZSPStartup.NetworkInfo?
    var nextTag: UInt64 = 1
    var waiting: [UInt64: CheckedContinuation<Result<EZSPFrame, EZSPTransactions.Failure>, Never>] = [:]
    var ackTimerGeneration = 0, resetTimerGeneration = 0, responseTimerGeneration = 0, networkUpTimerGeneration = 0
    var messageTag: UInt16 = 0
    /// Callbacks that arrived during start-up, delivered once the network is reported up.
    var early: [EZSPCallback] = []
    /// Statistics for logs and tests.
    public private(set) var resets = 0

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        link = ASHLink(configuration: configuration.link)
        transactions = EZSPTransactions(configuration: configuration.transactions)
        startup = EZSPStartup(configuration: configuration.startup)
        (events, continuation) = AsyncStream.makeStream(of: ZigbeeStackEvent.self, bufferingPolicy: .unbounded)
    }

    /// A new network on a fixed channel with random PAN ids and a random network key.
    public static func randomFormation(channel: UInt8 = 15) -> EZSPStartup.Formation {
        var rng = SystemRandomNumberGenerator()
        let key = EmberKeyData((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })!
        let parameters = EmberNetworkParameters(extendedPanId: UInt64.random(in: 1...UInt64.max - 1, using: &rng),
                                                panId: UInt16.random(in: 1...0xFFFE, using: &rng), radioTxPower: 8,
                                                radioChannel: channel, joinMethod: .macAssociation, nwkManagerId: 0, nwkUpdateId: 0,
                                                channels: UInt32(1) << UInt32(channel))
        return EZSPStartup.Formation(parameters: parameters, security: .coordinator(networkKey: key))
    }

    // MARK: running

    public func run() async throws {
        defer { continuation.finish() }
        await SerialPort.keepOpen(configuration.port, settings: configuration.serial, reopenInterval: configuration.reopenInterval,
                                  label: "EZSP", logger: logger) { await self.serve($0) }
    }

    func serve(_ opened: SerialPort) async {
        port = opened
        decoder = ASHDecoder()
        link = ASHLink(configuration: configuration.link)
        transactions = EZSPTransactions(configuration: configuration.transactions)
        startup = EZSPStartup(configuration: configuration.startup)
        ready = nil
        early.removeAll()
        // A CANCEL byte discards whatever partial frame the NCP holds, then RST.
        try? opened.write([ASHFrame.cancelByte])
        perform(link.handle(.start))
        for await chunk in opened.bytes {
            for output in decoder.feed(chunk) {
                switch output {
                case .frame(let f): perform(link.handle(.received(f)))
                case .invalid(let why): logger.debug("EZSP: invalid ASH frame (\(why))")
                }
            }
        }
        logger.warning("EZSP \(configuration.port): port closed (\(opened.endReason ?? "end of stream"))")
        port = nil
        opened.close()
        lost("the port closed")
    }

    func lost(_ reason: String) {
        let wasUp = ready != nil
        ready = nil
        failAll(.linkFailed)
        if wasUp { continuation.yield(.networkDown(reason: reason)) }
    }

    // MARK: the three machines

    func perform(_ actions: [ASHLink.Action]) {
        for a in actions {
            switch a {
            case .write(let bytes):
                do { try port?.write(bytes) } catch { logger.warning("EZSP: write failed: \(error)") }
            case .deliver(let payload):
                transact(.received(payload))
            case .startAckTimer(let ms):
                ackTimerGeneration += 1
                let g = ackTimerGeneration
                Task { try? await Task.sleep(for: .milliseconds(ms)); self.ackTimer(g) }
            case .cancelAckTimer:
                ackTimerGeneration += 1
            case .startResetTimer(let ms):
                resetTimerGeneration += 1
                let g = resetTimerGeneration
                Task { try? await Task.sleep(for: .milliseconds(ms)); self.resetTimer(g) }
            case .cancelResetTimer:
                resetTimerGeneration += 1
            case .connected(let version, let code):
                logger.info("EZSP \(configuration.port): ASH v\(version) up (reset code 0x\(String(code, radix: 16)))")
                startStartup()
            case .reset(let code):
                resets += 1
                logger.warning("EZSP \(configuration.port): the NCP reset (code 0x\(String(code, radix: 16))); restarting")
                transact(.linkReset)
                lost("NCP reset")
                startStartup()
            case .failed(let why):
                logger.error("EZSP \(configuration.port): ASH link failed: \(why)")
                transact(.linkFailed)
                lost("ASH link failed")
                // Start over with RST.
                link = ASHLink(configuration: configuration.link)
                perform(link.handle(.start))
            }
        }
    }

    func ackTimer(_ g: Int) { if g == ackTimerGeneration { perform(link.handle(.ackTimeout)) } }
    func resetTimer(_ g: Int) { if g == resetTimerGeneration { perform(link.handle(.resetTimeout)) } }
    func responseTimer(_ g: Int) { if g == responseTimerGeneration { transact(.responseTimeout) } }
    func networkUpTimer(_ g: Int) { if g == networkUpTimerGeneration { startupEvent(.networkUpTimeout) } }

    func startStartup() {
        transactions = EZSPTransactions(configuration: configuration.transactions)
        startup = EZSPStartup(configuration: configuration.startup)
        startupEvent(.start)
    }

    func transact(_ event: EZSPTransactions.Event) {
        for a in transactions.handle(event) {
            switch a {
            case .send(let frame): perform(link.handle(.send(payload: frame)))
            case .startResponseTimer(let ms):
                responseTimerGeneration += 1
                let g = responseTimerGeneration
                Task { try? await Task.sleep(for: .milliseconds(ms)); self.responseTimer(g) }
            case .cancelResponseTimer: responseTimerGeneration += 1
            case .completed(let tag, let frame):
                if startup.owns(tag: tag) { startupEvent(.completed(tag: tag, frame: frame)) }
                else { waiting.removeValue(forKey: tag)?.resume(returning: .success(frame)) }
            case .failed(let tag, let failure):
                if startup.owns(tag: tag) { startupEvent(.failed(tag: tag, failure)) }
                else { waiting.removeValue(forKey: tag)?.resume(returning: .failure(failure)) }
            case .callback(let cb):
                if ready == nil {
                    startupEvent(.callback(cb))
                    // Joins and messages before the network is reported up wait for it.
                    if ready == nil { early.append(cb); if early.count > 256 { early.removeFirst() } ; continue }
                }
                callback(cb)
            case .ncpOverflow: logger.warning("EZSP: the NCP reported an overflow (lost callbacks or memory)")
            case .discarded(let why): logger.debug("EZSP: discarded \(why)")
            case .ncpReset:
                if ready != nil { lost("NCP reset") }
                startupEvent(.ncpReset)
            }
        }
    }

    func startupEvent(_ event: EZSPStartup.Event) {
        for a in startup.handle(event) {
            switch a {
            case .submit(let request): transact(.submit(request))
            case .setProtocolVersion(let v): transact(.setProtocolVersion(v))
            case .startNetworkUpTimer(let ms):
                networkUpTimerGeneration += 1
                let g = networkUpTimerGeneration
                Task { try? await Task.sleep(for: .milliseconds(ms)); self.networkUpTimer(g) }
            case .cancelNetworkUpTimer: networkUpTimerGeneration += 1
            case .warning(let w): logger.notice("EZSP start-up: \(w)")
            case .ready(let info):
                ready = info
                let firmware = "EZSP v\(info.protocolVersion), stack \(Self.stackVersion(info.stackVersion))"
                logger.info("EZSP \(configuration.port): network \(info.formed ? "formed" : "restored"), PAN 0x\(String(info.parameters.panId, radix: 16)), channel \(info.parameters.radioChannel), \(firmware)")
                continuation.yield(.networkUp(ZigbeeNetworkInfo(ieee: info.eui64, panId: info.parameters.panId,
                                                                extendedPanId: info.parameters.extendedPanId,
                                                                channel: info.parameters.radioChannel, firmware: firmware)))
                let held = early
                early.removeAll()
                for cb in held { callback(cb) }
            case .failed(let error):
                logger.error("EZSP \(configuration.port): start-up failed: \(error); retrying")
                Task {
                    try? await Task.sleep(for: configuration.reopenInterval)
                    self.retryStartup()
                }
            }
        }
    }

    func retryStartup() {
        guard ready == nil, port != nil else { return }
        link = ASHLink(configuration: configuration.link)
        perform(link.handle(.start))
    }

    static func stackVersion(_ v: UInt16) -> String {
        "\(v >> 12).\((v >> 8) & 0xF).\((v >> 4) & 0xF).\(v & 0xF)"
    }

    // MARK: callbacks → events

    func callback(_ cb: EZSPCallback) {
        switch cb {
        case .stackStatusHandler(let status):
            if status.isNetworkDown, ready != nil {
                ready = nil
                continuation.yield(.networkDown(reason: "the NCP reported NETWORK_DOWN"))
            }
        case .trustCenterJoinHandler(let j):
            if j.status == .deviceLeft {
                continuation.yield(.deviceLeft(ieee: j.newNodeEUI64, networkAddress: j.newNodeId))
            } else {
                continuation.yield(.deviceJoined(ieee: j.newNodeEUI64, networkAddress: j.newNodeId))
            }
        case .incomingMessageHandler(let m):
            continuation.yield(.message(ZigbeeAPSMessage(source: m.sender, sourceEndpoint: m.apsFrame.sourceEndpoint, destination: 0,
                                                         destinationEndpoint: m.apsFrame.destinationEndpoint, profileId: m.apsFrame.profileId,
                                                         clusterId: m.apsFrame.clusterId, payload: m.message, linkQuality: m.lastHopLqi)))
        case .messageSentHandler(let s):
            if !s.status.isSuccess {
                logger.debug("EZSP: delivery to 0x\(String(s.indexOrDestination, radix: 16)) failed: \(s.status)")
            }
        default:
            break
        }
    }

    // MARK: requests

    func request<C: EZSPCommand>(_ command: C) async throws(ZigbeeStackError) -> EZSPFrame {
        guard let info = ready else { throw ZigbeeStackError(.notReady, "the EZSP network is not up") }
        let tag = nextTag
        nextTag += 1
        let result = await withCheckedContinuation { (k: CheckedContinuation<Result<EZSPFrame, EZSPTransactions.Failure>, Never>) in
            waiting[tag] = k
            transact(.submit(EZSPRequest(command, tag: tag, version: info.protocolVersion)))
        }
        switch result {
        case .success(let frame): return frame
        case .failure(.timeout): throw ZigbeeStackError(.timeout, "the NCP did not answer \(C.self)")
        case .failure(.queueFull): throw ZigbeeStackError(.busy, "the EZSP queue is full")
        case .failure(let f): throw ZigbeeStackError(.other, "\(C.self) failed: \(f)")
        }
    }

    func failAll(_ failure: EZSPTransactions.Failure) {
        let all = waiting
        waiting.removeAll()
        for (_, k) in all { k.resume(returning: .failure(failure)) }
    }

    public func send(_ message: ZigbeeAPSMessage) async throws(ZigbeeStackError) {
        guard let info = ready else { throw ZigbeeStackError(.notReady, "the EZSP network is not up") }
        messageTag &+= 1
        let aps = EmberApsFrame(profileId: message.profileId, clusterId: message.clusterId, sourceEndpoint: message.sourceEndpoint,
                                destinationEndpoint: message.destinationEndpoint,
                                options: message.destination >= 0xFFF8 ? [] : [.retry, .enableRouteDiscovery],
                                groupId: 0, sequence: 0)
        let frame: EZSPFrame
        do {
            if message.destination >= 0xFFF8 {
                frame = try await request(try EZSPCommands.SendBroadcast(destination: message.destination, apsFrame: aps, radius: 0,
                                                                         messageTag: messageTag, message: message.payload))
            } else {
                frame = try await request(try EZSPCommands.SendUnicast(indexOrDestination: message.destination, apsFrame: aps,
                                                                       messageTag: messageTag, message: message.payload))
            }
        } catch let e as ZigbeeStackError {
            throw e
        } catch {
            throw ZigbeeStackError(.other, "cannot encode the message: \(error)")
        }
        let response: EZSPSendResponse
        do { response = try EZSPSendResponse.decode(frame.parameters, version: info.protocolVersion) } catch {
            throw ZigbeeStackError(.other, "undecodable send response")
        }
        guard response.status.isSuccess else {
            throw ZigbeeStackError(.deliveryFailed, status: UInt8(truncatingIfNeeded: response.status.code), "the NCP refused the message to 0x\(String(message.destination, radix: 16)): \(response.status)")
        }
    }

    public func permitJoin(seconds: UInt8) async throws(ZigbeeStackError) {
        guard let info = ready else { throw ZigbeeStackError(.notReady, "the EZSP network is not up") }
        let frame = try await request(EZSPCommands.PermitJoining(duration: seconds))
        if let status = try? EmberStatusResponse.decode(frame.parameters, version: info.protocolVersion).status, !status.isSuccess {
            throw ZigbeeStackError(.other, "permitJoining refused: \(status)")
        }
        // Routers open too: Mgmt_Permit_Joining_req to every router (ZDP 0x0036).
        try? await send(ZigbeeAPSMessage(source: 0, sourceEndpoint: 0, destination: 0xFFFC, destinationEndpoint: 0,
                                         profileId: 0, clusterId: 0x0036, payload: [UInt8.random(in: 0...255), seconds, 0x01]))
    }
}
