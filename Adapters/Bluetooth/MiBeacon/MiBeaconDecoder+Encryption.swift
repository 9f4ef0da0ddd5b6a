/// Encrypted MiBeacon v4/v5 frames (frame control bit 3): after the header, the object is
/// AES-CCM ciphertext with the device's 16-byte bindkey, followed by a 3-byte extended counter
/// and a 4-byte MIC. The 12-byte nonce is the MAC (least significant byte first, as carried in
/// frames), the product id and frame counter as sent, and the extended counter; the associated
/// data is the single byte 0x11. Versions 2 and 3 used another scheme and are not decrypted.
extension MiBeaconDecoder {
    /// Bytes after the ciphertext: extended counter and MIC.
    public static let encryptionOverhead = 7
    static let associatedData: [UInt8] = [0x11]

    /// Decodes a frame, decrypting it with `bindkey` when it is encrypted. `address` (48-bit,
    /// as `UInt64`) is the advertiser's, used for the nonce when the frame carries no MAC.
    public static func decode(_ data: some Collection<UInt8>, address: UInt64, bindkey: [UInt8]?) throws(Failure) -> Frame {
        let b = Array(data)
        let h = try header(b)
        guard h.frame.encrypted, h.hasObject else { return try decode(b) }
        guard h.frame.version >= 4 else { throw .unsupportedEncryption(version: h.frame.version) }
        guard let bindkey else { throw .bindkeyMissing }
        guard bindkey.count == 16, let ccm = try? AESCCM(key: bindkey, tagLength: 4) else { throw .invalidBindkey }
        guard b.count >= h.payloadStart + 1 + encryptionOverhead else { throw .truncated }
        let ext = Array(b[(b.count - 7)..<(b.count - 4)])
        let mic = Array(b.suffix(4))
        let ciphertext = Array(b[h.payloadStart..<(b.count - 7)])
        let nonce = nonce(mac: h.macBytes ?? macBytes(address), productID: Array(b[2..<4]), frameCounter: b[4], extendedCounter: ext)
        let plain: [UInt8]
        do { plain = try ccm.open(ciphertext, tag: mic, nonce: nonce, authenticating: associatedData) } catch {
            throw .authenticationFailed
        }
        var frame = h.frame
        frame.counter = UInt32(ext[0]) << 8 | UInt32(ext[1]) << 16 | UInt32(ext[2]) << 24 | UInt32(b[4])
        decodeObject(plain, into: &frame)
        return frame
    }

    /// The nonce: MAC (least significant byte first), product id, frame counter, extended counter.
    public static func nonce(mac: [UInt8], productID: [UInt8], frameCounter: UInt8, extendedCounter: [UInt8]) -> [UInt8] {
        mac + productID + [frameCounter] + extendedCounter
    }

    /// `address` as the 6 bytes a frame carries (least significant first).
    static func macBytes(_ address: UInt64) -> [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: address >> (8 * UInt64($0))) }
    }
}
