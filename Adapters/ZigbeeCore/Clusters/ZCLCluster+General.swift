// General clusters (ZCL rev 6/7/8 chapter 3).

extension ZCLCluster {
    /// Basic 0x0000 (ZCL 3.2).
    public static let basic = ZCLCluster(
        id: 0x0000, name: "Basic",
        attributes: [
            attr(0x0000, "ZCLVersion", .uint8),
            attr(0x0001, "ApplicationVersion", .uint8),
            attr(0x0002, "StackVersion", .uint8),
            attr(0x0003, "HWVersion", .uint8),
            attr(0x0004, "ManufacturerName", .string),
            attr(0x0005, "ModelIdentifier", .string),
            attr(0x0006, "DateCode", .string),
            attr(0x0007, "PowerSource", .enum8),
            attr(0x0008, "GenericDevice-Class", .enum8),
            attr(0x0009, "GenericDevice-Type", .enum8),
            attr(0x000A, "ProductCode", .octstr),
            attr(0x000B, "ProductURL", .string),
            attr(0x0010, "LocationDescription", .string, .readWrite),
            attr(0x0011, "PhysicalEnvironment", .enum8, .readWrite),
            attr(0x0012, "DeviceEnabled", .bool, .readWrite),
            attr(0x0013, "AlarmMask", .bitmap8, .readWrite),
            attr(0x0014, "DisableLocalConfig", .bitmap8, .readWrite),
            attr(0x4000, "SWBuildID", .string),
        ],
        clientToServer: [cmd(0x00, "ResetToFactoryDefaults", [])]
    )

    /// Power Configuration 0x0001 (ZCL 3.3).
    public static let powerConfiguration = ZCLCluster(
        id: 0x0001, name: "Power Configuration",
        attributes: [
            attr(0x0000, "MainsVoltage", .uint16),
            attr(0x0001, "MainsFrequency", .uint8),
            attr(0x0010, "MainsAlarmMask", .bitmap8, .readWrite),
            attr(0x0011, "MainsVoltageMinThreshold", .uint16, .readWrite),
            attr(0x0012, "MainsVoltageMaxThreshold", .uint16, .readWrite),
            attr(0x0013, "MainsVoltageDwellTripPoint", .uint16, .readWrite),
            attr(0x0020, "BatteryVoltage", .uint8, reportable: true),
            attr(0x0021, "BatteryPercentageRemaining", .uint8, reportable: true),
            attr(0x0030, "BatteryManufacturer", .string, .readWrite),
            attr(0x0031, "BatterySize", .enum8, .readWrite),
            attr(0x0032, "BatteryAHrRating", .uint16, .readWrite),
            attr(0x0033, "BatteryQuantity", .uint8, .readWrite),
            attr(0x0034, "BatteryRatedVoltage", .uint8, .readWrite),
            attr(0x0035, "BatteryAlarmMask", .bitmap8, .readWrite),
            attr(0x0036, "BatteryVoltageMinThreshold", .uint8, .readWrite),
            attr(0x0037, "BatteryVoltageThreshold1", .uint8, .readWrite),
            attr(0x0038, "BatteryVoltageThreshold2", .uint8, .readWrite),
            attr(0x0039, "BatteryVoltageThreshold3", .uint8, .readWrite),
            attr(0x003A, "BatteryPercentageMinThreshold", .uint8, .readWrite),
            attr(0x003E, "BatteryAlarmState", .bitmap32, reportable: true),
        ]
    )

    /// Identify 0x0003 (ZCL 3.5).
    public static let identify = ZCLCluster(
        id: 0x0003, name: "Identify",
        attributes: [attr(0x0000, "IdentifyTime", .uint16, .readWrite)],
        clientToServer: [
            cmd(0x00, "Identify", [param("IdentifyTime", .uint16)]),
            cmd(0x01, "IdentifyQuery", []),
            cmd(0x40, "TriggerEffect", [param("EffectIdentifier", .enum8), param("EffectVariant", .enum8)]),
        ],
        serverToClient: [cmd(0x00, "IdentifyQueryResponse", [param("Timeout", .uint16)])]
    )

    /// Groups 0x0004 (ZCL 3.6) — command ids only.
    public static let groups = ZCLCluster(
        id: 0x0004, name: "Groups",
        attributes: [attr(0x0000, "NameSupport", .bitmap8)],
        clientToServer: [
            cmdId(0x00, "AddGroup"), cmdId(0x01, "ViewGroup"), cmdId(0x02, "GetGroupMembership"),
            cmdId(0x03, "RemoveGroup"), cmdId(0x04, "RemoveAllGroups"), cmdId(0x05, "AddGroupIfIdentifying"),
        ],
        serverToClient: [
            cmdId(0x00, "AddGroupResponse"), cmdId(0x01, "ViewGroupResponse"),
            cmdId(0x02, "GetGroupMembershipResponse"), cmdId(0x03, "RemoveGroupResponse"),
        ]
    )

    /// Scenes 0x0005 (ZCL 3.7) — command ids only.
    public static let scenes = ZCLCluster(
        id: 0x0005, name: "Scenes",
        attributes: [
            attr(0x0000, "SceneCount", .uint8),
            attr(0x0001, "CurrentScene", .uint8),
            attr(0x0002, "CurrentGroup", .uint16),
            attr(0x0003, "SceneValid", .bool),
            attr(0x0004, "NameSupport", .bitmap8),
            attr(0x0005, "LastConfiguredBy", .eui64),
        ],
        clientToServer: [
            cmdId(0x00, "AddScene"), cmdId(0x01, "ViewScene"), cmdId(0x02, "RemoveScene"),
            cmdId(0x03, "RemoveAllScenes"), cmdId(0x04, "StoreScene"), cmdId(0x05, "RecallScene"),
            cmdId(0x06, "GetSceneMembership"), cmdId(0x40, "EnhancedAddScene"),
            cmdId(0x41, "EnhancedViewScene"), cmdId(0x42, "CopyScene"),
        ],
        serverToClient: [
            cmdId(0x00, "AddSceneResponse"), cmdId(0x01, "ViewSceneResponse"),
            cmdId(0x02, "RemoveSceneResponse"), cmdId(0x03, "RemoveAllScenesResponse"),
            cmdId(0x04, "StoreSceneResponse"), cmdId(0x06, "GetSceneMembershipResponse"),
            cmdId(0x40, "EnhancedAddSceneResponse"), cmdId(0x41, "EnhancedViewSceneResponse"),
            cmdId(0x42, "CopySceneResponse"),
        ]
    )

    /// On/Off 0x0006 (ZCL 3.8).
    public static let onOff = ZCLCluster(
        id: 0x0006, name: "On/Off",
        attributes: [
            attr(0x0000, "OnOff", .bool, reportable: true),
            attr(0x4000, "GlobalSceneControl", .bool),
            attr(0x4001, "OnTime", .uint16, .readWrite),
            attr(0x4002, "OffWaitTime", .uint16, .readWrite),
            attr(0x4003, "StartUpOnOff", .enum8, .readWrite),
        ],
        clientToServer: [
            cmd(0x00, "Off", []),
            cmd(0x01, "On", []),
            cmd(0x02, "Toggle", []),
            cmd(0x40, "OffWithEffect", [param("EffectIdentifier", .enum8), param("EffectVariant", .uint8)]),
            cmd(0x41, "OnWithRecallGlobalScene", []),
            cmd(0x42, "OnWithTimedOff", [param("OnOffControl", .bitmap8), param("OnTime", .uint16), param("OffWaitTime", .uint16)]),
        ]
    )

    /// Level Control 0x0008 (ZCL 3.10).
    public static let levelControl = ZCLCluster(
        id: 0x0008, name: "Level Control",
        attributes: [
            attr(0x0000, "CurrentLevel", .uint8, reportable: true),
            attr(0x0001, "RemainingTime", .uint16),
            attr(0x0002, "MinLevel", .uint8),
            attr(0x0003, "MaxLevel", .uint8),
            attr(0x0004, "CurrentFrequency", .uint16, reportable: true),
            attr(0x0005, "MinFrequency", .uint16),
            attr(0x0006, "MaxFrequency", .uint16),
            attr(0x000F, "Options", .bitmap8, .readWrite),
            attr(0x0010, "OnOffTransitionTime", .uint16, .readWrite),
            attr(0x0011, "OnLevel", .uint8, .readWrite),
            attr(0x0012, "OnTransitionTime", .uint16, .readWrite),
            attr(0x0013, "OffTransitionTime", .uint16, .readWrite),
            attr(0x0014, "DefaultMoveRate", .uint8, .readWrite),
            attr(0x4000, "StartUpCurrentLevel", .uint8, .readWrite),
        ],
        clientToServer: levelCommands(base: 0x00, suffix: "") + levelCommands(base: 0x04, suffix: "WithOnOff")
            + [cmd(0x08, "MoveToClosestFrequency", [param("Frequency", .uint16)])]
    )

    private static func levelCommands(base: UInt8, suffix: String) -> [ZCLCommandDefinition] {
        [
            cmd(base, "MoveToLevel" + suffix, [param("Level", .uint8), param("TransitionTime", .uint16)] + optionsParameters),
            cmd(base + 1, "Move" + suffix, [param("MoveMode", .enum8), param("Rate", .uint8)] + optionsParameters),
            cmd(base + 2, "Step" + suffix, [param("StepMode", .enum8), param("StepSize", .uint8), param("TransitionTime", .uint16)] + optionsParameters),
            cmd(base + 3, "Stop" + suffix, optionsParameters),
        ]
    }
}
