/// ZCL status codes (ZCL rev 6/7/8, section 2.6.3 "Status Enumerations").
/// Values not listed stay opaque as `.unknown(code)`.
public enum ZCLStatus: Hashable, Sendable, CustomStringConvertible {
    case success                    // 0x00
    case failure                    // 0x01
    case notAuthorized              // 0x7E
    case reservedFieldNotZero       // 0x7F
    case malformedCommand           // 0x80
    case unsupportedClusterCommand  // 0x81
    case unsupportedGeneralCommand  // 0x82
    case unsupportedManufacturerClusterCommand  // 0x83
    case unsupportedManufacturerGeneralCommand  // 0x84
    case invalidField               // 0x85
    case unsupportedAttribute       // 0x86
    case invalidValue               // 0x87
    case readOnly                   // 0x88
    case insufficientSpace          // 0x89
    case duplicateExists            // 0x8A
    case notFound                   // 0x8B
    case unreportableAttribute      // 0x8C
    case invalidDataType            // 0x8D
    case invalidSelector            // 0x8E
    case writeOnly                  // 0x8F
    case inconsistentStartupState   // 0x90
    case definedOutOfBand           // 0x91
    case inconsistent               // 0x92
    case actionDenied               // 0x93
    case timeout                    // 0x94
    case abort                      // 0x95
    case invalidImage               // 0x96
    case waitForData                // 0x97
    case noImageAvailable           // 0x98
    case requireMoreImage           // 0x99
    case notificationPending        // 0x9A
    case hardwareFailure            // 0xC0
    case softwareFailure            // 0xC1
    case calibrationError           // 0xC2
    case unsupportedCluster         // 0xC3
    case limitReached               // 0xC4
    case unknown(UInt8)

    private static let table: [(UInt8, ZCLStatus)] = [
        (0x00, .success), (0x01, .failure), (0x7E, .notAuthorized), (0x7F, .reservedFieldNotZero),
        (0x80, .malformedCommand), (0x81, .unsupportedClusterCommand),
        (0x82, .unsupportedGeneralCommand), (0x83, .unsupportedManufacturerClusterCommand),
        (0x84, .unsupportedManufacturerGeneralCommand), (0x85, .invalidField),
        (0x86, .unsupportedAttribute), (0x87, .invalidValue), (0x88, .readOnly),
        (0x89, .insufficientSpace), (0x8A, .duplicateExists), (0x8B, .notFound),
        (0x8C, .unreportableAttribute), (0x8D, .invalidDataType), (0x8E, .invalidSelector),
        (0x8F, .writeOnly), (0x90, .inconsistentStartupState), (0x91, .definedOutOfBand),
        (0x92, .inconsistent), (0x93, .actionDenied), (0x94, .timeout), (0x95, .abort),
        (0x96, .invalidImage), (0x97, .waitForData), (0x98, .noImageAvailable),
        (0x99, .requireMoreImage), (0x9A, .notificationPending), (0xC0, .hardwareFailure),
        (0xC1, .softwareFailure), (0xC2, .calibrationError), (0xC3, .unsupportedCluster),
        (0xC4, .limitReached),
    ]

    public init(rawValue: UInt8) {
        self = Self.table.first { $0.0 == rawValue }?.1 ?? .unknown(rawValue)
    }

    public var rawValue: UInt8 {
        if case .unknown(let code) = self { return code }
        return Self.table.first { $0.1 == self }?.0 ?? 0xFF
    }

    public var isSuccess: Bool { self == .success }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        return "ZCLStatus(0x" + (hex.count == 1 ? "0" + hex : hex) + ")"
    }
}
