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

    /// The address as humans write it (`4C:65:A8:DB:C2:7C`).
    public var addressText: String {
        address.reversed().map { b in let s = String(b, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s }.joined(separator: ":")
    }

    /// Parses the parameters of an LE Meta event whose subevent is 0x02. Nil when the event is
    /// not an advertising report or its lengths do not add up.
    public static func parse(leMetaParameters p: [UInt8]) -> [LEAdvertisingReport]? {
        guard p.count >= 2, p[0] == 0x02 else { return nil }
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
}
