import DataModel

/// One object whose parameters a Get (or a search) needs, for a single provider call.
public struct ObjectRead: Sendable, Hashable {
    /// Instantiated object path (`Device.ProxiedDevice.3.IoTCapability.1.BinaryControl.`).
    public var path: String
    public var supported: SupportedPath
    public var parameters: [String]
    public init(path: String, supported: SupportedPath, parameters: [String]) {
        self.path = path; self.supported = supported; self.parameters = parameters
    }
}

/// Validated new values for one object's provider-backed parameters.
public struct ObjectWrite: Sendable, Hashable {
    public var path: String
    public var supported: SupportedPath
    /// Parameter name → canonical value.
    public var values: [String: String]
    public init(path: String, supported: SupportedPath, values: [String: String]) {
        self.path = path; self.supported = supported; self.values = values
    }
}

/// A parameter write a provider refused or could not carry out.
public struct ParameterFailure: Sendable, Hashable {
    public var path: String
    public var parameter: String
    public var code: USPErrorCode
    public var message: String
    public init(path: String, parameter: String, code: USPErrorCode, message: String) {
        self.path = path; self.parameter = parameter; self.code = code; self.message = message
    }
}

/// Code that serves the values of a subtree (or of a few parameters) of the data model.
/// The agent calls `readInOrder` (by default: `read`) once per message with every object it needs, so a provider can
/// answer from one snapshot, one lock, or one radio round trip per device.
/// Object instances themselves live in the agent's instance store: providers create and
/// delete them through `USPAgent.addProvidedInstance` / `deleteProvidedInstance`.
public protocol ParameterProvider: Sendable {
    /// Values of the requested parameters, and only of those. A missing entry means "no value"
    /// (rendered from the schema default). Keys: object path → parameter name → value.
    func read(_ objects: [ObjectRead]) async -> [String: [String: String]]
    /// The same values as `read`, one dictionary per object in the order of `objects` (empty
    /// for an object without values). The agent calls this one; providers that read many objects
    /// implement it to spare the agent and themselves a dictionary keyed by path.
    func readInOrder(_ objects: [ObjectRead]) async -> [[String: String]]
    /// Carries out validated writes; returns the parameters that failed.
    func write(_ writes: [ObjectWrite]) async -> [ParameterFailure]
}

extension ParameterProvider {
    public func readInOrder(_ objects: [ObjectRead]) async -> [[String: String]] {
        let byPath = await read(objects)
        return objects.map { byPath[$0.path] ?? [:] }
    }

    public func write(_ writes: [ObjectWrite]) async -> [ParameterFailure] {
        writes.flatMap { w in
            w.values.keys.map { ParameterFailure(path: w.path, parameter: $0, code: .parameterReadOnly, message: "\($0) is not writable") }
        }
    }
}

/// A command implementation. Throwing a USPError reports a command failure with its code.
public typealias CommandHandler = @Sendable (CommandInvocation) async throws(USPError) -> [String: String]

public struct CommandInvocation: Sendable {
    /// Instantiated object path the command runs on (`Device.ProxiedDevice.2.IoTCapability.1.`).
    public var objectPath: String
    public var supported: SupportedPath
    /// Command name without `()`.
    public var command: String
    /// Input arguments, validated against the schema and with defaults filled in.
    public var inputs: [String: String]
    public var commandKey: String
    /// Endpoint ID of the controller that sent the Operate.
    public var controller: String
}

/// Where a provider-backed parameter's value comes from.
struct ProviderMount: Sendable {
    /// Supported object path prefix the mount covers (`Device.ProxiedDevice.`).
    var prefix: SupportedPath
    /// Only these parameters (for single dynamic values like `UpTime`); nil = all in the subtree.
    var parameters: Set<String>?
    var provider: any ParameterProvider

    func covers(_ supported: SupportedPath, _ parameter: String) -> Bool {
        if let parameters {
            return supported == prefix && parameters.contains(parameter)
        }
        return supported.hasPrefix(prefix)
    }
}
