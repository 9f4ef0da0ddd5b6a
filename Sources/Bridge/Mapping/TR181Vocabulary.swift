/// The enumerations of the TR-181 IoT capability model (tr-181-2-19-0-iot.xml: the IoTUnitType,
/// IoTDeviceType, IoTLevelType, IoTEnumControlType and IoTEnumSensorType data types and the
/// BinaryControl/BinarySensor/MultiLevelSensor `Type` enumerations). Mappings are validated
/// against them; values outside them must be TR-106 vendor extensions (`X_<VENDOR>_Name`).
public enum TR181Vocabulary {
    /// The vendor prefix of this bridge's extensions (TR-106 `X_<VENDOR>_`).
    public static let vendorPrefix = "X_USPBRIDGE_"

    public static let units: [String] = [
        "-", "%", "deg", "degC", "degF", "K", "km", "m", "cm", "mm", "h", "min", "s", "ms", "sq-km", "sq-m", "sq-cm",
        "cu-m", "l", "cl", "ml", "kg", "g", "mg", "Wh", "kWh", "W", "A", "Hz", "V", "N", "Pa", "C", "F", "ohm", "S", "Wb",
        "T", "H", "lm", "lx", "mps", "cd", "mol", "UV", "RGB", "ppm", "Sv", "J", "rpm", "pps", "cu-m/s", "liter/s", "dB",
        "dBm", "eV",
    ]
    public static let deviceTypes: [String] = [
        "Alarm", "AntiTheft", "Bell", "Clock", "Door", "Fan", "GarageDoor", "HVAC", "Light", "Lock", "Meter", "Motor",
        "Oven", "PowerStrip", "Sensor", "SensorStrip", "Siren", "Thermostat",
    ]
    public static let levelTypes: [String] = [
        "Acceleration", "Area", "Battery", "Brightness", "Concentration", "Conductivity", "Distance", "Energy", "Flow",
        "Humidity", "Intensity", "Luminance", "Meter", "Motion", "Position", "Power", "Pressure", "Radiation", "Speed",
        "Temperature", "Volume", "Weight", "Depth", "Counter", "Duration",
    ]
    public static let enumControlTypes: [String] = [
        "AlarmMode", "DoorMode", "FanMode", "LockMode", "OperatingMode", "TemperatureMode", "ThermostatMode",
    ]
    public static let enumSensorTypes: [String] = [
        "AlarmState", "DoorState", "FanState", "LockState", "OperatingState", "TemperatureState", "ThermostatFanState",
    ]
    public static let binaryControlTypes: [String] = ["Switch", "Locked"]
    public static let binarySensorTypes: [String] = [
        "CarbonDioxideDetected", "CarbonMonoxideDetected", "DoorOpen", "MotionDetected", "SmokeDetected", "WindowOpen",
        "WaterDetected",
    ]
    public static let multiLevelSensorTypes: [String] = ["RGB", "Location"]

    /// Writable parameters of a class object that a mapping may back with a radio unit, with
    /// the largest value TR-181 allows (tr-181-2-19-0-iot.xml: BinarySensor.Sensitivity is
    /// 0…100, HoldTime and RestTime are unsignedInt milliseconds).
    public static func settingParameters(of cls: CapabilityClass) -> [String: Double] {
        switch cls {
        case .binarySensor: ["Sensitivity": 100, "HoldTime": Double(UInt32.max), "RestTime": Double(UInt32.max)]
        default: [:]
        }
    }

    /// Standard `Type` values of a capability class.
    public static func types(of cls: CapabilityClass) -> [String] {
        switch cls {
        case .binaryControl: binaryControlTypes
        case .levelControl, .levelSensor: levelTypes
        case .enumControl: enumControlTypes
        case .binarySensor: binarySensorTypes
        case .multiLevelSensor: multiLevelSensorTypes
        case .enumSensor: enumSensorTypes
        }
    }

    /// True for a standard value or a TR-106 vendor extension value.
    static func isAllowed(_ value: String, in list: [String]) -> Bool {
        list.contains(value) || isVendorValue(value)
    }

    /// `X_<VENDOR>_<Name>` (TR-106 section 3.3).
    static func isVendorValue(_ value: String) -> Bool {
        guard value.hasPrefix("X_") else { return false }
        let rest = value.dropFirst(2)
        guard let u = rest.firstIndex(of: "_") else { return false }
        let vendor = rest[rest.startIndex..<u]
        let name = rest[rest.index(after: u)...]
        return !vendor.isEmpty && !name.isEmpty
            && vendor.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
