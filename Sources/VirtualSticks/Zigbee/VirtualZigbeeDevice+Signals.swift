import Foundation
import ZigbeeCore

extension VirtualZigbeeDevice {
    /// Moves the device's sensors to time `now` (seconds) and returns what it sends on its own:
    /// attribute reports that are due under the configured reporting, and IAS Zone status
    /// change notifications.
    mutating func advance(to now: Double) -> [(cluster: UInt16, frame: ZCLFrame)] {
        var out: [(UInt16, ZCLFrame)] = []
        let phase = 2 * Double.pi * now / max(period, 1)
        let flipped = Int(now / max(period, 1)) % 2 == 1
        switch kind {
        case .temperatureHumiditySensor:
            set(1, ZCLClusterID.temperatureMeasurement, 0, .signed(Int64((2150 + 150 * sin(phase)).rounded()), .bits16))
            set(1, ZCLClusterID.relativeHumidityMeasurement, 0, .unsigned(UInt64((4500 + 500 * cos(phase)).rounded()), .bits16))
        case .motionSensor:
            set(1, ZCLClusterID.occupancySensing, 0, .bitmap(flipped ? 1 : 0, .bits8))
        case .doorContact:
            let old = value(cluster: ZCLClusterID.iasZone, attribute: 2)?.integerValue ?? 0
            let status: UInt16 = flipped ? 1 : 0
            if old != Int64(status) {
                set(1, ZCLClusterID.iasZone, 2, .bitmap(UInt64(status), .bits16))
                let zoneId = UInt8(truncatingIfNeeded: value(cluster: ZCLClusterID.iasZone, attribute: 0x11)?.integerValue ?? 0xFF)
                let n = IASZoneNotification.zoneStatusChange(status: IASZoneStatus(rawValue: status), extendedStatus: 0, zoneId: zoneId, delay: 0)
                if let payload = try? n.encodedPayload() {
                    out.append((ZCLClusterID.iasZone, ZCLFrame(frameType: .clusterSpecific, direction: .serverToClient, disableDefaultResponse: true,
                                                               transactionSequence: nextSequence(), commandId: n.commandId, payload: payload)))
                }
            }
        case .smartPlug:
            let on = value(cluster: ZCLClusterID.onOff, attribute: 0)?.boolValue ?? false
            let watts = on ? Int64((60 + 15 * sin(phase)).rounded()) : 0
            set(1, ZCLClusterID.metering, 0x0400, .signed(watts, .bits24))
            set(1, ZCLClusterID.electricalMeasurement, 0x050B, .signed(watts, .bits16))
            let base: UInt64 = 123_456
            set(1, ZCLClusterID.metering, 0, .unsigned(base + UInt64(max(0, now) * 60 / 3600), .bits48)) // ~60 W average
        case .thermostat:
            // The room drifts towards the setpoint.
            let setpoint = Double(value(cluster: ZCLClusterID.thermostat, attribute: 0x0012)?.integerValue ?? 2100)
            set(1, ZCLClusterID.thermostat, 0x0000, .signed(Int64((setpoint - 50 + 30 * sin(phase)).rounded()), .bits16))
        case .onOffLight, .colorLight, .doorLock, .windowCovering:
            break
        }
        return out + reportsDue(at: now, onChangeOnly: false)
    }

    /// Report Attributes frames for configured attributes: a changed value once the minimum
    /// interval has passed, any value once the maximum interval has passed. One frame per cluster.
    mutating func reportsDue(at now: Double, onChangeOnly: Bool) -> [(cluster: UInt16, frame: ZCLFrame)] {
        var byCluster: [UInt16: [ZCLAttributeValue]] = [:]
        for (key, r) in reporting {
            guard let v = attributes[key] else { continue }
            let changed = v != r.lastValue
            let due = (changed && now - r.lastSent >= r.minimum) || (!onChangeOnly && now - r.lastSent >= r.maximum)
            guard due else { continue }
            reporting[key]?.lastSent = now
            reporting[key]?.lastValue = v
            byCluster[key.cluster, default: []].append(ZCLAttributeValue(attributeId: key.attribute, value: v))
        }
        return byCluster.keys.sorted().compactMap { cluster in
            let records = byCluster[cluster]!.sorted { $0.attributeId < $1.attributeId }
            guard let f = try? ZCLFrame.global(.reportAttributes(records), transactionSequence: nextSequence(),
                                               direction: .serverToClient, disableDefaultResponse: true) else { return nil }
            return (cluster, f)
        }
    }
}
