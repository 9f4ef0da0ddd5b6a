/// Status byte of MT replies and callbacks: Z-Stack's common status values plus the NWK, APS,
/// security and MAC codes that AF_DATA_CONFIRM and friends pass through (values as listed in
/// SWRA198 and Z-Stack's ZComDef.h / zigpy-znp `types/named.py` `Status`). Unlisted values stay
/// available as `.unknown`.
public enum MTStatus: Sendable, Hashable, CustomStringConvertible {
    case success                  // 0x00
    case failure                  // 0x01
    case invalidParameter         // 0x02
    case invalidTask              // 0x03
    case messageBufferNotAvailable // 0x04
    case invalidMessagePointer    // 0x05
    case invalidEventID           // 0x06
    case invalidInterruptID       // 0x07
    case noTimerAvailable         // 0x08
    /// SYS_OSAL_NV_ITEM_INIT: the item did not exist and has been created.
    case nvItemUninitialized      // 0x09
    case nvOperationFailed        // 0x0A
    case invalidMemorySize        // 0x0B
    case nvBadItemLength          // 0x0C
    case memoryError              // 0x10
    case bufferFull               // 0x11
    case unsupportedMode          // 0x12
    case macMemoryError           // 0x13
    case notAuthorized            // 0x7E
    case apsFailure               // 0xB1
    case apsTableFull             // 0xB2
    case apsIllegalRequest        // 0xB3
    case apsInvalidBinding        // 0xB4
    case apsUnsupportedAttribute  // 0xB5
    case apsNotSupported          // 0xB6
    case apsNoAck                 // 0xB7
    case apsDuplicateEntry        // 0xB8
    case apsNoBoundDevice         // 0xB9
    case apsNotAllowed            // 0xBA
    case apsNotAuthenticated      // 0xBB
    case securityNoKey            // 0xA1
    case securityFailure          // 0xAD
    case nwkInvalidParameter      // 0xC1
    case nwkInvalidRequest        // 0xC2
    case nwkNotPermitted          // 0xC3
    case nwkStartupFailure        // 0xC4
    case nwkTableFull             // 0xC7
    case nwkUnknownDevice         // 0xC8
    case nwkNoNetworks            // 0xCA
    case nwkNoAck                 // 0xCC
    case nwkNoRoute               // 0xCD
    case macChannelAccessFailure  // 0xE1
    case macNoAck                 // 0xE9
    case macTransactionExpired    // 0xF0
    case macTransactionOverflow   // 0xF1
    case unknown(UInt8)

    private static let table: [(UInt8, MTStatus)] = [
        (0x00, .success), (0x01, .failure), (0x02, .invalidParameter), (0x03, .invalidTask),
        (0x04, .messageBufferNotAvailable), (0x05, .invalidMessagePointer), (0x06, .invalidEventID),
        (0x07, .invalidInterruptID), (0x08, .noTimerAvailable), (0x09, .nvItemUninitialized),
        (0x0A, .nvOperationFailed), (0x0B, .invalidMemorySize), (0x0C, .nvBadItemLength),
        (0x10, .memoryError), (0x11, .bufferFull), (0x12, .unsupportedMode), (0x13, .macMemoryError),
        (0x7E, .notAuthorized),
        (0xA1, .securityNoKey), (0xAD, .securityFailure),
        (0xB1, .apsFailure), (0xB2, .apsTableFull), (0xB3, .apsIllegalRequest), (0xB4, .apsInvalidBinding),
        (0xB5, .apsUnsupportedAttribute), (0xB6, .apsNotSupported), (0xB7, .apsNoAck),
        (0xB8, .apsDuplicateEntry), (0xB9, .apsNoBoundDevice), (0xBA, .apsNotAllowed),
        (0xBB, .apsNotAuthenticated),
        (0xC1, .nwkInvalidParameter), (0xC2, .nwkInvalidRequest), (0xC3, .nwkNotPermitted),
        (0xC4, .nwkStartupFailure), (0xC7, .nwkTableFull), (0xC8, .nwkUnknownDevice),
        (0xCA, .nwkNoNetworks), (0xCC, .nwkNoAck), (0xCD, .nwkNoRoute),
        (0xE1, .macChannelAccessFailure), (0xE9, .macNoAck), (0xF0, .macTransactionExpired),
        (0xF1, .macTransactionOverflow),
    ]

    private static let byValue: [UInt8: MTStatus] = Dictionary(uniqueKeysWithValues: table)

    public init(rawValue: UInt8) {
        self = MTStatus.byValue[rawValue] ?? .unknown(rawValue)
    }

    public var rawValue: UInt8 {
        if case .unknown(let value) = self { return value }
        return MTStatus.table.first { $0.1 == self }?.0 ?? 0xFF
    }

    public var isSuccess: Bool { self == .success }

    public var description: String {
        let hex = String(rawValue, radix: 16, uppercase: true)
        return "MTStatus(0x\(hex.count == 1 ? "0" + hex : hex))"
    }
}
