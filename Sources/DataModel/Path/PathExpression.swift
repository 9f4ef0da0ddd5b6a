/// A parsed TR-369 instantiated-data-model path (the `idmpath` grammar of TR-369
/// "Data Model Path Grammar"), e.g. `Device.IP.Interface.[Name=="eth0"].Stats.BytesSent`.
///
/// The first segment is always a name (normally `Device`). The path's kind is given by
/// `leaf`: an object path ends in `.`, a parameter path in a name, a command in `Name()`
/// and an event in `Name!`. Parse with `PathExpression.parse(_:)`; render with `description`.
public struct PathExpression: Sendable, Hashable {
    public var segments: [Segment]
    public var leaf: Leaf

    public init(segments: [Segment], leaf: Leaf) {
        self.segments = segments
        self.leaf = leaf
    }

    /// One dot-separated step of an object path.
    public enum Segment: Sendable, Hashable {
        /// An object or sub-object name, e.g. `LocalAgent`.
        case name(String)
        /// An instance identifier standing after a multi-instance object's name.
        case instance(InstanceSelector)
        /// A reference parameter followed with `+` (optionally `#n+` or `#*+`), e.g. `Interface+`.
        case reference(parameter: String, index: ReferenceIndex)
    }

    /// What a path ends with after its last `.`.
    public enum Leaf: Sendable, Hashable {
        /// The path ends in `.`: an object, object instance, or table.
        case object
        case parameter(String)
        /// `Name()`; the name is stored without the parentheses.
        case command(String)
        /// `Name!`; the name is stored without the exclamation mark.
        case event(String)
    }

    public enum InstanceSelector: Sendable, Hashable {
        /// An instance number (>= 1).
        case number(UInt32)
        /// `*`
        case wildcard
        /// `[comp&&comp...]`, unique-key addressing or a search.
        case expression([SearchComponent])
    }

    /// Which entries of a list-valued reference parameter to follow.
    public enum ReferenceIndex: Sendable, Hashable {
        /// `Param#n+`; `Param+` is `.item(1)`.
        case item(Int)
        /// `Param#*+`
        case all
    }

    /// One `relpath oper value` term of a search expression.
    public struct SearchComponent: Sendable, Hashable {
        /// The relative parameter path, e.g. `Stats.ErrorsSent` or `SSIDReference+.SSID`.
        public var path: [RelativeStep]
        public var op: SearchOperator
        public var value: SearchValue
        public init(path: [RelativeStep], op: SearchOperator, value: SearchValue) {
            self.path = path; self.op = op; self.value = value
        }
    }

    /// A name inside a search expression's relative path, optionally followed as a reference.
    public struct RelativeStep: Sendable, Hashable {
        public var name: String
        public var follow: ReferenceIndex?
        public init(name: String, follow: ReferenceIndex? = nil) {
            self.name = name; self.follow = follow
        }
    }

    public enum SearchOperator: String, Sendable, Hashable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case contains = "~="
        case less = "<"
        case greater = ">"
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
    }

    public enum SearchValue: Sendable, Hashable {
        /// A double-quoted literal, percent-decoded (`%22` is `"`, `%25` is `%`).
        case quoted(String)
        /// An unquoted constant such as `0`, `-5`, `true`, `08` or `2021-06-06T08:00:00Z`,
        /// interpreted against the parameter's type when the search is evaluated.
        case bare(String)
    }
}

/// A path in the supported data model (TR-369 `sdmpath`), e.g. `Device.LocalAgent.Controller.{i}.`.
/// Schema lookups key objects by this form: every instance identifier replaced with `{i}`.
public typealias SupportedPath = String
