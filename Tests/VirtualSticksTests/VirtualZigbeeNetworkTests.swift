import Testing
import VirtualSticks
import ZigbeeCore

/// The simulated ZigBee network, driven the way a coordinator's host drives a real one. The
/// interview is ZigbeeCore's own state machine, so these tests also check that the two agree
/// on the ZDO/ZCL bytes.
@Suite struct VirtualZigbeeNetworkTests {
    static let coordinator = IEEEAddress(0x00124B00_12345678)

    static func network(joined: Bool = true) -> VirtualZigbeeNetwork {
        let devices = [
            VirtualZigbeeDevice(name: "Lamp", ieee: IEEEAddress(0xA4C1_3800_0000_0001), networkAddress: 0x1001, kind: .colorLight),
            VirtualZigbeeDevice(name: "Climate", ieee: IEEEAddress(0xA4C1_3800_0000_0002), networkAddress: 0x1002, kind: .temperatureHumiditySensor, period: 40),
            VirtualZigbeeDevice(name: "Door", ieee: IEEEAddress(0xA4C1_3800_0000_0003), networkAddress: 0x1003, kind: .doorContact, period: 10),
            VirtualZigbeeDevice(name: "Plug", ieee: IEEEAddress(0xA4C1_3800_0000_0004), networkAddress: 0x1004, kind: .smartPlug),
        ]
        return VirtualZigbeeNetwork(devices: devices, members: joined ? Set(devices.map(\.ieee)) : [])
    }

    static func messages(_ events: [VirtualZigbeeNetwork.Event]) -> [ZigbeeAPSMessage] {
        events.compactMap { if case .message(let m) = $0 { m } else { nil } }
    }

    static func zcl(to nwk: UInt16, cluster: UInt16, _ frame: ZCLFrame) -> ZigbeeAPSMessage {
        ZigbeeAPSMessage(source: 0, sourceEndpoint: 1, destination: nwk, destinationEndpoint: 1,
                         profileId: ZigbeeAPSMessage.homeAutomationProfile, clusterId: cluster, payload: frame.encoded())
    }

    @Test func devicesJoinWhenPermitJoinOpensAndAnnounceThemselves() throws {
        var net = Self.network(joined: false)
        #expect(net.advance(to: 5).isEmpty, "nobody is in the network yet")
        // Mgmt_Permit_Joining_req broadcast, as hosts send it (ZDP 0x0036: duration, TC significance).
        let permit = ZigbeeAPSMessage(source: 0, sourceEndpoint: 0, destination: 0xFFFC, destinationEndpoint: 0, profileId: 0,
                                      clusterId: 0x0036, payload: [0x01, 60, 0x01])
        let events = net.send(permit, at: 10)
        let joins = events.compactMap { if case .joined(let ieee, let nwk, _) = $0 { (ieee, nwk) } else { nil } }
        #expect(joins.count == 4 && joins.first?.1 == 0x1001)
        let announces = Self.messages(events).filter { $0.clusterId == 0x0013 }
        #expect(announces.count == 4)
        let f = try ZDOFrame(clusterId: 0x0013, bytes: announces[0].payload)
        guard case .request(.deviceAnnounce(let a)) = f.message else { Issue.record("not an announce: \(f)"); return }
        #expect(a.ieeeAddress == IEEEAddress(0xA4C1_3800_0000_0001) && a.networkAddress == 0x1001)
        #expect(a.capabilities.contains(.mainsPowered), "a light is a mains-powered router")
        #expect(net.permitJoinOpen)
        _ = net.advance(to: 71)
        #expect(!net.permitJoinOpen, "permit-join closes after its duration")
    }

    @Test func zigbeeCoreInterviewCompletesAgainstTheVirtualLight() throws {
        var net = Self.network()
        let reporting = [ZigbeeReportingRequest(endpoint: 1, clusterId: ZCLClusterID.onOff, attributeId: 0, minimumInterval: 0, maximumInterval: 300)!,
                         ZigbeeReportingRequest(endpoint: 1, clusterId: ZCLClusterID.levelControl, attributeId: 0, minimumInterval: 1, maximumInterval: 300,
                                                reportableChange: .unsigned(1, .bits8))!]
        var interview = ZigbeeInterview(networkAddress: 0x1001, ieeeAddress: IEEEAddress(0xA4C1_3800_0000_0001),
                                        configuration: ZigbeeInterviewConfiguration(coordinatorAddress: Self.coordinator, reporting: reporting))
        var actions = interview.handle(.start)
        var outcome: InterviewOutcome?
        var rounds = 0
        while outcome == nil, rounds < 100 {
            rounds += 1
            var next: [InterviewAction] = []
            for a in actions {
                switch a {
                case .sendZDO(let r):
                    let m = ZigbeeAPSMessage(source: 0, sourceEndpoint: 0, destination: r.destination, destinationEndpoint: 0, profileId: 0,
                                             clusterId: r.frame.clusterId, payload: try r.frame.encoded())
                    for reply in Self.messages(net.send(m, at: Double(rounds))) {
                        next += interview.handle(.zdoReceived(try ZDOFrame(clusterId: reply.clusterId, bytes: reply.payload)))
                    }
                case .sendZCL(let r):
                    let m = ZigbeeAPSMessage(source: 0, sourceEndpoint: r.sourceEndpoint, destination: r.destination, destinationEndpoint: r.destinationEndpoint,
                                             profileId: r.profileId, clusterId: r.clusterId, payload: r.frame.encoded())
                    for reply in Self.messages(net.send(m, at: Double(rounds))) {
                        next += interview.handle(.zclReceived(sourceEndpoint: reply.sourceEndpoint, clusterId: reply.clusterId, frame: try ZCLFrame(decoding: reply.payload)))
                    }
                case .finished(let o):
                    outcome = o
                }
            }
            actions = next
            if actions.isEmpty && outcome == nil { break }
        }
        guard case .complete(let d)? = outcome else { Issue.record("interview did not complete: \(String(describing: outcome))"); return }
        #expect(d.manufacturerName == "USPBridge Virtual" && d.modelIdentifier == "VL-COLOR")
        #expect(d.activeEndpoints == [1])
        #expect(d.endpoints.first?.inputClusters.contains(ZCLClusterID.colorControl) == true)
        #expect(d.logicalType == .router && d.isSleepy == false)
        #expect(d.reporting.count == 2 && d.reporting.allSatisfy(\.succeeded), "\(d.reporting)")
    }

    @Test func toggleChangesTheLightAndReportsTheNewState() throws {
        var net = Self.network()
        let configure = try ZCLFrame.global(.configureReporting([.report(0, type: .bool, min: 0, max: 600)]), transactionSequence: 1)
        let ack = Self.messages(net.send(Self.zcl(to: 0x1001, cluster: ZCLClusterID.onOff, configure), at: 0))
        #expect(try ack.first.map { try ZCLFrame(decoding: $0.payload).globalCommand() } == .configureReportingResponse([.init(status: .success)]))
        _ = net.advance(to: 1) // the first report after configuration
        let toggle = ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, transactionSequence: 2, commandId: 0x02)
        let replies = Self.messages(net.send(Self.zcl(to: 0x1001, cluster: ZCLClusterID.onOff, toggle), at: 2))
        let frames = try replies.map { try ZCLFrame(decoding: $0.payload) }
        #expect(frames.contains { (try? $0.globalCommand()) == .defaultResponse(commandId: 0x02, status: .success) && $0.transactionSequence == 2 })
        #expect(frames.contains { (try? $0.globalCommand()) == .reportAttributes([ZCLAttributeValue(attributeId: 0, value: .bool(true))]) })
        #expect(replies.allSatisfy { $0.source == 0x1001 && $0.destination == 0 && $0.destinationEndpoint == 1 })
        #expect(net.device(named: "Lamp")?.value(cluster: ZCLClusterID.onOff, attribute: 0) == .bool(true))
        #expect(net.device(named: "Lamp")?.commandLog.last == "toggle")
        // Move to level with on/off: level and on/off both follow.
        let level = try LevelControlCommand.moveToLevel(level: 1, transitionTime: 0, withOnOff: true).encodedPayload()
        _ = net.send(Self.zcl(to: 0x1001, cluster: ZCLClusterID.levelControl,
                              ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, transactionSequence: 3, commandId: 0x04, payload: level)), at: 3)
        #expect(net.device(named: "Lamp")?.value(cluster: ZCLClusterID.levelControl, attribute: 0) == .unsigned(1, .bits8))
        #expect(net.device(named: "Lamp")?.value(cluster: ZCLClusterID.onOff, attribute: 0) == .bool(false))
    }

    @Test func sensorsReportOnScheduleAndTheDoorNotifiesItsZoneStatus() throws {
        var net = Self.network()
        let configure = try ZCLFrame.global(.configureReporting([.report(0, type: .int16, min: 5, max: 10, change: .signed(10, .bits16))]), transactionSequence: 7)
        _ = net.send(Self.zcl(to: 0x1002, cluster: ZCLClusterID.temperatureMeasurement, configure), at: 0)
        var reports: [ZCLAttributeValue] = []
        var doorStatus: [UInt16] = []
        for t in stride(from: 1.0, through: 30, by: 1) {
            for m in Self.messages(net.advance(to: t)) {
                let f = try ZCLFrame(decoding: m.payload)
                if m.clusterId == ZCLClusterID.temperatureMeasurement, case .reportAttributes(let r) = try f.globalCommand() { reports += r }
                if m.clusterId == ZCLClusterID.iasZone, f.frameType == .clusterSpecific,
                   case .zoneStatusChange(let s, _, _, _) = try IASZoneNotification(commandId: f.commandId, payload: f.payload) {
                    doorStatus.append(s.rawValue)
                }
            }
        }
        #expect(reports.count >= 3, "at least every 10 s over 30 s: \(reports.count)")
        #expect(reports.allSatisfy { $0.attributeId == 0 && ($0.value.integerValue ?? 0) > 1900 && ($0.value.integerValue ?? 0) < 2400 })
        #expect(doorStatus == [1, 0, 1], "the door opens at 10 s, closes at 20 s, opens at 30 s: \(doorStatus)")
    }

    @Test func badRequestsGetZCLStatusesAndNeverStopTheNetwork() throws {
        var net = Self.network()
        let read = try ZCLFrame.global(.readAttributes([0x0004, 0x0005, 0x7777]), transactionSequence: 9)
        let r = Self.messages(net.send(Self.zcl(to: 0x1004, cluster: ZCLClusterID.basic, read), at: 0))
        guard case .readAttributesResponse(let records)? = try r.first.map({ try ZCLFrame(decoding: $0.payload).globalCommand() }) else {
            Issue.record("no read response"); return
        }
        #expect(records.map(\.status) == [.success, .success, .unsupportedAttribute])
        #expect(records[1].value == .string("VP-PLUG"))
        let onMissingCluster = Self.messages(net.send(Self.zcl(to: 0x1004, cluster: ZCLClusterID.colorControl, read), at: 0))
        #expect(try onMissingCluster.first.map { try ZCLFrame(decoding: $0.payload).globalCommand() } == .defaultResponse(commandId: 0, status: .unsupportedCluster))
        let wrongType = try ZCLFrame.global(.writeAttributes([ZCLAttributeValue(attributeId: 0, value: .string("on"))]), transactionSequence: 10)
        let w = Self.messages(net.send(Self.zcl(to: 0x1004, cluster: ZCLClusterID.onOff, wrongType), at: 0))
        #expect(try w.first.map { try ZCLFrame(decoding: $0.payload).globalCommand() } == .writeAttributesResponse([.init(status: .invalidDataType, attributeId: 0)]))
        var garbage = Self.zcl(to: 0x1004, cluster: ZCLClusterID.onOff, read)
        garbage.payload = [0x01]
        #expect(net.send(garbage, at: 0).isEmpty, "an undecodable frame is dropped")
        #expect(net.send(Self.zcl(to: 0x7777, cluster: ZCLClusterID.onOff, read), at: 0).isEmpty, "no such device")
    }

    @Test func mgmtLeaveRemovesTheDevice() throws {
        var net = Self.network()
        let leave = ZDOFrame(transactionSequence: 4, message: .request(.mgmtLeave(ieee: IEEEAddress(0xA4C1_3800_0000_0004))))
        let events = net.send(ZigbeeAPSMessage(source: 0, sourceEndpoint: 0, destination: 0x1004, destinationEndpoint: 0, profileId: 0,
                                               clusterId: 0x0034, payload: try leave.encoded()), at: 0)
        #expect(events.contains(.left(ieee: IEEEAddress(0xA4C1_3800_0000_0004), networkAddress: 0x1004)))
        let response = try #require(Self.messages(events).first)
        #expect(response.clusterId == 0x8034)
        #expect(!net.isMember(0x1004))
        #expect(net.leave(deviceNamed: "Door") == [.left(ieee: IEEEAddress(0xA4C1_3800_0000_0003), networkAddress: 0x1003)])
        #expect(net.announceMembers().count == 2, "the lamp and the climate sensor remain")
    }
}
