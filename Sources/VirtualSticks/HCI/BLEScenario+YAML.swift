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
    ///     format: bthome            # bthome | mibeacon | atc | pvvx
    ///     interval: 2               # seconds between advertisements
    ///     objects:
    ///       - {id: 0x02, base: 21.5, amplitude: 1.5, period: 120}   # value in the object's unit
    ///       - {id: 0x1a, toggle_every: 20}
    ///       - {id: 0x3a, press_every: 10}
    /// ```
    /// Optional per device: `random: true` (random static address), `rotate_every: 60`
    /// (a private address that changes), `phase`, `rssi`, `product_id` (MiBeacon), `bindkey:
    /// "32 hex digits"` (BTHome: encrypted advertisements). `atc` (atc1441 layout) and `pvvx`
    /// (pvvx custom layout) thermometers take objects 0x1a02 temperature (°C), 0x1a04 humidity
    /// (%), 0x1a05 battery (%) and 0x1a06 battery voltage (V).
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
                throw LoadError(description: "\(at): 'format' must be bthome, mibeacon, atc or pvvx")
            }
            var bindkey: [UInt8]?
            if let keyText = d["bindkey"] {
                guard format == .bthome else { throw LoadError(description: "\(at): 'bindkey' is only supported for format bthome") }
                guard let text = keyText as? String, let key = parseHex(text), key.count == 16 else {
                    throw LoadError(description: "\(at): 'bindkey' must be 32 hex digits")
                }
                bindkey = key
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
                                  productID: UInt16(clamping: Int(number(d["product_id"]) ?? 0)), objects: objects,
                                  bindkey: bindkey))
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

    static func parseHex(_ s: String) -> [UInt8]? {
        let digits = Array(s)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let b = UInt8(String(digits[i...(i + 1)]), radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }

    /// The bindkeys of the encrypting devices, by address (`A4:C1:38:00:00:01`) as 32 hex
    /// digits: what the bridge's `bluetooth.bindkeys` needs to read them.
    public var bindkeys: [String: String] {
        var out: [String: String] = [:]
        for d in devices {
            guard let key = d.bindkey else { continue }
            let address = d.address.map { String(format: "%02X", $0) }.joined(separator: ":")
            out[address] = key.map { String(format: "%02x", $0) }.joined()
        }
        return out
    }

    static func parseAddress(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ":")
        guard parts.count == 6 else { return nil }
        let bytes = parts.compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
        return bytes.count == 6 ? bytes : nil
    }
}
