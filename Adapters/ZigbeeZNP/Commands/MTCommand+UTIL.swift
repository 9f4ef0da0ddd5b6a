import ZigbeeCore

// UTIL subsystem requests (SWRA198 §3.10; zigpy-znp commands/util.py).

enum UTIL {
    struct GetDeviceInfo: MTCommand {
        typealias Response = ZNPDeviceInfo
        static let subsystem = MTSubsystem.util
        static let id: UInt8 = 0x00
        func encodeParameters() -> [UInt8] { [] }
    }
}

extension ZNPDeviceInfo: MTDecodable {
    init(reader: inout MTReader) throws(MTDecodingError) {
        self.init(status: MTStatus(rawValue: try reader.uint8()), ieeeAddress: try reader.ieee(),
                  networkAddress: try reader.uint16(), deviceTypeCapabilities: try reader.uint8(),
                  state: ZNPDeviceState(rawValue: try reader.uint8()), associatedDevices: try reader.uint16List())
    }
    var response: ZNPResponse { .deviceInfo(self) }
}
