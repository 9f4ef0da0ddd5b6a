import Testing
import ZigbeeCore
import ZigbeeZNP

/// Request encodings. Expected bytes follow the parameter tables of SWRA198 ("Z-Stack Monitor and
/// Test API") and the APP_CNF definitions in zigpy-znp `commands/app_config.py`.
@Suite struct ZNPCommandTests {
    struct Case: Sendable, CustomStringConvertible {
        let request: ZNPRequest
        let cmd0: UInt8
        let cmd1: UInt8
        let payload: [UInt8]
        var description: String { "\(request)" }
    }

    static let ieee = IEEEAddress(0x0012_4B00_0102_0304)

    static let cases: [Case] = [
        Case(request: .ping, cmd0: 0x21, cmd1: 0x01, payload: []),
        Case(request: .version, cmd0: 0x21, cmd1: 0x02, payload: []),
        // SYS_RESET_REQ is an AREQ (cmd0 0x41).
        Case(request: .reset(.soft), cmd0: 0x41, cmd1: 0x00, payload: [0x01]),
        Case(request: .nvRead(.hasConfiguredZStack3), cmd0: 0x21, cmd1: 0x08, payload: [0x60, 0x00, 0x00]),
        Case(request: .nvWrite(.startupOption, value: [0x00]), cmd0: 0x21, cmd1: 0x09, payload: [0x03, 0x00, 0x00, 0x01, 0x00]),
        Case(request: .nvItemInit(.hasConfiguredZStack3, length: 1, initialValue: [0x55]), cmd0: 0x21, cmd1: 0x07,
             payload: [0x60, 0x00, 0x01, 0x00, 0x01, 0x55]),
        Case(request: .setTxPower(dBm: -3), cmd0: 0x21, cmd1: 0x14, payload: [0xFD]),
        Case(request: .getDeviceInfo, cmd0: 0x27, cmd1: 0x00, payload: []),
        Case(request: .afRegister(AFEndpoint(endpoint: 1, profileID: 0x0104, deviceID: 0x0005, inputClusters: [0x0000, 0x0006],
                                             outputClusters: [0x0019])),
             cmd0: 0x24, cmd1: 0x00, payload: [0x01, 0x04, 0x01, 0x05, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x06, 0x00, 0x01, 0x19, 0x00]),
        Case(request: .afDataRequest(AFDataRequest(destination: 0x1234, destinationEndpoint: 1, clusterID: 0x0006, transactionID: 0x2A,
                                                   data: [0x01, 0x2A, 0x01])),
             cmd0: 0x24, cmd1: 0x01, payload: [0x34, 0x12, 0x01, 0x01, 0x06, 0x00, 0x2A, 0x00, 0x1E, 0x03, 0x01, 0x2A, 0x01]),
        Case(request: .startupFromApp(delayMilliseconds: 100), cmd0: 0x25, cmd1: 0x40, payload: [0x64, 0x00]),
        Case(request: .permitJoin(.allRouters, seconds: 254), cmd0: 0x25, cmd1: 0x36, payload: [0x0F, 0xFC, 0xFF, 0xFE, 0x00]),
        Case(request: .permitJoin(.device(0x0000), seconds: 0), cmd0: 0x25, cmd1: 0x36, payload: [0x02, 0x00, 0x00, 0x00, 0x00]),
        Case(request: .nodeDescriptor(of: 0x1234), cmd0: 0x25, cmd1: 0x02, payload: [0x34, 0x12, 0x34, 0x12]),
        Case(request: .activeEndpoints(of: 0x1234), cmd0: 0x25, cmd1: 0x05, payload: [0x34, 0x12, 0x34, 0x12]),
        Case(request: .simpleDescriptor(of: 0x1234, endpoint: 1), cmd0: 0x25, cmd1: 0x04, payload: [0x34, 0x12, 0x34, 0x12, 0x01]),
        Case(request: .bind(target: 0x1234, source: ieee, sourceEndpoint: 1, clusterID: 0x0006,
                            destination: .device(IEEEAddress(0x00124B0000000001), endpoint: 1)),
             cmd0: 0x25, cmd1: 0x21,
             payload: [0x34, 0x12, 0x04, 0x03, 0x02, 0x01, 0x00, 0x4B, 0x12, 0x00, 0x01, 0x06, 0x00,
                       0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x4B, 0x12, 0x00, 0x01]),
        Case(request: .bind(target: 0x1234, source: ieee, sourceEndpoint: 1, clusterID: 0x0006, destination: .group(0xBEEF)),
             cmd0: 0x25, cmd1: 0x21,
             payload: [0x34, 0x12, 0x04, 0x03, 0x02, 0x01, 0x00, 0x4B, 0x12, 0x00, 0x01, 0x06, 0x00,
                       0x01, 0xEF, 0xBE, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
        Case(request: .mgmtLeave(target: 0x1234, device: ieee, rejoin: true), cmd0: 0x25, cmd1: 0x34,
             payload: [0x34, 0x12, 0x04, 0x03, 0x02, 0x01, 0x00, 0x4B, 0x12, 0x00, 0x01]),
        Case(request: .bdbStartCommissioning(.networkFormation), cmd0: 0x2F, cmd1: 0x05, payload: [0x04]),
        Case(request: .bdbSetChannel(primary: true, channels: 1 << 11), cmd0: 0x2F, cmd1: 0x08, payload: [0x01, 0x00, 0x08, 0x00, 0x00]),
        Case(request: .setNetworkFrameCounter(0x0102_0304), cmd0: 0x2F, cmd1: 0xFF, payload: [0x04, 0x03, 0x02, 0x01]),
    ]

    @Test(arguments: cases)
    func encodes(_ testCase: Case) throws {
        let frame = testCase.request.frame
        #expect(frame.cmd0 == testCase.cmd0)
        #expect(frame.commandID == testCase.cmd1)
        #expect(frame.payload == testCase.payload)
        #expect(testCase.request.expectsSynchronousResponse == (testCase.cmd0 >> 5 == 1))
        #expect(try frame.encoded().count == testCase.payload.count + 5)
    }

    @Test func pingFrameMatchesSWRA198() throws {
        #expect(try ZNPRequest.ping.frame.encoded() == MTFixtures.pingRequest)
        #expect(try ZNPRequest.version.frame.encoded() == MTFixtures.versionRequest)
        #expect(try ZNPRequest.getDeviceInfo.frame.encoded() == MTFixtures.deviceInfoRequest)
    }

    // MARK: Responses

    @Test func decodesResponses() throws {
        #expect(try ZNPRequest.ping.decodeResponse([0x59, 0x06]) == .capabilities([.sys, .af, .zdo, .util, .zgp, .appConfig]))
        #expect(try ZNPRequest.version.decodeResponse([0x02, 0x01, 0x02, 0x07, 0x01])
                == .version(ZNPVersion(transportRevision: 2, productID: 1, major: 2, minor: 7, maintenance: 1)))
        #expect(try ZNPRequest.version.decodeResponse([0x02, 0x01, 0x02, 0x07, 0x01, 0xE1, 0x3B, 0x34, 0x01, 0x00, 0, 0, 0, 0])
                == .version(ZNPVersion(transportRevision: 2, productID: 1, major: 2, minor: 7, maintenance: 1, codeRevision: 20_200_417)))
        #expect(try ZNPRequest.nvRead(.hasConfiguredZStack3).decodeResponse([0x00, 0x01, 0x55]) == .nvValue(status: .success, value: [0x55]))
        #expect(try ZNPRequest.nvRead(.hasConfiguredZStack3).decodeResponse([0x0A, 0x00]) == .nvValue(status: .nvOperationFailed, value: []))
        #expect(try ZNPRequest.afDataRequest(AFDataRequest(destination: 0, destinationEndpoint: 1, clusterID: 6, transactionID: 1, data: []))
                .decodeResponse([0xCD]) == .status(.nwkNoRoute))
        #expect(try ZNPRequest.startupFromApp(delayMilliseconds: 0).decodeResponse([0x01]) == .startupState(.newNetwork))
        #expect(try ZNPRequest.setTxPower(dBm: 5).decodeResponse([0x05]) == .txPower(5))
        #expect(try ZNPRequest.reset(.hard).decodeResponse([]) == ZNPResponse.none)
        let info = try ZNPRequest.getDeviceInfo.decodeResponse(
            [0x00, 0x04, 0x03, 0x02, 0x01, 0x00, 0x4B, 0x12, 0x00, 0x00, 0x00, 0x07, 0x09, 0x02, 0x34, 0x12, 0x78, 0x56])
        #expect(info == .deviceInfo(ZNPDeviceInfo(status: .success, ieeeAddress: Self.ieee, networkAddress: 0x0000,
                                                  deviceTypeCapabilities: 0x07, state: .coordinator, associatedDevices: [0x1234, 0x5678])))
        #expect(info.status == .success)
    }

    @Test func truncatedResponsesThrowWithOffset() {
        #expect(throws: MTDecodingError(.truncated, offset: 0)) { try ZNPRequest.ping.decodeResponse([0x59]) }
        #expect(throws: MTDecodingError(.truncated, offset: 2)) { try ZNPRequest.nvRead(.startupOption).decodeResponse([0x00, 0x02, 0x55]) }
        #expect(throws: MTDecodingError(.truncated, offset: 0)) { try ZNPRequest.afRegister(.defaultCoordinator).decodeResponse([]) }
    }

    @Test func statusValues() {
        #expect(MTStatus(rawValue: 0x00) == .success)
        #expect(MTStatus(rawValue: 0x02) == .invalidParameter)
        #expect(MTStatus(rawValue: 0xCD) == .nwkNoRoute)
        #expect(MTStatus(rawValue: 0xE9) == .macNoAck)
        #expect(MTStatus(rawValue: 0xB7) == .apsNoAck)
        #expect(MTStatus(rawValue: 0x42) == .unknown(0x42))
        for raw in UInt8.min...UInt8.max {
            #expect(MTStatus(rawValue: raw).rawValue == raw)
        }
    }
}
