/// An HCI packet as carried over UART (H4, Bluetooth Core Vol 4 Part A): one indicator byte,
/// then the packet.
public enum H4Packet: Sendable, Hashable {
    case command(opcode: UInt16, parameters: [UInt8])
    case acl(handle: UInt16, data: [UInt8])
    case sco(handle: UInt16, data: [UInt8])
    case event(code: UInt8, parameters: [UInt8])
    case iso(handle: UInt16, data: [UInt8])

    public func encoded() -> [UInt8] {
        switch self {
        case .command(let op, let p): return [0x01, UInt8(op & 0xFF), UInt8(op >> 8), UInt8(clamping: p.count)] + p.prefix(255)
        case .acl(let h, let d): return [0x02, UInt8(h & 0xFF), UInt8(h >> 8), UInt8(d.count & 0xFF), UInt8((d.count >> 8) & 0xFF)] + d
        case .sco(let h, let d): return [0x03, UInt8(h & 0xFF), UInt8(h >> 8), UInt8(clamping: d.count)] + d.prefix(255)
        case .event(let c, let p): return [0x04, c, UInt8(clamping: p.count)] + p.prefix(255)
        case .iso(let h, let d): return [0x05, UInt8(h & 0xFF), UInt8(h >> 8), UInt8(d.count & 0xFF), UInt8((d.count >> 8) & 0x3F)] + d
        }
    }
}

/// A pure H4 decoder: feed bytes as they arrive (one at a time or in bursts), get packets.
/// An unknown indicator byte is reported and skipped, so the stream resynchronises.
public struct H4Decoder: Sendable {
    public enum Output: Sendable, Hashable {
        case packet(H4Packet)
        case skipped(indicator: UInt8)
    }

    var buffer: [UInt8] = []
    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Output] {
        buffer.append(contentsOf: bytes)
        var out: [Output] = []
        while let first = buffer.first {
            let header: Int
            switch first {
            case 0x01, 0x03: header = 4
            case 0x02, 0x05: header = 5
            case 0x04: header = 3
            default:
                out.append(.skipped(indicator: first))
                buffer.removeFirst()
                continue
            }
            guard buffer.count >= header else { break }
            let length: Int
            switch first {
            case 0x01, 0x03: length = Int(buffer[3])
            case 0x04: length = Int(buffer[2])
            case 0x02: length = Int(buffer[3]) | Int(buffer[4]) << 8
            default: length = Int(buffer[3]) | Int(buffer[4] & 0x3F) << 8
            }
            guard buffer.count >= header + length else { break }
            let body = Array(buffer[header..<(header + length)])
            let handle = UInt16(buffer[1]) | UInt16(buffer[2]) << 8
            switch first {
            case 0x01: out.append(.packet(.command(opcode: handle, parameters: body)))
            case 0x02: out.append(.packet(.acl(handle: handle, data: body)))
            case 0x03: out.append(.packet(.sco(handle: handle, data: body)))
            case 0x04: out.append(.packet(.event(code: buffer[1], parameters: body)))
            default: out.append(.packet(.iso(handle: handle, data: body)))
            }
            buffer.removeFirst(header + length)
        }
        return out
    }
}
