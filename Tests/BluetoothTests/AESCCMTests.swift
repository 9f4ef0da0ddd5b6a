import Bluetooth
import Testing

/// AES-CCM against the packet vectors of RFC 3610 §8 ("Test Vectors",
/// https://www.rfc-editor.org/rfc/rfc3610#section-8): AES-128, L = 2, 13-byte nonces, the
/// first 8 (or 12) bytes of each packet authenticated only.
@Suite struct AESCCMTests {
    static func hex(_ s: String) -> [UInt8] { BTHomeDecoderTests.hex(s.filter { !$0.isWhitespace }) }

    static let key = hex("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF")

    /// (nonce, packet, header length, tag length, expected output after the header)
    static let vectors: [(String, String, Int, Int, String)] = [
        // Packet Vector #1
        ("00000003020100A0A1A2A3A4A5", "0001020304050607 08090A0B0C0D0E0F101112131415161718191A1B1C1D1E", 8, 8,
         "588C979A61C663D2F066D0C2C0F989806D5F6B61DAC38417E8D12CFDF926E0"),
        // Packet Vector #2
        ("00000004030201A0A1A2A3A4A5", "0001020304050607 08090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", 8, 8,
         "72C91A36E135F8CF291CA894085C87E3CC15C439C9E43A3BA091D56E10400916"),
        // Packet Vector #7 (10-byte tag, 12-byte header)
        ("0000000E0D0C0BA0A1A2A3A4A5", "000102030405060708090A0B 0C0D0E0F101112131415161718191A1B1C1D1E1F20", 12, 10,
         "C0FFA0D6F05BDB67F24D43A4338D2AA4BED7B20E43CD1AA31662E7AD65D6DB"),
    ]

    @Test(arguments: vectors)
    func rfc3610PacketVector(_ v: (String, String, Int, Int, String)) throws {
        let packet = Self.hex(v.1)
        let aad = Array(packet.prefix(v.2)), plaintext = Array(packet.dropFirst(v.2))
        let ccm = try AESCCM(key: Self.key, tagLength: v.3)
        let sealed = try ccm.seal(plaintext, nonce: Self.hex(v.0), authenticating: aad)
        #expect(sealed.ciphertext + sealed.tag == Self.hex(v.4))
        let opened = try ccm.open(sealed.ciphertext, tag: sealed.tag, nonce: Self.hex(v.0), authenticating: aad)
        #expect(opened == plaintext)
    }

    @Test func tamperingAndWrongKeysAreRejected() throws {
        let v = Self.vectors[0]
        let packet = Self.hex(v.1)
        let aad = Array(packet.prefix(8))
        let out = Self.hex(v.4)
        let ciphertext = Array(out.dropLast(8)), tag = Array(out.suffix(8))
        let ccm = try AESCCM(key: Self.key, tagLength: 8)
        var flipped = ciphertext
        flipped[3] ^= 0x01
        #expect(throws: AESCCM.Failure.authenticationFailed) { try ccm.open(flipped, tag: tag, nonce: Self.hex(v.0), authenticating: aad) }
        #expect(throws: AESCCM.Failure.authenticationFailed) { try ccm.open(ciphertext, tag: tag, nonce: Self.hex(v.0), authenticating: [0x00]) }
        #expect(throws: AESCCM.Failure.authenticationFailed) { try ccm.open(ciphertext, tag: Array(tag.prefix(4)), nonce: Self.hex(v.0), authenticating: aad) }
        var otherKey = Self.key
        otherKey[0] ^= 0x80
        #expect(throws: AESCCM.Failure.authenticationFailed) {
            try AESCCM(key: otherKey, tagLength: 8).open(ciphertext, tag: tag, nonce: Self.hex(v.0), authenticating: aad)
        }
    }

    @Test func parametersAreChecked() throws {
        #expect(throws: AESCCM.Failure.invalidKeyLength(12)) { try AESCCM(key: [UInt8](repeating: 0, count: 12)) }
        #expect(throws: AESCCM.Failure.invalidTagLength(5)) { try AESCCM(key: Self.key, tagLength: 5) }
        let ccm = try AESCCM(key: Self.key)
        #expect(throws: AESCCM.Failure.invalidNonceLength(6)) { try ccm.seal([1, 2, 3], nonce: [0, 0, 0, 0, 0, 0]) }
        #expect(throws: AESCCM.Failure.invalidNonceLength(14)) { try ccm.open([1], tag: [0, 0, 0, 0], nonce: [UInt8](repeating: 0, count: 14)) }
        // An empty message still has a tag; every length round-trips.
        for n in 0..<40 {
            let msg = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let s = try ccm.seal(msg, nonce: [UInt8](repeating: 7, count: 12), authenticating: [0x11])
            #expect(s.ciphertext.count == n && s.tag.count == 4)
            #expect(try ccm.open(s.ciphertext, tag: s.tag, nonce: [UInt8](repeating: 7, count: 12), authenticating: [0x11]) == msg)
        }
    }
}
