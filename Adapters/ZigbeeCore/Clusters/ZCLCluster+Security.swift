// Security and safety: IAS Zone (ZCL rev 6/7/8 chapter 8.2).

extension ZCLCluster {
    /// IAS Zone 0x0500 (ZCL 8.2).
    public static let iasZone = ZCLCluster(
        id: 0x0500, name: "IAS Zone",
        attributes: [
            attr(0x0000, "ZoneState", .enum8),
            attr(0x0001, "ZoneType", .enum16),
            attr(0x0002, "ZoneStatus", .bitmap16),
            attr(0x0010, "IAS_CIE_Address", .eui64, .readWrite),
            attr(0x0011, "ZoneID", .uint8),
            attr(0x0012, "NumberOfZoneSensitivityLevelsSupported", .uint8),
            attr(0x0013, "CurrentZoneSensitivityLevel", .uint8, .readWrite),
        ],
        clientToServer: [
            cmd(0x00, "ZoneEnrollResponse", [param("EnrollResponseCode", .enum8), param("ZoneID", .uint8)]),
            cmd(0x01, "InitiateNormalOperationMode", []),
            cmd(0x02, "InitiateTestMode", [param("TestModeDuration", .uint8), param("CurrentZoneSensitivityLevel", .uint8)]),
        ],
        serverToClient: [
            cmd(0x00, "ZoneStatusChangeNotification", [
                param("ZoneStatus", .bitmap16), param("ExtendedStatus", .bitmap8),
                param("ZoneID", .uint8, optional: true), param("Delay", .uint16, optional: true),
            ]),
            cmd(0x01, "ZoneEnrollRequest", [param("ZoneType", .enum16), param("ManufacturerCode", .uint16)]),
        ]
    )
}
