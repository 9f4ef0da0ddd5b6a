/// Decodes Xiaomi MiBeacon service data (16-bit UUID 0xFE95): frame control, product id,
/// frame counter, optional MAC and capability, then one object `id len data`. Encrypted v4/v5
/// frames are decrypted with the device's bindkey (`MiBeaconDecoder+Encryption.swift`); without
/// one they are recognised and reported, not decoded. Pure; never traps.
public enum MiBeaconDecoder {
    public static let serviceUUID: UInt16 = 0xFE95

    public struct Frame: Sendable, Hashable {
        public var productID: UInt16
        public var frameCounter: UInt8
        public var encrypted: Bool
        /// The MAC as written (`4C:65:A8:DB:C2:7C`), when the frame carries it.
        public var mac: String?
        public var readings: [BTHomeDecoder.Reading]
        public var stopped: String?
        /// MiBeacon version (frame control bits 12–15).
        public var version: Int = 0
        /// For a decrypted frame: the 3-byte extended counter above the frame counter, so
        /// `ext << 8 | frameCounter` increases with every advertisement.
        public var counter: UInt32?
    }

    public enum Failure: Error, Sendable, Hashable {
        case truncated
        /// Encrypted, and no bindkey is configured for the device.
        case bindkeyMissing
        /// The bindkey is not 16 bytes.
        case invalidBindkey
        /// Encrypted in a version before 4 (12-byte keys, another scheme), not supported.
        case unsupportedEncryption(version: Int)
        /// The MIC does not match: a wrong bindkey or altered data.
        case authenticationFailed
    }

    /// The frame's fixed part, and where its payload starts.
    struct Header {
        var frame: Frame
        var frameControl: UInt16
        /// The MAC bytes as carried (least significant first), when present.
        var macBytes: [UInt8]?
        var payloadStart: Int
        var hasObject: Bool { frameControl & 0x0040 != 0 }
    }

    static func header(_ b: [UInt8]) throws(Failure) -> Header {
        guard b.count >= 5 else { throw .truncated }
        let fc = UInt16(b[0]) | UInt16(b[1]) << 8
        var h = Header(frame: Frame(productID: UInt16(b[2]) | UInt16(b[3]) << 8, frameCounter: b[4],
                                    encrypted: fc & 0x0008 != 0, mac: nil, readings: [], stopped: nil,
                                    version: Int(fc >> 12)),
                       frameControl: fc, macBytes: nil, payloadStart: 5)
        var i = 5
        if fc & 0x0010 != 0 {
            guard b.count >= i + 6 else { throw .truncated }
            let mac = Array(b[i..<(i + 6)])
            h.macBytes = mac
            h.frame.mac = mac.reversed().map { v in let s = String(v, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s }
                .joined(separator: ":")
            i += 6
        }
        if fc & 0x0020 != 0 {
            guard b.count >= i + 1 else { throw .truncated }
            let capability = b[i]
            i += 1
            // An I/O capability word follows when the capability byte says so (bits 3-4 = 0b11).
            if capability & 0x18 == 0x18 { i += 2 }
        }
        h.payloadStart = i
        return h
    }

    /// Decodes an unencrypted frame; an encrypted one comes back with its header only.
    public static func decode(_ data: some Collection<UInt8>) throws(Failure) -> Frame {
        let b = Array(data)
        let h = try header(b)
        var frame = h.frame
        guard h.hasObject else { return frame }
        if frame.encrypted {
            frame.stopped = "encrypted MiBeacon payload: decoding it needs the device's bindkey"
            return frame
        }
        decodeObject(Array(b[min(h.payloadStart, b.count)...]), into: &frame)
        return frame
    }

    /// Reads the object `id len data` at the start of `b` into the frame's readings.
    static func decodeObject(_ b: [UInt8], into frame: inout Frame) {
        guard b.count >= 3 else { frame.stopped = "object header truncated"; return }
        let id = UInt16(b[0]) | UInt16(b[1]) << 8
        let len = Int(b[2])
        guard b.count >= 3 + len else { frame.stopped = "object 0x\(String(id, radix: 16)) truncated"; return }
        let v = Array(b[3..<(3 + len)])
        func u(_ o: Int, _ n: Int) -> UInt32? {
            guard o + n <= v.count else { return nil }
            var x: UInt32 = 0
            for k in 0..<n { x |= UInt32(v[o + k]) << (8 * UInt32(k)) }
            return x
        }
        func s16(_ o: Int) -> Double? { u(o, 2).map { Double(Int16(bitPattern: UInt16($0))) } }
        // Readings are keyed by the single-value object ids (0x100D temperature+humidity yields a
        // 0x1004 and a 0x1006 reading), so one mapping per quantity serves every product.
        func add(_ key: String, _ object: UInt16, _ raw: Double, _ factor: Double, _ unit: String) {
            frame.readings.append(.init(key: key, objectID: object, index: 0,
                                        value: .number(BTHomeDecoder.scaled(raw, factor), unit: unit), raw: Int64(raw)))
        }
        switch id {
        case 0x1004: if let t = s16(0) { add("temperature", 0x1004, t, 0.1, "°C") }
        case 0x1006: if let h = u(0, 2) { add("humidity", 0x1006, Double(h), 0.1, "%") }
        case 0x100A: if let p = u(0, 1) { add("battery", 0x100A, Double(p), 1, "%") }
        case 0x100D:
            if let t = s16(0), let h = u(2, 2) { add("temperature", 0x1004, t, 0.1, "°C"); add("humidity", 0x1006, Double(h), 0.1, "%") }
        case 0x1007: if let l = u(0, 3) { add("illuminance", 0x1007, Double(l), 1, "lx") }
        case 0x1008: if let m = u(0, 1) { add("moisture", 0x1008, Double(m), 1, "%") }
        case 0x1009: if let c = u(0, 2) { add("conductivity", 0x1009, Double(c), 1, "µS/cm") }
        default: frame.stopped = "object 0x\(String(id, radix: 16)) is not decoded"
        }
        if frame.readings.isEmpty && frame.stopped == nil { frame.stopped = "object 0x\(String(id, radix: 16)) too short" }
    }
}
