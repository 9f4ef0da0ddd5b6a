import Agent
import DataModel
import Foundation
import Testing
import USPMessages

/// Bad input never crashes: random and mutated records into the agent, random text into the
/// path parser and value validation. A fixed seed keeps runs repeatable.
@Suite struct RobustnessTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func mutatedAndRandomRecordsAreAnsweredOrDropped() async throws {
        let agent = USPAgent(endpointID: "proto::agent", schema: try TestModel.schema())
        var rng = SplitMix(state: 0x5EED)
        var g = Usp_Get(); g.paramPaths = ["Device.LocalAgent.", "Device.Thing.*.Name"]
        var s = Usp_Set(); var u = Usp_Set.UpdateObject(); u.objPath = "Device.LocalAgent."
        u.paramSettings = [{ var p = Usp_Set.UpdateParamSetting(); p.param = "EndpointID"; p.value = "x"; return p }()]
        s.updateObjs = [u]
        let seeds = try [
            USPRecord.noSession(to: "proto::agent", from: "proto::c", msg: .request(id: "1", type: .get, .get(g))).encoded(),
            USPRecord.noSession(to: "proto::agent", from: "proto::c", msg: .request(id: "2", type: .set, .set(s))).encoded(),
        ]
        var answered = 0
        for i in 0..<(ProcessInfo.processInfo.environment["USP_ROBUST_N"].flatMap(Int.init) ?? 4000) {
            var bytes: [UInt8]
            if i % 4 == 0 {
                bytes = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = seeds[i % 2]
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                    let idx = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes[idx] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
                    case 1: bytes.remove(at: idx)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: idx)
                    }
                }
            }
            if let reply = await agent.handleRecord(bytes) {
                answered += 1
                // Whatever comes back is a well-formed record addressed to the sender.
                let back = try USPRecord.decode(try reply.encoded())
                #expect(back.fromID == "proto::agent")
            }
        }
        #expect(answered > 0, "some mutations still carry a valid request and get an answer")
        // The agent still works afterwards.
        let ok = await agent.handleRecord(seeds[0])
        #expect(ok != nil)
    }

    @Test func randomPathsNeverTrap() {
        var rng = SplitMix(state: 0xBADC0DE)
        let alphabet = Array("Device.LocalAgent.Controller.*[]{}()!#+&=<>~\"%0123456789 _-aZ.")
        var parsed = 0
        for _ in 0..<20000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let text = String((0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
            do {
                let p = try PathExpression.parse("Device." + text)
                parsed += 1
                #expect(try PathExpression.parse(p.description) == p, "canonical text re-parses: \(text)")
            } catch {
                #expect(error.code == .invalidPathSyntax)
            }
            _ = try? PathExpression.parseSupported(text)
        }
        #expect(parsed > 0)
    }

    @Test func randomValuesAreRejectedWithCodesNotTraps() {
        var rng = SplitMix(state: 42)
        let syntaxes: [ValueSyntax] = [.boolean, .int, .unsignedInt, .long, .unsignedLong, .decimal, .dateTime, .hexBinary, .base64,
                                      ValueSyntax(.unsignedInt, list: .init(maxItems: 3)), ValueSyntax(.string, enumeration: ["A"])]
        let alphabet = Array("0123456789-+.:TZ,abcdefxyz=/ ")
        for _ in 0..<20000 {
            let text = String((0..<Int.random(in: 0..<30, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
            let syntax = syntaxes[Int.random(in: 0..<syntaxes.count, using: &rng)]
            do {
                let c = try syntax.canonicalValue(text)
                #expect(try syntax.canonicalValue(c) == c, "canonical values are stable: \(text) → \(c)")
            } catch {
                #expect(error.code == .invalidType || error.code == .invalidValue)
            }
        }
    }
}
