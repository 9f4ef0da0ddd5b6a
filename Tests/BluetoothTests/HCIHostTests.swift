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
        #expect(sent == [0x0C03, 0x1001, 0x1009, 0x0C01, 0x2001, 0x200B, 0x200C])
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
}
