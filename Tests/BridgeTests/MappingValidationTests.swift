@testable import Bridge
import Foundation
import Testing

/// Errors name file, line and field; a bad user file is rejected while the rest loads.
@Suite struct MappingValidationTests {
    static let base = """
    protocol: zigbee
    blocks:
      on_off:
        class: BinaryControl
        type: Switch
        name: Switch
        set: write
        toggle: {invoke: toggle}
    units:
      - match: {cluster: 0x0006, attribute: 0x0000}
        use: on_off
    """

    func load(_ user: [(String, String)]) -> MappingCatalog {
        MappingCatalog.load(layers: [(name: "shipped", files: [("shipped/general.yaml", Self.base)]),
                                     (name: "user", files: user)])
    }

    /// (file text, expected line, expected field, a fragment the message must contain)
    static let badFiles: [(String, Int, String, String)] = [
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0402, attribute: 0}\n    class: LevelSensor\n    type: Temperature\n    unit: celsius\n",
         6, "units[0].unit", "IoTUnitType"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0402, attribute: 0}\n    class: LevelSensor\n    type: Warmth\n    unit: degC\n",
         5, "units[0].type", "LevelSensor Type"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0402, attribute: 0}\n    class: Thermometer\n    type: Temperature\n",
         4, "units[0].class", "unknown class"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0006, attribute: 0}\n    class: BinaryControl\n    type: Switch\n",
         3, "units[0]", "needs field 'set'"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0006, attribute: 0}\n    class: BinaryControl\n    type: Switch\n    set: write\n    sett: write\n",
         7, "units[0].sett", "unknown field 'sett'"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0006, attribute: 0}\n    use: on_off\n  - match: {cluster: 0x0006, attribute: 0}\n    use: on_off\n",
         5, "units[1]", "duplicate mapping"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x10006, attribute: 0}\n    use: on_off\n",
         3, "units[0].match.cluster", "out of range"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 6, attribute: 0}\n    use: dimmer\n",
         4, "units[0].use", "unknown block 'dimmer'"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 8, attribute: 0}\n    class: LevelControl\n    type: Brightness\n    unit: \"%\"\n    set: write\n",
         3, "units[0]", "needs field 'min'"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0402, attribute: 0}\n    class: LevelSensor\n    type: Temperature\n    unit: degC\n    set: write\n",
         7, "units[0].set", "read-only"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 0x0402, attribute: 0}\n    class: LevelSensor\n    type: Temperature\n    unit: degC\n    convert: {scale: 0}\n",
         7, "units[0].convert.scale", "must not be 0"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 6, attribute: 0}\n    use: on_off\n    name: [a, b\n",
         6, "", "YAML syntax"),
        ("protocol: zigbee\nunits:\n  - match: {cluster: 6, attribute: 0}\n    use: on_off\n    use: on_off\n",
         4, "", "duplicate key"),   // Yams marks the first of the duplicated keys
        ("protocol: lora\n", 1, "protocol", "unknown protocol"),
    ]

    @Test(arguments: 0..<badFiles.count)
    func badUserFileIsRejectedWithLocation(_ i: Int) throws {
        let (text, line, field, fragment) = Self.badFiles[i]
        let catalog = load([("user/bad.yaml", text)])
        let e = try #require(catalog.errors.first)
        #expect(catalog.errors.count == 1)
        #expect(e.file == "user/bad.yaml")
        #expect(e.line == line, "\(e)")
        #expect(e.field == field, "\(e)")
        #expect(e.message.contains(fragment), "\(e)")
        #expect(e.description.hasPrefix("user/bad.yaml:\(line):"))
        // The shipped file still loaded and is in effect.
        #expect(catalog.loadedFiles == ["shipped/general.yaml"])
        let dm = catalog.resolve(DeviceIdentity(address: .ieee(1)), units: [FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 6, attribute: 0))])
        #expect(dm.capabilities.first?.mapping.name == "Switch")
    }

    @Test func userMappingOverridesShippedOne() throws {
        let user = """
        protocol: zigbee
        units:
          - match: {cluster: 0x0006, attribute: 0x0000}
            use: on_off
            name: Relay
            type: Locked
        """
        let catalog = load([("user/mine.yaml", user)])
        #expect(catalog.errors.isEmpty)
        let unit = FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 6, attribute: 0))
        let cap = try #require(catalog.resolve(DeviceIdentity(address: .ieee(1)), units: [unit]).capabilities.first)
        #expect(cap.mapping.name == "Relay")
        #expect(cap.type == "Locked")
        // Block fields not overridden come from the block.
        #expect(cap.mapping.toggle == .invoke(.toggle, args: [:]))
        #expect(cap.mapping.source.file == "user/mine.yaml")
    }

    @Test func userBlockReplacesShippedBlock() throws {
        let user = """
        protocol: zigbee
        blocks:
          on_off:
            class: BinaryControl
            type: Switch
            name: Outlet
            set: {invoke: set_on_off}
            toggle: emulate
        """
        let catalog = load([("user/blocks.yaml", user)])
        #expect(catalog.errors.isEmpty)
        let unit = FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 6, attribute: 0))
        let cap = try #require(catalog.resolve(DeviceIdentity(address: .ieee(1)), units: [unit]).capabilities.first)
        #expect(cap.mapping.name == "Outlet")
        #expect(cap.mapping.set == .invoke(.named("set_on_off"), args: [:]))
        #expect(cap.mapping.toggle == .emulate)
    }

    @Test func badUserFileRejectedWhileOtherUserFilesLoadFromDisk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("zigbee"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "protocol: zigbee\nunits:\n  - match: {cluster: 0x0405, attribute: 0}\n    class: LevelSensor\n    type: Humidity\n    unit: percent\n"
            .write(to: dir.appendingPathComponent("zigbee/broken.yaml"), atomically: true, encoding: .utf8)
        try "protocol: zigbee\nunits:\n  - match: {cluster: 0x0402, attribute: 0}\n    class: LevelSensor\n    type: Temperature\n    name: Room\n    unit: degC\n    convert: {scale: 0.01}\n"
            .write(to: dir.appendingPathComponent("zigbee/good.yaml"), atomically: true, encoding: .utf8)
        let catalog = MappingCatalog.load(shipped: MappingCatalogTests.shipped, user: dir)
        #expect(catalog.errors.count == 1)
        let e = try #require(catalog.errors.first)
        #expect(e.file.hasSuffix("zigbee/broken.yaml"))
        #expect(e.line == 6)
        #expect(e.field == "units[0].unit")
        #expect(catalog.loadedFiles.contains { $0.hasSuffix("zigbee/good.yaml") })
        let dm = catalog.resolve(DeviceIdentity(address: .ieee(1)), units: [
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0402, attribute: 0)),
            FunctionalUnit(key: .zigbee(endpoint: 1, cluster: 0x0405, attribute: 0)),
        ])
        #expect(dm.capabilities.map { $0.mapping.name } == ["Room", "Humidity"])
    }

    @Test func garbageFilesNeverCrash() {
        let inputs = ["", "---\n", "[1, 2", "protocol: [zigbee]", "\u{0}\u{1}", "protocol: zigbee\nunits: 5\n",
                      "protocol: zigbee\nunits:\n  - 7\n", "protocol: zigbee\nblocks: [x]\n", "protocol: zigbee\ndevices:\n  - manufacturer: A\n"]
        for text in inputs {
            let c = load([("user/x.yaml", text)])
            #expect(c.errors.count == 1, "\(text.debugDescription)")
            #expect(c.loadedFiles == ["shipped/general.yaml"])
        }
    }
}
