/// One EZSP frame: header fields and the raw parameters (UG100 "Protocol Format").
///
/// Legacy form: `sequence, frameControl, frameID(1), parameters`.
/// Extended form (protocol version 8 and later): `sequence, frameControl(2), frameID(2, LE), parameters`.
public struct EZSPFrame: Hashable, Sendable {
    public enum Format: Hashable, Sendable {
        case legacy
        case extended
    }

    public var sequence: UInt8
    public var frameControl: EZSPFrameControl
    public var frameID: UInt16
    public var parameters: [UInt8]

    public init(sequence: UInt8, frameControl: EZSPFrameControl, frameID: UInt16, parameters: [UInt8]) {
        self.sequence = sequence
        self.frameControl = frameControl
        self.frameID = frameID
        self.parameters = parameters
    }

    public var format: Format { frameControl.highByte == nil ? .legacy : .extended }

    /// The frame as it travels inside an ASH DATA frame.
    public func encoded() -> [UInt8] {
        var out = [sequence]
        out.append(contentsOf: frameControl.bytes)
        switch format {
        case .legacy:
            out.append(UInt8(truncatingIfNeeded: frameID))
        case .extended:
            out.append(UInt8(truncatingIfNeeded: frameID))
            out.append(UInt8(truncatingIfNeeded: frameID >> 8))
        }
        out.append(contentsOf: parameters)
        return out
    }
}

/// Why bytes from the NCP are not a usable EZSP frame. Match on the case, never on text.
public enum EZSPFrameError: Error, Hashable, Sendable {
    /// Fewer bytes than the header needs.
    case tooShort(length: Int)
    /// A frame sent host-to-NCP arrived from the NCP (direction bit clear).
    case wrongDirection
    /// The extended frame control sets reserved bits or names a frame-format version other than 1.
    case unsupportedFrameControl(highByte: UInt8)
    /// A legacy frame id above 0xFF was asked for.
    case frameIDTooLargeForLegacy(UInt16)
}
