// SYS subsystem requests (SWRA198 §3.8; ids and layouts cross-checked with zigpy-znp commands/sys.py).

enum SYS {
    /// SYS_RESET_REQ: an AREQ; the device answers with SYS_RESET_IND once it has rebooted.
    struct ResetRequest: MTCommand {
        typealias Response = MTNoResponse
        static let subsystem = MTSubsystem.sys
        static let id: UInt8 = 0x00
        static let type = MTCommandType.areq
        var resetType: ZNPResetType
        func encodeParameters() -> [UInt8] { [resetType.rawValue] }
    }

    struct Ping: MTCommand {
        typealias Response = MTCapabilities
        static let subsystem = MTSubsystem.sys
        static let id: UInt8 = 0x01
        func encodeParameters() -> [UInt8] { [] }
    }

    struct Version: MTCommand {
        typealias Response = ZNPVersion
        static let subsystem = MTSubsystem.sys
        static let id: UInt8 = 0x02
        func encodeParameters() -> [UInt8] { [] }
    }

    struct OsalNVItemInit: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.sys
        static let id: UInt8 = 0x07
        var item: NVItemID
        var length: UInt16
        var initialValue: [UInt8]
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(item.rawValue)
            writer.uint16(length)
            writer.shortBytes(initialValue)
            return writer.bytes
        }
    }

    struct OsalNVRead: MTCommand {
        typealias Response = NVReadResponse
        static let subsystem = MTSubsystem.sys
        static let id: UInt8 = 0x08
        var item: NVItemID
        var offset: UInt8
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(item.rawValue)
            writer.uint8(offset)
            return writer.bytes
        }
    }

    struct OsalNVWrite: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.sys
        static let id: UInt8 = 0x09
        var item: NVItemID
        var offset: UInt8
        var value: [UInt8]
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint16(item.rawValue)
            writer.uint8(offset)
            writer.shortBytes(value)
            return writer.bytes
        }
    }

    struct SetTxPower: MTCommand {
        typealias Response = TxPowerResponse
        static let subsystem = MTSubsystem.sys
        static let id: UInt8 = 0x14
        var dBm: Int8
        func encodeParameters() -> [UInt8] { [UInt8(bitPattern: dBm)] }
    }

    struct NVReadResponse: MTDecodable {
        var status: MTStatus
        var value: [UInt8]
        init(reader: inout MTReader) throws(MTDecodingError) {
            status = MTStatus(rawValue: try reader.uint8())
            value = try reader.shortBytes()
        }
        var response: ZNPResponse { .nvValue(status: status, value: value) }
    }

    /// Older firmware answers with a status, newer with the power actually applied.
    struct TxPowerResponse: MTDecodable {
        var value: Int8
        init(reader: inout MTReader) throws(MTDecodingError) {
            value = Int8(bitPattern: try reader.uint8())
        }
        var response: ZNPResponse { .txPower(value) }
    }
}

extension MTCapabilities: MTDecodable {
    init(reader: inout MTReader) throws(MTDecodingError) {
        self.init(rawValue: try reader.uint16())
    }
    var response: ZNPResponse { .capabilities(self) }
}

extension ZNPVersion: MTDecodable {
    init(reader: inout MTReader) throws(MTDecodingError) {
        self.init(transportRevision: try reader.uint8(), productID: try reader.uint8(), major: try reader.uint8(),
                  minor: try reader.uint8(), maintenance: try reader.uint8())
        if reader.remaining >= 4 { codeRevision = try reader.uint32() }
    }
    var response: ZNPResponse { .version(self) }
}
