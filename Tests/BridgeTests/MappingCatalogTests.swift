@testable import Bridge
import Foundation
import Testing

/// The shipped mapping files, and the loader's validation, precedence and error reporting.
@Suite struct MappingCatalogTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shipped = repoRoot.appendingPathComponent("Mappings")

    @Test func allShippedMappingsLoadWithoutErrors() throws {
        let catalog = MappingCatalog.load(shipped: Self.shipped)
        #expect(catalog.errors.isEmpty, "\(catalog.errors.map(\.description))")
        let files = FileManager.default.enumerator(atPath: Self.shipped.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") } ?? []
        #expect(files.count >= 7)
        #expect(catalog.loadedFiles.count == files.count)
        for proto in ["zigbee/", "bluetooth/", "zwave/"] { #expect(files.contains { $0.hasPrefix(proto) }) }
    }

    @Test func everyShippedRuleIsValidTR181() throws {
        let catalog = MappingCatalog.load(shipped: Self.shipped)
        let rules = catalog.allRules.compactMap { r in r.mapping.map { (r, $0) } }
        #expect(rules.count >= 40)
        for (rule, m) in rules {
            let at = "\(rule.source)"
            let types = TR181Vocabulary.types(of: m.capabilityClass)
            #expect(TR181Vocabulary.isAllowed(m.type, in: types), "\(at): type \(m.type)")
            for t in (m.typeSelector?.values.values).map(Array.init) ?? [] { #expect(TR181Vocabulary.isAllowed(t, in: types), "\(at): type \(t)") }
            if m.capabilityClass.hasUnit {
                #expect(m.unit.map { TR181Vocabulary.units.contains($0) } == true, "\(at): unit \(String(describing: m.unit))")
            } else {
                #expect(m.unit == nil, "\(at)")
            }
            if m.capabilityClass.isControl { #expect(m.set != nil, "\(at): control without Set") }
            if m.capabilityClass == .levelControl { #expect(m.min != nil && m.max != nil, "\(at)") }
            if m.toggle != nil { #expect(m.capabilityClass == .binaryControl, "\(at)") }
            if let dt = m.deviceType { #expect(TR181Vocabulary.deviceTypes.contains(dt), "\(at): device type \(dt)") }
        }
        // No two generic rules of one rule set match the same units.
        for set in catalog.ruleSets {
            let keys = set.generic.map { "\($0.match)" + "\($0.match.selector.proto)" }
            #expect(Set(keys).count == keys.count, "duplicate generic matches in \(set.name)")
        }
    }

    @Test func shippedZigBeeMappingsConvertReportedValues() throws {
        let catalog = MappingCatalog.load(shipped: Self.shipped)
        let id = DeviceIdentity(address: .ieee(0x00124B0001020304), manufacturer: "Acme", model: "Multi")
        let units: [FunctionalUnit] = [
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0)),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0008, attribute: 0)),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0300, attribute: 7)),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0500, attribute: 2), properties: ["0x0001": .int(0x0015)]),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0702, attribute: 0), properties: ["0x0301": .int(1), "0x0302": .int(1000)]),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0400, attribute: 0)),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0000, attribute: 5)),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0xFC00, attribute: 1)),
        ]
        let dm = catalog.resolve(id, units: units)
        func cap(_ cluster: UInt16) throws -> DeviceMapping.Capability {
            try #require(dm.capabilities.first { if case .zigbee(_, let c, _) = $0.unit.key { c == cluster } else { false } })
        }
        // Basic cluster attributes are ignored; unknown clusters have no mapping.
        #expect(dm.capabilities.count == 6)
        #expect(dm.deviceType == "Light")
        let t = try cap(0x0402)
        #expect(t.mapping.conversion.tr181Value(.int(2150), class: .levelSensor) == "21.5")
        #expect(t.mapping.conversion.tr181Value(.int(-5), class: .levelSensor) == "-0.05")
        let level = try cap(0x0008)
        #expect(level.mapping.conversion.tr181Value(.int(254), class: .levelControl) == "100")
        #expect(level.mapping.conversion.radioValue("50", class: .levelControl) == .int(127))
        let ct = try cap(0x0300)
        #expect(ct.mapping.conversion.tr181Value(.int(250), class: .levelControl) == "4000")
        #expect(ct.mapping.conversion.radioValue("2500", class: .levelControl) == .int(400))
        // IAS zone: type from the zone type property, value from bit 0 of ZoneStatus.
        let zone = try cap(0x0500)
        #expect(zone.type == "DoorOpen")
        #expect(zone.mapping.conversion.tr181Value(.int(0b101), class: .binarySensor) == "true")
        #expect(zone.mapping.conversion.tr181Value(.int(0b100), class: .binarySensor) == "false")
        let energy = try cap(0x0702)
        #expect(energy.mapping.conversion.tr181Value(.int(123456), class: .levelSensor, properties: energy.unit.properties) == "123.456")
        // ZCL illuminance: 10000 x log10(1000 lx) + 1 = 30001.
        let lux = try cap(0x0400)
        #expect(lux.mapping.conversion.tr181Value(.int(30001), class: .levelSensor) == "1000")
        #expect(lux.mapping.conversion.tr181Value(.int(0), class: .levelSensor) == "0")
    }

    @Test func deviceSpecificOverrideWinsOverGeneric() throws {
        let catalog = MappingCatalog.load(shipped: Self.shipped)
        let ct = FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0300, attribute: 7))
        let ikea = DeviceIdentity(address: .ieee(1), manufacturer: "IKEA of Sweden", model: "TRADFRI bulb E27 WS opal 980lm")
        let other = DeviceIdentity(address: .ieee(2), manufacturer: "Other", model: "Bulb")
        let a = catalog.resolve(ikea, units: [ct])
        let b = catalog.resolve(other, units: [ct])
        #expect(a.capabilities.first?.mapping.min == 2200)
        #expect(a.capabilities.first?.mapping.max == 4000)
        #expect(a.mappingID.contains("ikea.yaml"))
        #expect(b.capabilities.first?.mapping.min == 2000)
        #expect(b.mappingID == "generic")
    }

    @Test func bluetoothButtonAndSensorsMap() throws {
        let catalog = MappingCatalog.load(shipped: Self.shipped)
        let id = DeviceIdentity(address: .bluetooth(0xA4C138001122), kind: .passiveBroadcaster)
        let dm = catalog.resolve(id, units: [FunctionalUnit(key: .ble(objectID: 0x3A, index: 0)),
                                             FunctionalUnit(key: .ble(objectID: 0x02, index: 0)),
                                             FunctionalUnit(key: .ble(objectID: 0x21, index: 0)),
                                             FunctionalUnit(key: .ble(objectID: 0x00, index: 0))])
        #expect(dm.capabilities.count == 3)
        let button = try #require(dm.capabilities.first { $0.unit.key == .ble(objectID: 0x3A, index: 0) })
        #expect(button.mapping.capabilityClass == .enumSensor)
        #expect(button.mapping.isEvent)
        #expect(button.mapping.conversion.tr181Value(.enumeration(2), class: .enumSensor) == "double_press")
        #expect(button.mapping.effectiveValidValues.first == "none")
        let temp = try #require(dm.capabilities.first { $0.unit.key == .ble(objectID: 0x02, index: 0) })
        #expect(temp.mapping.conversion.tr181Value(.int(2345), class: .levelSensor) == "23.45")
        #expect(temp.mapping.unit == "degC")
        let motion = try #require(dm.capabilities.first { $0.unit.key == .ble(objectID: 0x21, index: 0) })
        #expect(motion.type == "MotionDetected")
        #expect(dm.capabilities.allSatisfy { !$0.mapping.capabilityClass.isControl })
    }

    @Test func atcAndPvvxThermometersMap() throws {
        let catalog = MappingCatalog.load(shipped: Self.shipped)
        let id = DeviceIdentity(address: .bluetooth(0xA4C138000006), kind: .passiveBroadcaster)
        let dm = catalog.resolve(id, units: [0x1A01, 0x1A02, 0x1A03, 0x1A04, 0x1A05, 0x1A06].map { FunctionalUnit(key: .ble(objectID: $0, index: 0)) })
        #expect(dm.capabilities.count == 6)
        func value(_ object: UInt16, _ raw: Int64) -> String? {
            dm.capabilities.first { $0.unit.key == .ble(objectID: object, index: 0) }?.mapping.conversion.tr181Value(.int(raw), class: .levelSensor)
        }
        #expect(value(0x1A01, -34) == "-3.4")
        #expect(value(0x1A02, 1705) == "17.05")
        #expect(value(0x1A03, 47) == "47")
        #expect(value(0x1A04, 4457) == "44.57")
        #expect(value(0x1A05, 88) == "88")
        #expect(value(0x1A06, 2998) == "2.998")
        let units = Dictionary(dm.capabilities.map { ($0.unit.key, $0.mapping.unit ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(units[.ble(objectID: 0x1A02, index: 0)] == "degC" && units[.ble(objectID: 0x1A06, index: 0)] == "V")
    }
}
