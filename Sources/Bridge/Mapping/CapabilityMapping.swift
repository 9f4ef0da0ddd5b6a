/// The TR-181 IoT capability classes (the `IoTCapability.{i}.Class` enumeration, without the
/// BlobSensor class, which no radio unit maps to yet).
public enum CapabilityClass: String, Sendable, Hashable, CaseIterable, Codable {
    case binaryControl = "BinaryControl"
    case levelControl = "LevelControl"
    case enumControl = "EnumControl"
    case binarySensor = "BinarySensor"
    case levelSensor = "LevelSensor"
    case multiLevelSensor = "MultiLevelSensor"
    case enumSensor = "EnumSensor"

    public var isControl: Bool { self == .binaryControl || self == .levelControl || self == .enumControl }
    /// Classes whose `Unit` parameter is mandatory.
    public var hasUnit: Bool { self == .levelControl || self == .levelSensor || self == .multiLevelSensor }
    /// Classes with `StepUp()`/`StepDown()`.
    public var hasSteps: Bool { self == .levelControl || self == .enumControl }
}

/// Which device command carries out a USP Set or a capability command.
public enum CommandBinding: Sendable, Hashable {
    /// `DeviceCommand.write(unit, value)`.
    case write
    /// `DeviceCommand.invoke(unit, action, args)`; for Set the converted value is added as
    /// argument `value`, for steps the radio step size as `step`.
    case invoke(CommandAction, args: [String: RadioValue])
    /// Done by the bridge with a Set: Toggle writes the negated value, StepUp/StepDown the
    /// value moved by `StepValue` and clamped to the range (or cycled, for EnumControl).
    case emulate
}

/// Where a source file and line of a mapping come from (for error messages and the registry).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
    public var description: String { "\(file):\(line)" }
}

/// Picks the capability `Type` from a unit property learned in the interview (e.g. ZCL IAS
/// zone type → MotionDetected / DoorOpen / SmokeDetected …).
public struct TypeSelector: Sendable, Hashable {
    public var property: String
    public var values: [Int64: String]
    public var fallback: String
}

/// How one functional unit appears as a TR-181 IoT capability.
public struct CapabilityMapping: Sendable, Hashable {
    public var capabilityClass: CapabilityClass
    public var type: String
    public var typeSelector: TypeSelector?
    public var unit: String?
    public var description: String?
    /// Default `IoTCapability.{i}.Name` (the user may rename it); the Type when nil.
    public var name: String?
    public var conversion: ValueConversion
    public var min: Double?
    public var max: Double?
    public var step: Double?
    /// EnumControl/EnumSensor valid values; MultiLevelSensor value names.
    public var validValues: [String]
    public var valueNames: [String]
    public var set: CommandBinding?
    public var toggle: CommandBinding?
    public var stepUp: CommandBinding?
    public var stepDown: CommandBinding?
    /// Reports of this unit are momentary events (button presses): each one sets Value and
    /// emits `X_USPBRIDGE_Triggered!`, even when the value repeats.
    public var isEvent: Bool
    /// True for device-wide units (battery …) that stay on the ProxiedDevice of a
    /// multi-endpoint device rather than on a Node.
    public var deviceScope: Bool
    /// `ProxiedDevice.Type` suggested by this capability.
    public var deviceType: String?
    /// Writable class parameters backed by sibling units (BinarySensor HoldTime …).
    public var settings: [SettingMapping]
    public var source: SourceLocation

    public init(capabilityClass: CapabilityClass, type: String, source: SourceLocation) {
        self.capabilityClass = capabilityClass; self.type = type; self.source = source
        typeSelector = nil; unit = nil; description = nil; name = nil; conversion = ValueConversion()
        min = nil; max = nil; step = nil; validValues = []; valueNames = []
        set = nil; toggle = nil; stepUp = nil; stepDown = nil; isEvent = false; deviceScope = false; deviceType = nil; settings = []
    }

    /// The capability Type for a unit with these properties.
    public func resolvedType(properties: [String: RadioValue]) -> String {
        guard let sel = typeSelector else { return type }
        if let raw = properties[sel.property]?.number, let i = Int64(exactly: raw.rounded()), let t = sel.values[i] { return t }
        return sel.fallback
    }

    /// The binding of a capability command by its TR-181 name.
    public func binding(forCommand name: String) -> CommandBinding? {
        switch name {
        case "Toggle": toggle
        case "StepUp": stepUp
        case "StepDown": stepDown
        default: nil
        }
    }

    /// Valid values of an enum class: explicit ones, or the enum table's names in order.
    public var effectiveValidValues: [String] {
        validValues.isEmpty ? conversion.enumTable.map(\.1) : validValues
    }
}
