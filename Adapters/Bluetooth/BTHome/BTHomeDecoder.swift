/// Decodes BTHome v2 service data (16-bit UUID 0xFCD2): a device-information byte, then
/// objects of `id value`. Pure; never traps on bad input.
public enum BTHomeDecoder {
    public static let serviceUUID: UInt16 = 0xFCD2

    public struct Reading: Sendable, Hashable {
        public var key: String
        /// The object id in its format's numbering: BTHome ids 0x00–0xFF, MiBeacon ids 0x1004 …
        public var objectID: UInt16
        /// 0 for the first object with this id in the packet, 1 for the second …
        public var index: Int
        public var value: Value
        /// The integer as sent, before the format's factor (2506 for 25.06 °C). The bridge's
        /// mappings apply factors themselves, so adapters report this.
        public var raw: Int64
        public init(key: String, objectID: UInt16, index: Int, value: Value, raw: Int64 = 0) {
            self.key = key; self.objectID = objectID; self.index = index; self.value = value; self.raw = raw
        }
    }

    public enum Value: Sendable, Hashable {
        case number(Double, unit: String)
        case bool(Bool)
        case event(String)
    }

    public struct Advertisement: Sendable, Hashable {
        public var version: Int
        public var encrypted: Bool
        public var triggerBased: Bool
        public var packetID: UInt8?
        public var readings: [Reading]
        /// Why decoding stopped early, when it did (unknown object id, truncated value,
        /// encrypted payload without a key).
        public var stopped: String?
        /// The encryption counter of a decrypted advertisement (increases with every one).
        public var counter: UInt32?
    }

    public enum Failure: Error, Sendable, Hashable {
        case empty
        case unsupportedVersion(Int)
        /// Encrypted, and no bindkey is configured for the device.
        case bindkeyMissing
        /// The bindkey is not 16 bytes.
        case invalidBindkey
        /// Encrypted, but shorter than the counter and MIC.
        case encryptedPayloadTruncated
        /// The MIC does not match: a wrong bindkey or altered data.
        case authenticationFailed
    }

    /// raw × factor, rounded to the decimals the factor has (2506 × 0.01 is 25.06, not 25.060000000000002).
    static func scaled(_ raw: Double, _ factor: Double) -> Double {
        var decimals = 0.0
        var f = factor
        while f < 1 && decimals < 9 { f *= 10; decimals += 1 }
        var scale = 1.0
        for _ in 0..<Int(decimals) { scale *= 10 }
        return (raw * factor * scale).rounded() / scale
    }

    /// `data` is the service data after the UUID (first byte: device information).
    public static func decode(_ data: some Collection<UInt8>) throws(Failure) -> Advertisement {
        let bytes = Array(data)
        guard let info = bytes.first else { throw .empty }
        let version = Int(info >> 5)
        guard version == 2 else { throw .unsupportedVersion(version) }
        var ad = Advertisement(version: version, encrypted: info & 0x01 != 0, triggerBased: info & 0x04 != 0,
                               packetID: nil, readings: [], stopped: nil, counter: nil)
        if ad.encrypted {
            ad.stopped = "encrypted payload (AES-CCM): decoding it needs the device's bindkey"
            return ad
        }
        var i = 1
        var seen: [UInt8: Int] = [:]
        while i < bytes.count {
            let id = bytes[i]
            guard let obj = BTHomeObject.table[id] else {
                ad.stopped = "unknown object id 0x\(String(id, radix: 16)) at byte \(i)"
                break
            }
            let n = obj.byteCount
            guard i + 1 + n <= bytes.count else {
                ad.stopped = "object 0x\(String(id, radix: 16)) truncated at byte \(i)"
                break
            }
            let raw = bytes[(i + 1)..<(i + 1 + n)]
            i += 1 + n
            var unsigned: UInt64 = 0
            for (k, b) in raw.enumerated() { unsigned |= UInt64(b) << (8 * UInt64(k)) }
            let value: Value
            switch obj.kind {
            case .packetID:
                ad.packetID = raw.first
                continue
            case .binary:
                value = .bool(unsigned != 0)
            case .buttonEvent:
                let code = UInt8(truncatingIfNeeded: unsigned)
                value = .event(BTHomeObject.buttonEvents[code] ?? "event_0x\(String(code, radix: 16))")
            case .measurement(let unit, let factor):
                let number: Double
                switch obj.encoding {
                case .unsigned: number = Double(unsigned)
                case .signed(let bytes):
                    let shift = UInt64(64 - 8 * bytes)
                    number = Double(Int64(bitPattern: unsigned << shift) >> Int64(shift))
                }
                value = .number(scaled(number, factor), unit: unit)
            }
            let index = seen[id, default: 0]
            seen[id] = index + 1
            let rawValue: Int64
            if case .signed(let bytes) = obj.encoding {
                let shift = UInt64(64 - 8 * bytes)
                rawValue = Int64(bitPattern: unsigned << shift) >> Int64(shift)
            } else {
                rawValue = Int64(bitPattern: unsigned)
            }
            ad.readings.append(Reading(key: obj.key, objectID: UInt16(id), index: index, value: value, raw: rawValue))
        }
        return ad
    }
}
