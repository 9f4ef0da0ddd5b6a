/// A named value from the EZSP reference (UG100 "Named Values") carried as a fixed-width integer.
///
/// Codes this module does not name decode to the opaque `other` case instead of failing, so a newer
/// NCP firmware cannot break decoding by adding one. `init(code:)` always yields the named case for
/// a known code; build `other` directly only with codes absent from `known`.
public protocol EZSPCodedValue: Hashable, Sendable {
    associatedtype Code: FixedWidthInteger & Sendable
    /// The named cases and their codes.
    static var known: [(Self, Code)] { get }
    /// A code this module does not name.
    static func other(_ code: Code) -> Self
    /// The payload of `other`, nil for a named case.
    var otherCode: Code? { get }
}

extension EZSPCodedValue {
    public init(code: Code) {
        self = Self.known.first { $0.1 == code }?.0 ?? .other(code)
    }

    public var code: Code {
        if let other = otherCode { return other }
        return Self.known.first { $0.0 == self }?.1 ?? 0
    }
}
