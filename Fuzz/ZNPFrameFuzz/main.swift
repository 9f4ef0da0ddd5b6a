#if canImport(Glibc)
import Glibc
#endif
import ZigbeeZNP

// libFuzzer harness for the MT decoder, built only with USPBRIDGE_FUZZ=1 (see scripts/fuzz.sh).
//
// SwiftPM links executables with `main` pointing at the module's own entry point, so this file keeps
// a top-level `main` that hands control to libFuzzer's driver instead of relying on libFuzzer's main.

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

var argumentCount = CommandLine.argc
var argumentVector = CommandLine.unsafeArgv
let status = runFuzzerDriver(&argumentCount, &argumentVector, fuzzMTDecoder)
exit(status)

/// One fuzz input.
///
/// Invariants checked on every input:
/// - decoding never traps;
/// - the output does not depend on how the input is split (the first byte picks a split point);
/// - every frame decoded re-encodes to bytes that decode to the same frame;
/// - the statistics account for every frame reported.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzMTDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    var whole = MTDecoder()
    let once = whole.feed(bytes)

    var split = MTDecoder()
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let twice = split.feed(bytes[..<cut]) + split.feed(bytes[cut...])
    precondition(once == twice, "output depends on chunking")

    var frameCount = 0
    for output in once {
        guard case let .frame(frame) = output else { continue }
        frameCount += 1
        guard let encoded = try? frame.encoded() else { preconditionFailure("decoded frame does not re-encode") }
        var again = MTDecoder()
        precondition(again.feed(encoded) == [.frame(frame)], "re-encoded frame does not decode to itself")
    }
    precondition(whole.statistics.frames == frameCount, "frame counter out of step")
    return 0
}
