#if canImport(Glibc)
import Glibc
#endif
import ZigbeeEZSP

// libFuzzer harness for the ASH decoder and link, built only with USPBRIDGE_FUZZ=1 (see
// scripts/fuzz.sh). As for ZNPFrameFuzz, `main` hands control to libFuzzer's driver.

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

var argumentCount = CommandLine.argc
var argumentVector = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argumentCount, &argumentVector, fuzzASHDecoder))

/// One fuzz input. Invariants: no traps; output independent of chunking (the first byte picks the
/// split); every frame decoded re-encodes to bytes that decode to the same frame; the link, fed the
/// decoded frames after connecting, never holds more than its window plus what was queued.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzASHDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    var whole = ASHDecoder()
    let once = whole.feed(bytes)
    var split = ASHDecoder()
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    precondition(once == split.feed(bytes[..<cut]) + split.feed(bytes[cut...]), "output depends on chunking")

    var link = ASHLink(configuration: .init(windowSize: 3))
    _ = link.handle(.start)
    _ = link.handle(.received(.rstAck(version: 2, resetCode: 0x0B)))
    _ = link.handle(.send(payload: [0x00, 0x00, 0x00, 0x08]))
    _ = link.handle(.send(payload: [0x01, 0x00, 0x00, 0x08]))
    for output in once {
        guard case let .frame(frame) = output else { continue }
        var again = ASHDecoder()
        precondition(again.feed(frame.encoded()) == [.frame(frame)], "re-encoded frame does not decode to itself")
        _ = link.handle(.received(frame))
        precondition(link.unacknowledgedCount <= 3 && link.queuedCount <= 2, "link state grows")
    }
    return 0
}
