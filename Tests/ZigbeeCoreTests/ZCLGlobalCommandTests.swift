import Testing
@testable import ZigbeeCore

// Payload layouts: ZigBee Cluster Library Specification (07-5123, rev 6/7/8) section 2.5
// "General Command Frames": Read Attributes Response 2.5.2, Write Attributes Response 2.5.5,
// Configure Reporting 2.5.7 (Reportable Change only for analog types, Table 2-10),
// Configure Reporting Response 2.5.8, Report Attributes 2.5.11, Default Response 2.5.12,
// Discover Attributes (Response) 2.5.14/2.5.15.

@Suite struct ZCLGlobalCommandTests {
    @Test func readAttributesResponseWithMixedStatuses() throws {
        let frameBytes = hex("""
            18 07 01
            04 00 00 42 04 49 4b 45 41
            05 00 86
            07 00 00 30 03
            00 00 00 20 ff
            00 40 c3
            """)
        let frame = try ZCLFrame(decoding: frameBytes)
        guard case .readAttributesResponse(let records) = try frame.globalCommand() else {
            Issue.record("not a read attributes response")
            return
        }
        #expect(records.count == 5)
        #expect(records[0] == ZCLReadAttributeRecord(attributeId: 0x0004, value: .string("IKEA")))
        #expect(records[1] == ZCLReadAttributeRecord(attributeId: 0x0005, status: .unsupportedAttribute))
        #expect(records[1].value == nil)
        #expect(records[2].value == .enum8(0x03))
        #expect(records[3].value == .unsigned(0xFF, .bits8))
        #expect(records[3].value?.isInvalid == true)
        #expect(records[4].status == .unsupportedCluster)
        #expect(try ZCLFrame.global(.readAttributesResponse(records), transactionSequence: 7, disableDefaultResponse: true).encoded() == frameBytes)
    }

    @Test func reportAttributesWithSeveralTypes() throws {
        let payload = hex("""
            00 00 29 98 08
            21 00 20 c8
            02 00 19 01 00
            05 00 42 03 61 62 63
            10 00 10 01
            """)
        let command = try ZCLGlobalCommand(commandId: 0x0A, payload: payload)
        #expect(command == .reportAttributes([
            ZCLAttributeValue(attributeId: 0x0000, value: .signed(2200, .bits16)),
            ZCLAttributeValue(attributeId: 0x0021, value: .unsigned(200, .bits8)),
            ZCLAttributeValue(attributeId: 0x0002, value: .bitmap(0x0001, .bits16)),
            ZCLAttributeValue(attributeId: 0x0005, value: .string("abc")),
            ZCLAttributeValue(attributeId: 0x0010, value: .bool(true)),
        ]))
        #expect(try command.encodedPayload() == payload)
        #expect(command.defaultDirection == .serverToClient)
    }

    @Test func configureReportingAnalogCarriesReportableChange() throws {
        // Temperature MeasuredValue int16: min 10 s, max 3600 s, change 50 (0.5 °C).
        let analog = ZCLReportingConfiguration.report(0x0000, type: .int16, min: 10, max: 3600, change: .signed(50, .bits16))
        let bytes = hex("00 00 00 29 0a 00 10 0e 32 00")
        #expect(try ZCLGlobalCommand.configureReporting([analog]).encodedPayload() == bytes)
        #expect(try ZCLGlobalCommand(commandId: 0x06, payload: bytes) == .configureReporting([analog]))
    }

    @Test func configureReportingDiscreteOmitsReportableChange() throws {
        // On/Off bool: no Reportable Change field, even when the caller passes one.
        let discrete = ZCLReportingConfiguration.report(0x0000, type: .bool, min: 0, max: 300, change: .bool(true))
        let bytes = hex("00 00 00 10 00 00 2c 01")
        #expect(try ZCLGlobalCommand.configureReporting([discrete]).encodedPayload() == bytes)
        let decoded = try ZCLGlobalCommand(commandId: 0x06, payload: bytes)
        #expect(decoded == .configureReporting([.report(0x0000, type: .bool, min: 0, max: 300, change: nil)]))
    }

    @Test func configureReportingMixedRecordsAndReceiveDirection() throws {
        let records: [ZCLReportingConfiguration] = [
            .report(0x0021, type: .uint8, min: 60, max: 3600, change: .unsigned(2, .bits8)),
            .report(0x0002, type: .bitmap16, min: 1, max: 60),
            ZCLReportingConfiguration(attributeId: 0x0000, kind: .received(timeout: 300)),
        ]
        let bytes = hex("00 21 00 20 3c 00 10 0e 02  00 02 00 19 01 00 3c 00  01 00 00 2c 01")
        #expect(try ZCLGlobalCommand.configureReporting(records).encodedPayload() == bytes)
        #expect(try ZCLGlobalCommand(commandId: 0x06, payload: bytes) == .configureReporting(records))
        // Analog without reportable change, or of the wrong type, cannot be encoded.
        #expect(codecError { _ = try ZCLGlobalCommand.configureReporting([.report(0, type: .uint16, min: 1, max: 2)]).encodedPayload() }?.code == .invalidValue)
        #expect(codecError { _ = try ZCLGlobalCommand.configureReporting([.report(0, type: .uint16, min: 1, max: 2, change: .unsigned(1, .bits8))]).encodedPayload() }?.code == .typeMismatch)
        // Direction 0x02 is not defined.
        #expect(codecError { _ = try ZCLGlobalCommand(commandId: 0x06, payload: hex("02 00 00 2c 01")) }?.code == .invalidValue)
    }

    @Test func configureReportingResponse() throws {
        #expect(try ZCLGlobalCommand(commandId: 0x07, payload: [0x00]) == .configureReportingResponse([ZCLReportingStatusRecord(status: .success)]))
        let mixed = hex("8c 00 00 00 86 00 05 00")
        let decoded = try ZCLGlobalCommand(commandId: 0x07, payload: mixed)
        #expect(decoded == .configureReportingResponse([
            ZCLReportingStatusRecord(status: .unreportableAttribute, direction: .reported, attributeId: 0x0000),
            ZCLReportingStatusRecord(status: .unsupportedAttribute, direction: .reported, attributeId: 0x0005),
        ]))
        #expect(try decoded.encodedPayload() == mixed)
        #expect(codecError { _ = try ZCLGlobalCommand(commandId: 0x07, payload: hex("8c 00 00")) }?.code == .truncated)
    }

    @Test func writeAttributesAndResponse() throws {
        let write = ZCLGlobalCommand.writeAttributes([ZCLAttributeValue(attributeId: 0x0010, value: .eui64(IEEEAddress(0x0011_2233_4455_6677)))])
        #expect(try write.encodedPayload() == hex("10 00 f0 77 66 55 44 33 22 11 00"))
        #expect(try ZCLGlobalCommand(commandId: 0x04, payload: [0x00]) == .writeAttributesResponse([ZCLAttributeStatusRecord(status: .success)]))
        let failed = try ZCLGlobalCommand(commandId: 0x04, payload: hex("88 10 00 86 11 00"))
        #expect(failed == .writeAttributesResponse([
            ZCLAttributeStatusRecord(status: .readOnly, attributeId: 0x0010),
            ZCLAttributeStatusRecord(status: .unsupportedAttribute, attributeId: 0x0011),
        ]))
        #expect(try failed.encodedPayload() == hex("88 10 00 86 11 00"))
        #expect(codecError { _ = try ZCLGlobalCommand(commandId: 0x04, payload: []) }?.code == .truncated)
    }

    @Test func defaultResponseAndDiscovery() throws {
        #expect(try ZCLGlobalCommand(commandId: 0x0B, payload: hex("01 81")) == .defaultResponse(commandId: 0x01, status: .unsupportedClusterCommand))
        #expect(codecError { _ = try ZCLGlobalCommand(commandId: 0x0B, payload: hex("01")) }?.code == .truncated)
        #expect(codecError { _ = try ZCLGlobalCommand(commandId: 0x0B, payload: hex("01 00 00")) }?.code == .trailingBytes)
        #expect(try ZCLGlobalCommand.discoverAttributes(startAttributeId: 0, maximumCount: 20).encodedPayload() == hex("00 00 14"))
        let response = try ZCLGlobalCommand(commandId: 0x0D, payload: hex("01 00 00 20 04 00 42 00 40 42"))
        #expect(response == .discoverAttributesResponse(complete: true, attributes: [
            ZCLDiscoveredAttribute(attributeId: 0x0000, dataType: .uint8),
            ZCLDiscoveredAttribute(attributeId: 0x0004, dataType: .string),
            ZCLDiscoveredAttribute(attributeId: 0x4000, dataType: .string),
        ]))
        #expect(try ZCLGlobalCommand(commandId: 0x11, payload: [1, 2]) == .other(commandId: 0x11, payload: [1, 2]))
    }

    @Test func truncatedGlobalPayloadsThrow() {
        let cases: [(UInt8, String)] = [
            (0x00, "04 00 05"),              // odd attribute id
            (0x01, "04 00 00 42 05 49 4b"),  // string shorter than its length
            (0x01, "04 00 00"),              // success without type
            (0x01, "04 00 00 ff 00"),        // undecodable "unknown" type
            (0x0A, "00 00 29 98"),           // int16 cut
            (0x06, "00 00 00 29 0a 00 10 0e 32"), // reportable change cut
            (0x0D, "01 00 00"),
        ]
        for (command, payload) in cases {
            #expect(codecError { _ = try ZCLGlobalCommand(commandId: command, payload: hex(payload)) } != nil, "\(command) \(payload)")
        }
    }

    @Test func fuzzedGlobalPayloadsNeverTrap() {
        var rng = XorShift(seed: 42)
        var decodedCount = 0
        for _ in 0..<4000 {
            let commandId = UInt8.random(in: 0...0x0E, using: &rng)
            let payload = rng.bytes(maxCount: 20)
            do {
                let command = try ZCLGlobalCommand(commandId: commandId, payload: payload)
                decodedCount += 1
                if let first = try? command.encodedPayload() {
                    #expect(try ZCLGlobalCommand(commandId: commandId, payload: first).encodedPayload() == first)
                }
            } catch {
                #expect(error is ZigbeeCodecError)
            }
        }
        #expect(decodedCount > 0)
    }
}
