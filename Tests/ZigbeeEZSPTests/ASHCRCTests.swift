import Testing
import ZigbeeEZSP

/// CRC fixtures. Frames quoted from UG101 are split into "covered bytes" and the two CRC bytes that
/// follow them (high byte first).
@Suite struct ASHCRCTests {
    struct Fixture: Sendable, CustomStringConvertible {
        let covered: [UInt8]
        let crc: UInt16
        let source: String
        var description: String { source }
    }

    static let fixtures: [Fixture] = [
        // UG101 §3 "Frame Formats", RST example: C0 38 BC 7E.
        Fixture(covered: [0xC0], crc: 0x38BC, source: "RST"),
        // UG101 §3 "Frame Formats", RSTACK example: C1 02 02 9B 7B 7E.
        Fixture(covered: [0xC1, 0x02, 0x02], crc: 0x9B7B, source: "RSTACK(2, 2)"),
        // UG101 §3 "Frame Formats", DATA(2, 5, 0) "version" command with the pseudo-random
        // sequence applied: 25 42 21 A8 56 A6 09 7E.
        Fixture(covered: [0x25, 0x42, 0x21, 0xA8, 0x56], crc: 0xA609, source: "DATA(2,5,0) randomised"),
        // UG101 §3 "Frame Formats", the same frame shown without randomisation: 25 00 00 00 02 1A AD 7E.
        Fixture(covered: [0x25, 0x00, 0x00, 0x00, 0x02], crc: 0x1AAD, source: "DATA(2,5,0) plain"),
        // UG101 §3 "Frame Formats", DATA(5, 3, 0) "version" response without randomisation:
        // 53 00 80 00 02 02 11 30 63 16 7E.
        Fixture(covered: [0x53, 0x00, 0x80, 0x00, 0x02, 0x02, 0x11, 0x30], crc: 0x6316, source: "DATA(5,3,0) plain"),
        // UG101 §3 "Frame Formats", ACK example ACK(1): 81 60 59 7E.
        Fixture(covered: [0x81], crc: 0x6059, source: "ACK(1)"),
        // UG101 §3 "Frame Formats", ACK(6) with nRdy: 8E 91 B6 7E.
        Fixture(covered: [0x8E], crc: 0x91B6, source: "ACK(6)+nRdy"),
        // UG101 §3 "Frame Formats", NAK(6): A6 34 DC 7E.
        Fixture(covered: [0xA6], crc: 0x34DC, source: "NAK(6)"),
        // UG101 §3 "Frame Formats", NAK(5) with nRdy: AD 85 B7 7E.
        Fixture(covered: [0xAD], crc: 0x85B7, source: "NAK(5)+nRdy"),
    ]

    @Test(arguments: fixtures)
    func matchesPublishedFrames(_ fixture: Fixture) {
        #expect(ASHCRC.checksum(fixture.covered) == fixture.crc)
        #expect(ASHCRC.bytes(fixture.covered) == [UInt8(fixture.crc >> 8), UInt8(fixture.crc & 0xFF)])
    }

    /// The standard check value of CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over "123456789".
    @Test func standardCheckValue() {
        #expect(ASHCRC.checksum(Array("123456789".utf8)) == 0x29B1)
    }

    @Test func emptyInputIsInitialValue() {
        #expect(ASHCRC.checksum([UInt8]()) == 0xFFFF)
    }

    @Test func incrementalEqualsBatch() {
        let bytes: [UInt8] = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var running = ASHCRC.initialValue
        for byte in bytes { running = ASHCRC.update(running, byte) }
        #expect(running == ASHCRC.checksum(bytes))
        let split = ASHCRC.checksum(bytes[100...], initial: ASHCRC.checksum(bytes[..<100]))
        #expect(split == running)
    }

    /// Appending the CRC (high byte first) to the covered bytes gives a zero remainder.
    @Test func residueIsZero() {
        for fixture in Self.fixtures {
            #expect(ASHCRC.checksum(fixture.covered + ASHCRC.bytes(fixture.covered)) == 0)
        }
    }
}
