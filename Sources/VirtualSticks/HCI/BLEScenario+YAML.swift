import Foundation
import Yams

extension BLEScenario {
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Loads a scenario:
    ///
    /// ```yaml
    /// devices:
    ///   - name: Living room
    ///     address: "A4:C1:38:00:00:01"
    ///     format: bthome            # bthome | mibeacon
    ///     interval: 2               # seconds between advertisements
    ///     objects:
    ///       - {id: 0x02, base: 21.5, amplitude: 1.5, period: 120}   # value in the object's unit
    ///       - {id: 0x1a, toggle_every: 20}
    ///       - {id: 0x3a, press_every: 10}
    /// ```
    /// Optional per device: `random: true` (random static address), `rotate_every: 60`
    /// (a private address that changes), `phase`, `rssi`, `product_id` (MiBeacon).
    public static func load(path: String) throws(LoadError) -> BLEScenario {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw LoadError(description: "\(path): cannot read: \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String = "scenario") throws(LoadError) -> BLEScenario {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw LoadError(description: "\(source): not YAML: \(error)") }
        guard let top = root as? [String: Any], let list = top["devices"] as? [Any] else {
            throw LoadError(description: "\(source): expected a mapping with a 'devices' list")
        }
        var devices: [Device] = []
        for (i, item) in list.enumerated() {
            let at = "\(source): devices[\(i)]"
            guard let d = item as? [String: Any] else { throw LoadError(description: "\(at): expected a mapping") }
            guard let name = d["name"] as? String else { throw LoadError(description: "\(at): 'name' is missing") }
            guard let addrText = d["address"] as? String, let addr = parseAddress(addrText) else {
                throw LoadError(description: "\(at): 'address' must look like A4:C1:38:00:00:01")
            }
            guard let formatText = d["format"] as? String, let format = Format(rawValue: formatText) else {
                throw LoadError(description: "\(at): 'format' must be bthome or mibeacon")
            }
            let interval = number(d["interval"]) ?? 2
            guard interval >= 0.05 else { throw LoadError(description: "\(at): 'interval' must be at least 0.05 s") }
            var objects: [Object] = []
            for (j, o) in (d["objects"] as? [Any] ?? []).enumerated() {
                guard let om = o as? [String: Any], let id = number(om["id"]) else {
                    throw LoadError(description: "\(at).objects[\(j)]: expected a mapping with an 'id'")
                }
                let signal: Signal
                if let every = number(om["toggle_every"]) { signal = .toggle(every: every) }
                else if let every = number(om["press_every"]) { signal = .press(every: every) }
                else {
                    signal = .wave(base: number(om["base"]) ?? 0, amplitude: number(om["amplitude"]) ?? 0, period: number(om["period"]) ?? 60)
                }
                objects.append(Object(id: UInt16(clamping: Int(id)), signal: signal))
            }
            let rotate = number(d["rotate_every"]) ?? 0
            let random = (d["random"] as? Bool ?? false) || rotate > 0
            devices.append(Device(name: name, address: addr, addressType: random ? 1 : 0, rotateEvery: rotate, format: format,
                                  interval: interval, phase: number(d["phase"]) ?? 0, rssi: Int8(clamping: Int(number(d["rssi"]) ?? -60)),
                                  productID: UInt16(clamping: Int(number(d["product_id"]) ?? 0)), objects: objects))
        }
        return BLEScenario(devices: devices)
    }

    static func number(_ v: Any?) -> Double? {
        switch v {
        case let i as Int: Double(i)
        case let d as Double: d
        case let s as String: s.hasPrefix("0x") ? Int(s.dropFirst(2), radix: 16).map(Double.init) : Double(s)
        default: nil
        }
    }

    static func parseAddress(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ":")
        guard parts.count == 6 else { return nil }
        let bytes = parts.compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
        return bytes.count == 6 ? bytes : nil
    }
}
