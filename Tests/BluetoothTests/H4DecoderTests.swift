import Bluetooth
import Testing

@Suite struct H4DecoderTests {
    /// Command Complete for HCI_Reset (opcode 0x0C03), status success (Core Vol 4 Part E §7.7.14).
    static let resetComplete: [UInt8] = [0x04, 0x0E, 0x04, 0x01, 0x03, 0x0C, 0x00]
    /// A recorded LE Advertising Report (`hcidump --raw`, Xiaomi thermometer, public gist),
    /// RSSI byte 0xAB (-85 dBm).
    static let advertisingReport: [UInt8] = [0x04, 0x3E, 0x25, 0x02, 0x01, 0x00, 0x00, 0x7C, 0xC2, 0xDB, 0xA8, 0x65, 0x4C, 0x19,
        0x02, 0x01, 0x06, 0x15, 0x16, 0x95, 0xFE, 0x50, 0x20, 0xAA, 0x01, 0x09, 0x7C, 0xC2, 0xDB, 0xA8, 0x65, 0x4C,
        0x0D, 0x10, 0x04, 0xD5, 0x00, 0x28, 0x02, 0xAB]

    @Test func sameResultByteByByteAndInOneBurst() {
        let stream = Self.resetComplete + Self.advertisingReport + H4Packet.command(opcode: 0x200C, parameters: [0x01, 0x00]).encoded()
        var a = H4Decoder()
        let burst = a.feed(stream)
        var b = H4Decoder()
        var single: [H4Decoder.Output] = []
        for byte in stream { single += b.feed([byte]) }
        #expect(burst == single)
        #expect(burst.count == 3)
        #expect(burst[0] == .packet(.event(code: 0x0E, parameters: [0x01, 0x03, 0x0C, 0x00])))
        #expect(burst[2] == .packet(.command(opcode: 0x200C, parameters: [0x01, 0x00])))
    }

    @Test func advertisingReportParses() throws {
        var d = H4Decoder()
        guard case .packet(.event(0x3E, let params))? = d.feed(Self.advertisingReport).first else { Issue.record("no LE meta event"); return }
        let reports = try #require(LEAdvertisingReport.parse(leMetaParameters: params))
        #expect(reports.count == 1)
        #expect(reports[0].eventType == .connectableUndirected)
        #expect(reports[0].addressText == "4C:65:A8:DB:C2:7C")
        #expect(reports[0].rssi == -85)
        #expect(AdvertisingData(parsing: reports[0].data).serviceData(uuid16: 0xFE95) != nil)
        // Lengths that do not add up are refused, not read past.
        #expect(LEAdvertisingReport.parse(leMetaParameters: Array(params.dropLast())) == nil)
        #expect(LEAdvertisingReport.parse(leMetaParameters: [0x02, 0x05, 0x00]) == nil)
    }

    @Test func garbageIsSkippedAndTheStreamResynchronises() {
        var d = H4Decoder()
        let out = d.feed([0x00, 0xFF, 0x7E] + Self.resetComplete)
        #expect(out.prefix(3) == [.skipped(indicator: 0x00), .skipped(indicator: 0xFF), .skipped(indicator: 0x7E)])
        #expect(out.last == .packet(.event(code: 0x0E, parameters: [0x01, 0x03, 0x0C, 0x00])))
        // A truncated packet waits for the rest.
        var t = H4Decoder()
        #expect(t.feed(Self.resetComplete.dropLast(2)).isEmpty)
        #expect(t.feed(Self.resetComplete.suffix(2)).count == 1)
    }

    @Test func encodeDecodeRoundTrip() {
        let packets: [H4Packet] = [.acl(handle: 0x0040, data: Array(repeating: 7, count: 300)), .sco(handle: 3, data: [1, 2]),
                                   .iso(handle: 9, data: [5]), .event(code: 0x0F, parameters: [0, 1, 0x0B, 0x20])]
        var d = H4Decoder()
        let out = d.feed(packets.flatMap { $0.encoded() })
        #expect(out == packets.map { .packet($0) })
    }
}
