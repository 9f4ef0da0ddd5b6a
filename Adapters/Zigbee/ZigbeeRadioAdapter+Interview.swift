import Foundation
import RadioSeam
import ZigbeeCore

extension ZigbeeRadioAdapter {
    /// Attributes exposed as functional units, by cluster, with the descriptor attributes read
    /// once as unit properties (the mappings use them: IAS zone type, metering multiplier and
    /// divisor, electrical measurement formatting).
    static let exposed: [UInt16: (attributes: [UInt16], properties: [UInt16])] = [
        ZCLClusterID.powerConfiguration: ([0x0020, 0x0021], []),
        ZCLClusterID.onOff: ([0x0000], []),
        ZCLClusterID.levelControl: ([0x0000], []),
        ZCLClusterID.colorControl: ([0x0000, 0x0001, 0x0003, 0x0004, 0x0007], []),
        ZCLClusterID.thermostat: ([0x0000, 0x0012, 0x001C], []),
        ZCLClusterID.doorLock: ([0x0000], []),
        ZCLClusterID.windowCovering: ([0x0008], []),
        ZCLClusterID.illuminanceMeasurement: ([0x0000], []),
        ZCLClusterID.temperatureMeasurement: ([0x0000], []),
        ZCLClusterID.pressureMeasurement: ([0x0000], []),
        ZCLClusterID.relativeHumidityMeasurement: ([0x0000], []),
        ZCLClusterID.occupancySensing: ([0x0000], []),
        ZCLClusterID.iasZone: ([0x0002], [0x0001, 0x0012]),
        ZCLClusterID.metering: ([0x0000, 0x0400], [0x0301, 0x0302]),
        ZCLClusterID.electricalMeasurement: ([0x050B, 0x0505, 0x0508], [0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605]),
    ]

    /// Writable configuration attributes exposed as units when the device has them (read in
    /// the interview, written on request, not configured for reporting): the PIR
    /// occupied-to-unoccupied delay of Occupancy Sensing (ZCL 4.8.2.2.2) and the IAS zone
    /// sensitivity level (ZCL 8.2.2.2.2).
    static let settingAttributes: [UInt16: [UInt16]] = [
        ZCLClusterID.occupancySensing: [0x0010],
        ZCLClusterID.iasZone: [0x0013],
    ]

    static func propertyName(_ attribute: UInt16) -> String {
        let s = String(attribute, radix: 16)
        return "0x" + String(repeating: "0", count: 4 - s.count) + s
    }

    /// Interviews a device (descriptors, Basic attributes), then reads unit descriptors and
    /// current values, binds and configures reporting, enrols IAS zones, and tells the bridge.
    func interview(_ ieee: IEEEAddress, update: Bool) async {
        guard let nwk = devices[ieee]?.networkAddress, let coordinator = network?.ieee else {
            devices[ieee]?.interviewing = false
            return
        }
        let first = nextSequence()
        sequence &+= 40 // the interview numbers its own transactions from `first`
        var machine = ZigbeeInterview(networkAddress: nwk, ieeeAddress: ieee, configuration: ZigbeeInterviewConfiguration(
            coordinatorAddress: coordinator, maximumRetries: configuration.retries, responseTimeout: configuration.requestTimeout,
            firstTransactionSequence: first))
        var actions = machine.handle(.start)
        var outcome: InterviewOutcome?
        while outcome == nil, !actions.isEmpty {
            var next: [InterviewAction] = []
            for a in actions {
                switch a {
                case .finished(let o): outcome = o
                case .sendZDO(let r):
                    do { next += machine.handle(.zdoReceived(try await zdo(r.frame, to: r.destination, timeout: r.timeout))) }
                    catch { next += machine.handle(.timeout(transactionSequence: r.transactionSequence)) }
                case .sendZCL(let r):
                    do {
                        let answer = try await zcl(r.frame, to: r.destination, endpoint: r.destinationEndpoint, cluster: r.clusterId, timeout: r.timeout)
                        next += machine.handle(.zclReceived(sourceEndpoint: r.destinationEndpoint, clusterId: r.clusterId, frame: answer))
                    } catch {
                        next += machine.handle(.timeout(transactionSequence: r.transactionSequence))
                    }
                }
            }
            actions = next
        }
        guard let outcome, !outcome.description.endpoints.isEmpty else {
            logger.warning("ZigBee device \(ieee) (0x\(String(nwk, radix: 16))): interview failed; it will be tried again when it announces itself")
            devices[ieee]?.interviewing = false
            return
        }
        if case .partial(_, let step) = outcome { logger.notice("ZigBee device \(ieee): interview incomplete at \(step)") }
        let d = outcome.description
        devices[ieee]?.description = d
        devices[ieee]?.sleepy = d.isSleepy ?? false
        var units: [FunctionalUnit] = []
        for ep in d.endpoints where ep.profileId == ZigbeeAPSMessage.homeAutomationProfile {
            for cluster in ep.inputClusters.sorted() {
                guard let spec = Self.exposed[cluster] else { continue }
                let props = await readValues(nwk, ep.endpoint, cluster, spec.properties)
                let settings = Self.settingAttributes[cluster] ?? []
                let current = await readValues(nwk, ep.endpoint, cluster, spec.attributes + settings)
                var properties: [String: RadioValue] = [:]
                for (a, v) in props { if let rv = Self.radioValue(v) { properties[Self.propertyName(a)] = rv } }
                for a in spec.attributes {
                    // Optional attributes a device lacks are not units (a plug without RMS voltage).
                    guard spec.attributes.count == 1 || current[a] != nil else { continue }
                    units.append(FunctionalUnit(key: .zigbee(endpoint: ep.endpoint, cluster: cluster, attribute: a), properties: properties,
                                                value: current[a].flatMap(Self.radioValue)))
                }
                for a in settings where current[a] != nil {
                    units.append(FunctionalUnit(key: .zigbee(endpoint: ep.endpoint, cluster: cluster, attribute: a), properties: properties,
                                                value: current[a].flatMap(Self.radioValue)))
                }
                await configureReporting(nwk, ieee, coordinator, ep.endpoint, cluster, spec.attributes.filter { current[$0] != nil || spec.attributes.count == 1 })
                if cluster == ZCLClusterID.iasZone { await enrol(nwk, ep.endpoint, coordinator) }
            }
        }
        devices[ieee]?.units = units
        devices[ieee]?.interviewing = false
        let power: PowerSource = d.isSleepy == true ? .sleepy : d.powerSource.map { $0.primary == .battery ? .battery : .mains } ?? .unknown
        let kind: DeviceKind = switch d.logicalType {
        case .router: .router
        case .coordinator: .coordinator
        case .endDevice: d.isSleepy == true ? .sleepyEndDevice : .endDevice
        default: .unknown
        }
        let identity = DeviceIdentity(address: .ieee(ieee.rawValue), nodeID: nwk, manufacturer: d.manufacturerName ?? "",
                                      model: d.modelIdentifier ?? "", firmware: d.softwareBuild ?? "", power: power, kind: kind)
        logger.info("ZigBee device \(ieee) (0x\(String(nwk, radix: 16))) \(identity.manufacturer) \(identity.model): \(units.count) units")
        continuation.yield(update ? .deviceUpdated(.ieee(ieee.rawValue), units) : .deviceJoined(identity, units))
    }

    /// Reads attributes of one cluster; what the device lacks is simply absent.
    func readValues(_ nwk: UInt16, _ endpoint: UInt8, _ cluster: UInt16, _ attributes: [UInt16]) async -> [UInt16: ZCLValue] {
        guard !attributes.isEmpty, let frame = try? ZCLFrame.global(.readAttributes(attributes), transactionSequence: nextSequence()),
              let answer = try? await zcl(frame, to: nwk, endpoint: endpoint, cluster: cluster, timeout: configuration.requestTimeout),
              case .readAttributesResponse(let records)? = try? answer.globalCommand() else { return [:] }
        var out: [UInt16: ZCLValue] = [:]
        for r in records where r.status == .success { if let v = r.value { out[r.attributeId] = v } }
        return out
    }

    /// Binds the cluster to the coordinator and asks for reports: on change after the minimum
    /// interval, and at least every maximum interval.
    func configureReporting(_ nwk: UInt16, _ ieee: IEEEAddress, _ coordinator: IEEEAddress, _ endpoint: UInt8, _ cluster: UInt16, _ attributes: [UInt16]) async {
        let bind = ZDOFrame(transactionSequence: nextSequence(), message: .request(.bind(ZDOBinding(
            sourceAddress: ieee, sourceEndpoint: endpoint, clusterId: cluster, destination: .device(coordinator, endpoint: 1)))))
        _ = try? await zdo(bind, to: nwk, timeout: configuration.requestTimeout)
        let records: [ZCLReportingConfiguration] = attributes.compactMap { a in
            guard let def = ZCLClusterLibrary.attribute(cluster: cluster, attribute: a) else { return nil }
            let change: ZCLValue? = def.dataType.isAnalog ? Self.smallestChange(def.dataType) : nil
            return .report(a, type: def.dataType, min: configuration.reportMinimum, max: configuration.reportMaximum, change: change)
        }
        guard !records.isEmpty, let frame = try? ZCLFrame.global(.configureReporting(records), transactionSequence: nextSequence()) else { return }
        _ = try? await zcl(frame, to: nwk, endpoint: endpoint, cluster: cluster, timeout: configuration.requestTimeout)
    }

    static func smallestChange(_ type: ZCLDataType) -> ZCLValue? {
        switch type {
        case .uint8: .unsigned(1, .bits8)
        case .uint16: .unsigned(1, .bits16)
        case .uint24: .unsigned(1, .bits24)
        case .uint32: .unsigned(1, .bits32)
        case .uint48: .unsigned(1, .bits48)
        case .int8: .signed(1, .bits8)
        case .int16: .signed(1, .bits16)
        case .int24: .signed(1, .bits24)
        case .int32: .signed(1, .bits32)
        default: nil
        }
    }

    /// IAS zone enrolment (ZCL 8.2.2.2.3, "auto-enroll-response"): write our address as the
    /// CIE address, then send an unsolicited Zone Enroll Response with a zone id.
    func enrol(_ nwk: UInt16, _ endpoint: UInt8, _ coordinator: IEEEAddress) async {
        if let w = try? ZCLFrame.global(.writeAttributes([ZCLAttributeValue(attributeId: 0x0010, value: .eui64(coordinator))]), transactionSequence: nextSequence()) {
            _ = try? await zcl(w, to: nwk, endpoint: endpoint, cluster: ZCLClusterID.iasZone, timeout: configuration.requestTimeout)
        }
        let zoneID = nextZoneID
        nextZoneID &+= 1
        let response = IASZoneCommand.zoneEnrollResponse(code: .success, zoneId: zoneID)
        guard let payload = try? response.encodedPayload() else { return }
        let frame = ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, transactionSequence: nextSequence(),
                             commandId: response.commandId, payload: payload)
        _ = try? await zcl(frame, to: nwk, endpoint: endpoint, cluster: ZCLClusterID.iasZone, timeout: configuration.requestTimeout)
    }
}
