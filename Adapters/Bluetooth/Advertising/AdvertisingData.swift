/// Advertising data (Bluetooth Core Vol 3 Part C §11): a sequence of `length type data`
/// structures. Pure; a zero length ends the data, a length past the end marks it malformed.
public struct AdvertisingData: Sendable, Hashable {
    public struct Structure: Sendable, Hashable {
        public var type: UInt8
        public var data: [UInt8]
    }

    public var structures: [Structure]
    /// True when a length byte ran past the end (the structures before it are kept).
    public var malformed: Bool

    public static let flags: UInt8 = 0x01
    public static let shortenedName: UInt8 = 0x08
    public static let completeName: UInt8 = 0x09
    public static let serviceData16: UInt8 = 0x16
    public static let manufacturerData: UInt8 = 0xFF

    public init(parsing bytes: some Collection<UInt8>) {
        let b = Array(bytes)
        var out: [Structure] = []
        var i = 0
        var bad = false
        while i < b.count {
            let len = Int(b[i])
            if len == 0 { break }
            guard i + 1 + len <= b.count else { bad = true; break }
            out.append(Structure(type: b[i + 1], data: Array(b[(i + 2)..<(i + 1 + len)])))
            i += 1 + len
        }
        structures = out
        malformed = bad
    }

    /// Service data for a 16-bit UUID (e.g. 0xFCD2 BTHome, 0xFE95 MiBeacon), without the UUID.
    public func serviceData(uuid16: UInt16) -> [UInt8]? {
        for s in structures where s.type == Self.serviceData16 && s.data.count >= 2 {
            if UInt16(s.data[0]) | UInt16(s.data[1]) << 8 == uuid16 { return Array(s.data.dropFirst(2)) }
        }
        return nil
    }

    /// The complete (or else shortened) local name.
    public var localName: String? {
        let s = structures.first { $0.type == Self.completeName } ?? structures.first { $0.type == Self.shortenedName }
        return s.map { String(decoding: $0.data, as: UTF8.self) }
    }

    public var flagsValue: UInt8? { structures.first { $0.type == Self.flags }?.data.first }
}
