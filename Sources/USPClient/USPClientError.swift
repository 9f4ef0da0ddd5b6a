import USPMessages

/// The agent answered with a USP `Error` message (TR-369 "Error" body).
public struct USPResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct ParamError: Sendable, Equatable {
        public var path: String
        public var code: UInt32
        public var message: String
        public init(path: String, code: UInt32, message: String) {
            self.path = path; self.code = code; self.message = message
        }
    }

    /// The message ID of the request this error answers.
    public var msgID: String
    public var code: UInt32
    public var message: String
    public var paramErrors: [ParamError]

    public init(msgID: String = "", code: UInt32, message: String, paramErrors: [ParamError] = []) {
        self.msgID = msgID; self.code = code; self.message = message; self.paramErrors = paramErrors
    }

    public init(msgID: String, _ body: Usp_Error) {
        self.init(msgID: msgID, code: body.errCode, message: body.errMsg,
                  paramErrors: body.paramErrs.map { ParamError(path: $0.paramPath, code: $0.errCode, message: $0.errMsg) })
    }

    public var description: String { "USP error \(code): \(message)" }
}

/// Something went wrong between this controller and the agent (not a USP error).
public struct USPControllerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The broker refused or could not be reached.
        case connectFailed
        /// No CONNACK/SUBACK within the connect timeout.
        case connectTimeout
        /// No answer to a request within its timeout.
        case responseTimeout
        /// Publishing the request failed (e.g. the connection dropped).
        case publishFailed
        /// The request could not be encoded.
        case encodingFailed
        /// The answer was not the response type the request calls for.
        case unexpectedResponse
        /// `send` was called before `connect()` or after `close()`.
        case notConnected
    }

    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }
    public var description: String { message }
}
