import Testing
@testable import ZigbeeCore

// Cluster ids, attribute ids/types and command layouts: ZigBee Cluster Library Specification
// (07-5123, rev 6/7/8): Basic 3.2, Power Configuration 3.3, Identify 3.5, Groups 3.6, Scenes 3.7,
// On/Off 3.8, Level Control 3.10, Color Control 5.2, Illuminance 4.2, Temperature 4.4,
// Pressure 4.5, Relative Humidity 4.7, Occupancy 4.8, Electrical Measurement 4.9, Door Lock 7.3,
// Window Covering 7.4, Thermostat 6.3, IAS Zone 8.2, Metering 10.4.

@Suite struct ZCLClusterTableTests {
    @Test func libraryHoldsEveryRequiredCluster() {
        let expected: [(UInt16, String)] = [
            (0x0000, "Basic"), (0x0001, "Power Configuration"), (0x0003, "Identify"), (0x0004, "Groups"),
            (0x0005, "Scenes"), (0x0006, "On/Off"), (0x0008, "Level Control"), (0x0101, "Door Lock"),
            (0x0102, "Window Covering"), (0x0201, "Thermostat"), (0x0300, "Color Control"),
            (0x0400, "Illuminance Measurement"), (0x0402, "Temperature Measurement"),
            (0x0403, "Pressure Measurement"), (0x0405, "Relative Humidity Measurement"),
            (0x0406, "Occupancy Sensing"), (0x0500, "IAS Zone"), (0x0702, "Metering"),
            (0x0B04, "Electrical Measurement"),
        ]
        for (id, name) in expected {
            #expect(ZCLClusterLibrary.cluster(id)?.name == name, "cluster 0x\(String(id, radix: 16))")
        }
        #expect(ZCLClusterLibrary.all.count == expected.count)
        #expect(ZCLClusterLibrary.cluster(0xFC00) == nil)
    }

    @Test func attributeDefinitions() {
        let basic = ZCLCluster.basic
        #expect(basic.attribute(0x0005)?.name == "ModelIdentifier")
        #expect(basic.attribute(0x0005)?.dataType == .string)
        #expect(basic.attribute(0x0007)?.dataType == .enum8)
        #expect(basic.attribute(0x4000)?.name == "SWBuildID")
        #expect(basic.attribute(0x0010)?.access == .readWrite)
        #expect(basic.attribute(0xFFFD)?.name == "ClusterRevision")
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0006, attribute: 0x0000) == ZCLAttributeDefinition(id: 0, name: "OnOff", dataType: .bool, reportable: true))
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0402, attribute: 0x0000)?.dataType == .int16)
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0405, attribute: 0x0000)?.dataType == .uint16)
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0702, attribute: 0x0000)?.dataType == .uint48)
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0702, attribute: 0x0400)?.dataType == .int24)
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0500, attribute: 0x0002)?.dataType == .bitmap16)
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0500, attribute: 0x0010)?.dataType == .eui64)
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0300, attribute: 0x0007)?.reportable == true)
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0B04, attribute: 0x050B)?.name == "ActivePower")
        #expect(ZCLClusterLibrary.attribute(cluster: 0x0006, attribute: 0x1234) == nil)
    }

    @Test func commandDefinitions() throws {
        #expect(ZCLCluster.groups.command(0x00, direction: .clientToServer)?.name == "AddGroup")
        #expect(ZCLCluster.groups.command(0x00, direction: .clientToServer)?.parameters == nil)
        #expect(ZCLCluster.iasZone.command(0x00, direction: .serverToClient)?.name == "ZoneStatusChangeNotification")
        #expect(ZCLCluster.iasZone.command(0x00, direction: .clientToServer)?.name == "ZoneEnrollResponse")
        let moveToLevel = try #require(ZCLCluster.levelControl.command(0x04, direction: .clientToServer))
        #expect(moveToLevel.name == "MoveToLevelWithOnOff")
        let args = try moveToLevel.decodeArguments(hex("80 0a 00"))
        #expect(args == [ZCLCommandArgument(name: "Level", value: .unsigned(0x80, .bits8)),
                         ZCLCommandArgument(name: "TransitionTime", value: .unsigned(10, .bits16))])
        #expect(try moveToLevel.decodeArguments(hex("80 0a 00 01 01")).count == 4)
        #expect(codecError { _ = try moveToLevel.decodeArguments(hex("80 0a")) }?.code == .truncated)
        #expect(codecError { _ = try moveToLevel.decodeArguments(hex("80 0a 00 01 01 09")) }?.code == .trailingBytes)
        #expect(try moveToLevel.encodeArguments([.unsigned(0x80, .bits8), .unsigned(10, .bits16)]) == hex("80 0a 00"))
        #expect(codecError { _ = try moveToLevel.encodeArguments([.unsigned(0x80, .bits8)]) }?.code == .typeMismatch)
        #expect(codecError { _ = try ZCLCluster.groups.clientToServerCommands[0]?.decodeArguments([]) }?.code == .unknownCommand(0))
    }
}

@Suite struct ZCLClusterCommandTests {
    /// Hand-built payloads from the command layouts; each is decoded by both the typed codec and
    /// the declarative table, then re-encoded.
    static let clientToServer: [(UInt16, UInt8, String)] = [
        (0x0006, 0x01, ""),
        (0x0006, 0x40, "00 01"),
        (0x0006, 0x42, "01 2c 01 00 00"),
        (0x0008, 0x04, "80 0a 00"),
        (0x0008, 0x00, "80 0a 00 01 01"),
        (0x0008, 0x01, "01 32"),
        (0x0008, 0x02, "00 10 05 00"),
        (0x0008, 0x07, ""),
        (0x0300, 0x0A, "72 01 00 00"),
        (0x0300, 0x07, "3d 5a 28 5c 0a 00"),
        (0x0300, 0x06, "80 fe 01 00"),
        (0x0300, 0x02, "01 10 05"),
        (0x0300, 0x4B, "03 0a 00 99 00 72 01"),
        (0x0300, 0x4C, "01 0a 00 05 00 99 00 72 01 01 01"),
        (0x0300, 0x40, "00 80 00 0a 00"),
        (0x0300, 0x47, ""),
        (0x0101, 0x00, "04 31 32 33 34"),
        (0x0101, 0x01, ""),
        (0x0101, 0x03, "1e 00"),
        (0x0102, 0x05, "32"),
        (0x0102, 0x07, "02 01"),
        (0x0102, 0x00, ""),
        (0x0500, 0x00, "00 17"),
        (0x0500, 0x02, "3c 01"),
    ]

    static func decodeClientToServer(cluster: UInt16, command: UInt8, payload: [UInt8]) throws -> (any ZCLClusterCommand) {
        switch cluster {
        case 0x0006: return try OnOffCommand(commandId: command, payload: payload)
        case 0x0008: return try LevelControlCommand(commandId: command, payload: payload)
        case 0x0300: return try ColorControlCommand(commandId: command, payload: payload)
        case 0x0101: return try DoorLockCommand(commandId: command, payload: payload)
        case 0x0102: return try WindowCoveringCommand(commandId: command, payload: payload)
        default: return try IASZoneCommand(commandId: command, payload: payload)
        }
    }

    @Test(arguments: clientToServer.indices)
    func typedAndTableDecodingAgree(index: Int) throws {
        let (cluster, command, text) = Self.clientToServer[index]
        let payload = hex(text)
        let typed = try Self.decodeClientToServer(cluster: cluster, command: command, payload: payload)
        #expect(typed.commandId == command)
        #expect(try typed.encodedPayload() == payload)
        let definition = try #require(ZCLClusterLibrary.cluster(cluster)?.command(command, direction: .clientToServer))
        _ = try definition.decodeArguments(payload)
    }

    @Test func typedCommandValues() throws {
        #expect(try OnOffCommand(commandId: 0x42, payload: hex("01 2c 01 00 00")) == .onWithTimedOff(acceptOnlyWhenOn: true, onTime: 300, offWaitTime: 0))
        #expect(try LevelControlCommand(commandId: 0x04, payload: hex("80 0a 00")) == .moveToLevel(level: 0x80, transitionTime: 10, withOnOff: true))
        #expect(try LevelControlCommand(commandId: 0x01, payload: hex("01 32")) == .move(mode: .down, rate: 0x32))
        #expect(try ColorControlCommand(commandId: 0x0A, payload: hex("72 01 00 00")) == .moveToColorTemperature(mireds: 370, transitionTime: 0))
        #expect(try ColorControlCommand(commandId: 0x4B, payload: hex("03 0a 00 99 00 72 01")) == .moveColorTemperature(mode: .down, rate: 10, minimumMireds: 153, maximumMireds: 370))
        #expect(try DoorLockCommand(commandId: 0x00, payload: hex("04 31 32 33 34")) == .lock(pin: Array("1234".utf8)))
        #expect(try DoorLockCommand(commandId: 0x01, payload: []) == .unlock(pin: nil))
        #expect(try WindowCoveringCommand(commandId: 0x05, payload: hex("32")) == .goToLiftPercentage(50))
        #expect(try IASZoneCommand(commandId: 0x00, payload: hex("00 17")) == .zoneEnrollResponse(code: .success, zoneId: 0x17))
    }

    @Test func typedCommandFrames() throws {
        let frame = try OnOffCommand.toggle.frame(transactionSequence: 5)
        #expect(frame.encoded() == hex("01 05 02"))
        #expect(try OnOffCommand(frame: frame) == .toggle)
        let options = try LevelControlCommand.moveToLevel(level: 0xFE, transitionTime: 0, options: .executeIfOff).frame(transactionSequence: 1, disableDefaultResponse: true)
        #expect(options.encoded() == hex("11 01 00 fe 00 00 01 01"))
        // Wrong direction / global frames are rejected.
        let reply = ZCLFrame(frameType: .clusterSpecific, direction: .serverToClient, transactionSequence: 1, commandId: 0x01)
        #expect(codecError { _ = try OnOffCommand(frame: reply) }?.code == .wrongFrameKind)
        let global = try ZCLFrame.global(.readAttributes([0]), transactionSequence: 1)
        #expect(codecError { _ = try OnOffCommand(frame: global) }?.code == .wrongFrameKind)
    }

    @Test func serverToClientCommands() throws {
        // IAS Zone Status Change Notification: alarm1 | restore reports, zone 1, delay 0.
        let notification = try IASZoneNotification(commandId: 0x00, payload: hex("21 00 00 01 00 00"))
        #expect(notification == .zoneStatusChange(status: [.alarm1, .restoreReports], extendedStatus: 0, zoneId: 1, delay: 0))
        #expect(try notification.encodedPayload() == hex("21 00 00 01 00 00"))
        // Pre-ZCL6 devices send only status + extended status.
        let old = try IASZoneNotification(commandId: 0x00, payload: hex("01 00 00"))
        #expect(old == .zoneStatusChange(status: .alarm1, extendedStatus: 0, zoneId: nil, delay: nil))
        #expect(try old.encodedPayload() == hex("01 00 00"))
        let enroll = try IASZoneNotification(commandId: 0x01, payload: hex("15 00 5f 11"))
        #expect(enroll == .zoneEnrollRequest(zoneType: .contactSwitch, manufacturerCode: 0x115F))
        #expect(IASZoneType(rawValue: 0x1234) == .other(0x1234))
        #expect(IASZoneType.keyFob.rawValue == 0x0115)

        #expect(try DoorLockResponse(commandId: 0x00, payload: [0x00]) == .lockResponse(.success))
        let event = try DoorLockResponse(commandId: 0x20, payload: hex("01 02 03 00 00 00 00 00 00"))
        #expect(event == .operationEvent(DoorLockOperationEvent(source: .rf, code: 2, userId: 3, pin: [], localTime: 0)))
        #expect(try event.encodedPayload() == hex("01 02 03 00 00 00 00 00 00"))
        let definition = try #require(ZCLCluster.doorLock.command(0x20, direction: .serverToClient))
        #expect(try definition.decodeArguments(hex("01 02 03 00 00 00 00 00 00")).count == 5)
    }

    @Test func malformedCommandsThrow() {
        #expect(codecError { _ = try OnOffCommand(commandId: 0x40, payload: hex("00")) }?.code == .truncated)
        #expect(codecError { _ = try OnOffCommand(commandId: 0x01, payload: hex("00")) }?.code == .trailingBytes)
        #expect(codecError { _ = try OnOffCommand(commandId: 0x77, payload: []) }?.code == .unknownCommand(0x77))
        #expect(codecError { _ = try LevelControlCommand(commandId: 0x00, payload: hex("80 0a 00 01")) }?.code == .truncated)
        #expect(codecError { _ = try ColorControlCommand(commandId: 0x07, payload: hex("3d 5a 28")) }?.code == .truncated)
        #expect(codecError { _ = try DoorLockCommand(commandId: 0x00, payload: hex("05 31")) }?.code == .truncated)
        #expect(codecError { _ = try WindowCoveringCommand.goToLiftPercentage(101).encodedPayload() }?.code == .valueOutOfRange)
        #expect(codecError { _ = try IASZoneNotification(commandId: 0x01, payload: hex("15 00")) }?.code == .truncated)
    }

    @Test func fuzzedCommandsNeverTrap() {
        var rng = XorShift(seed: 7)
        let clusters: [UInt16] = [0x0006, 0x0008, 0x0300, 0x0101, 0x0102, 0x0500]
        var decoded = 0
        for _ in 0..<4000 {
            let cluster = clusters[Int.random(in: 0..<clusters.count, using: &rng)]
            let command = UInt8.random(in: 0...0x50, using: &rng)
            let payload = rng.bytes(maxCount: 12)
            do {
                let typed = try Self.decodeClientToServer(cluster: cluster, command: command, payload: payload)
                decoded += 1
                #expect(try typed.encodedPayload() == payload)
            } catch {
                #expect(error is ZigbeeCodecError)
            }
            for decode in [{ _ = try IASZoneNotification(commandId: command & 0x01, payload: payload) },
                           { _ = try DoorLockResponse(commandId: command & 0x21, payload: payload) }] {
                do { try decode() } catch { #expect(error is ZigbeeCodecError) }
            }
        }
        #expect(decoded > 0)
    }
}

@Suite struct ZCLOctetStringInCommandsTests {
    @Test func invalidPinLengthIsRejectedInCommands() {
        #expect(codecError { _ = try DoorLockCommand(commandId: 0x00, payload: hex("ff")) }?.code == .invalidValue)
    }
}
