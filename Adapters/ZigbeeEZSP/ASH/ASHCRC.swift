/// The frame check sequence used by ASH (UG101): CRC-CCITT with polynomial x^16 + x^12 + x^5 + 1
/// (0x1021), initial value 0xFFFF, no reflection and no final XOR. It covers the control byte and
/// the (already randomised) data field, and is transmitted high byte first.
public enum ASHCRC: Sendable {
    /// Initial register value.
    public static let initialValue: UInt16 = 0xFFFF
    /// Generator polynomial (MSB-first form).
    public static let polynomial: UInt16 = 0x1021

    /// Feeds one byte into a running CRC register.
    @inlinable
    public static func update(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        var value = crc ^ (UInt16(byte) << 8)
        for _ in 0..<8 {
            if value & 0x8000 != 0 {
                value = (value << 1) ^ polynomial
            } else {
                value <<= 1
            }
        }
        return value
    }

    /// The CRC of `bytes`, starting from `initial` (0xFFFF for an ASH frame).
    public static func checksum(_ bytes: some Sequence<UInt8>, initial: UInt16 = initialValue) -> UInt16 {
        var crc = initial
        for byte in bytes { crc = update(crc, byte) }
        return crc
    }

    /// The two CRC bytes as they appear on the wire: high byte first.
    public static func bytes(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let crc = checksum(bytes)
        return [UInt8(crc >> 8), UInt8(crc & 0xFF)]
    }
}
