/// Encrypted BTHome v2 (bthome.io "Encryption"): when bit 0 of the device-information byte is
/// set, the objects are AES-CCM ciphertext with a 16-byte bindkey, followed by a 4-byte
/// counter (little-endian, increasing with every advertisement) and a 4-byte MIC. The 13-byte
/// nonce is the MAC (most significant byte first), the UUID as sent (D2 FC), the
/// device-information byte and the counter bytes as sent. No associated data.
extension BTHomeDecoder {
    /// Bytes after the objects of an encrypted advertisement: counter and MIC.
    public static let encryptionOverhead = 8

    /// The nonce for `address` (48-bit, as `UInt64`), `deviceInfo` and the counter bytes as sent.
    public static func nonce(address: UInt64, deviceInfo: UInt8, counter: [UInt8]) -> [UInt8] {
        let mac = (0..<6).reversed().map { UInt8(truncatingIfNeeded: address >> (8 * UInt64($0))) }
        return mac + [UInt8(serviceUUID & 0xFF), UInt8(serviceUUID >> 8), deviceInfo] + counter
    }

    /// Decrypts an encrypted advertisement's service data (after the UUID). Returns the plain
    /// service data (the device-information byte with the encryption bit cleared, then the
    /// objects) and the counter. Unencrypted data comes back unchanged with no counter.
    public static func decrypt(_ data: some Collection<UInt8>, address: UInt64, bindkey: [UInt8]) throws(Failure) -> (plain: [UInt8], counter: UInt32?) {
        let bytes = Array(data)
        guard let info = bytes.first else { throw .empty }
        guard info >> 5 == 2 else { throw .unsupportedVersion(Int(info >> 5)) }
        guard info & 0x01 != 0 else { return (bytes, nil) }
        guard bytes.count >= 1 + encryptionOverhead else { throw .encryptedPayloadTruncated }
        guard bindkey.count == 16 else { throw .invalidBindkey }
        let ccm: AESCCM
        do { ccm = try AESCCM(key: bindkey, tagLength: 4) } catch { throw .invalidBindkey }
        let counterBytes = Array(bytes[(bytes.count - 8)..<(bytes.count - 4)])
        let mic = Array(bytes.suffix(4))
        let ciphertext = Array(bytes[1..<(bytes.count - 8)])
        let plain: [UInt8]
        do {
            plain = try ccm.open(ciphertext, tag: mic, nonce: nonce(address: address, deviceInfo: info, counter: counterBytes))
        } catch {
            throw .authenticationFailed
        }
        let counter = counterBytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        return ([info & ~0x01] + plain, counter)
    }

    /// Decodes service data, decrypting it with `bindkey` when it is encrypted. Encrypted data
    /// without a bindkey throws `.bindkeyMissing`; a MIC mismatch throws `.authenticationFailed`.
    public static func decode(_ data: some Collection<UInt8>, address: UInt64, bindkey: [UInt8]?) throws(Failure) -> Advertisement {
        let bytes = Array(data)
        guard let info = bytes.first, info & 0x01 != 0 else { return try decode(bytes) }
        guard let bindkey else { throw .bindkeyMissing }
        let (plain, counter) = try decrypt(bytes, address: address, bindkey: bindkey)
        var ad = try decode(plain)
        ad.encrypted = true
        ad.counter = counter
        return ad
    }

    /// Encrypts BTHome objects into service data (after the UUID): what an encrypting sensor
    /// (or the virtual controller) sends. `deviceInfo` must have the encryption bit set.
    public static func encrypt(objects: [UInt8], address: UInt64, counter: UInt32, bindkey: [UInt8],
                               deviceInfo: UInt8 = 0x41) throws(Failure) -> [UInt8] {
        guard bindkey.count == 16 else { throw .invalidBindkey }
        let ccm: AESCCM
        do { ccm = try AESCCM(key: bindkey, tagLength: 4) } catch { throw .invalidBindkey }
        let counterBytes = (0..<4).map { UInt8(truncatingIfNeeded: counter >> (8 * UInt32($0))) }
        let sealed: (ciphertext: [UInt8], tag: [UInt8])
        do {
            sealed = try ccm.seal(objects, nonce: nonce(address: address, deviceInfo: deviceInfo | 0x01, counter: counterBytes))
        } catch {
            throw .invalidBindkey
        }
        return [deviceInfo | 0x01] + sealed.ciphertext + counterBytes + sealed.tag
    }
}
