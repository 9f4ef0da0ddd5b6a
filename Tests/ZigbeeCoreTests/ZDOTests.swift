import Testing
@testable import ZigbeeCore

// Layouts: Zigbee Specification (05-3474, R21/R22) section 2.4 "Zigbee Device Profile":
// NWK_addr/IEEE_addr_rsp 2.4.4.2.1/2, Node_Desc_rsp 2.4.4.2.3 with the node descriptor of
// 2.3.2.3 (field table also at https://docs.digi.com/resources/documentation/digidocs/90001539/
// reference/r_zdo_node_descriptor.htm), Simple_Desc_rsp 2.4.4.2.5, Active_EP_rsp 2.4.4.2.6,
// Device_annce 2.4.3.1.11, Bind/Unbind_req 2.4.3.2.2/3, Mgmt_Lqi_rsp 2.4.4.4.2 (22-byte
// neighbor records), Mgmt_Leave_req 2.4.3.3.5, Mgmt_Permit_Joining_req 2.4.3.3.7.
// Every ZDP frame starts with the transaction sequence number. Responses use cluster id | 0x8000.

@Suite struct ZDOTests {
    let device = IEEEAddress(0x0012_4B00_0102_0304)
    let coordinator = IEEEAddress(0x1122_3344_5566_7788)

    @Test func clusterIds() {
        #expect(ZDORequest.nodeDescriptor(networkAddress: 0).clusterId == 0x0002)
        #expect(ZDORequest.nodeDescriptor(networkAddress: 0).responseClusterId == 0x8002)
        #expect(ZDOResponse.bind(.success).clusterId == 0x8021)
        #expect(ZDOResponse.mgmtLqi(ZDOMgmtLqiResponse(status: .success)).clusterId == 0x8031)
        #expect(ZDORequest.mgmtPermitJoining(durationSeconds: 1).clusterId == 0x0036)
        #expect(ZDORequest.deviceAnnounce(ZDODeviceAnnounce(networkAddress: 0, ieeeAddress: device, capabilities: [])).responseClusterId == nil)
        #expect(ZDOStatus(rawValue: 0x82) == .invalidEndpoint)
        #expect(ZDOStatus(rawValue: 0x87) == .unknown(0x87))
    }

    @Test func sleepyEndDeviceNodeDescriptor() throws {
        let bytes = hex("12 00 34 12 02 40 80 5f 11 7f 64 00 00 2c 64 00 00")
        let frame = try ZDOFrame(clusterId: 0x8002, bytes: bytes)
        #expect(frame.transactionSequence == 0x12)
        guard case .response(.nodeDescriptor(let status, let nwk, let descriptor?)) = frame.message else {
            Issue.record("not a node descriptor response: \(frame.message)")
            return
        }
        #expect(status == .success)
        #expect(nwk == 0x1234)
        #expect(descriptor.logicalType == .endDevice)
        #expect(descriptor.frequencyBands == .band2400MHz)
        #expect(descriptor.manufacturerCode == 0x115F)
        #expect(descriptor.isSleepy)
        #expect(!descriptor.isMainsPowered)
        #expect(descriptor.macCapabilities == .allocateAddress)
        #expect(descriptor.maximumBufferSize == 0x7F)
        #expect(descriptor.maximumIncomingTransferSize == 100)
        #expect(descriptor.serverMask.stackComplianceRevision == 22)
        #expect(try frame.encoded() == bytes)
    }

    @Test func routerNodeDescriptor() throws {
        let frame = try ZDOFrame(clusterId: 0x8002, bytes: hex("01 00 00 00 01 40 8e 7c 11 52 52 00 00 2c 52 00 00"))
        guard case .response(.nodeDescriptor(_, _, let descriptor?)) = frame.message else {
            Issue.record("no descriptor")
            return
        }
        #expect(descriptor.logicalType == .router)
        #expect(!descriptor.isSleepy)
        #expect(descriptor.isMainsPowered)
        #expect(descriptor.macCapabilities.contains(.fullFunctionDevice))
        // Failure status carries no descriptor.
        let failed = try ZDOFrame(clusterId: 0x8002, bytes: hex("02 89 34 12"))
        #expect(failed.message == .response(.nodeDescriptor(status: .noDescriptor, networkAddress: 0x1234, descriptor: nil)))
    }

    @Test func activeEndpointsAndSimpleDescriptor() throws {
        let active = try ZDOFrame(clusterId: 0x8005, bytes: hex("13 00 34 12 02 01 f2"))
        #expect(active.message == .response(.activeEndpoints(status: .success, networkAddress: 0x1234, endpoints: [0x01, 0xF2])))
        #expect(try active.encoded() == hex("13 00 34 12 02 01 f2"))

        let simpleBytes = hex("14 00 34 12 10 01 04 01 00 01 01 03 00 00 06 00 08 00 01 19 00")
        let simple = try ZDOFrame(clusterId: 0x8004, bytes: simpleBytes)
        let expected = ZigbeeSimpleDescriptor(endpoint: 1, profileId: 0x0104, deviceId: 0x0100, deviceVersion: 1,
                                              inputClusters: [0x0000, 0x0006, 0x0008], outputClusters: [0x0019])
        #expect(simple.message == .response(.simpleDescriptor(status: .success, networkAddress: 0x1234, descriptor: expected)))
        #expect(try simple.encoded() == simpleBytes)
        let invalid = try ZDOFrame(clusterId: 0x8004, bytes: hex("15 82 34 12 00"))
        #expect(invalid.message == .response(.simpleDescriptor(status: .invalidEndpoint, networkAddress: 0x1234, descriptor: nil)))
    }

    @Test func addressResponses() throws {
        let single = try ZDOFrame(clusterId: 0x8000, bytes: hex("16 00 04 03 02 01 00 4b 12 00 34 12"))
        #expect(single.message == .response(.networkAddress(ZDOAddressResponse(status: .success, ieeeAddress: device, networkAddress: 0x1234))))
        let extendedBytes = hex("17 00 04 03 02 01 00 4b 12 00 34 12 02 00 01 00 02 00")
        let extended = try ZDOFrame(clusterId: 0x8001, bytes: extendedBytes)
        #expect(extended.message == .response(.ieeeAddress(ZDOAddressResponse(
            status: .success, ieeeAddress: device, networkAddress: 0x1234, startIndex: 0, associatedDevices: [0x0001, 0x0002]))))
        #expect(try extended.encoded() == extendedBytes)
        // Extended response with no associated devices: count 0, no start index.
        let none = try ZDOFrame(clusterId: 0x8001, bytes: hex("18 00 04 03 02 01 00 4b 12 00 34 12 00"))
        #expect(try none.encoded() == hex("18 00 04 03 02 01 00 4b 12 00 34 12 00"))
    }

    @Test func mgmtLqiResponse() throws {
        let bytes = hex("""
            19 00 05 00 01
            dd dd dd dd dd dd dd dd  04 03 02 01 00 4b 12 00  34 12  25 00 01 aa
            """)
        let frame = try ZDOFrame(clusterId: 0x8031, bytes: bytes)
        guard case .response(.mgmtLqi(let lqi)) = frame.message else {
            Issue.record("not Mgmt_Lqi_rsp")
            return
        }
        #expect(lqi.totalEntries == 5)
        #expect(lqi.neighbors == [ZDONeighbor(
            extendedPanId: 0xDDDD_DDDD_DDDD_DDDD, ieeeAddress: device, networkAddress: 0x1234, deviceType: .router,
            receiverOnWhenIdle: true, relationship: .sibling, permitJoining: false, depth: 1, linkQuality: 0xAA)])
        #expect(try frame.encoded() == bytes)
        #expect(codecError { _ = try ZDOFrame(clusterId: 0x8031, bytes: Array(bytes.dropLast())) }?.code == .truncated)
    }

    @Test func requestsEncodeToSpecLayouts() throws {
        let binding = ZDOBinding(sourceAddress: device, sourceEndpoint: 1, clusterId: 0x0006, destination: .device(coordinator, endpoint: 1))
        let vectors: [(ZDORequest, String)] = [
            (.bind(binding), "20 04 03 02 01 00 4b 12 00 01 06 00 03 88 77 66 55 44 33 22 11 01"),
            (.unbind(ZDOBinding(sourceAddress: device, sourceEndpoint: 2, clusterId: 0x0008, destination: .group(0x0ABC))),
             "20 04 03 02 01 00 4b 12 00 02 08 00 01 bc 0a"),
            (.nodeDescriptor(networkAddress: 0x1234), "20 34 12"),
            (.simpleDescriptor(networkAddress: 0x1234, endpoint: 0xF2), "20 34 12 f2"),
            (.activeEndpoints(networkAddress: 0x1234), "20 34 12"),
            (.networkAddress(ieee: device), "20 04 03 02 01 00 4b 12 00 00 00"),
            (.ieeeAddress(networkAddress: 0x1234, extended: true, startIndex: 2), "20 34 12 01 02"),
            (.mgmtLqi(startIndex: 3), "20 03"),
            (.mgmtLeave(ieee: device, removeChildren: true), "20 04 03 02 01 00 4b 12 00 40"),
            (.mgmtLeave(ieee: device, rejoin: true), "20 04 03 02 01 00 4b 12 00 80"),
            (.mgmtPermitJoining(durationSeconds: 60), "20 3c 01"),
            (.deviceAnnounce(ZDODeviceAnnounce(networkAddress: 0x1234, ieeeAddress: device, capabilities: .allocateAddress)),
             "20 34 12 04 03 02 01 00 4b 12 00 80"),
        ]
        for (request, text) in vectors {
            let frame = ZDOFrame(transactionSequence: 0x20, message: .request(request))
            #expect(try frame.encoded() == hex(text), "\(request)")
            #expect(try ZDOFrame(clusterId: request.clusterId, bytes: hex(text)) == frame)
        }
    }

    @Test func statusOnlyResponses() throws {
        #expect(try ZDOFrame(clusterId: 0x8021, bytes: hex("20 00")).message == .response(.bind(.success)))
        #expect(try ZDOFrame(clusterId: 0x8022, bytes: hex("21 88")).message == .response(.unbind(.noEntry)))
        #expect(try ZDOFrame(clusterId: 0x8034, bytes: hex("22 00")).message == .response(.mgmtLeave(.success)))
        #expect(try ZDOFrame(clusterId: 0x8036, bytes: hex("23 8d")).message == .response(.mgmtPermitJoining(.notAuthorized)))
        // Unmodelled ZDO cluster stays opaque.
        #expect(try ZDOFrame(clusterId: 0x8038, bytes: hex("24 00 01")).message == .other(clusterId: 0x8038, payload: [0x00, 0x01]))
    }

    @Test func malformedZDOInputThrows() {
        let cases: [(UInt16, String, ZigbeeCodecError.Code)] = [
            (0x8002, "", .truncated),
            (0x8002, "12 00 34 12 02 40 80", .truncated),             // descriptor cut
            (0x8004, "14 00 34 12 10 01 04 01", .truncated),          // length beyond data
            (0x8004, "14 00 34 12 07 01 04 01 00 01 01 03", .truncated), // counts beyond length
            (0x8004, "14 00 34 12 09 01 04 01 00 01 00 00 00 ff", .trailingBytes),
            (0x8005, "13 00 34 12 03 01 02", .truncated),
            (0x8000, "16 00 04 03 02", .truncated),
            (0x8001, "17 00 04 03 02 01 00 4b 12 00 34 12 03 00 01 00", .truncated),
            (0x0021, "20 04 03 02 01 00 4b 12 00 01 06 00 02 00 00", .invalidValue), // bad DstAddrMode
            (0x0021, "20 04 03 02 01 00 4b 12 00 01 06 00 03 88 77", .truncated),
        ]
        for (cluster, text, code) in cases {
            #expect(codecError { _ = try ZDOFrame(clusterId: cluster, bytes: hex(text)) }?.code == code, "\(cluster) \(text)")
        }
    }

    @Test func fuzzedZDOInputNeverTraps() {
        var rng = XorShift(seed: 99)
        let clusters: [UInt16] = [0x0000, 0x0001, 0x0002, 0x0004, 0x0005, 0x0013, 0x0021, 0x0022, 0x0031, 0x0034, 0x0036]
        var decoded = 0
        for _ in 0..<5000 {
            let base = clusters[Int.random(in: 0..<clusters.count, using: &rng)]
            let cluster = Bool.random(using: &rng) ? base | 0x8000 : base
            let bytes = rng.bytes(maxCount: 40)
            do {
                let frame = try ZDOFrame(clusterId: cluster, bytes: bytes)
                decoded += 1
                if let first = try? frame.encoded() {
                    #expect(try ZDOFrame(clusterId: cluster, bytes: first).encoded() == first)
                }
            } catch {
                #expect(error is ZigbeeCodecError)
            }
        }
        #expect(decoded > 0)
    }
}
