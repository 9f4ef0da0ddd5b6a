import ZigbeeZNP

/// What a virtual Z-Stack coordinator keeps in flash: the OSAL NV items and the network it formed.
/// Survives soft and hard resets (SYS_RESET_REQ, an injected reset); only the startup option's
/// "clear" bits, applied at the next reset, wipe it, as on the real chip.
public struct VirtualZNPFlash: Sendable, Hashable {
    /// The parameters of a formed network (Z-Stack keeps them in its NIB and security NV items).
    public struct Network: Sendable, Hashable {
        public var panID: UInt16
        public var extendedPanID: UInt64
        public var channel: UInt8
        public var networkKey: [UInt8]

        public init(panID: UInt16, extendedPanID: UInt64, channel: UInt8, networkKey: [UInt8]) {
            self.panID = panID
            self.extendedPanID = extendedPanID
            self.channel = channel
            self.networkKey = networkKey
        }
    }

    /// OSAL NV items by id.
    public var items: [UInt16: [UInt8]]
    /// nil until a network has been formed.
    public var network: Network?

    public init(items: [UInt16: [UInt8]], network: Network? = nil) {
        self.items = items
        self.network = network
    }

    /// A freshly flashed coordinator image: startup option 0, logical type coordinator, no network,
    /// no host marker.
    public static let factory = VirtualZNPFlash(items: [
        NVItemID.startupOption.rawValue: [0x00],
        NVItemID.logicalType.rawValue: [0x00],
    ])

    /// Applies ZCD_NV_STARTUP_OPTION at boot: bit 1 forgets the network, bit 0 restores the
    /// factory NV items; the option itself is cleared afterwards.
    mutating func applyStartupOption() {
        guard let option = items[NVItemID.startupOption.rawValue]?.first, option & 0x03 != 0 else { return }
        if option & 0x02 != 0 { network = nil }
        if option & 0x01 != 0 { items = Self.factory.items }
        items[NVItemID.startupOption.rawValue] = [0x00]
    }

    // MARK: OSAL NV operations (status codes as Z-Stack's MT_SYS returns them)

    /// SYS_OSAL_NV_READ: the value from `offset` on.
    func read(_ id: UInt16, offset: Int) -> (MTStatus, [UInt8]) {
        guard let value = items[id] else { return (.invalidParameter, []) }
        guard offset <= value.count else { return (.invalidParameter, []) }
        return (.success, Array(value[offset...].prefix(0xF8)))
    }

    /// SYS_OSAL_NV_WRITE: overwrites bytes inside an existing item.
    mutating func write(_ id: UInt16, offset: Int, value: [UInt8]) -> MTStatus {
        guard var current = items[id] else { return .nvItemUninitialized }
        guard offset + value.count <= current.count else { return .nvBadItemLength }
        current.replaceSubrange(offset..<(offset + value.count), with: value)
        items[id] = current
        return .success
    }

    /// SYS_OSAL_NV_ITEM_INIT: SUCCESS when the item exists (left as is), NV_ITEM_UNINIT when it
    /// was created with the initial value (zero-padded or cut to `length`).
    mutating func initialise(_ id: UInt16, length: Int, initial: [UInt8]) -> MTStatus {
        if items[id] != nil { return .success }
        var value = Array(initial.prefix(length))
        if value.count < length { value += [UInt8](repeating: 0, count: length - value.count) }
        items[id] = value
        return .nvItemUninitialized
    }

    /// SYS_OSAL_NV_DELETE: the length given must match the item's.
    mutating func delete(_ id: UInt16, length: Int) -> MTStatus {
        guard let value = items[id] else { return .nvItemUninitialized }
        guard value.count == length else { return .nvBadItemLength }
        items[id] = nil
        return .success
    }

    func length(_ id: UInt16) -> UInt16 { UInt16(items[id]?.count ?? 0) }
}
