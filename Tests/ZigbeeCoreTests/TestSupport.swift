import Testing
@testable import ZigbeeCore

/// Runs `body` and returns the `ZigbeeCodecError` it threw (nil if it did not throw one).
func codecError(_ body: () throws -> Void) -> ZigbeeCodecError? {
    do {
        try body()
        return nil
    } catch let error as ZigbeeCodecError {
        return error
    } catch {
        Issue.record("unexpected error type \(error)")
        return nil
    }
}

/// Parses "0a 0B ff" style hex into bytes.
func hex(_ text: String) -> [UInt8] {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
}

/// Deterministic xorshift generator so fuzz tests are reproducible.
struct XorShift: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func bytes(maxCount: Int) -> [UInt8] {
        let count = Int.random(in: 0...maxCount, using: &self)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
