import Foundation
import Testing
import ZigbeeZNP

/// The fuzz seeds in Fuzz/corpus/znp are hand-built from the SWRA198 layouts; this keeps them honest:
/// the intact ones decode to frames only, and no callback among them is malformed.
@Suite struct ZNPSeedCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus/znp")

    /// Seeds that are damaged on purpose.
    static let damaged = ["bad_fcs_then_frame", "truncated_then_frame", "length_too_long", "garbage_then_frame"]
    /// A framing seed (250 bytes of 0xFE) that is not meant to be a valid AF_INCOMING_MSG.
    static let notCallbacks = ["max_payload"]

    @Test func seedsDecode() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".bin") }.sorted()
        #expect(names.count >= 30)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            var decoder = MTDecoder()
            let outputs = decoder.feed(bytes)
            let frames = outputs.compactMap { if case .frame(let frame) = $0 { frame } else { nil } }
            #expect(!frames.isEmpty, "\(name)")
            if !Self.damaged.contains(where: name.hasPrefix) {
                #expect(frames.count == outputs.count, "\(name): \(outputs)")
            }
            for frame in frames where frame.type == .areq && !Self.notCallbacks.contains(where: name.hasPrefix) {
                if case .malformed = ZNPCallback(frame: frame) { Issue.record("\(name) is malformed") }
            }
        }
    }
}
