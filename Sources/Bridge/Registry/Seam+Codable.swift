import Foundation

// Compact JSON forms of the seam types for the registry's columns.

extension RadioValue: Codable {
    private enum K: String, CodingKey { case b, i, d, s, e, l }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: K.self)
        if let v = try c.decodeIfPresent(Bool.self, forKey: .b) { self = .bool(v) }
        else if let v = try c.decodeIfPresent(Int64.self, forKey: .i) { self = .int(v) }
        else if let v = try c.decodeIfPresent(Double.self, forKey: .d) { self = .double(v) }
        else if let v = try c.decodeIfPresent(String.self, forKey: .s) { self = .string(v) }
        else if let v = try c.decodeIfPresent(UInt32.self, forKey: .e) { self = .enumeration(v) }
        else if let v = try c.decodeIfPresent([RadioValue].self, forKey: .l) { self = .list(v) }
        else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no radio value")) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        switch self {
        case .bool(let v): try c.encode(v, forKey: .b)
        case .int(let v): try c.encode(v, forKey: .i)
        case .double(let v): try c.encode(v, forKey: .d)
        case .string(let v): try c.encode(v, forKey: .s)
        case .enumeration(let v): try c.encode(v, forKey: .e)
        case .list(let v): try c.encode(v, forKey: .l)
        }
    }
}

struct StoredUnit: Codable {
    var key: String
    var properties: [String: RadioValue]
    var value: RadioValue?

    init(_ u: FunctionalUnit) { key = u.key.description; properties = u.properties; value = u.value }
    var unit: FunctionalUnit? { UnitKey(key).map { FunctionalUnit(key: $0, properties: properties, value: value) } }
}

struct StoredIdentity: Codable {
    var nodeID: UInt16?
    var manufacturer: String
    var model: String
    var firmware: String
    var power: String
    var kind: String

    init(_ i: DeviceIdentity) {
        nodeID = i.nodeID; manufacturer = i.manufacturer; model = i.model; firmware = i.firmware
        power = i.power.rawValue; kind = i.kind.rawValue
    }
    func identity(address: DeviceAddress) -> DeviceIdentity {
        DeviceIdentity(address: address, nodeID: nodeID, manufacturer: manufacturer, model: model, firmware: firmware,
                       power: PowerSource(rawValue: power) ?? .unknown, kind: DeviceKind(rawValue: kind) ?? .unknown)
    }
}
