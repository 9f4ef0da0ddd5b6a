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
/// - the statistics account for every frame reported;
/// - every frame survives being read as a callback, as the reply to each kind of request, and being
///   fed to a `ZNPLink` wired to a `ZNPStartup` (no traps, no unbounded growth).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzMTDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    var whole = MTDecoder()
    let once = whole.feed(bytes)

    var split = MTDecoder()
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let twice = split.feed(bytes[..<cut]) + split.feed(bytes[cut...])
    precondition(once == twice, "output depends on chunking")

    var rig = FuzzRig()
    var frameCount = 0
    for output in once {
        guard case let .frame(frame) = output else { continue }
        frameCount += 1
        guard let encoded = try? frame.encoded() else { preconditionFailure("decoded frame does not re-encode") }
        var again = MTDecoder()
        precondition(again.feed(encoded) == [.frame(frame)], "re-encoded frame does not decode to itself")
        _ = ZNPCallback(frame: frame)
        for request in Samples.requests { _ = try? request.decodeResponse(frame.payload) }
        rig.deliver(frame)
    }
    precondition(rig.link.queuedCount <= 4 && rig.link.awaitingCallbackCount <= 4, "link state grows")
    precondition(whole.statistics.frames == frameCount, "frame counter out of step")
    return 0
}

/// (A static, not a top-level constant: top-level constants in main.swift are only initialised when
/// execution reaches them, which `exit` above prevents.)
private enum Samples {
    static let requests: [ZNPRequest] = [
        .ping, .version, .reset(.soft), .nvRead(.startupOption), .nvItemInit(.hasConfiguredZStack3, length: 1, initialValue: [0x55]),
        .setTxPower(dBm: 0), .getDeviceInfo, .afRegister(.defaultCoordinator), .startupFromApp(delayMilliseconds: 0),
    ]
}

/// A link and a start-up wired together, with requests outstanding and callbacks awaited, so that
/// fuzzed frames reach the matching, waiting and reset paths.
private struct FuzzRig {
    var link = ZNPLink()
    var startup = ZNPStartup(configuration: .init(maximumRestarts: 2))

    init() {
        apply(startup.handle(.start))
        let data = AFDataRequest(destination: 0x1234, destinationEndpoint: 1, clusterID: 6, transactionID: 0x2A, data: [1])
        apply(link.handle(.send(.afDataRequest(data), id: 1, awaiting: ZNPRequest.afDataRequest(data).expectedCallback)))
        apply(link.handle(.send(.nodeDescriptor(of: 0x1234), id: 2, awaiting: ZNPRequest.nodeDescriptor(of: 0x1234).expectedCallback)))
    }

    mutating func deliver(_ frame: MTFrame) {
        apply(link.handle(.received(frame)))
    }

    private mutating func apply(_ actions: [ZNPStartup.Action]) {
        for case let .send(request, id, awaiting, timeout) in actions {
            apply(link.handle(.send(request, id: id, awaiting: awaiting, callbackTimeoutMilliseconds: timeout)))
        }
    }

    private mutating func apply(_ actions: [ZNPLink.Action]) {
        for action in actions {
            switch action {
            case let .completed(id, result): apply(startup.handle(.completed(id, result)))
            case let .callback(callback): apply(startup.handle(.callback(callback)))
            case let .reset(indication): apply(startup.handle(.reset(indication)))
            case .write, .startTimer, .cancelTimer, .unexpectedFrame: break
            }
        }
    }
}
