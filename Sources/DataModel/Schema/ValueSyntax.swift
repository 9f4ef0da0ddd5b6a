/// The TR-106 base data types a parameter can have.
public enum BaseType: String, Sendable, Hashable, CaseIterable, Codable {
    case string, boolean, int, unsignedInt, long, unsignedLong, decimal, dateTime, hexBinary, base64
}

/// Everything the data model says about a parameter's (or argument's) value: its base type
/// and facets. Validation and canonical rendering live in `ValueSyntax+Validation.swift`.
public struct ValueSyntax: Sendable, Hashable, Codable {
    public var base: BaseType
    /// Present when the value is a comma-separated list of `base` items.
    public var list: ListFacet?
    /// Size limits of a string, hexBinary or base64 item (characters; bytes for binary types).
    public var minLength: Int?
    public var maxLength: Int?
    /// Allowed values of a string item; empty means any value.
    public var enumeration: [String]
    /// Inclusive numeric ranges an integer or decimal item must fall into (any one of them).
    public var ranges: [NumericRange]
    /// Set when the value is a path reference (TR-106 pathRef).
    public var reference: ReferenceFacet?

    public init(
        _ base: BaseType,
        list: ListFacet? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        enumeration: [String] = [],
        ranges: [NumericRange] = [],
        reference: ReferenceFacet? = nil
    ) {
        self.base = base
        self.list = list
        self.minLength = minLength
        self.maxLength = maxLength
        self.enumeration = enumeration
        self.ranges = ranges
        self.reference = reference
    }

    public struct ListFacet: Sendable, Hashable, Codable {
        public var minItems: Int?
        public var maxItems: Int?
        /// Maximum length of the whole list string.
        public var maxLength: Int?
        public init(minItems: Int? = nil, maxItems: Int? = nil, maxLength: Int? = nil) {
            self.minItems = minItems; self.maxItems = maxItems; self.maxLength = maxLength
        }
    }

    public struct NumericRange: Sendable, Hashable, Codable {
        /// Bounds as decimal strings so that unsignedLong and decimal keep full precision.
        public var min: String?
        public var max: String?
        public init(min: String? = nil, max: String? = nil) { self.min = min; self.max = max }
    }

    public struct ReferenceFacet: Sendable, Hashable, Codable {
        public enum Strength: String, Sendable, Hashable, Codable { case strong, weak }
        public var strength: Strength
        /// Supported object paths the reference may point to; empty means any.
        public var targetParents: [String]
        public init(strength: Strength, targetParents: [String] = []) {
            self.strength = strength; self.targetParents = targetParents
        }
    }

    public static let string = ValueSyntax(.string)
    public static let boolean = ValueSyntax(.boolean)
    public static let int = ValueSyntax(.int)
    public static let unsignedInt = ValueSyntax(.unsignedInt)
    public static let long = ValueSyntax(.long)
    public static let unsignedLong = ValueSyntax(.unsignedLong)
    public static let decimal = ValueSyntax(.decimal)
    public static let dateTime = ValueSyntax(.dateTime)
    public static let hexBinary = ValueSyntax(.hexBinary)
    public static let base64 = ValueSyntax(.base64)
}
