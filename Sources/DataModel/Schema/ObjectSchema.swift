/// How a controller may change a parameter (GetSupportedDM `ParamAccessType`).
public enum ParamAccess: String, Sendable, Hashable, Codable {
    case readOnly, readWrite, writeOnly
}

/// Whether instances of an object may be added or deleted (GetSupportedDM `ObjAccessType`).
public enum ObjectAccess: String, Sendable, Hashable, Codable {
    case readOnly, addDelete, addOnly, deleteOnly
    public var canAdd: Bool { self == .addDelete || self == .addOnly }
    public var canDelete: Bool { self == .addDelete || self == .deleteOnly }
}

public struct ParameterSchema: Sendable, Hashable, Codable {
    public var name: String
    public var syntax: ValueSyntax
    public var access: ParamAccess
    /// Value given to a new instance when Add does not set it.
    public var defaultValue: String?
    /// False for counters and other fast-changing values that ValueChange ignores.
    public var valueChangeAllowed: Bool
    public init(name: String, syntax: ValueSyntax, access: ParamAccess = .readOnly,
                defaultValue: String? = nil, valueChangeAllowed: Bool = true) {
        self.name = name; self.syntax = syntax; self.access = access
        self.defaultValue = defaultValue; self.valueChangeAllowed = valueChangeAllowed
    }
}

/// An input or output argument of a command, or an argument of an event.
public struct ArgumentSchema: Sendable, Hashable, Codable {
    public var name: String
    public var syntax: ValueSyntax
    public var mandatory: Bool
    public init(name: String, syntax: ValueSyntax, mandatory: Bool = false) {
        self.name = name; self.syntax = syntax; self.mandatory = mandatory
    }
}

public struct CommandSchema: Sendable, Hashable, Codable {
    /// Name without `()`.
    public var name: String
    public var isAsync: Bool
    public var inputs: [ArgumentSchema]
    public var outputs: [ArgumentSchema]
    public init(name: String, isAsync: Bool = false, inputs: [ArgumentSchema] = [], outputs: [ArgumentSchema] = []) {
        self.name = name; self.isAsync = isAsync; self.inputs = inputs; self.outputs = outputs
    }
}

public struct EventSchema: Sendable, Hashable, Codable {
    /// Name without `!`.
    public var name: String
    public var arguments: [ArgumentSchema]
    public init(name: String, arguments: [ArgumentSchema] = []) {
        self.name = name; self.arguments = arguments
    }
}

/// One object of the supported data model, keyed by its supported path
/// (e.g. `Device.LocalAgent.Controller.{i}.`).
public struct ObjectSchema: Sendable, Hashable, Codable {
    public var path: SupportedPath
    public var isMultiInstance: Bool
    public var access: ObjectAccess
    /// Each inner array is one unique key (one or more parameter names).
    public var uniqueKeys: [[String]]
    /// Parameters in schema order.
    public var parameters: [ParameterSchema]
    public var commands: [CommandSchema]
    public var events: [EventSchema]
    /// Name of the parent's `<Name>NumberOfEntries` parameter counting this table, if any.
    public var numberOfEntriesParameter: String?

    public init(path: SupportedPath, isMultiInstance: Bool = false, access: ObjectAccess = .readOnly,
                uniqueKeys: [[String]] = [], parameters: [ParameterSchema] = [],
                commands: [CommandSchema] = [], events: [EventSchema] = [],
                numberOfEntriesParameter: String? = nil) {
        self.path = path; self.isMultiInstance = isMultiInstance; self.access = access
        self.uniqueKeys = uniqueKeys; self.parameters = parameters
        self.commands = commands; self.events = events
        self.numberOfEntriesParameter = numberOfEntriesParameter
    }

    public func parameter(_ name: String) -> ParameterSchema? { parameters.first { $0.name == name } }
    public func command(_ name: String) -> CommandSchema? { commands.first { $0.name == name } }
    public func event(_ name: String) -> EventSchema? { events.first { $0.name == name } }

    /// All parameter names that belong to at least one unique key.
    public var uniqueKeyParameters: [String] {
        var seen: [String] = []
        for key in uniqueKeys { for p in key where !seen.contains(p) { seen.append(p) } }
        return seen
    }
}
