/// A 64-bit IEEE (EUI-64) address. Transmitted little-endian; displayed most significant byte first
/// (`00:12:4b:00:01:02:03:04`).
public struct IEEEAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses `00:12:4b:00:01:02:03:04`, `00124b0001020304` or `0x00124b0001020304`.
    public init?(string: String) {
        var hex = string.lowercased().filter { $0 != ":" && $0 != "-" }
        if hex.hasPrefix("0x") { hex.removeFirst(2) }
        guard hex.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        self.rawValue = value
    }

    public var description: String {
        (0..<8).reversed().map { index in
            let byte = UInt8(truncatingIfNeeded: rawValue >> (UInt64(index) * 8))
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined(separator: ":")
    }

    public static func < (lhs: IEEEAddress, rhs: IEEEAddress) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
