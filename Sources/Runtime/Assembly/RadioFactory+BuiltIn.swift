import Bluetooth
import Bridge
import Foundation
import Logging
import SerialPort
import VirtualSticks
import Zigbee
import ZigbeeEZSP
import ZigbeeZNP

extension RadioFactory {
    /// The adapters this build has.
    static let builtIn: [String: Constructor] = [
        "bluetooth/hci": { section, config, logger in try bluetoothHCI(section, config, logger) },
        "zigbee/simulated": { section, config, logger in try zigbeeSimulated(section, config, logger) },
        "zigbee/ezsp": { section, config, logger in try zigbeeEZSP(section, config, logger) },
        "zigbee/znp": { section, config, logger in try zigbeeZNP(section, config, logger) },
    ]

    /// `zigbee/znp`: a TI Z-Stack coordinator (MT over UART) on a serial port or `tcp://host:port`.
    static func zigbeeZNP(_ section: BridgeConfiguration.RadioSection, _ config: BridgeConfiguration, _ logger: Logger) throws -> any RadioAdapter {
        if section.port == "virtual" {
            // The virtual Z-Stack coordinator on a pseudo-terminal, driven through MT like a real stick.
            let stick = try VirtualZNPStick(link: nil, network: try zigbeeScenario(section).network(), logger: logger)
            let stack = ZNPStack(configuration: .init(port: .device(path: stick.path)), logger: logger)
            let adapter = ZigbeeRadioAdapter(stack: stack, configuration: .init(stackName: "znp", port: stick.path), logger: logger)
            return VirtualStickRadio(adapter: adapter, stick: { await stick.run() }, label: "virtual Z-Stack coordinator")
        }
        let address: PortAddress
        do { address = try PortAddress(parsing: section.port) } catch { throw UnsupportedRadio(description: "radios: \(error.message)") }
        let stack = ZNPStack(configuration: .init(port: address, serial: serialSettings(section)), logger: logger)
        return ZigbeeRadioAdapter(stack: stack, configuration: .init(stackName: "znp", port: section.port), logger: logger)
    }

    /// `zigbee/ezsp`: a Silicon Labs EmberZNet NCP over ASH on a serial port or `tcp://host:port`.
    static func zigbeeEZSP(_ section: BridgeConfiguration.RadioSection, _ config: BridgeConfiguration, _ logger: Logger) throws -> any RadioAdapter {
        if section.port == "virtual" {
            // The virtual EmberZNet NCP on a pseudo-terminal, driven through ASH/EZSP like a real stick.
            let stick = try VirtualEZSPStick(link: nil, scenario: try zigbeeScenario(section), logger: logger)
            let stack = EZSPStack(configuration: .init(port: .device(path: stick.path)), logger: logger)
            let adapter = ZigbeeRadioAdapter(stack: stack, configuration: .init(stackName: "ezsp", port: stick.path), logger: logger)
            return VirtualStickRadio(adapter: adapter, stick: { await stick.run() }, label: "virtual EZSP NCP")
        }
        let address: PortAddress
        do { address = try PortAddress(parsing: section.port) } catch { throw UnsupportedRadio(description: "radios: \(error.message)") }
        let stack = EZSPStack(configuration: .init(port: address, serial: serialSettings(section)), logger: logger)
        return ZigbeeRadioAdapter(stack: stack, configuration: .init(stackName: "ezsp", port: section.port), logger: logger)
    }

    /// `zigbee/simulated`: a simulated ZigBee network inside the process (`port: virtual`), for
    /// the demo and for trying mappings. No stick protocol is involved: the ZigBee radio adapter
    /// talks to the simulation directly.
    static func zigbeeSimulated(_ section: BridgeConfiguration.RadioSection, _ config: BridgeConfiguration, _ logger: Logger) throws -> any RadioAdapter {
        guard section.port == "virtual" else {
            throw UnsupportedRadio(description: "radios: stack 'simulated' only runs with port: virtual (a real stick needs stack ezsp or znp)")
        }
        let stack = VirtualZigbeeStack(network: try zigbeeScenario(section).network())
        return ZigbeeRadioAdapter(stack: stack, configuration: .init(stackName: "simulated", port: "virtual (simulated ZigBee network)"), logger: logger)
    }

    static func serialSettings(_ section: BridgeConfiguration.RadioSection) -> SerialSettings {
        SerialSettings(baudRate: section.baud, flowControl: SerialSettings.FlowControl(rawValue: section.flowControl) ?? .none)
    }

    /// `bluetooth/hci`: an H4 UART controller on a serial port, `tcp://host:port`, a kernel
    /// controller (`bluez:hci0`), a USB dongle (`usb:auto`, `usb:VID:PID`), or `virtual` (the
    /// built-in virtual controller with its demo home, or `scenario:`).
    static func bluetoothHCI(_ section: BridgeConfiguration.RadioSection, _ config: BridgeConfiguration, _ logger: Logger) throws -> any RadioAdapter {
        var tracker = BLEDeviceTracker.Options()
        tracker.silenceTimeout = Double(config.bluetooth.offlineAfter)
        for text in config.bluetooth.devices {
            guard let a = parseBluetoothAddress(text) else {
                throw UnsupportedRadio(description: "bluetooth.devices: '\(text)' is not an address like A4:C1:38:00:00:01")
            }
            tracker.allowedAddresses.insert(a)
        }
        for (text, key) in config.bluetooth.bindkeys {
            // The loader validated both; a configuration built in code may not have been.
            guard let a = parseBluetoothAddress(text), let bytes = BridgeConfiguration.BluetoothSection.parseBindkey(key) else {
                throw UnsupportedRadio(description: "bluetooth.bindkeys: '\(text)' needs an address like A4:C1:38:00:00:01 and a key of 32 hex digits")
            }
            tracker.bindkeys[a] = bytes
        }
        if section.port == "virtual" {
            let scenario: BLEScenario
            if let file = section.scenario {
                do { scenario = try BLEScenario.load(path: file) } catch { throw UnsupportedRadio(description: "radios: \(error.description)") }
            } else {
                scenario = .home
            }
            let stick = try VirtualHCIStick(link: nil, scenario: scenario, logger: logger)
            var conf = BluetoothAdapter.Configuration(port: .serial(.device(path: stick.path)), serial: SerialSettings())
            conf.tracker = tracker
            let adapter = BluetoothAdapter(configuration: conf, logger: logger)
            return VirtualStickRadio(adapter: adapter, stick: { await stick.run() }, label: "virtual HCI controller")
        }
        let port: HCIPortAddress
        do { port = try HCIPortAddress(parsing: section.port) } catch { throw UnsupportedRadio(description: "radios: \(error.message)") }
        var conf = BluetoothAdapter.Configuration(port: port, serial: serialSettings(section))
        conf.tracker = tracker
        return BluetoothAdapter(configuration: conf, logger: logger)
    }

    static func zigbeeScenario(_ section: BridgeConfiguration.RadioSection) throws -> ZigbeeScenario {
        guard let file = section.scenario else { return .home }
        do { return try ZigbeeScenario.load(path: file) } catch { throw UnsupportedRadio(description: "radios: \(error.description)") }
    }

    static func parseBluetoothAddress(_ text: String) -> UInt64? {
        let parts = text.split(separator: ":")
        guard parts.count == 6 else { return nil }
        var v: UInt64 = 0
        for p in parts {
            guard p.count == 2, let b = UInt8(p, radix: 16) else { return nil }
            v = v << 8 | UInt64(b)
        }
        return v
    }
}

/// An adapter together with the virtual stick it talks to: running it runs both.
public struct VirtualStickRadio: RadioAdapter {
    let adapter: any RadioAdapter
    let stick: @Sendable () async -> Void
    let label: String

    public init(adapter: any RadioAdapter, stick: @escaping @Sendable () async -> Void, label: String) {
        self.adapter = adapter; self.stick = stick; self.label = label
    }

    public var info: AdapterInfo {
        get async {
            var i = await adapter.info
            i.port = "virtual (\(label) on \(i.port))"
            return i
        }
    }
    public var events: AsyncStream<AdapterEvent> { adapter.events }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await stick() }
            group.addTask { try await adapter.run() }
            try await group.next()
            group.cancelAll()
        }
    }

    public func send(_ command: DeviceCommand, to device: DeviceAddress, timeout: Duration) async throws(AdapterError) -> CommandOutcome {
        try await adapter.send(command, to: device, timeout: timeout)
    }
    public func permitJoin(seconds: Int) async throws(AdapterError) { try await adapter.permitJoin(seconds: seconds) }
    public func remove(device: DeviceAddress) async throws(AdapterError) { try await adapter.remove(device: device) }
    public func reinterview(device: DeviceAddress) async throws(AdapterError) { try await adapter.reinterview(device: device) }
    public func refresh(device: DeviceAddress, unit: UnitKey?) async throws(AdapterError) { try await adapter.refresh(device: device, unit: unit) }
}
