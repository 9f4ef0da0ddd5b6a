import Foundation
import Logging
import RadioSeam
import SerialPort

/// A Bluetooth LE radio as a `RadioAdapter`: an HCI controller behind an H4 UART (a serial
/// port, a pseudo-terminal or `tcp://host:port`), scanned for sensor advertisements (BTHome v2,
/// Xiaomi MiBeacon, the atc1441/pvvx thermometer firmwares; encrypted BTHome and MiBeacon with
/// the bindkeys in `Configuration.tracker`). Every advertiser in a known format becomes a passive, broadcast-only
/// device; its readings are reported raw (the bridge's mappings scale them).
///
/// When the port goes away (stick unplugged, TCP link dropped) the adapter reports `failed`,
/// marks its devices offline and reopens the port every `reopenInterval` until it is back.
public actor BluetoothAdapter: RadioAdapter {
    public struct Configuration: Sendable {
        public var port: HCIPortAddress
        public var serial: SerialSettings
        public var scanMode: HCIHost.ScanMode = .passive
        public var tracker = BLEDeviceTracker.Options()
        public var reopenInterval: Duration = .seconds(2)
        public init(port: HCIPortAddress, serial: SerialSettings = SerialSettings(baudRate: 1_000_000, flowControl: .hardware)) {
            self.port = port; self.serial = serial
        }
    }

    public nonisolated let events: AsyncStream<AdapterEvent>
    private let continuation: AsyncStream<AdapterEvent>.Continuation
    private let configuration: Configuration
    private let logger: Logger
    private var host: HCIHost
    private var decoder = H4Decoder()
    private var tracker: BLEDeviceTracker
    private var port: (any HCITransport)?
    private var timerGeneration = 0
    private var state: AdapterState = .starting
    private var firmware = ""
    private let clockStart = ContinuousClock.now
    /// Devices (and problem) already warned about undecryptable advertisements: one warning
    /// each, debug logs after that. Bounded, as addresses come from the air.
    private var warnedUndecryptable: Set<WarningKey> = []
    private struct WarningKey: Hashable { var address: UInt64; var problem: BLEDeviceTracker.EncryptionProblem }

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        host = HCIHost(scanMode: configuration.scanMode)
        tracker = BLEDeviceTracker(options: configuration.tracker)
        (events, continuation) = AsyncStream.makeStream(of: AdapterEvent.self, bufferingPolicy: .unbounded)
    }

    public var info: AdapterInfo {
        AdapterInfo(radioProtocol: .ble, stack: "HCI", port: configuration.port.description, firmware: firmware, state: state)
    }

    /// Statistics: advertisements seen, decoded, accepted.
    public var counters: (seen: Int, decoded: Int, accepted: Int) { (tracker.seen, tracker.decoded, tracker.accepted) }

    // MARK: running

    public func run() async throws {
        defer { continuation.finish() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.silenceLoop() }
            group.addTask { await self.portLoop() }
            await group.next()
            group.cancelAll()
        }
        port?.close()
        setState(.stopped)
    }

    private func portLoop() async {
        var reportedFailure = false
        while !Task.isCancelled {
            let opened: any HCITransport
            do {
                opened = try Self.open(configuration.port, serial: configuration.serial)
            } catch {
                if !reportedFailure {
                    // Transport errors usually start with the port already.
                    let port = configuration.port.description
                    let why = error.message.hasPrefix(port) ? error.message : "\(port): \(error.message)"
                    logger.error("Bluetooth \(why); retrying every \(configuration.reopenInterval)")
                }
                reportedFailure = true
                setState(.failed)
                try? await Task.sleep(for: configuration.reopenInterval)
                continue
            }
            reportedFailure = false
            await serve(opened)
            guard !Task.isCancelled else { return }
            logger.error("Bluetooth \(configuration.port): \(opened.endReason ?? "port closed"); reopening")
            markAllOffline()
            setState(.failed)
            try? await Task.sleep(for: configuration.reopenInterval)
        }
    }

    /// Opens the transport the address names.
    static func open(_ address: HCIPortAddress, serial: SerialSettings) throws(SerialPortError) -> any HCITransport {
        switch address {
        case .serial(let p): try SerialPort.open(p, settings: serial)
        case .bluez(let device): try BlueZHCISocket.open(device: device)
        case .usb(let v, let p): try USBHCITransport(vendorID: v, productID: p)
        }
    }

    private func serve(_ opened: any HCITransport) async {
        port = opened
        decoder = H4Decoder()
        setState(.starting)
        perform(host.handle(.start))
        for await chunk in opened.bytes {
            if Task.isCancelled { break }
            for output in decoder.feed(chunk) {
                switch output {
                case .packet(let p): perform(host.handle(.packet(p)))
                case .skipped(let b): logger.debug("Bluetooth: skipped byte 0x\(String(b, radix: 16)) outside an H4 packet")
                }
            }
        }
        timerGeneration += 1
        port = nil
        opened.close()
    }

    private func perform(_ actions: [HCIHost.Action]) {
        for a in actions {
            switch a {
            case .send(let packet):
                do { try port?.write(packet.encoded()) } catch { logger.warning("Bluetooth: write failed: \(error)") }
            case .startTimer(let seconds):
                timerGeneration += 1
                let generation = timerGeneration
                Task { [weak self] in
                    try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                    await self?.timerFired(generation)
                }
            case .ready(let info):
                timerGeneration += 1
                let addr = info.address.reversed().map { String(format: "%02X", $0) }.joined(separator: ":")
                firmware = "HCI \(info.hciVersion), manufacturer 0x\(String(format: "%04X", info.manufacturer)), \(addr)"
                logger.info("Bluetooth controller ready on \(configuration.port): \(firmware); \(host.usesExtendedScanning ? "extended" : "legacy") \(configuration.scanMode.rawValue) scanning")
                setState(.running)
            case .advertisement(let report):
                handle(report)
            case .failed(let why):
                timerGeneration += 1
                logger.error("Bluetooth controller on \(configuration.port): \(why)")
                setState(.failed)
                // Give up on this opening of the port; the port loop reopens it.
                port?.close()
            }
        }
    }

    private func timerFired(_ generation: Int) {
        guard generation == timerGeneration else { return }
        perform(host.handle(.commandTimeout))
    }

    private var now: Double {
        let d = ContinuousClock.now - clockStart
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Feeds one advertising report (public for benchmarks and tests that bypass the radio).
    public func handle(_ report: LEAdvertisingReport) {
        let time = now
        for o in tracker.observe(report, at: time) { emit(o) }
    }

    private func emit(_ o: BLEDeviceTracker.Output) {
        switch o {
        case .joined(let d, let readings):
            logger.info("Bluetooth: \(d.format.rawValue) device \(Self.text(d.address)) \(d.name ?? "")")
            continuation.yield(.deviceJoined(identity(d), units(d, readings)))
            reportEvents(d.address, readings)
        case .unitsChanged(let d):
            continuation.yield(.deviceUpdated(.bluetooth(d.address), units(d, d.lastReadings)))
        case .readings(let addr, let readings):
            let date = Date()
            for r in readings {
                switch r.value {
                case .integer(let v): continuation.yield(.report(.bluetooth(addr), key(r), .int(v), timestamp: date))
                case .binary(let b): continuation.yield(.report(.bluetooth(addr), key(r), .bool(b), timestamp: date))
                case .event: break
                }
            }
            reportEvents(addr, readings)
        case .online(let addr):
            continuation.yield(.availability(.bluetooth(addr), online: true))
        case .offline(let addr):
            logger.info("Bluetooth: \(Self.text(addr)) silent for \(Int(tracker.options.silenceTimeout)) s; offline")
            continuation.yield(.availability(.bluetooth(addr), online: false))
        case .ignored(let why):
            logger.trace("Bluetooth: advertisement ignored: \(why)")
        case .undecryptable(let addr, let format, let problem):
            let text: String
            switch problem {
            case .noBindkey: text = "\(format.rawValue) advertisement from \(Self.text(addr)) is encrypted but no bindkey is configured"
            case .wrongBindkey: text = "\(format.rawValue) advertisement from \(Self.text(addr)): MIC check failed: wrong bindkey?"
            case .unsupported: text = "\(format.rawValue) advertisement from \(Self.text(addr)) uses an encryption this build does not decrypt (MiBeacon before v4)"
            case .notEncrypted: text = "\(format.rawValue) advertisement from \(Self.text(addr)) is not encrypted although a bindkey is configured"
            }
            let key = WarningKey(address: addr, problem: problem)
            if warnedUndecryptable.count < 4096, warnedUndecryptable.insert(key).inserted {
                logger.warning("Bluetooth: \(text); its advertisements are dropped")
            } else {
                logger.debug("Bluetooth: \(text); dropped")
            }
        case .replayed(let addr, let counter, let last):
            logger.debug("Bluetooth: advertisement from \(Self.text(addr)) has counter \(counter), not above \(last); dropped as a replay")
        }
    }

    /// Button presses: a report of the event code (the bridge renders it and raises the event).
    private func reportEvents(_ addr: UInt64, _ readings: [BLEDeviceTracker.Reading]) {
        for r in readings {
            if case .event(let code) = r.value {
                continuation.yield(.report(.bluetooth(addr), key(r), .enumeration(UInt32(code)), timestamp: Date()))
            }
        }
    }

    private func key(_ r: BLEDeviceTracker.Reading) -> UnitKey { .ble(objectID: r.objectID, index: r.index) }

    private func identity(_ d: BLEDeviceTracker.Device) -> DeviceIdentity {
        let manufacturer: String, model: String
        switch d.format {
        case .bthome:
            manufacturer = "BTHome"
            model = d.name ?? "BTHome sensor"
        case .mibeacon:
            manufacturer = "Xiaomi"
            model = MiBeaconProducts.name(d.productID) ?? d.name ?? "MiBeacon 0x\(String(format: "%04X", d.productID))"
        case .atc:
            manufacturer = "ATC/pvvx firmware"
            model = d.name ?? "Thermometer"
        }
        return DeviceIdentity(address: .bluetooth(d.address), manufacturer: manufacturer, model: model,
                              power: .battery, kind: .passiveBroadcaster)
    }

    private func units(_ d: BLEDeviceTracker.Device, _ readings: [BLEDeviceTracker.Reading]) -> [FunctionalUnit] {
        d.units.sorted().map { u in
            let r = readings.first { $0.objectID == u.objectID && $0.index == u.index }
            var value: RadioValue?
            switch r?.value {
            case .integer(let v)?: value = .int(v)
            case .binary(let b)?: value = .bool(b)
            default: value = nil
            }
            return FunctionalUnit(key: .ble(objectID: u.objectID, index: u.index), value: value)
        }
    }

    private func silenceLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(max(1, min(30, tracker.options.silenceTimeout / 4))))
            for o in tracker.checkSilence(at: now) { emit(o) }
        }
    }

    private func markAllOffline() {
        for addr in tracker.markAllOffline() {
            continuation.yield(.availability(.bluetooth(addr), online: false))
        }
    }

    private func setState(_ s: AdapterState) {
        guard s != state else { return }
        state = s
        continuation.yield(.stateChanged(s))
    }

    static func text(_ a: UInt64) -> String {
        (0..<6).reversed().map { String(format: "%02X", UInt8(truncatingIfNeeded: a >> (8 * UInt64($0)))) }.joined(separator: ":")
    }

    // MARK: requests from the bridge

    public func send(_ command: DeviceCommand, to device: DeviceAddress, timeout: Duration) async throws(AdapterError) -> CommandOutcome {
        throw AdapterError(.unsupported, "Bluetooth LE sensors only broadcast advertisements; they take no commands")
    }

    public func permitJoin(seconds: Int) async throws(AdapterError) {
        // Advertisers need no pairing: every sensor in a known format is picked up as heard.
        logger.info("Bluetooth: permit-join is not needed; sensors in range appear as they advertise")
    }

    public func remove(device: DeviceAddress) async throws(AdapterError) {
        guard case .bluetooth(let a) = device else { throw AdapterError(.unsupported, "\(device) is not a Bluetooth device") }
        tracker.forget(a)
        continuation.yield(.deviceLeft(device))
    }

    public func reinterview(device: DeviceAddress) async throws(AdapterError) {
        guard case .bluetooth(let a) = device, let d = tracker.devices[a] else {
            throw AdapterError(.unreachable, "\(device) has not been heard since the adapter started")
        }
        continuation.yield(.deviceUpdated(device, units(d, d.lastReadings)))
    }

    public func refresh(device: DeviceAddress, unit: UnitKey?) async throws(AdapterError) {
        // Nothing to read: values arrive with every advertisement.
        guard case .bluetooth = device else { throw AdapterError(.unsupported, "\(device) is not a Bluetooth device") }
    }
}

/// Xiaomi product ids seen in MiBeacon frames, for readable model names.
enum MiBeaconProducts {
    static func name(_ id: UInt16) -> String? {
        switch id {
        case 0x0098: "HHCCJCY01 Flower Care"
        case 0x01AA: "LYWSDCGQ Temperature Humidity Sensor"
        case 0x045B: "LYWSD02 Clock"
        case 0x055B: "LYWSD03MMC Temperature Humidity Sensor"
        case 0x0347: "CGG1 Temperature Humidity Sensor"
        case 0x03BC: "GCLS002 Flower Pot"
        default: nil
        }
    }
}
