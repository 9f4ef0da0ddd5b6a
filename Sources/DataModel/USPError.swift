import USPMessages

/// A USP error code (TR-369 section "Error Codes"). Codes are compared, never messages.
public struct USPErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }

    public static let messageFailed = USPErrorCode(7000)
    public static let messageNotSupported = USPErrorCode(7001)
    public static let requestDenied = USPErrorCode(7002)
    public static let internalError = USPErrorCode(7003)
    public static let invalidArguments = USPErrorCode(7004)
    public static let resourcesExceeded = USPErrorCode(7005)
    public static let permissionDenied = USPErrorCode(7006)
    public static let invalidConfiguration = USPErrorCode(7007)
    public static let invalidPathSyntax = USPErrorCode(7008)
    public static let parameterActionFailed = USPErrorCode(7009)
    public static let unsupportedParameter = USPErrorCode(7010)
    public static let invalidType = USPErrorCode(7011)
    public static let invalidValue = USPErrorCode(7012)
    public static let parameterReadOnly = USPErrorCode(7013)
    public static let valueConflict = USPErrorCode(7014)
    public static let operationError = USPErrorCode(7015)
    public static let objectDoesNotExist = USPErrorCode(7016)
    public static let objectNotCreated = USPErrorCode(7017)
    public static let objectNotTable = USPErrorCode(7018)
    public static let objectNotCreatable = USPErrorCode(7019)
    public static let objectNotUpdated = USPErrorCode(7020)
    public static let requiredParameterFailed = USPErrorCode(7021)
    public static let commandFailure = USPErrorCode(7022)
    public static let commandCanceled = USPErrorCode(7023)
    public static let deleteFailure = USPErrorCode(7024)
    public static let duplicateUniqueKey = USPErrorCode(7025)
    public static let invalidPath = USPErrorCode(7026)
    public static let invalidCommandArguments = USPErrorCode(7027)
    public static let registerFailure = USPErrorCode(7028)
    public static let alreadyInUse = USPErrorCode(7029)
    public static let deregisterFailure = USPErrorCode(7030)
    public static let pathAlreadyRegistered = USPErrorCode(7031)
    // Record-level codes (TR-369 MTP chapter, 7100-7199)
    public static let recordNotParsed = USPErrorCode(7100)
    public static let secureSessionRequired = USPErrorCode(7101)
    public static let secureSessionNotSupported = USPErrorCode(7102)
    public static let segmentationNotSupported = USPErrorCode(7103)
    public static let invalidRecordValue = USPErrorCode(7104)
    public static let sessionContextTerminated = USPErrorCode(7105)
    public static let sessionContextNotAllowed = USPErrorCode(7106)
}

/// An error carried to a USP controller. Handlers throw it; it renders itself as an
/// `Error` message body or as the per-path fields of a response.
public struct USPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One parameter's failure, for `Error.param_errs` and the response-specific ParameterError lists.
    public struct ParamError: Error, Sendable, Equatable {
        public var path: String
        public var code: USPErrorCode
        public var message: String
        public init(path: String, code: USPErrorCode, message: String) {
            self.path = path; self.code = code; self.message = message
        }
    }

    public var code: USPErrorCode
    public var message: String
    public var paramErrors: [ParamError]

    public init(_ code: USPErrorCode, _ message: String, paramErrors: [ParamError] = []) {
        self.code = code
        self.message = message
        self.paramErrors = paramErrors
    }

    public var description: String { "USP error \(code.rawValue): \(message)" }

    /// The `Error` message body for this error.
    public var errorBody: Usp_Error {
        var e = Usp_Error()
        e.errCode = code.rawValue
        e.errMsg = message
        e.paramErrs = paramErrors.map { p in
            var pe = Usp_Error.ParamError()
            pe.paramPath = p.path
            pe.errCode = p.code.rawValue
            pe.errMsg = p.message
            return pe
        }
        return e
    }
}
