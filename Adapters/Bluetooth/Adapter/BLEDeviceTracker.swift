/// Turns advertising reports into what the bridge needs, without I/O or clocks (time comes in
/// with each call): which advertiser is a device, its readings in a known format, duplicate
/// and rate filtering, new units, silence, and decryption of encrypted advertisements with
/// the configured bindkeys (with replay protection: an encryption counter must increase).
///
/// Address policy: public and random static addresses are stable identities. Resolvable and
/// non-resolvable private addresses change every few minutes (phones, privacy-enabled
/// sensors); such an advertiser is only tracked when its current address is configured in
/// `allowedAddresses`, otherwise every rotation would create a new device.
public struct BLEDeviceTracker: Sendable {
    public struct Options: Sendable, Hashable {
        /// An advertisement whose readings equal the last accepted ones is dropped when it
        /// comes sooner than this (seconds). Changed readings and button events always pass.
        public var minInterval: Double = 10
        /// A device not heard for this long is reported offline (seconds).
        public var silenceTimeout: Double = 600
        /// Addresses (48-bit, as `UInt64`) tracked even when they are private random addresses.
        public var allowedAddresses: Set<UInt64> = []
        /// When not empty, only these addresses become devices.
        public var onlyAddresses: Set<UInt64> = []
        /// At most this many devices are tracked; more are ignored (memory bound).
        public var maxDevices = 2000
        /// 16-byte AES keys by address, for encrypted BTHome and MiBeacon (v4/v5) advertisements.
        /// A device with a bindkey must send encrypted advertisements; plain ones are dropped.
        public var bindkeys: [UInt64: [UInt8]] = [:]
        public init() {}
    }

    public enum Format: String, Sendable, Hashable { case bthome = "BTHome", mibeacon = "MiBeacon", atc = "ATC" }

    /// Why an advertisement that is (or should be) encrypted was dropped.
    public enum EncryptionProblem: Sendable, Hashable {
        /// Encrypted, and no bindkey is configured for the address.
        case noBindkey
        /// The MIC does not match with the configured bindkey.
        case wrongBindkey
        /// Encrypted in a scheme this tracker does not decrypt (MiBeacon before v4).
        case unsupported
        /// Not encrypted, although a bindkey is configured for the address.
        case notEncrypted
    }

    public struct Reading: Sendable, Hashable {
        public var objectID: UInt16
        public var index: UInt8
        public var value: Value
        public init(objectID: UInt16, index: UInt8, value: Value) { self.objectID = objectID; self.index = index; self.value = value }
        public enum Value: Sendable, Hashable {
            case integer(Int64)
            case binary(Bool)
            /// A button event code (BTHome 0x3A).
            case event(UInt8)
        }
    }

    public struct Device: Sendable, Hashable {
        public var address: UInt64
        public var format: Format
        public var name: String?
        /// MiBeacon product id; 0 for BTHome.
        public var productID: UInt16
        public var units: Set<UnitID>
        public var lastSeen: Double
        public var lastAccepted: Double
        var lastReadings: [Reading]
        var lastPacket: Int?
        public var online: Bool
        public var rssi: Int8
        /// The counter of the last authenticated encrypted advertisement.
        public internal(set) var lastCounter: UInt32? = nil
    }

    public struct UnitID: Sendable, Hashable, Comparable {
        public var objectID: UInt16
        public var index: UInt8
        public static func < (a: Self, b: Self) -> Bool { (a.objectID, a.index) < (b.objectID, b.index) }
    }

    public enum Output: Sendable, Hashable {
        /// First advertisement of a new device, with its readings.
        case joined(Device, [Reading])
        /// The device sent units it had not sent before.
        case unitsChanged(Device)
        case readings(address: UInt64, [Reading])
        case online(address: UInt64)
        case offline(address: UInt64)
        /// Not used, with the reason (for debug logs and counters).
        case ignored(String)
        /// Encrypted (or expected to be) and not usable; dropped.
        case undecryptable(address: UInt64, Format, EncryptionProblem)
        /// Authenticated, but its counter is below the last one accepted: a replay; dropped.
        case replayed(address: UInt64, counter: UInt32, last: UInt32)
    }

    public var options: Options
    public private(set) var devices: [UInt64: Device] = [:]
    /// Advertisements seen, decoded and accepted (for statistics and benchmarks).
    public private(set) var seen = 0, decoded = 0, accepted = 0

    public init(options: Options = Options()) { self.options = options }

    /// 48-bit address from the controller's little-endian bytes.
    public static func address(_ bytes: [UInt8]) -> UInt64 {
        bytes.prefix(6).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    /// Whether a random address (type 1) is private (rotating): top two bits 00 or 01.
    public static func isPrivateRandom(_ address: UInt64) -> Bool { (address >> 46) & 0x3 != 0x3 }

    public mutating func forget(_ address: UInt64) { devices[address] = nil }

    public mutating func observe(_ report: LEAdvertisingReport, at now: Double) -> [Output] {
        seen += 1
        let addr = Self.address(report.address)
        guard report.complete else { return [.ignored("fragment of an extended advertisement")] }
        if report.addressType == 1, Self.isPrivateRandom(addr), !options.allowedAddresses.contains(addr) {
            return [.ignored("private random address (rotates); configure it to track it")]
        }
        if !options.onlyAddresses.isEmpty, !options.onlyAddresses.contains(addr) { return [.ignored("not in the configured devices")] }
        let ad = AdvertisingData(parsing: report.data)
        let bindkey = options.bindkeys[addr]
        var format: Format
        var readings: [Reading] = []
        var packet: Int?
        var productID: UInt16 = 0
        var encrypted = false
        var counter: UInt32?
        if let sd = ad.serviceData(uuid16: BTHomeDecoder.serviceUUID) {
            format = .bthome
            let decodedAd: BTHomeDecoder.Advertisement
            do { decodedAd = try BTHomeDecoder.decode(sd, address: addr, bindkey: bindkey) } catch {
                switch error {
                case .bindkeyMissing: return [.undecryptable(address: addr, .bthome, .noBindkey)]
                case .authenticationFailed, .invalidBindkey: return [.undecryptable(address: addr, .bthome, .wrongBindkey)]
                case .empty, .unsupportedVersion, .encryptedPayloadTruncated: return [.ignored("BTHome data not decodable")]
                }
            }
            encrypted = decodedAd.encrypted
            counter = decodedAd.counter
            packet = decodedAd.packetID.map(Int.init)
            readings = decodedAd.readings.compactMap(Self.reading)
        } else if let sd = ad.serviceData(uuid16: MiBeaconDecoder.serviceUUID) {
            format = .mibeacon
            let frame: MiBeaconDecoder.Frame
            do { frame = try MiBeaconDecoder.decode(sd, address: addr, bindkey: bindkey) } catch {
                switch error {
                case .bindkeyMissing: return [.undecryptable(address: addr, .mibeacon, .noBindkey)]
                case .authenticationFailed, .invalidBindkey: return [.undecryptable(address: addr, .mibeacon, .wrongBindkey)]
                case .unsupportedEncryption: return [.undecryptable(address: addr, .mibeacon, .unsupported)]
                case .truncated: return [.ignored("MiBeacon frame truncated")]
                }
            }
            productID = frame.productID
            packet = Int(frame.frameCounter)
            encrypted = frame.encrypted
            counter = frame.counter
            readings = frame.readings.compactMap(Self.reading)
        } else if let sd = ad.serviceData(uuid16: ATCDecoder.serviceUUID) {
            format = .atc
            guard let p = try? ATCDecoder.decode(sd) else { return [.ignored("0x181A service data in no known layout (\(sd.count) bytes)")] }
            packet = Int(p.counter)
            readings = p.readings.compactMap(Self.reading)
        } else {
            return [.ignored("no known sensor format")]
        }
        // A device with a bindkey is expected to encrypt: plain data under its address may be forged.
        if bindkey != nil, !encrypted, !readings.isEmpty { return [.undecryptable(address: addr, format, .notEncrypted)] }
        if let counter, let last = devices[addr]?.lastCounter, counter < last {
            return [.replayed(address: addr, counter: counter, last: last)]
        }
        decoded += 1
        var out: [Output] = []
        if var d = devices[addr] {
            let wasOnline = d.online
            d.lastSeen = now
            d.rssi = report.rssi
            if d.name == nil { d.name = ad.localName }
            if !wasOnline { d.online = true; out.append(.online(address: addr)) }
            // The same packet again (advertisers repeat each packet several times).
            if let counter, counter == d.lastCounter {
                devices[addr] = d
                return out + [.ignored("repeated packet")]
            }
            if counter == nil, let packet, packet == d.lastPacket, now - d.lastAccepted < 30 {
                devices[addr] = d
                return out + [.ignored("repeated packet")]
            }
            let hasEvent = readings.contains { if case .event = $0.value { true } else { false } }
            if !hasEvent, readings == d.lastReadings, now - d.lastAccepted < options.minInterval {
                d.lastPacket = packet
                d.lastCounter = counter ?? d.lastCounter
                devices[addr] = d
                return out + [.ignored("unchanged within the rate limit")]
            }
            d.lastPacket = packet
            d.lastCounter = counter ?? d.lastCounter
            d.lastAccepted = now
            d.lastReadings = readings
            let newUnits = Set(readings.map { UnitID(objectID: $0.objectID, index: $0.index) })
            if !newUnits.isSubset(of: d.units) {
                d.units.formUnion(newUnits)
                devices[addr] = d
                out.append(.unitsChanged(d))
            } else {
                devices[addr] = d
            }
            accepted += 1
            if !readings.isEmpty { out.append(.readings(address: addr, readings)) }
            return out
        }
        guard !readings.isEmpty else { return [.ignored("no readings yet")] }
        guard devices.count < options.maxDevices else { return [.ignored("device limit \(options.maxDevices) reached")] }
        let d = Device(address: addr, format: format, name: ad.localName, productID: productID,
                       units: Set(readings.map { UnitID(objectID: $0.objectID, index: $0.index) }),
                       lastSeen: now, lastAccepted: now, lastReadings: readings, lastPacket: packet, online: true, rssi: report.rssi,
                       lastCounter: counter)
        devices[addr] = d
        accepted += 1
        return [.joined(d, readings)]
    }

    /// Every online device goes offline (the radio is gone); returns their addresses.
    public mutating func markAllOffline() -> [UInt64] {
        let addrs = devices.filter(\.value.online).map(\.key)
        for a in addrs { devices[a]?.online = false }
        return addrs.sorted()
    }

    /// Devices silent for longer than the timeout go offline (once).
    public mutating func checkSilence(at now: Double) -> [Output] {
        var out: [Output] = []
        for (addr, d) in devices where d.online && now - d.lastSeen > options.silenceTimeout {
            devices[addr]?.online = false
            out.append(.offline(address: addr))
        }
        return out
    }

    static func reading(_ r: BTHomeDecoder.Reading) -> Reading? {
        let index = UInt8(clamping: r.index)
        switch r.value {
        case .bool(let b): return Reading(objectID: r.objectID, index: index, value: .binary(b))
        case .event:
            // "none" (0) is the button's idle state, not an event.
            guard r.raw != 0 else { return nil }
            return Reading(objectID: r.objectID, index: index, value: .event(UInt8(truncatingIfNeeded: r.raw)))
        case .number: return Reading(objectID: r.objectID, index: index, value: .integer(r.raw))
        }
    }
}
