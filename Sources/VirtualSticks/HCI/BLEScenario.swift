import Bluetooth
import Foundation

/// A small home of virtual Bluetooth LE sensors for the virtual HCI controller: who
/// advertises, in which format, how often, and how the values move over time. Values are
/// deterministic functions of time, so a test knows what to expect.
public struct BLEScenario: Sendable, Hashable {
    /// `atc` and `pvvx` are the atc1441 and pvvx custom-firmware thermometer layouts (UUID 0x181A).
    public enum Format: String, Sendable, Hashable { case bthome, mibeacon, atc, pvvx }

    /// How an object's value evolves.
    public enum Signal: Sendable, Hashable {
        /// `base + amplitude·sin(2πt/period)`, in the object's unit (°C, %, lx …).
        case wave(base: Double, amplitude: Double, period: Double)
        /// A binary that flips every `every` seconds (starting false).
        case toggle(every: Double)
        /// A button: a press (BTHome event 0x01) every `every` seconds, "none" between.
        case press(every: Double)
    }

    public struct Object: Sendable, Hashable {
        /// BTHome object id (0x02 temperature …), MiBeacon object id (0x1004 …), or for `atc`
        /// and `pvvx` the quantity's `ATCDecoder.Object` id (0x1A01/0x1A02 temperature in °C,
        /// 0x1A03/0x1A04 humidity in %, 0x1A05 battery in %, 0x1A06 battery in V).
        public var id: UInt16
        public var signal: Signal
        public init(id: UInt16, signal: Signal) { self.id = id; self.signal = signal }
    }

    public struct Device: Sendable, Hashable {
        public var name: String
        /// Most significant byte first, as written (`A4:C1:38:00:00:01`).
        public var address: [UInt8]
        /// 0 public, 1 random.
        public var addressType: UInt8
        /// When > 0, a resolvable private address that changes every `rotateEvery` seconds
        /// (a phone): the bridge must not see it as new devices.
        public var rotateEvery: Double
        public var format: Format
        public var interval: Double
        public var phase: Double
        public var rssi: Int8
        /// MiBeacon product id.
        public var productID: UInt16
        public var objects: [Object]
        /// BTHome only: when set (16 bytes), advertisements are encrypted with it (AES-CCM, an
        /// increasing counter), as a sensor with encryption enabled sends them.
        public var bindkey: [UInt8]?

        public init(name: String, address: [UInt8], addressType: UInt8 = 0, rotateEvery: Double = 0, format: Format,
                    interval: Double, phase: Double = 0, rssi: Int8 = -60, productID: UInt16 = 0, objects: [Object],
                    bindkey: [UInt8]? = nil) {
            self.name = name; self.address = address; self.addressType = addressType; self.rotateEvery = rotateEvery
            self.format = format; self.interval = interval; self.phase = phase; self.rssi = rssi
            self.productID = productID; self.objects = objects; self.bindkey = bindkey
        }
    }

    /// What changes between advertisements of one device.
    public struct DeviceState: Sendable, Hashable {
        var packetID: UInt8 = 0
        var lastPress: Int = 0
        var miCounter: UInt8 = 0
        var miNext = 0
        /// The encryption counter (BTHome) or frame counter (atc, pvvx).
        var counter: UInt32 = 0
    }

    public var devices: [Device]
    public init(devices: [Device]) { self.devices = devices }

    /// The bindkey of the demo home's encrypted BTHome sensor ("Bedroom"); the demo
    /// configuration supplies it to the bridge.
    public static let homeBindkey: [UInt8] = [0x3E, 0x1F, 0x6B, 0x52, 0x0C, 0x94, 0xD7, 0x21, 0x8A, 0x45, 0xB3, 0x70, 0x16, 0xE9, 0xC2, 0x5D]

    /// The demo home: a BTHome thermometer, a door contact, a motion sensor, a button, a
    /// MiBeacon plant sensor, a phone with a rotating address, a pvvx-firmware thermometer and
    /// an encrypted BTHome thermometer (its bindkey is `homeBindkey`).
    public static let home = BLEScenario(devices: [
        Device(name: "Living room", address: [0xA4, 0xC1, 0x38, 0x00, 0x00, 0x01], format: .bthome, interval: 2, objects: [
            Object(id: 0x01, signal: .wave(base: 87, amplitude: 0, period: 1)),
            Object(id: 0x02, signal: .wave(base: 21.5, amplitude: 1.5, period: 120)),
            Object(id: 0x03, signal: .wave(base: 45, amplitude: 5, period: 300)),
        ]),
        Device(name: "Front door", address: [0x3C, 0x2E, 0xF5, 0x00, 0x00, 0x02], format: .bthome, interval: 2, phase: 0.3, objects: [
            Object(id: 0x01, signal: .wave(base: 98, amplitude: 0, period: 1)),
            Object(id: 0x05, signal: .wave(base: 320, amplitude: 80, period: 200)),
            Object(id: 0x1A, signal: .toggle(every: 20)),
        ]),
        Device(name: "Hall motion", address: [0x3C, 0x2E, 0xF5, 0x00, 0x00, 0x03], format: .bthome, interval: 2, phase: 0.6, objects: [
            Object(id: 0x01, signal: .wave(base: 76, amplitude: 0, period: 1)),
            Object(id: 0x21, signal: .toggle(every: 15)),
        ]),
        Device(name: "Kitchen button", address: [0x3C, 0x2E, 0xF5, 0x00, 0x00, 0x04], format: .bthome, interval: 1, phase: 0.9, objects: [
            Object(id: 0x01, signal: .wave(base: 100, amplitude: 0, period: 1)),
            Object(id: 0x3A, signal: .press(every: 10)),
        ]),
        Device(name: "Flower care", address: [0xC4, 0x7C, 0x8D, 0x00, 0x00, 0x05], format: .mibeacon, interval: 1.5, phase: 1.2,
               productID: 0x0098, objects: [
            Object(id: 0x1004, signal: .wave(base: 19.8, amplitude: 0.8, period: 150)),
            Object(id: 0x1008, signal: .wave(base: 35, amplitude: 4, period: 400)),
            Object(id: 0x1007, signal: .wave(base: 850, amplitude: 300, period: 180)),
            Object(id: 0x1009, signal: .wave(base: 420, amplitude: 30, period: 500)),
        ]),
        Device(name: "Phone", address: [0x5D, 0x11, 0x22, 0x33, 0x44, 0x55], addressType: 1, rotateEvery: 60, format: .bthome,
               interval: 3, phase: 1.5, objects: [Object(id: 0x01, signal: .wave(base: 50, amplitude: 0, period: 1))]),
        Device(name: "Kids room", address: [0xA4, 0xC1, 0x38, 0x00, 0x00, 0x06], format: .pvvx, interval: 2.5, phase: 1.8, objects: [
            Object(id: ATCDecoder.Object.temperatureCenti, signal: .wave(base: 20.5, amplitude: 1, period: 240)),
            Object(id: ATCDecoder.Object.humidityCenti, signal: .wave(base: 52, amplitude: 4, period: 360)),
            Object(id: ATCDecoder.Object.battery, signal: .wave(base: 64, amplitude: 0, period: 1)),
            Object(id: ATCDecoder.Object.batteryVoltage, signal: .wave(base: 2.87, amplitude: 0, period: 1)),
        ]),
        Device(name: "Bedroom", address: [0x38, 0x1F, 0x8D, 0x00, 0x00, 0x07], format: .bthome, interval: 2, phase: 2.1, objects: [
            Object(id: 0x01, signal: .wave(base: 93, amplitude: 0, period: 1)),
            Object(id: 0x02, signal: .wave(base: 19.2, amplitude: 0.8, period: 180)),
            Object(id: 0x03, signal: .wave(base: 48, amplitude: 3, period: 280)),
        ], bindkey: homeBindkey),
    ])
}

extension BLEScenario.Device {
    /// The address in the controller's byte order (least significant byte first).
    func currentAddress(at time: Double) -> [UInt8] {
        var a = address
        if rotateEvery > 0 {
            let epoch = UInt32(time / rotateEvery)
            a[3] = UInt8(truncatingIfNeeded: epoch >> 16) ^ a[3]
            a[4] = UInt8(truncatingIfNeeded: epoch >> 8) ^ a[4]
            a[5] = UInt8(truncatingIfNeeded: epoch) ^ a[5]
            a[0] = (a[0] & 0x3F) | 0x40 // resolvable private address: top bits 01
        }
        return a.reversed()
    }

    func value(_ o: BLEScenario.Object, at t: Double) -> Double {
        switch o.signal {
        case .wave(let base, let amp, let period):
            return base + amp * sin(2 * Double.pi * t / max(period, 0.001))
        case .toggle(let every):
            return Int(t / max(every, 0.001)) % 2 == 1 ? 1 : 0
        case .press:
            return 0
        }
    }

    /// The advertising data sent at time `t`.
    func advertisement(at t: Double, state: inout BLEScenario.DeviceState) -> [UInt8] {
        var ad: [UInt8] = [0x02, 0x01, 0x06]
        switch format {
        case .bthome:
            var payload: [UInt8] = [0x40]
            var encoded: [UInt8] = []
            for o in objects {
                guard let def = BTHomeObject.table[UInt8(truncatingIfNeeded: o.id)] else { continue }
                var raw: Int64
                switch (o.signal, def.kind) {
                case (.press(let every), _):
                    let n = Int(t / max(every, 0.001))
                    if n != state.lastPress { state.lastPress = n; raw = 1 } else { raw = 0 }
                case (_, .measurement(_, let factor)):
                    raw = Int64((value(o, at: t) / factor).rounded())
                default:
                    raw = Int64(value(o, at: t))
                }
                encoded.append(UInt8(truncatingIfNeeded: o.id))
                for k in 0..<def.byteCount { encoded.append(UInt8(truncatingIfNeeded: raw >> (8 * Int64(k)))) }
            }
            // Every advertisement carries new readings, so every one gets a new packet id.
            state.packetID &+= 1
            payload += [0x00, state.packetID] + encoded
            if let bindkey {
                state.counter &+= 1
                let mac = currentAddress(at: t).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                // A bad key length makes the device silent rather than the controller fail.
                guard let sealed = try? BTHomeDecoder.encrypt(objects: Array(payload.dropFirst()), address: mac,
                                                              counter: state.counter, bindkey: bindkey) else { break }
                payload = sealed
            }
            ad += [UInt8(payload.count + 3), 0x16, 0xD2, 0xFC] + payload
        case .mibeacon:
            // One object per advertisement, in turn; frame control: version 2, MAC and object present.
            guard !objects.isEmpty else { break }
            let o = objects[state.miNext % objects.count]
            state.miNext += 1
            state.miCounter &+= 1
            let v = value(o, at: t)
            let data: [UInt8]
            switch o.id {
            case 0x1004, 0x1006: let r = Int16((v * 10).rounded()); data = [UInt8(truncatingIfNeeded: r), UInt8(truncatingIfNeeded: r >> 8)]
            case 0x1007: let r = UInt32(max(0, v.rounded())); data = [UInt8(truncatingIfNeeded: r), UInt8(truncatingIfNeeded: r >> 8), UInt8(truncatingIfNeeded: r >> 16)]
            case 0x1009: let r = UInt16(max(0, v.rounded())); data = [UInt8(truncatingIfNeeded: r), UInt8(truncatingIfNeeded: r >> 8)]
            default: data = [UInt8(max(0, min(255, v.rounded())))]
            }
            var sd: [UInt8] = [0x95, 0xFE, 0x50, 0x20, UInt8(productID & 0xFF), UInt8(productID >> 8), state.miCounter]
            sd += address.reversed()
            sd += [UInt8(o.id & 0xFF), UInt8(o.id >> 8), UInt8(data.count)] + data
            ad += [UInt8(sd.count + 1), 0x16] + sd
        case .atc, .pvvx:
            // One measurement per advertisement, each with the next frame counter.
            state.counter &+= 1
            func v(_ ids: [UInt16], _ fallback: Double) -> Double {
                objects.first { ids.contains($0.id) }.map { value($0, at: t) } ?? fallback
            }
            let pvvx = format == .pvvx
            let celsius = v([ATCDecoder.Object.temperatureDeci, ATCDecoder.Object.temperatureCenti], 20)
            let humidity = v([ATCDecoder.Object.humidityPercent, ATCDecoder.Object.humidityCenti], 50)
            let mac = address.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let sd = ATCDecoder.encode(pvvx ? .pvvx : .atc1441, mac: mac,
                                       temperature: Int16(clamping: Int((celsius * (pvvx ? 100 : 10)).rounded())),
                                       humidity: UInt16(clamping: Int((humidity * (pvvx ? 100 : 1)).rounded())),
                                       battery: UInt8(clamping: Int(v([ATCDecoder.Object.battery], 100).rounded())),
                                       millivolts: UInt16(clamping: Int((v([ATCDecoder.Object.batteryVoltage], 3) * 1000).rounded())),
                                       counter: UInt8(truncatingIfNeeded: state.counter))
            ad += [UInt8(sd.count + 3), 0x16, 0x1A, 0x18] + sd
        }
        let name = Array(name.utf8.prefix(max(0, 31 - ad.count - 2)))
        if !name.isEmpty { ad += [UInt8(name.count + 1), 0x09] + name }
        return ad
    }
}
