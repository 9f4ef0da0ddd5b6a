import Bluetooth
import Testing

@Suite struct HCIHostTests {
    /// A Command Complete event for `opcode` with status 0 and return parameters.
    static func complete(_ opcode: UInt16, _ ret: [UInt8] = []) -> H4Packet {
        .event(code: 0x0E, parameters: [0x01, UInt8(opcode & 0xFF), UInt8(opcode >> 8), 0x00] + ret)
    }

    @Test func startUpSequenceThenAdvertisements() {
        var host = HCIHost()
        var sent: [UInt16] = []
        func opcodes(_ actions: [HCIHost.Action]) -> [UInt16] {
            actions.compactMap { if case .send(.command(let op, _)) = $0 { op } else { nil } }
        }
        sent += opcodes(host.handle(.start))
        // Answers as a controller gives them (Read Local Version: HCI 5.0 = 0x09, manufacturer 0x0059 Nordic).
        let answers: [UInt16: [UInt8]] = [
            HCIHost.Opcode.readLocalVersion: [0x09, 0x00, 0x00, 0x09, 0x59, 0x00, 0x00, 0x00],
            HCIHost.Opcode.readBDADDR: [0x66, 0x55, 0x44, 0x33, 0x22, 0x11],
        ]
        var ready: HCIHost.ControllerInfo?
        while ready == nil, let last = sent.last, sent.count < 20 {
            let actions = host.handle(.packet(Self.complete(last, answers[last] ?? [])))
            sent += opcodes(actions)
            for a in actions { if case .ready(let info) = a { ready = info } }
        }
        // No extended-advertising feature bit in the (empty) LE features answer: legacy scanning.
        #expect(sent == [0x0C03, 0x1001, 0x1009, 0x0C01, 0x2003, 0x2001, 0x200B, 0x200C])
        #expect(!host.usesExtendedScanning)
        #expect(ready?.hciVersion == 0x09 && ready?.manufacturer == 0x0059)
        #expect(ready?.address == [0x66, 0x55, 0x44, 0x33, 0x22, 0x11])
        #expect(host.isScanning)
        var d = H4Decoder()
        guard case .packet(let report)? = d.feed(H4DecoderTests.advertisingReport).first else { Issue.record("no packet"); return }
        let ads = host.handle(.packet(report))
        guard case .advertisement(let r)? = ads.first else { Issue.record("no advertisement"); return }
        #expect(r.addressText == "4C:65:A8:DB:C2:7C")
    }

    @Test func timeoutsRetryThenFail() {
        var host = HCIHost()
        _ = host.handle(.start)
        #expect(host.handle(.commandTimeout).contains(.send(.command(opcode: 0x0C03, parameters: []))))
        _ = host.handle(.commandTimeout)
        let last = host.handle(.commandTimeout)
        guard case .failed(let why)? = last.first else { Issue.record("expected failure"); return }
        #expect(why.contains("did not answer"))
        // A failed status also stops the sequence; a stray completion is ignored.
        var h2 = HCIHost()
        _ = h2.handle(.start)
        #expect(h2.handle(.packet(Self.complete(0x1009))).isEmpty, "not the command in flight")
        let bad = h2.handle(.packet(.event(code: 0x0E, parameters: [0x01, 0x03, 0x0C, 0x0C])))
        guard case .failed(let reason)? = bad.first else { Issue.record("expected failure"); return }
        #expect(reason.contains("status 0xc"))
    }

    /// A controller with LE Extended Advertising (LE features bit 12) gets the extended scanning
    /// commands, and its extended reports come out as advertisements.
    @Test func extendedScanningWhenTheControllerHasIt() {
        var host = HCIHost(scanMode: .active)
        var last: [HCIHost.Action] = host.handle(.start)
        var sent: [H4Packet] = []
        var ready = false
        for _ in 0..<12 where !ready {
            guard case .send(let cmd)? = last.first, case .command(let op, _) = cmd else { break }
            sent.append(cmd)
            let ret: [UInt8] = op == HCIHost.Opcode.leReadLocalSupportedFeatures ? [0x00, 0x10, 0, 0, 0, 0, 0, 0] : []
            last = host.handle(.packet(Self.complete(op, ret)))
            ready = last.contains { if case .ready = $0 { true } else { false } }
        }
        #expect(ready && host.usesExtendedScanning)
        #expect(sent.suffix(3) == [
            .command(opcode: 0x2001, parameters: [0x1F, 0x10, 0, 0, 0, 0, 0, 0]),
            .command(opcode: 0x2041, parameters: [0x00, 0x00, 0x01, 0x01, 0x10, 0x00, 0x10, 0x00]),
            .command(opcode: 0x2042, parameters: [0x01, 0x00, 0x00, 0x00, 0x00, 0x00]),
        ])
        // An extended report: legacy ADV_NONCONN_IND (0x0010), public address, 1M PHY, SID 0xFF,
        // TX power 0x7F, RSSI -70, no periodic interval, no direct address, 3 bytes of flags.
        let p: [UInt8] = [0x0D, 0x01, 0x10, 0x00, 0x00, 0x7C, 0xC2, 0xDB, 0xA8, 0x65, 0x4C, 0x01, 0x00, 0xFF, 0x7F, 0xBA,
                          0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0x03, 0x02, 0x01, 0x06]
        let ads = host.handle(.packet(.event(code: 0x3E, parameters: p)))
        guard case .advertisement(let r)? = ads.first else { Issue.record("no advertisement"); return }
        #expect(r.addressText == "4C:65:A8:DB:C2:7C" && r.rssi == -70 && r.data == [0x02, 0x01, 0x06])
        #expect(r.extended && r.complete && r.eventType == .nonConnectable)
        // Truncated lengths are refused, not read past the end.
        #expect(LEAdvertisingReport.parse(leMetaParameters: Array(p.dropLast())) == nil)
        // A fragment (data status 01: more to come) is marked incomplete.
        var frag = p
        frag[2] = 0x20
        #expect(LEAdvertisingReport.parse(leMetaParameters: frag)?.first?.complete == false)
    }
}
