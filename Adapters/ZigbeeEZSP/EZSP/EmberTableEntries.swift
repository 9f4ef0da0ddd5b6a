import ZigbeeCore

/// `EmberNeighborTableEntry`: short id 2, average LQI 1, in cost 1, out cost 1, age 1, EUI-64 8.
/// Layout: bellows `bellows/types/struct.py`; zigbee-herdsman `readEmberNeighborTableEntry`.
public struct EmberNeighborTableEntry: Hashable, Sendable {
    public var shortId: UInt16
    public var averageLqi: UInt8
    public var inCost: UInt8
    public var outCost: UInt8
    public var age: UInt8
    public var longId: IEEEAddress

    public init(shortId: UInt16, averageLqi: UInt8, inCost: UInt8, outCost: UInt8, age: UInt8, longId: IEEEAddress) {
        self.shortId = shortId; self.averageLqi = averageLqi; self.inCost = inCost
        self.outCost = outCost; self.age = age; self.longId = longId
    }

    static func read(_ reader: inout ByteReader) throws -> EmberNeighborTableEntry {
        EmberNeighborTableEntry(shortId: try reader.readUInt16(), averageLqi: try reader.readUInt8(),
                                inCost: try reader.readUInt8(), outCost: try reader.readUInt8(),
                                age: try reader.readUInt8(), longId: IEEEAddress(try reader.readUInt64()))
    }
}

/// `EmberChildData` as getChildData returns it from version 7: EUI-64 8, node type 1, node id 2,
/// phy 1, power 1, timeout 1, and from version 10 a 4-byte remaining timeout.
/// Layout: bellows `bellows/types/struct.py` (EmberChildDataV7, EmberChildDataV10).
public struct EmberChildData: Hashable, Sendable {
    public var eui64: IEEEAddress
    public var type: EmberNodeType
    public var id: UInt16
    public var phy: UInt8
    public var power: UInt8
    public var timeout: UInt8
    /// nil before protocol version 10.
    public var remainingTimeout: UInt32?

    public init(eui64: IEEEAddress, type: EmberNodeType, id: UInt16, phy: UInt8 = 0, power: UInt8 = 0,
                timeout: UInt8 = 0, remainingTimeout: UInt32? = nil) {
        self.eui64 = eui64; self.type = type; self.id = id; self.phy = phy
        self.power = power; self.timeout = timeout; self.remainingTimeout = remainingTimeout
    }

    static func read(_ reader: inout ByteReader, version: UInt8) throws -> EmberChildData {
        var child = EmberChildData(eui64: IEEEAddress(try reader.readUInt64()),
                                   type: EmberNodeType(code: try reader.readUInt8()),
                                   id: try reader.readUInt16(), phy: try reader.readUInt8(),
                                   power: try reader.readUInt8(), timeout: try reader.readUInt8())
        if version >= EZSPProtocolVersion.childDataRemainingTimeout {
            child.remainingTimeout = try reader.readUInt32()
        }
        return child
    }
}
