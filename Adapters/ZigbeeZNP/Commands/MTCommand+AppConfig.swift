// APP_CNF subsystem requests (Z-Stack 3.x MT_APP_CONFIG; ids from zigpy-znp commands/app_config.py).

enum AppConfig {
    struct BDBStartCommissioning: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.appConfig
        static let id: UInt8 = 0x05
        var mode: BDBCommissioningMode
        func encodeParameters() -> [UInt8] { [mode.rawValue] }
    }

    struct BDBSetChannel: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.appConfig
        static let id: UInt8 = 0x08
        var isPrimary: Bool
        /// Bit n set: channel n (11...26).
        var channels: UInt32
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.bool(isPrimary)
            writer.uint32(channels)
            return writer.bytes
        }
    }

    struct SetNetworkFrameCounter: MTCommand {
        typealias Response = MTStatus
        static let subsystem = MTSubsystem.appConfig
        static let id: UInt8 = 0xFF
        var value: UInt32
        func encodeParameters() -> [UInt8] {
            var writer = MTWriter()
            writer.uint32(value)
            return writer.bytes
        }
    }
}
