import Testing
@testable import ZigbeeCore

// Frame layouts: ZigBee Cluster Library Specification (07-5123, rev 6/7/8) section 2.4.1
// "General ZCL Frame Format": frame control (bits 0-1 frame type, bit 2 manufacturer specific,
// bit 3 direction, bit 4 disable default response), optional 2-byte manufacturer code,
// transaction sequence number, command identifier, payload.

@Suite struct ZCLFrameTests {
    @Test func decodesGlobalClientToServerFrame() throws {
        // Read Attributes (0x00) of ManufacturerName (0x0004) and ModelIdentifier (0x0005).
        let frame = try ZCLFrame(decoding: hex("00 01 00 04 00 05 00"))
        #expect(frame.frameType == .global)
        #expect(frame.direction == .clientToServer)
        #expect(!frame.disableDefaultResponse)
        #expect(frame.manufacturerCode == nil)
        #expect(frame.transactionSequence == 0x01)
        #expect(frame.commandId == 0x00)
        #expect(try frame.globalCommand() == .readAttributes([0x0004, 0x0005]))
        #expect(frame.encoded() == hex("00 01 00 04 00 05 00"))
    }

    @Test func frameControlBits() throws {
        let frame = try ZCLFrame(decoding: hex("18 2a 0b 01 00"))
        #expect(frame.frameType == .global)
        #expect(frame.direction == .serverToClient)
        #expect(frame.disableDefaultResponse)
        #expect(frame.frameControl == 0x18)
        let cluster = ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, disableDefaultResponse: false, transactionSequence: 9, commandId: 0x02)
        #expect(cluster.encoded() == hex("01 09 02"))
        // Reserved frame type 0b11 is kept opaque and round trips.
        let reserved = try ZCLFrame(decoding: hex("03 01 07"))
        #expect(reserved.frameType == .reserved(3))
        #expect(reserved.encoded() == hex("03 01 07"))
        #expect(codecError { _ = try reserved.globalCommand() }?.code == .wrongFrameKind)
        // Reserved bits 5-7 are ignored.
        #expect(try ZCLFrame(decoding: hex("e1 01 02")).frameType == .clusterSpecific)
    }

    @Test func manufacturerSpecificFrame() throws {
        // Cluster-specific, manufacturer specific, server to client, manufacturer code 0x115F.
        let bytes = hex("0d 5f 11 2a 01 aa bb")
        let frame = try ZCLFrame(decoding: bytes)
        #expect(frame.frameType == .clusterSpecific)
        #expect(frame.isManufacturerSpecific)
        #expect(frame.manufacturerCode == 0x115F)
        #expect(frame.direction == .serverToClient)
        #expect(frame.transactionSequence == 0x2A)
        #expect(frame.commandId == 0x01)
        #expect(frame.payload == [0xAA, 0xBB])
        #expect(frame.encoded() == bytes)
        // Manufacturer-specific global command.
        let global = try ZCLFrame.global(.readAttributes([0xFF01]), transactionSequence: 3, manufacturerCode: 0x1037)
        #expect(global.encoded() == hex("04 37 10 03 00 01 ff"))
        #expect(try ZCLFrame(decoding: global.encoded()) == global)
    }

    @Test func truncatedFramesThrow() {
        for bytes in [hex(""), hex("00"), hex("00 01"), hex("04 37 10 03"), hex("04 37")] {
            #expect(codecError { _ = try ZCLFrame(decoding: bytes) }?.code == .truncated, "\(bytes)")
        }
    }

    @Test func statusCodes() {
        #expect(ZCLStatus(rawValue: 0x86) == .unsupportedAttribute)
        #expect(ZCLStatus(rawValue: 0x8C) == .unreportableAttribute)
        #expect(ZCLStatus(rawValue: 0xC3) == .unsupportedCluster)
        #expect(ZCLStatus(rawValue: 0x42) == .unknown(0x42))
        #expect(ZCLStatus.unknown(0x42).rawValue == 0x42)
        for code in 0...255 { #expect(ZCLStatus(rawValue: UInt8(code)).rawValue == UInt8(code)) }
    }
}
