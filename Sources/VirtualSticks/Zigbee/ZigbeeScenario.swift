import Foundation
import Yams
import ZigbeeCore

/// The devices of a simulated ZigBee network, from YAML:
///
/// ```yaml
/// devices:
///   - name: Living room lamp
///     kind: color_light          # on_off_light | color_light | temperature_humidity_sensor |
///                                # motion_sensor | door_contact | smart_plug
///     ieee: "a4:c1:38:00:00:00:00:01"   # optional; derived from the position otherwise
///     joined: true               # in the network from the start (default); false = joins on PermitJoin
///     period: 30                 # seconds between sensor changes
/// ```
public struct ZigbeeScenario: Sendable {
    public struct Device: Sendable {
        public var name: String
        public var kind: VirtualZigbeeDevice.Kind
        public var ieee: IEEEAddress
        public var joined: Bool
        public var period: Double
        public init(name: String, kind: VirtualZigbeeDevice.Kind, ieee: IEEEAddress, joined: Bool = true, period: Double = 30) {
            self.name = name; self.kind = kind; self.ieee = ieee; self.joined = joined; self.period = period
        }
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable { public var description: String }

    public var devices: [Device]
    public init(devices: [Device]) { self.devices = devices }

    /// The demo home: two lights, a climate sensor, motion, a door contact, and a smart plug
    /// that is not paired yet (it joins when PermitJoin opens the network).
    public static let home = ZigbeeScenario(devices: [
        Device(name: "Living room lamp", kind: .colorLight, ieee: IEEEAddress(0x00158D00_00000001)),
        Device(name: "Hall light", kind: .onOffLight, ieee: IEEEAddress(0x00158D00_00000002)),
        Device(name: "Bathroom climate", kind: .temperatureHumiditySensor, ieee: IEEEAddress(0x00158D00_00000003), period: 120),
        Device(name: "Hall motion", kind: .motionSensor, ieee: IEEEAddress(0x00158D00_00000004), period: 25),
        Device(name: "Back door", kind: .doorContact, ieee: IEEEAddress(0x00158D00_00000005), period: 40),
        Device(name: "Coffee machine plug", kind: .smartPlug, ieee: IEEEAddress(0x00158D00_00000006), joined: false, period: 60),
    ])

    /// The network for this scenario; network addresses are assigned in order from 0x1001.
    public func network() -> VirtualZigbeeNetwork {
        let devs = devices.enumerated().map { i, d in
            VirtualZigbeeDevice(name: d.name, ieee: d.ieee, networkAddress: UInt16(0x1001 + i), kind: d.kind, period: d.period)
        }
        return VirtualZigbeeNetwork(devices: devs, members: Set(devices.filter(\.joined).map(\.ieee)))
    }

    public static func load(path: String) throws(LoadError) -> ZigbeeScenario {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw LoadError(description: "\(path): cannot read: \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String = "scenario") throws(LoadError) -> ZigbeeScenario {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw LoadError(description: "\(source): not YAML: \(error)") }
        guard let top = root as? [String: Any], let list = top["devices"] as? [Any] else {
            throw LoadError(description: "\(source): expected a mapping with a 'devices' list")
        }
        var out: [Device] = []
        for (i, item) in list.enumerated() {
            let at = "\(source): devices[\(i)]"
            guard let d = item as? [String: Any] else { throw LoadError(description: "\(at): expected a mapping") }
            guard let name = d["name"] as? String, !name.isEmpty else { throw LoadError(description: "\(at): 'name' is missing") }
            guard let kindText = d["kind"] as? String, let kind = VirtualZigbeeDevice.Kind(rawValue: kindText) else {
                throw LoadError(description: "\(at): 'kind' must be one of \(VirtualZigbeeDevice.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var ieee = IEEEAddress(0x00158D00_00010000 + UInt64(i + 1))
            if let text = d["ieee"] as? String {
                guard let parsed = IEEEAddress(string: text) else { throw LoadError(description: "\(at): 'ieee' must be 8 hex bytes like 00:15:8d:00:00:00:00:01") }
                ieee = parsed
            }
            guard !out.contains(where: { $0.ieee == ieee }) else { throw LoadError(description: "\(at): 'ieee' \(ieee) is used twice") }
            let period = (d["period"] as? Double) ?? (d["period"] as? Int).map(Double.init) ?? 30
            guard period >= 1 else { throw LoadError(description: "\(at): 'period' must be at least 1 second") }
            out.append(Device(name: name, kind: kind, ieee: ieee, joined: d["joined"] as? Bool ?? true, period: period))
        }
        guard out.count <= 0xEFFE else { throw LoadError(description: "\(source): too many devices") }
        return ZigbeeScenario(devices: out)
    }
}
