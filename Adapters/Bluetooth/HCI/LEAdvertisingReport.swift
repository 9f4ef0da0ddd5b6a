/// One report of an LE Advertising Report event (LE Meta event 0x3E, subevent 0x02;
/// Bluetooth Core Vol 4 Part E §7.7.65.2).
public struct LEAdvertisingReport: Sendable, Hashable {
    public enum EventType: Sendable, Hashable {
        case connectableUndirected, connectableDirected, scannableUndirected, nonConnectable, scanResponse
        case unknown(UInt8)
        init(_ v: UInt8) {
            switch v {
            case 0: self = .connectableUndirected
            case 1: self = .connectableDirected
            case 2: self = .scannableUndirected
            case 3: self = .nonConnectable
            case 4: self = .scanResponse
            default: self = .unknown(v)
            }
        }
    }

    public var eventType: EventType
    public var addressType: UInt8
    /// The address as the controller sends it: little-endian, least significant byte first.
    public var address: [UInt8]
    public var data: [UInt8]
    /// dBm; 127 means not available.
    public var rssi: Int8
    /// False for a fragment of an extended advertisement whose data continues (or was
    /// truncated) in a later report; legacy reports are always complete.
    public var complete: Bool = true
    /// True when it came in an LE Extended Advertising Report.
    public var extended: Bool = false

    public init(eventType: EventType, addressType: UInt8, address: [UInt8], data: [UInt8], rssi: Int8,
                complete: Bool = true, extended: Bool = false) {
        self.eventType = eventType; self.addressType = addressType; self.address = address; self.data = data
        self.rssi = rssi; self.complete = complete; self.extended = extended
    }

    /// The address as humans write it (`4C:65:A8:DB:C2:7C`).
    public var addressText: String {
        address.reversed().map { b in let s = String(b, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s }.joined(separator: ":")
    }

    /// Parses the parameters of an LE Meta event whose subevent is 0x02 (legacy) or 0x0D
    /// (extended). Nil when the event is not an advertising report or its lengths do not add up.
    public static func parse(leMetaParameters p: [UInt8]) -> [LEAdvertisingReport]? {
        guard p.count >= 2 else { return nil }
        if p[0] == 0x0D { return parseExtended(p) }
        guard p[0] == 0x02 else { return nil }
        let n = Int(p[1])
        var i = 2
        var out: [LEAdvertisingReport] = []
        for _ in 0..<n {
            guard i + 9 <= p.count else { return nil }
            let type = p[i], addrType = p[i + 1]
            let addr = Array(p[(i + 2)..<(i + 8)])
            let len = Int(p[i + 8])
            guard i + 9 + len + 1 <= p.count else { return nil }
            let data = Array(p[(i + 9)..<(i + 9 + len)])
            let rssi = Int8(bitPattern: p[i + 9 + len])
            out.append(LEAdvertisingReport(eventType: EventType(type), addressType: addrType, address: addr, data: data, rssi: rssi))
            i += 10 + len
        }
        return out
    }

    /// LE Extended Advertising Report (Core Vol 4 Part E §7.7.65.13): per report, event type
    /// (2), address type, address (6), primary and secondary PHY, SID, TX power, RSSI, periodic
    /// interval (2), direct address type and address (7), data length, data.
    static func parseExtended(_ p: [UInt8]) -> [LEAdvertisingReport]? {
        let n = Int(p[1])
        var i = 2
        var out: [LEAdvertisingReport] = []
        for _ in 0..<n {
            guard i + 24 <= p.count else { return nil }
            let eventType = UInt16(p[i]) | UInt16(p[i + 1]) << 8
            let addrType = p[i + 2]
            let addr = Array(p[(i + 3)..<(i + 9)])
            let rssi = Int8(bitPattern: p[i + 13])
            let len = Int(p[i + 23])
            guard i + 24 + len <= p.count else { return nil }
            let data = Array(p[(i + 24)..<(i + 24 + len)])
            let legacy = eventType & 0x0010 != 0
            let type: EventType
            if legacy {
                switch eventType & 0x000F {
                case 0x0003: type = .connectableUndirected
                case 0x0005: type = .connectableDirected
                case 0x0002: type = .scannableUndirected
                case 0x0000: type = .nonConnectable
                default: type = eventType & 0x0008 != 0 ? .scanResponse : .unknown(UInt8(eventType & 0xFF))
                }
            } else {
                type = eventType & 0x0008 != 0 ? .scanResponse
                    : eventType & 0x0001 != 0 ? .connectableUndirected : .nonConnectable
            }
            // Address types 0x02/0x03 are identity addresses the controller resolved.
            out.append(LEAdvertisingReport(eventType: type, addressType: addrType & 0x01, address: addr, data: data, rssi: rssi,
                                           complete: (eventType >> 5) & 0x03 == 0, extended: true))
            i += 24 + len
        }
        return out
    }
}
