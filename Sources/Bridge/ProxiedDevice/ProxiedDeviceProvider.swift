import Agent
import DataModel

/// Serves every parameter under `Device.ProxiedDevice.` from the bridge's in-memory registry
/// (never from the radio) and carries out writes (Set → radio command).
public struct ProxiedDeviceProvider: ParameterProvider {
    let bridge: Bridge
    public func read(_ objects: [ObjectRead]) async -> [String: [String: String]] { await bridge.read(objects) }
    public func readInOrder(_ objects: [ObjectRead]) async -> [[String: String]] { await bridge.readObjects(objects) }
    public func write(_ writes: [ObjectWrite]) async -> [ParameterFailure] { await bridge.write(writes) }
}

/// Serves `Device.X_USPBRIDGE_Radio.{i}.`.
public struct RadioProvider: ParameterProvider {
    let bridge: Bridge
    public func read(_ objects: [ObjectRead]) async -> [String: [String: String]] { await bridge.readRadios(objects) }

    static func render(_ s: AdapterState) -> String {
        switch s {
        case .starting: "Starting"
        case .running: "Running"
        case .permitJoin: "PermitJoin"
        case .resetting: "Resetting"
        case .failed: "Failed"
        case .stopped: "Stopped"
        }
    }

    static func render(_ p: RadioProtocol) -> String {
        switch p {
        case .zigbee: "ZigBee"
        case .zwave: "Z-Wave"
        case .ble: "Bluetooth"
        }
    }
}
