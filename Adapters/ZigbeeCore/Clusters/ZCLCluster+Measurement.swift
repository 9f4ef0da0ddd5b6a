// Measurement and sensing (ZCL rev 6/7/8 chapter 4) and Smart Energy metering (ZCL 10.4 / SE 1.x).

extension ZCLCluster {
    private static func measurement(_ id: UInt16, _ name: String, _ type: ZCLDataType, extra: [ZCLAttributeDefinition] = []) -> ZCLCluster {
        ZCLCluster(
            id: id, name: name,
            attributes: [
                attr(0x0000, "MeasuredValue", type, reportable: true),
                attr(0x0001, "MinMeasuredValue", type),
                attr(0x0002, "MaxMeasuredValue", type),
                attr(0x0003, "Tolerance", .uint16, reportable: true),
            ] + extra
        )
    }

    /// Illuminance Measurement 0x0400 (ZCL 4.2): MeasuredValue = 10000 log10(lux) + 1.
    public static let illuminanceMeasurement = measurement(
        0x0400, "Illuminance Measurement", .uint16,
        extra: [attr(0x0004, "LightSensorType", .enum8)]
    )

    /// Temperature Measurement 0x0402 (ZCL 4.4): MeasuredValue in 0.01 °C.
    public static let temperatureMeasurement = measurement(0x0402, "Temperature Measurement", .int16)

    /// Pressure Measurement 0x0403 (ZCL 4.5): MeasuredValue in kPa × 10.
    public static let pressureMeasurement = measurement(
        0x0403, "Pressure Measurement", .int16,
        extra: [
            attr(0x0010, "ScaledValue", .int16, reportable: true),
            attr(0x0011, "MinScaledValue", .int16),
            attr(0x0012, "MaxScaledValue", .int16),
            attr(0x0013, "ScaledTolerance", .uint16, reportable: true),
            attr(0x0014, "Scale", .int8),
        ]
    )

    /// Relative Humidity Measurement 0x0405 (ZCL 4.7): MeasuredValue in 0.01 %.
    public static let relativeHumidityMeasurement = measurement(0x0405, "Relative Humidity Measurement", .uint16)

    /// Occupancy Sensing 0x0406 (ZCL 4.8).
    public static let occupancySensing = ZCLCluster(
        id: 0x0406, name: "Occupancy Sensing",
        attributes: [
            attr(0x0000, "Occupancy", .bitmap8, reportable: true),
            attr(0x0001, "OccupancySensorType", .enum8),
            attr(0x0002, "OccupancySensorTypeBitmap", .bitmap8),
            attr(0x0010, "PIROccupiedToUnoccupiedDelay", .uint16, .readWrite),
            attr(0x0011, "PIRUnoccupiedToOccupiedDelay", .uint16, .readWrite),
            attr(0x0012, "PIRUnoccupiedToOccupiedThreshold", .uint8, .readWrite),
            attr(0x0020, "UltrasonicOccupiedToUnoccupiedDelay", .uint16, .readWrite),
            attr(0x0021, "UltrasonicUnoccupiedToOccupiedDelay", .uint16, .readWrite),
            attr(0x0022, "UltrasonicUnoccupiedToOccupiedThreshold", .uint8, .readWrite),
        ]
    )

    /// Metering 0x0702 (ZCL 10.4 / Smart Energy).
    public static let metering = ZCLCluster(
        id: 0x0702, name: "Metering",
        attributes: [
            attr(0x0000, "CurrentSummationDelivered", .uint48, reportable: true),
            attr(0x0001, "CurrentSummationReceived", .uint48, reportable: true),
            attr(0x0002, "CurrentMaxDemandDelivered", .uint48),
            attr(0x0003, "CurrentMaxDemandReceived", .uint48),
            attr(0x0004, "DFTSummation", .uint48),
            attr(0x0005, "DailyFreezeTime", .uint16),
            attr(0x0006, "PowerFactor", .int8),
            attr(0x0007, "ReadingSnapShotTime", .utc),
            attr(0x0200, "Status", .bitmap8),
            attr(0x0300, "UnitOfMeasure", .enum8),
            attr(0x0301, "Multiplier", .uint24),
            attr(0x0302, "Divisor", .uint24),
            attr(0x0303, "SummationFormatting", .bitmap8),
            attr(0x0304, "DemandFormatting", .bitmap8),
            attr(0x0305, "HistoricalConsumptionFormatting", .bitmap8),
            attr(0x0306, "MeteringDeviceType", .bitmap8),
            attr(0x0400, "InstantaneousDemand", .int24, reportable: true),
        ],
        clientToServer: [
            cmdId(0x00, "GetProfile"), cmdId(0x01, "RequestMirrorResponse"),
            cmdId(0x02, "MirrorRemoved"), cmdId(0x03, "RequestFastPollMode"),
        ],
        serverToClient: [
            cmdId(0x00, "GetProfileResponse"), cmdId(0x01, "RequestMirror"),
            cmdId(0x02, "RemoveMirror"), cmdId(0x03, "RequestFastPollModeResponse"),
        ]
    )

    /// Electrical Measurement 0x0B04 (ZCL 4.9).
    public static let electricalMeasurement = ZCLCluster(
        id: 0x0B04, name: "Electrical Measurement",
        attributes: [
            attr(0x0000, "MeasurementType", .bitmap32),
            attr(0x0100, "DCVoltage", .int16, reportable: true),
            attr(0x0103, "DCCurrent", .int16, reportable: true),
            attr(0x0106, "DCPower", .int16, reportable: true),
            attr(0x0200, "DCVoltageMultiplier", .uint16),
            attr(0x0201, "DCVoltageDivisor", .uint16),
            attr(0x0202, "DCCurrentMultiplier", .uint16),
            attr(0x0203, "DCCurrentDivisor", .uint16),
            attr(0x0204, "DCPowerMultiplier", .uint16),
            attr(0x0205, "DCPowerDivisor", .uint16),
            attr(0x0300, "ACFrequency", .uint16, reportable: true),
            attr(0x0304, "TotalActivePower", .int32, reportable: true),
            attr(0x0305, "TotalReactivePower", .int32, reportable: true),
            attr(0x0306, "TotalApparentPower", .uint32, reportable: true),
            attr(0x0505, "RMSVoltage", .uint16, reportable: true),
            attr(0x0508, "RMSCurrent", .uint16, reportable: true),
            attr(0x050B, "ActivePower", .int16, reportable: true),
            attr(0x050E, "ReactivePower", .int16, reportable: true),
            attr(0x050F, "ApparentPower", .uint16, reportable: true),
            attr(0x0510, "PowerFactor", .int8, reportable: true),
            attr(0x0600, "ACVoltageMultiplier", .uint16),
            attr(0x0601, "ACVoltageDivisor", .uint16),
            attr(0x0602, "ACCurrentMultiplier", .uint16),
            attr(0x0603, "ACCurrentDivisor", .uint16),
            attr(0x0604, "ACPowerMultiplier", .uint16),
            attr(0x0605, "ACPowerDivisor", .uint16),
        ],
        clientToServer: [
            cmd(0x00, "GetProfileInfo", []),
            cmdId(0x01, "GetMeasurementProfile"),
        ],
        serverToClient: [
            cmdId(0x00, "GetProfileInfoResponse"),
            cmdId(0x01, "GetMeasurementProfileResponse"),
        ]
    )
}
