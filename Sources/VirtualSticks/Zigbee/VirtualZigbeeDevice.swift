import Foundation
import ZigbeeCore

/// One simulated ZigBee device: its descriptors, its ZCL attributes per endpoint and cluster,
/// what it does with On/Off, Level, Color and IAS Zone commands, and its reporting
/// configuration. Pure: the network feeds it frames and the time, and takes the frames it
/// answers or reports with.
public struct VirtualZigbeeDevice: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case onOffLight = "on_off_light"
        case colorLight = "color_light"
        case temperatureHumiditySensor = "temperature_humidity_sensor"
        case motionSensor = "motion_sensor"
        case doorContact = "door_contact"
        case smartPlug = "smart_plug"
        case thermostat
        case doorLock = "door_lock"
        case windowCovering = "window_covering"
    }

    public struct Endpoint: Sendable {
        public var id: UInt8
        public var deviceId: UInt16
        public var inputClusters: [UInt16]
        public var outputClusters: [UInt16] = []
    }

    struct AttributeKey: Hashable, Sendable { var endpoint: UInt8; var cluster: UInt16; var attribute: UInt16 }
    struct Reporting: Sendable { var minimum: Double; var maximum: Double; var lastSent: Double = -1e9; var lastValue: ZCLValue? }

    public var name: String
    public var ieee: IEEEAddress
    public var networkAddress: UInt16
    public var kind: Kind
    public var manufacturer: String
    public var model: String
    public var endpoints: [Endpoint]
    /// Mains-powered routers keep their receiver on; battery sensors are sleepy end devices.
    public var isRouter: Bool
    /// Seconds between the sensor's value changes (a sine wave for analogue values, a flip for binary ones).
    public var period: Double
    var attributes: [AttributeKey: ZCLValue] = [:]
    var reporting: [AttributeKey: Reporting] = [:]
    var sequence: UInt8 = 0
    /// Commands received, newest last, for tests and the stick's log ("on", "level 128" …).
    public private(set) var commandLog: [String] = []

    public init(name: String, ieee: IEEEAddress, networkAddress: UInt16, kind: Kind, period: Double = 30) {
        self.name = name; self.ieee = ieee; self.networkAddress = networkAddress; self.kind = kind; self.period = period
        let basic = ZCLClusterID.basic, power = ZCLClusterID.powerConfiguration, identify = ZCLClusterID.identify
        switch kind {
        case .onOffLight:
            manufacturer = "USPBridge Virtual"; model = "VL-ONOFF"; isRouter = true
            endpoints = [Endpoint(id: 1, deviceId: 0x0100, inputClusters: [basic, identify, ZCLClusterID.onOff])]
        case .colorLight:
            manufacturer = "USPBridge Virtual"; model = "VL-COLOR"; isRouter = true
            endpoints = [Endpoint(id: 1, deviceId: 0x010D, inputClusters: [basic, identify, ZCLClusterID.onOff, ZCLClusterID.levelControl, ZCLClusterID.colorControl])]
        case .temperatureHumiditySensor:
            manufacturer = "USPBridge Virtual"; model = "VS-TH"; isRouter = false
            endpoints = [Endpoint(id: 1, deviceId: 0x0302, inputClusters: [basic, power, identify, ZCLClusterID.temperatureMeasurement, ZCLClusterID.relativeHumidityMeasurement])]
        case .motionSensor:
            manufacturer = "USPBridge Virtual"; model = "VS-MOTION"; isRouter = false
            endpoints = [Endpoint(id: 1, deviceId: 0x0107, inputClusters: [basic, power, identify, ZCLClusterID.occupancySensing])]
        case .doorContact:
            manufacturer = "USPBridge Virtual"; model = "VS-DOOR"; isRouter = false
            endpoints = [Endpoint(id: 1, deviceId: 0x0402, inputClusters: [basic, power, identify, ZCLClusterID.iasZone])]
        case .smartPlug:
            manufacturer = "USPBridge Virtual"; model = "VP-PLUG"; isRouter = true
            endpoints = [Endpoint(id: 1, deviceId: 0x0051, inputClusters: [basic, identify, ZCLClusterID.onOff, ZCLClusterID.metering, ZCLClusterID.electricalMeasurement])]
        case .thermostat:
            manufacturer = "USPBridge Virtual"; model = "VT-TRV"; isRouter = true
            endpoints = [Endpoint(id: 1, deviceId: 0x0301, inputClusters: [basic, identify, ZCLClusterID.thermostat])]
        case .doorLock:
            manufacturer = "USPBridge Virtual"; model = "VK-LOCK"; isRouter = true
            endpoints = [Endpoint(id: 1, deviceId: 0x000A, inputClusters: [basic, identify, ZCLClusterID.doorLock])]
        case .windowCovering:
            manufacturer = "USPBridge Virtual"; model = "VC-BLIND"; isRouter = true
            endpoints = [Endpoint(id: 1, deviceId: 0x0202, inputClusters: [basic, identify, ZCLClusterID.windowCovering])]
        }
        setInitialAttributes()
    }

    mutating func setInitialAttributes() {
        let ep: UInt8 = 1
        set(ep, ZCLClusterID.basic, 0x0000, .unsigned(8, .bits8))                     // ZCL version
        set(ep, ZCLClusterID.basic, 0x0001, .unsigned(1, .bits8))                     // application version
        set(ep, ZCLClusterID.basic, 0x0002, .unsigned(2, .bits8))                     // stack version
        set(ep, ZCLClusterID.basic, 0x0003, .unsigned(1, .bits8))                     // HW version
        set(ep, ZCLClusterID.basic, 0x0004, .string(manufacturer))
        set(ep, ZCLClusterID.basic, 0x0005, .string(model))
        set(ep, ZCLClusterID.basic, 0x0006, .string("20261204"))
        set(ep, ZCLClusterID.basic, 0x0007, .enum8(isRouter ? 0x01 : 0x03))         // mains / battery
        set(ep, ZCLClusterID.basic, 0x4000, .string("1.0.0"))
        set(ep, ZCLClusterID.identify, 0x0000, .unsigned(0, .bits16))
        if !isRouter {
            set(ep, ZCLClusterID.powerConfiguration, 0x0020, .unsigned(30, .bits8))   // 3.0 V
            set(ep, ZCLClusterID.powerConfiguration, 0x0021, .unsigned(180, .bits8))  // 90 %
        }
        switch kind {
        case .onOffLight:
            set(ep, ZCLClusterID.onOff, 0x0000, .bool(false))
        case .colorLight:
            set(ep, ZCLClusterID.onOff, 0x0000, .bool(false))
            set(ep, ZCLClusterID.levelControl, 0x0000, .unsigned(254, .bits8))
            set(ep, ZCLClusterID.colorControl, 0x0000, .unsigned(0, .bits8))          // current hue
            set(ep, ZCLClusterID.colorControl, 0x0001, .unsigned(0, .bits8))          // current saturation
            set(ep, ZCLClusterID.colorControl, 0x0003, .unsigned(0x616B, .bits16))     // current X
            set(ep, ZCLClusterID.colorControl, 0x0004, .unsigned(0x607D, .bits16))     // current Y
            set(ep, ZCLClusterID.colorControl, 0x0007, .unsigned(370, .bits16))        // colour temperature, mireds
            set(ep, ZCLClusterID.colorControl, 0x0008, .enum8(2))                   // colour mode: temperature
        case .temperatureHumiditySensor:
            set(ep, ZCLClusterID.temperatureMeasurement, 0x0000, .signed(2150, .bits16))
            set(ep, ZCLClusterID.temperatureMeasurement, 0x0001, .signed(-4000, .bits16))
            set(ep, ZCLClusterID.temperatureMeasurement, 0x0002, .signed(12500, .bits16))
            set(ep, ZCLClusterID.relativeHumidityMeasurement, 0x0000, .unsigned(4500, .bits16))
        case .motionSensor:
            set(ep, ZCLClusterID.occupancySensing, 0x0000, .bitmap(0, .bits8))
            set(ep, ZCLClusterID.occupancySensing, 0x0001, .enum8(0))               // PIR
            set(ep, ZCLClusterID.occupancySensing, 0x0010, .unsigned(30, .bits16))     // PIR occupied → unoccupied delay, s
            set(ep, ZCLClusterID.occupancySensing, 0x0011, .unsigned(0, .bits16))      // PIR unoccupied → occupied delay, s
        case .doorContact:
            set(ep, ZCLClusterID.iasZone, 0x0000, .enum8(0))                        // zone state: not enrolled
            set(ep, ZCLClusterID.iasZone, 0x0001, .enum16(0x0015))                  // zone type: contact switch
            set(ep, ZCLClusterID.iasZone, 0x0002, .bitmap(0, .bits16))                 // zone status
            set(ep, ZCLClusterID.iasZone, 0x0010, .eui64(IEEEAddress(0)))           // IAS CIE address
            set(ep, ZCLClusterID.iasZone, 0x0011, .unsigned(0xFF, .bits8))            // zone id
            set(ep, ZCLClusterID.iasZone, 0x0012, .unsigned(3, .bits8))               // sensitivity levels supported
            set(ep, ZCLClusterID.iasZone, 0x0013, .unsigned(0, .bits8))               // current sensitivity level (default)
        case .smartPlug:
            set(ep, ZCLClusterID.onOff, 0x0000, .bool(true))
            set(ep, ZCLClusterID.metering, 0x0000, .unsigned(123_456, .bits48))        // summation delivered, Wh
            set(ep, ZCLClusterID.metering, 0x0300, .enum8(0))                       // unit: kWh
            set(ep, ZCLClusterID.metering, 0x0301, .unsigned(1, .bits24))            // multiplier
            set(ep, ZCLClusterID.metering, 0x0302, .unsigned(1000, .bits24))         // divisor
            set(ep, ZCLClusterID.metering, 0x0400, .signed(60, .bits24))             // instantaneous demand, W
            set(ep, ZCLClusterID.electricalMeasurement, 0x050B, .signed(60, .bits16))  // active power, W
            set(ep, ZCLClusterID.electricalMeasurement, 0x0604, .unsigned(1, .bits16)) // AC power multiplier
            set(ep, ZCLClusterID.electricalMeasurement, 0x0605, .unsigned(1, .bits16)) // AC power divisor
        case .thermostat:
            set(ep, ZCLClusterID.thermostat, 0x0000, .signed(2050, .bits16))          // local temperature
            set(ep, ZCLClusterID.thermostat, 0x0012, .signed(2100, .bits16))          // occupied heating setpoint
            set(ep, ZCLClusterID.thermostat, 0x001C, .enum8(0x04))                    // system mode: heat
        case .doorLock:
            set(ep, ZCLClusterID.doorLock, 0x0000, .enum8(0x01))                      // lock state: locked
            set(ep, ZCLClusterID.doorLock, 0x0001, .enum8(0x00))                      // lock type: dead bolt
        case .windowCovering:
            set(ep, ZCLClusterID.windowCovering, 0x0008, .unsigned(100, .bits8))     // lift: fully closed
        }
    }

    mutating func set(_ ep: UInt8, _ cluster: UInt16, _ attribute: UInt16, _ value: ZCLValue) {
        attributes[AttributeKey(endpoint: ep, cluster: cluster, attribute: attribute)] = value
    }

    /// The current value of an attribute.
    public func value(endpoint: UInt8 = 1, cluster: UInt16, attribute: UInt16) -> ZCLValue? {
        attributes[AttributeKey(endpoint: endpoint, cluster: cluster, attribute: attribute)]
    }

    public var nodeDescriptor: ZigbeeNodeDescriptor {
        ZigbeeNodeDescriptor(logicalType: isRouter ? .router : .endDevice,
                             macCapabilities: isRouter ? [.fullFunctionDevice, .mainsPowered, .receiverOnWhenIdle, .allocateAddress]
                                                       : [.allocateAddress],
                             manufacturerCode: 0x1234)
    }

    public var macCapabilities: ZigbeeMACCapabilities { nodeDescriptor.macCapabilities }

    mutating func nextSequence() -> UInt8 { sequence &+= 1; return sequence }
}

// MARK: ZCL

extension VirtualZigbeeDevice {
    /// A ZCL frame from the coordinator to one of this device's endpoints; returns the frames
    /// the device sends back (responses, default responses, reports triggered by the change).
    mutating func receiveZCL(endpoint: UInt8, cluster: UInt16, frame: ZCLFrame, at now: Double) -> [(cluster: UInt16, frame: ZCLFrame)] {
        guard endpoints.contains(where: { $0.id == endpoint && $0.inputClusters.contains(cluster) }) else {
            return frame.disableDefaultResponse ? [] : [(cluster, defaultResponse(to: frame, .unsupportedCluster))]
        }
        if frame.frameType == .global {
            guard let command = try? frame.globalCommand() else {
                return [(cluster, defaultResponse(to: frame, .malformedCommand))]
            }
            return global(command, endpoint: endpoint, cluster: cluster, frame: frame, at: now).map { (cluster, $0) }
        }
        let status = clusterCommand(endpoint: endpoint, cluster: cluster, frame: frame)
        var out: [(UInt16, ZCLFrame)] = []
        if !frame.disableDefaultResponse || status != .success { out.append((cluster, defaultResponse(to: frame, status))) }
        out += reportsDue(at: now, onChangeOnly: true)
        return out
    }

    func defaultResponse(to frame: ZCLFrame, _ status: ZCLStatus) -> ZCLFrame {
        (try? ZCLFrame.global(.defaultResponse(commandId: frame.commandId, status: status), transactionSequence: frame.transactionSequence,
                              direction: .serverToClient, disableDefaultResponse: true))
            ?? ZCLFrame(frameType: .global, direction: .serverToClient, transactionSequence: frame.transactionSequence, commandId: 0x0B)
    }

    mutating func global(_ command: ZCLGlobalCommand, endpoint: UInt8, cluster: UInt16, frame: ZCLFrame, at now: Double) -> [ZCLFrame] {
        let tsn = frame.transactionSequence
        func reply(_ c: ZCLGlobalCommand) -> [ZCLFrame] {
            (try? ZCLFrame.global(c, transactionSequence: tsn, direction: .serverToClient, disableDefaultResponse: true)).map { [$0] } ?? []
        }
        switch command {
        case .readAttributes(let ids):
            return reply(.readAttributesResponse(ids.map { id in
                if let v = value(endpoint: endpoint, cluster: cluster, attribute: id) { return ZCLReadAttributeRecord(attributeId: id, value: v) }
                return ZCLReadAttributeRecord(attributeId: id, status: .unsupportedAttribute)
            }))
        case .writeAttributes(let records), .writeAttributesUndivided(let records), .writeAttributesNoResponse(let records):
            var failures: [ZCLAttributeStatusRecord] = []
            for r in records {
                let key = AttributeKey(endpoint: endpoint, cluster: cluster, attribute: r.attributeId)
                guard let old = attributes[key] else { failures.append(.init(status: .unsupportedAttribute, attributeId: r.attributeId)); continue }
                guard old.dataType == r.value.dataType else { failures.append(.init(status: .invalidDataType, attributeId: r.attributeId)); continue }
                attributes[key] = r.value
                commandLog.append("write 0x\(String(cluster, radix: 16))/0x\(String(r.attributeId, radix: 16))")
            }
            if case .writeAttributesNoResponse = command { return [] }
            return reply(.writeAttributesResponse(failures.isEmpty ? [.init(status: .success)] : failures))
        case .configureReporting(let configs):
            var results: [ZCLReportingStatusRecord] = []
            for c in configs {
                let key = AttributeKey(endpoint: endpoint, cluster: cluster, attribute: c.attributeId)
                guard attributes[key] != nil else {
                    results.append(.init(status: .unsupportedAttribute, direction: .reported, attributeId: c.attributeId)); continue
                }
                if case .reported(_, let minI, let maxI, _) = c.kind {
                    if maxI == 0xFFFF { reporting[key] = nil } else {
                        reporting[key] = Reporting(minimum: Double(minI), maximum: maxI == 0 ? 3600 : Double(maxI))
                    }
                }
            }
            return reply(.configureReportingResponse(results.isEmpty ? [.init(status: .success)] : results))
        case .discoverAttributes(let start, let maximum):
            let ids = attributes.keys.filter { $0.endpoint == endpoint && $0.cluster == cluster && $0.attribute >= start }
                .map(\.attribute).sorted()
            let page = ids.prefix(Int(maximum))
            return reply(.discoverAttributesResponse(complete: page.count == ids.count, attributes: page.compactMap { id in
                value(endpoint: endpoint, cluster: cluster, attribute: id).map { ZCLDiscoveredAttribute(attributeId: id, dataType: $0.dataType) }
            }))
        case .defaultResponse, .readAttributesResponse, .writeAttributesResponse, .configureReportingResponse,
             .reportAttributes, .discoverAttributesResponse:
            return []
        case .other:
            return frame.disableDefaultResponse ? [] : [defaultResponse(to: frame, .unsupportedGeneralCommand)]
        }
    }

    /// Applies a cluster-specific command; the status goes into the default response.
    mutating func clusterCommand(endpoint ep: UInt8, cluster: UInt16, frame: ZCLFrame) -> ZCLStatus {
        switch cluster {
        case ZCLClusterID.onOff:
            guard let c = try? OnOffCommand(commandId: frame.commandId, payload: frame.payload) else { return .unsupportedClusterCommand }
            let on = value(endpoint: ep, cluster: cluster, attribute: 0)?.boolValue ?? false
            switch c {
            case .on, .onWithRecallGlobalScene, .onWithTimedOff: set(ep, cluster, 0, .bool(true)); commandLog.append("on")
            case .off, .offWithEffect: set(ep, cluster, 0, .bool(false)); commandLog.append("off")
            case .toggle: set(ep, cluster, 0, .bool(!on)); commandLog.append("toggle")
            }
            return .success
        case ZCLClusterID.levelControl:
            guard let c = try? LevelControlCommand(commandId: frame.commandId, payload: frame.payload) else { return .unsupportedClusterCommand }
            let level = Int(value(endpoint: ep, cluster: cluster, attribute: 0)?.integerValue ?? 0)
            switch c {
            case .moveToLevel(let l, _, let withOnOff, _):
                set(ep, cluster, 0, .unsigned(UInt64(min(l, 254)), .bits8)); commandLog.append("level \(l)")
                if withOnOff { set(ep, ZCLClusterID.onOff, 0, .bool(l > 1)) }
            case .step(let mode, let size, _, let withOnOff, _):
                let next = mode == .up ? min(254, level + Int(size)) : max(withOnOff ? 0 : 1, level - Int(size))
                set(ep, cluster, 0, .unsigned(UInt64(next), .bits8)); commandLog.append("level \(next)")
                if withOnOff { set(ep, ZCLClusterID.onOff, 0, .bool(next > 1)) }
            case .move, .stop:
                commandLog.append("level move/stop")
            }
            return .success
        case ZCLClusterID.colorControl:
            guard let c = try? ColorControlCommand(commandId: frame.commandId, payload: frame.payload) else { return .unsupportedClusterCommand }
            switch c {
            case .moveToHue(let h, _, _, _): set(ep, cluster, 0, .unsigned(UInt64(h), .bits8)); set(ep, cluster, 8, .enum8(0))
            case .moveToSaturation(let s, _, _): set(ep, cluster, 1, .unsigned(UInt64(s), .bits8)); set(ep, cluster, 8, .enum8(0))
            case .moveToHueAndSaturation(let h, let s, _, _):
                set(ep, cluster, 0, .unsigned(UInt64(h), .bits8)); set(ep, cluster, 1, .unsigned(UInt64(s), .bits8)); set(ep, cluster, 8, .enum8(0))
            case .moveToColor(let x, let y, _, _):
                set(ep, cluster, 3, .unsigned(UInt64(x), .bits16)); set(ep, cluster, 4, .unsigned(UInt64(y), .bits16)); set(ep, cluster, 8, .enum8(1))
            case .moveToColorTemperature(let m, _, _):
                set(ep, cluster, 7, .unsigned(UInt64(min(max(m, 153), 500)), .bits16)); set(ep, cluster, 8, .enum8(2))
            default:
                return .unsupportedClusterCommand
            }
            commandLog.append("color \(frame.commandId)")
            return .success
        case ZCLClusterID.iasZone:
            guard let c = try? IASZoneCommand(commandId: frame.commandId, payload: frame.payload) else { return .unsupportedClusterCommand }
            if case .zoneEnrollResponse(let code, let zoneId) = c, code == .success {
                set(ep, cluster, 0x0000, .enum8(1)); set(ep, cluster, 0x0011, .unsigned(UInt64(zoneId), .bits8))
                commandLog.append("enrolled \(zoneId)")
            }
            return .success
        case ZCLClusterID.doorLock:
            guard let c = try? DoorLockCommand(commandId: frame.commandId, payload: frame.payload) else { return .unsupportedClusterCommand }
            switch c {
            case .lock: set(ep, cluster, 0, .enum8(0x01)); commandLog.append("lock")
            case .unlock, .unlockWithTimeout: set(ep, cluster, 0, .enum8(0x02)); commandLog.append("unlock")
            case .toggle:
                let locked = value(endpoint: ep, cluster: cluster, attribute: 0) == .enum8(0x01)
                set(ep, cluster, 0, .enum8(locked ? 0x02 : 0x01)); commandLog.append(locked ? "unlock" : "lock")
            }
            return .success
        case ZCLClusterID.windowCovering:
            guard let c = try? WindowCoveringCommand(commandId: frame.commandId, payload: frame.payload) else { return .unsupportedClusterCommand }
            switch c {
            case .upOpen: set(ep, cluster, 0x0008, .unsigned(0, .bits8)); commandLog.append("open")
            case .downClose: set(ep, cluster, 0x0008, .unsigned(100, .bits8)); commandLog.append("close")
            case .goToLiftPercentage(let p): set(ep, cluster, 0x0008, .unsigned(UInt64(min(p, 100)), .bits8)); commandLog.append("lift \(p)")
            default: commandLog.append("covering \(frame.commandId)")
            }
            return .success
        case ZCLClusterID.identify:
            commandLog.append("identify")
            return frame.commandId == 0x00 ? .success : .unsupportedClusterCommand
        default:
            return .unsupportedClusterCommand
        }
    }
}
