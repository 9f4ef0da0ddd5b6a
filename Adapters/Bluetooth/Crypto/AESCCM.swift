import Crypto
import _CryptoExtras

/// AES in CCM mode (RFC 3610: CBC-MAC for the tag, counter mode for the payload), built on the
/// single-block AES permutation of swift-crypto's `_CryptoExtras`, which has no CCM of its own.
///
/// Only what Bluetooth LE advertisements need: 16-, 24- or 32-byte keys, nonces of 7 to 13
/// bytes (the length field L is 15 − nonce length), tags of 4 to 16 even bytes, and associated
/// data shorter than 65 280 bytes. A pure value; opening never traps on hostile input.
public struct AESCCM: Sendable, Hashable {
    public enum Failure: Error, Sendable, Hashable {
        /// The key is not 16, 24 or 32 bytes.
        case invalidKeyLength(Int)
        /// The nonce is not 7 to 13 bytes.
        case invalidNonceLength(Int)
        /// The tag is not an even length from 4 to 16.
        case invalidTagLength(Int)
        /// The message does not fit the length field (or the associated data is too long).
        case messageTooLong
        /// The tag does not match: wrong key, wrong nonce, or altered data.
        case authenticationFailed
    }

    private let key: [UInt8]
    public let tagLength: Int

    public init(key: [UInt8], tagLength: Int = 4) throws(Failure) {
        guard [16, 24, 32].contains(key.count) else { throw .invalidKeyLength(key.count) }
        guard (4...16).contains(tagLength), tagLength % 2 == 0 else { throw .invalidTagLength(tagLength) }
        self.key = key
        self.tagLength = tagLength
    }

    /// Encrypts `plaintext` and computes its tag.
    public func seal(_ plaintext: [UInt8], nonce: [UInt8], authenticating aad: [UInt8] = []) throws(Failure) -> (ciphertext: [UInt8], tag: [UInt8]) {
        let k = SymmetricKey(data: key)
        let mac = try cbcMAC(plaintext, nonce: nonce, aad: aad, key: k)
        let stream = try keystream(count: plaintext.count, nonce: nonce, key: k)
        let ciphertext = zip(plaintext, stream.body).map { $0 ^ $1 }
        let tag = zip(mac.prefix(tagLength), stream.s0).map { $0 ^ $1 }
        return (ciphertext, tag)
    }

    /// Decrypts `ciphertext` and checks `tag`; throws `.authenticationFailed` when it does not match.
    public func open(_ ciphertext: [UInt8], tag: [UInt8], nonce: [UInt8], authenticating aad: [UInt8] = []) throws(Failure) -> [UInt8] {
        guard tag.count == tagLength else { throw .authenticationFailed }
        let k = SymmetricKey(data: key)
        let stream = try keystream(count: ciphertext.count, nonce: nonce, key: k)
        let plaintext = zip(ciphertext, stream.body).map { $0 ^ $1 }
        let mac = try cbcMAC(plaintext, nonce: nonce, aad: aad, key: k)
        let expected = zip(mac.prefix(tagLength), stream.s0).map { $0 ^ $1 }
        // Compare without an early exit.
        var difference: UInt8 = 0
        for (a, b) in zip(expected, tag) { difference |= a ^ b }
        guard difference == 0 else { throw .authenticationFailed }
        return plaintext
    }

    // MARK: RFC 3610 §2.2 (authentication) and §2.3 (encryption)

    /// L, the size of the length field, for a valid nonce.
    private func lengthFieldSize(_ nonce: [UInt8]) throws(Failure) -> Int {
        guard (7...13).contains(nonce.count) else { throw .invalidNonceLength(nonce.count) }
        return 15 - nonce.count
    }

    private func encryptBlock(_ block: [UInt8], _ key: SymmetricKey) -> [UInt8] {
        var b = block
        // Cannot fail: the key length was checked at init and every block here is 16 bytes.
        try? AES.permute(&b, key: key)
        return b
    }

    /// The unencrypted CBC-MAC T over B_0, the encoded associated data and the message.
    private func cbcMAC(_ message: [UInt8], nonce: [UInt8], aad: [UInt8], key: SymmetricKey) throws(Failure) -> [UInt8] {
        let l = try lengthFieldSize(nonce)
        guard l >= 8 || message.count < 1 << (8 * l) else { throw .messageTooLong }
        guard aad.count < 0xFF00 else { throw .messageTooLong }
        // B_0: flags (Adata, M', L'), nonce, l(m) big-endian in L bytes.
        var b0 = [UInt8((aad.isEmpty ? 0 : 0x40) | ((tagLength - 2) / 2) << 3 | (l - 1))] + nonce
        for i in (0..<l).reversed() { b0.append(UInt8(truncatingIfNeeded: message.count >> (8 * i))) }
        var x = encryptBlock(b0, key)
        func absorb(_ bytes: [UInt8]) {
            var i = 0
            while i < bytes.count {
                var block = Array(bytes[i..<min(i + 16, bytes.count)])
                block += [UInt8](repeating: 0, count: 16 - block.count)
                for k in 0..<16 { x[k] ^= block[k] }
                x = encryptBlock(x, key)
                i += 16
            }
        }
        if !aad.isEmpty {
            // Associated data shorter than 2^16 − 2^8: a 2-byte big-endian length, then the data.
            absorb([UInt8(aad.count >> 8), UInt8(aad.count & 0xFF)] + aad)
        }
        absorb(message)
        return x
    }

    /// S_0 (for the tag) and S_1, S_2 … (for the payload), truncated to `count` bytes.
    private func keystream(count: Int, nonce: [UInt8], key: SymmetricKey) throws(Failure) -> (s0: [UInt8], body: [UInt8]) {
        let l = try lengthFieldSize(nonce)
        guard l >= 8 || count < 1 << (8 * l) else { throw .messageTooLong }
        func a(_ i: Int) -> [UInt8] {
            var block = [UInt8(l - 1)] + nonce
            for k in (0..<l).reversed() { block.append(UInt8(truncatingIfNeeded: i >> (8 * k))) }
            return block
        }
        var body: [UInt8] = []
        body.reserveCapacity(count + 16)
        var i = 1
        while body.count < count {
            body += encryptBlock(a(i), key)
            i += 1
        }
        return (encryptBlock(a(0), key), Array(body.prefix(count)))
    }
}
