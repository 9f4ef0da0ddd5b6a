import Foundation
import Logging
import SerialPort
import ZigbeeCore

/// A TI Z-Stack coordinator (Sonoff ZBDongle-P, SLZB-06, CC2652/CC1352 boards) as a
/// `ZigbeeStack`: the serial port, MT framing, the SREQ/SRSP link and start-up, wired together.
///
/// Z-Stack carries ZDO requests as ZDO_* SREQs and answers them with ZDO_*_RSP AREQs that have
/// no ZDP sequence number: outgoing ZDO frames are translated to those requests, and each answer
/// is turned back into a ZDO frame with the sequence number of the request it answers.
/// ZCL goes through AF_DATA_REQUEST, confirmed by AF_DATA_CONFIRM.
public actor ZNPStack: ZigbeeStack {
    public struct Configuration: Sendable {
        public var port: PortAddress
        public var serial: SerialSettings
        public var link = ZNPLink.Configuration()
        public var startup = ZNPStartup.Configuration()
        public var reopenInterval: Duration = .seconds(2)
        public init(port: PortAddress, serial: SerialSettings = SerialSettings(baudRate: 115_200, flowControl: .none)) {
            self.port = port; self.serial = serial
        }
    }

    public nonisolated let events: AsyncStream<ZigbeeStackEvent>
    let continuation: AsyncStream<ZigbeeStackEvent>.Continuation
    let configuration: Configuration
    let logger: Logger
    var port: SerialPort?
    var decoder = MTDecoder()
    var link: ZNPLink
    var startup: ZNPStartup
    var ready: ZNPCoordinatorInfo?
    var nextID: UInt64 = 1
    var waiting: [ZNPLink.RequestID: CheckedContinuation<Result<ZNPLink.Reply, ZNPLink.Failure>, Never>] = [:]
    var timers: [ZNPLink.Timer: Int] = [:]
    var startupTimer = 0
    var transactionID: UInt8 = 0
    /// ZDP sequence numbers of outstanding ZDO requests, by (device, response cluster).
    var zdoSequences: [UInt32: [UInt8]] = [:]

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        link = ZNPLink(configuration: configuration.link)
        startup = ZNPStartup(configuration: configuration.startup)
        (events, continuation) = AsyncStream.makeStream(of: ZigbeeStackEvent.self, bufferingPolicy: .unbounded)
    }

    public func run() async throws {
        defer { continuation.finish() }
        await SerialPort.keepOpen(configuration.port, settings: configuration.serial, reopenInterval: configuration.reopenInterval,
                                  label: "ZNP", logger: logger) { await self.serve($0) }
    }

    func serve(_ opened: SerialPort) async {
        port = opened
        decoder = MTDecoder()
        link = ZNPLink(configuration: configuration.link)
        startup = ZNPStartup(configuration: configuration.startup)
        ready = nil
        startupEvent(.start)
        for await chunk in opened.bytes {
            for output in decoder.feed(chunk) {
                switch output {
                case .frame(let frame): linkEvent(.received(frame))
                default: logger.debug("ZNP: \(output)")
                }
            }
        }
        logger.warning("ZNP \(configuration.port): port closed (\(opened.endReason ?? "end of stream"))")
        port = nil
        opened.close()
        lost("the port closed")
    }

    func lost(_ reason: String) {
        let wasUp = ready != nil
        ready = nil
        let all = waiting
        waiting.removeAll()
        for (_, k) in all { k.resume(returning: .failure(.responseTimeout)) }
        zdoSequences.removeAll()
        if wasUp { continuation.yield(.networkDown(reason: reason)) }
    }

    // MARK: machines

    func linkEvent(_ event: ZNPLink.Event) {
        for a in link.handle(event) {
            switch a {
            case .write(let bytes):
                do { try port?.write(bytes) } catch { logger.warning("ZNP: write failed: \(error)") }
            case .startTimer(let timer, let ms):
                let g = (timers[timer] ?? 0) + 1
                timers[timer] = g
                Task { try? await Task.sleep(for: .milliseconds(ms)); self.linkTimer(timer, g) }
            case .cancelTimer(let timer):
                timers[timer] = (timers[timer] ?? 0) + 1
            case .completed(let id, let result):
                if let k = waiting.removeValue(forKey: id) { k.resume(returning: result) }
                else { startupEvent(.completed(id, result)) }
            case .callback(let cb):
                if ready == nil { startupEvent(.callback(cb)) }
                callback(cb)
            case .reset(let indication):
                logger.warning("ZNP \(configuration.port): the coordinator reset (\(indication.reason)); restarting")
                lost("coordinator reset")
                startup = ZNPStartup(configuration: configuration.startup)
                startupEvent(.start)
            case .unexpectedFrame(let f):
                logger.debug("ZNP: unexpected frame \(f)")
            }
        }
    }

    func linkTimer(_ timer: ZNPLink.Timer, _ g: Int) {
        if timers[timer] == g { linkEvent(.timerExpired(timer)) }
    }

    func startupEvent(_ event: ZNPStartup.Event) {
        for a in startup.handle(event) {
            switch a {
            case .send(let request, let id, let awaiting, let timeout):
                linkEvent(.send(request, id: id, awaiting: awaiting, callbackTimeoutMilliseconds: timeout))
            case .startTimer(let ms):
                startupTimer += 1
                let g = startupTimer
                Task { try? await Task.sleep(for: .milliseconds(ms)); self.startupTimerFired(g) }
            case .cancelTimer:
                startupTimer += 1
            case .ready(let info):
                ready = info
                let v = info.version.map { "Z-Stack \($0.major).\($0.minor).\($0.maintenance)" + ($0.codeRevision.map { " (\($0))" } ?? "") } ?? "Z-Stack"
                logger.info("ZNP \(configuration.port): coordinator up (\(info.formedNetwork ? "network formed" : "network restored")), \(v)")
                continuation.yield(.networkUp(ZigbeeNetworkInfo(ieee: info.deviceInfo?.ieeeAddress ?? IEEEAddress(0), panId: 0,
                                                                extendedPanId: 0, channel: 0, firmware: v)))
            case .failed(let error):
                logger.error("ZNP \(configuration.port): start-up failed: \(error); retrying")
                Task {
                    try? await Task.sleep(for: configuration.reopenInterval)
                    self.retryStartup()
                }
            }
        }
    }

    func startupTimerFired(_ g: Int) { if g == startupTimer { startupEvent(.timerExpired) } }

    func retryStartup() {
        guard ready == nil, port != nil else { return }
        startup = ZNPStartup(configuration: configuration.startup)
        startupEvent(.start)
    }

    static func key(_ nwk: UInt16, _ cluster: UInt16) -> UInt32 { UInt32(nwk) << 16 | UInt32(cluster) }

    func callback(_ cb: ZNPCallback) {
        switch cb {
        case .endDeviceAnnounce(let a):
            continuation.yield(.deviceJoined(ieee: a.ieeeAddress, networkAddress: a.networkAddress))
        case .leaveIndication(let l):
            continuation.yield(.deviceLeft(ieee: l.ieeeAddress, networkAddress: l.networkAddress))
        case .afIncomingMessage(let m):
            continuation.yield(.message(ZigbeeAPSMessage(source: m.sourceAddress, sourceEndpoint: m.sourceEndpoint, destination: 0,
                                                         destinationEndpoint: m.destinationEndpoint,
                                                         profileId: ZigbeeAPSMessage.homeAutomationProfile, clusterId: m.clusterID,
                                                         payload: m.data, linkQuality: m.linkQuality)))
        case .zdoResponse(let source, let response):
            // Z-Stack drops the ZDP sequence number: give back the one of the request it answers.
            let k = Self.key(source, response.clusterId)
            let tsn = zdoSequences[k]?.first ?? 0
            if zdoSequences[k]?.isEmpty == false { zdoSequences[k]?.removeFirst() }
            let frame = ZDOFrame(transactionSequence: tsn, message: .response(response))
            guard let payload = try? frame.encoded() else { return }
            continuation.yield(.message(ZigbeeAPSMessage(source: source, sourceEndpoint: 0, destination: 0, destinationEndpoint: 0,
                                                         profileId: ZigbeeAPSMessage.zdoProfile, clusterId: response.clusterId, payload: payload)))
        default:
            break
        }
    }

    // MARK: requests

    func request(_ r: ZNPRequest, awaiting: ZNPCallbackMatcher? = nil) async -> Result<ZNPLink.Reply, ZNPLink.Failure> {
        let id = ZNPLink.RequestID(nextID)
        nextID += 1
        return await withCheckedContinuation { k in
            waiting[id] = k
            linkEvent(.send(r, id: id, awaiting: awaiting, callbackTimeoutMilliseconds: awaiting == nil ? nil : 10_000))
        }
    }

    static func failure(_ f: ZNPLink.Failure, _ what: String) -> ZigbeeStackError {
        switch f {
        case .responseTimeout, .callbackTimeout: ZigbeeStackError(.timeout, "\(what): no answer from the coordinator")
        case .rejected(let r): ZigbeeStackError(.deliveryFailed, status: r.status?.rawValue, "\(what): refused (\(String(describing: r.status)))")
        case .deviceReset: ZigbeeStackError(.notReady, "\(what): the coordinator reset")
        default: ZigbeeStackError(.other, "\(what): \(f)")
        }
    }

    public func send(_ message: ZigbeeAPSMessage) async throws(ZigbeeStackError) {
        guard ready != nil else { throw ZigbeeStackError(.notReady, "the Z-Stack network is not up") }
        if message.isZDO || message.profileId == ZigbeeAPSMessage.zdoProfile {
            try await sendZDO(message)
            return
        }
        transactionID &+= 1
        let tid = transactionID
        let r = AFDataRequest(destination: message.destination, destinationEndpoint: message.destinationEndpoint,
                              sourceEndpoint: message.sourceEndpoint, clusterID: message.clusterId, transactionID: tid,
                              options: message.destination >= 0xFFF8 ? [] : [.apsAck], data: message.payload)
        switch await request(.afDataRequest(r), awaiting: message.destination >= 0xFFF8 ? nil : .afDataConfirm(transactionID: tid)) {
        case .success(let reply):
            if case .afDataConfirm(let status, _, _)? = reply.callback, status != .success {
                throw ZigbeeStackError(.deliveryFailed, status: status.rawValue, "no delivery to 0x\(String(message.destination, radix: 16)): \(status)")
            }
        case .failure(let f):
            throw Self.failure(f, "AF_DATA_REQUEST to 0x\(String(message.destination, radix: 16))")
        }
    }

    /// ZDO frames become Z-Stack's ZDO requests.
    func sendZDO(_ message: ZigbeeAPSMessage) async throws(ZigbeeStackError) {
        guard let f = try? ZDOFrame(clusterId: message.clusterId, bytes: message.payload), case .request(let req) = f.message else {
            throw ZigbeeStackError(.other, "not a ZDO request: cluster 0x\(String(message.clusterId, radix: 16))")
        }
        let nwk = message.destination
        let r: ZNPRequest
        switch req {
        case .nodeDescriptor(let a): r = .nodeDescriptor(of: a)
        case .activeEndpoints(let a): r = .activeEndpoints(of: a)
        case .simpleDescriptor(let a, let ep): r = .simpleDescriptor(of: a, endpoint: ep)
        case .bind(let b):
            guard case .device(let ieee, let ep) = b.destination else { throw ZigbeeStackError(.other, "group binds are not supported") }
            r = .bind(target: nwk, source: b.sourceAddress, sourceEndpoint: b.sourceEndpoint, clusterID: b.clusterId,
                      destination: .device(ieee, endpoint: ep))
        case .mgmtLeave(let ieee, let removeChildren, let rejoin): r = .mgmtLeave(target: nwk, device: ieee, rejoin: rejoin, removeChildren: removeChildren)
        case .mgmtPermitJoining(let seconds, _): r = .permitJoin(nwk >= 0xFFF8 ? .allRouters : .device(nwk), seconds: seconds)
        default: throw ZigbeeStackError(.other, "Z-Stack has no MT request for ZDO cluster 0x\(String(message.clusterId, radix: 16))")
        }
        if let response = req.responseClusterId {
            // Requests whose answer never comes (a device gone) must not pile up: keep the newest few.
            let k = Self.key(nwk, response)
            zdoSequences[k, default: []].append(f.transactionSequence)
            if zdoSequences[k]!.count > 8 { zdoSequences[k]!.removeFirst() }
        }
        switch await request(r) {
        case .success(let reply):
            if let s = reply.response.status, s != .success { throw ZigbeeStackError(.deliveryFailed, status: s.rawValue, "ZDO request refused: \(s)") }
        case .failure(let f):
            throw Self.failure(f, "ZDO request to 0x\(String(nwk, radix: 16))")
        }
    }

    public func permitJoin(seconds: UInt8) async throws(ZigbeeStackError) {
        guard ready != nil else { throw ZigbeeStackError(.notReady, "the Z-Stack network is not up") }
        switch await request(.permitJoin(.allRouters, seconds: seconds)) {
        case .success(let reply):
            if let s = reply.response.status, s != .success { throw ZigbeeStackError(.other, "permit join refused: \(s)") }
        case .failure(let f):
            throw Self.failure(f, "ZDO_MGMT_PERMIT_JOIN_REQ")
        }
    }
}
