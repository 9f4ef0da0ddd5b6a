/// Decodes unencrypted Xiaomi MiBeacon service data (16-bit UUID 0xFE95): frame control,
/// product id, frame counter, optional MAC and capability, then one object `id len data`.
/// Encrypted frames are recognised and reported, not decrypted. Pure; never traps.
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
    }

    public enum Failure: Error, Sendable, Hashable { case truncated }

    public static func decode(_ data: some Collection<UInt8>) throws(Failure) -> Frame {
        let b = Array(data)
        guard b.count >= 5 else { throw .truncated }
        let fc = UInt16(b[0]) | UInt16(b[1]) << 8
        var frame = Frame(productID: UInt16(b[2]) | UInt16(b[3]) << 8, frameCounter: b[4],
                          encrypted: fc & 0x0008 != 0, mac: nil, readings: [], stopped: nil)
        var i = 5
        if fc & 0x0010 != 0 {
            guard b.count >= i + 6 else { throw .truncated }
            frame.mac = b[i..<(i + 6)].reversed().map { v in let s = String(v, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s }
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
        guard fc & 0x0040 != 0 else { return frame }
        if frame.encrypted {
            frame.stopped = "encrypted MiBeacon payload is not decrypted by this build"
            return frame
        }
        guard b.count >= i + 3 else { frame.stopped = "object header truncated"; return frame }
        let id = UInt16(b[i]) | UInt16(b[i + 1]) << 8
        let len = Int(b[i + 2])
        guard b.count >= i + 3 + len else { frame.stopped = "object 0x\(String(id, radix: 16)) truncated"; return frame }
        let v = Array(b[(i + 3)..<(i + 3 + len)])
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
        return frame
    }
}
