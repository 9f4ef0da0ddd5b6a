import Foundation
import Logging

/// How one device appears in TR-181: its type and one capability per mapped unit.
public struct DeviceMapping: Sendable, Hashable {
    public struct Capability: Sendable, Hashable {
        public var unit: FunctionalUnit
        public var mapping: CapabilityMapping
        /// The capability Type after `type_by` selection.
        public var type: String
    }
    /// `ProxiedDevice.{i}.Type` (IoTDeviceType), empty when nothing suggests one.
    public var deviceType: String
    public var description: String?
    /// Which rule set was chosen: the device rule's location, or `generic`.
    public var mappingID: String
    public var capabilities: [Capability]
}

/// All mapping rules: the shipped files and the user's overrides, loaded at run time.
/// Precedence per unit: user device rule, shipped device rule, user generic rule, shipped
/// generic rule; within one set the most specific match wins.
public struct MappingCatalog: Sendable {
    public struct RuleSet: Sendable {
        public var name: String
        public var generic: [UnitRule] = []
        public var devices: [DeviceRule] = []
    }
    /// Highest priority first.
    public private(set) var ruleSets: [RuleSet] = []
    /// Problems found; each rejected its whole file.
    public private(set) var errors: [MappingError] = []
    /// Files that loaded.
    public private(set) var loadedFiles: [String] = []

    public init() {}

    /// Loads the shipped directory and, on top, the user directory (either may be nil or missing).
    public static func load(shipped: URL?, user: URL? = nil, logger: Logger? = nil) -> MappingCatalog {
        var layers: [(String, [(path: String, text: String)])] = []
        var catalog = MappingCatalog()
        if shipped == nil {
            logger?.warning("the shipped mappings (Mappings/) were not found: devices get capabilities only from user mappings; set USPBRIDGE_MAPPINGS to the directory")
        } else if let shipped {
            logger?.debug("shipped mappings from \(shipped.path)")
        }
        for (name, dir) in [("shipped", shipped), ("user", user)] {
            guard let dir else { continue }
            let (files, errs) = readDirectory(dir)
            catalog.errors += errs
            layers.append((name, files))
        }
        catalog.build(layers: layers)
        for e in catalog.errors { logger?.error("mapping rejected: \(e)") }
        return catalog
    }

    /// Loads in-memory files; layers lowest priority first (for tests and tools).
    public static func load(layers: [(name: String, files: [(path: String, text: String)])]) -> MappingCatalog {
        var c = MappingCatalog()
        c.build(layers: layers)
        return c
    }

    static func readDirectory(_ dir: URL) -> ([(path: String, text: String)], [MappingError]) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else { return ([], []) }
        var out: [(String, String)] = []
        var errs: [MappingError] = []
        let paths = (fm.enumerator(atPath: dir.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        for rel in paths {
            let full = dir.appendingPathComponent(rel).path
            guard let data = fm.contents(atPath: full), let text = String(data: data, encoding: .utf8) else {
                errs.append(MappingError(file: full, line: 0, column: 0, field: "", message: "cannot be read as UTF-8 text"))
                continue
            }
            out.append((full, text))
        }
        return (out, errs)
    }

    mutating func build(layers: [(name: String, files: [(path: String, text: String)])]) {
        // Pass 1: read every file and collect blocks (later layers override earlier ones by name).
        var raw: [(layer: Int, file: RawMappingFile)] = []
        var blocks: [String: (RadioProtocol, YAMLValue)] = [:]
        for (li, layer) in layers.enumerated() {
            var layerBlocks: [String: String] = [:]
            for f in layer.files {
                do throws(MappingError) {
                    let r = try RawMappingFile.read(text: f.text, path: f.path)
                    for (name, value) in r.blocks {
                        if let other = layerBlocks[name] {
                            throw value.error("block '\(name)' is already defined in \(other)")
                        }
                    }
                    for (name, value) in r.blocks {
                        layerBlocks[name] = r.path
                        blocks[name] = (r.radioProtocol, value)
                    }
                    raw.append((li, r))
                } catch {
                    errors.append(error)
                }
            }
        }
        // Pass 2: rules; a file with an error contributes nothing.
        let parser = MappingParser(blocks: blocks)
        var sets = layers.map { RuleSet(name: $0.name) }
        var seenGeneric: [Int: [GenericKey: SourceLocation]] = [:]
        var seenDevice: [Int: [DeviceKey: SourceLocation]] = [:]
        for (li, file) in raw {
            do throws(MappingError) {
                var generic: [UnitRule] = []
                var devices: [DeviceRule] = []
                var localGeneric = seenGeneric[li] ?? [:]
                var localDevice = seenDevice[li] ?? [:]
                for entry in file.units {
                    let rule = try parser.unitRule(entry, protocol: file.radioProtocol)
                    let key = GenericKey(proto: file.radioProtocol, match: rule.match)
                    if let first = localGeneric[key] {
                        throw entry.error("duplicate mapping for \(file.radioProtocol.rawValue) \(rule.match) (first at \(first))")
                    }
                    localGeneric[key] = rule.source
                    generic.append(rule)
                }
                for entry in file.devices {
                    let rule = try parser.deviceRule(entry, protocol: file.radioProtocol)
                    for model in rule.models {
                        let key = DeviceKey(proto: file.radioProtocol, manufacturer: rule.manufacturer, model: model)
                        if let first = localDevice[key] {
                            throw entry.error("duplicate device rule for \(rule.manufacturer) / \(model) (first at \(first))")
                        }
                        localDevice[key] = rule.source
                    }
                    devices.append(rule)
                }
                seenGeneric[li] = localGeneric
                seenDevice[li] = localDevice
                sets[li].generic += generic
                sets[li].devices += devices
                loadedFiles.append(file.path)
            } catch {
                errors.append(error)
            }
        }
        ruleSets = sets.reversed()
    }

    struct GenericKey: Hashable { var proto: RadioProtocol; var match: UnitMatch }
    struct DeviceKey: Hashable { var proto: RadioProtocol; var manufacturer: String; var model: String }

    // MARK: lookup

    /// Every rule, for checks over the whole catalog.
    public var allRules: [UnitRule] { ruleSets.flatMap { $0.generic + $0.devices.flatMap(\.rules) } }

    /// The capabilities of a device. Units without a mapping (or ignored) are left out.
    public func resolve(_ identity: DeviceIdentity, units: [FunctionalUnit]) -> DeviceMapping {
        let proto = identity.address.radioProtocol
        let deviceRules = ruleSets.flatMap { set in set.devices.filter { $0.matches(identity) && $0.rules.first.map { $0.match.selector.proto == proto } ?? true } }
        var caps: [DeviceMapping.Capability] = []
        for unit in units.sorted(by: { $0.key.description < $1.key.description }) {
            guard unit.key.radioProtocol == proto else { continue }
            var chosen: UnitRule?
            for d in deviceRules {
                if let r = Self.best(d.rules, for: unit.key) { chosen = r; break }
            }
            if chosen == nil {
                for set in ruleSets {
                    if let r = Self.best(set.generic, for: unit.key) { chosen = r; break }
                }
            }
            guard let rule = chosen, let m = rule.mapping else { continue }
            caps.append(.init(unit: unit, mapping: m, type: m.resolvedType(properties: unit.properties)))
        }
        // Units that hold a capability's settings (an occupancy delay, a zone sensitivity) are
        // part of that capability, not capabilities of their own.
        let claimed = Set(caps.flatMap { c in c.mapping.settings.compactMap { $0.unitKey(relativeTo: c.unit.key) } })
        if !claimed.isEmpty { caps.removeAll { claimed.contains($0.unit.key) } }
        let explicit = deviceRules.first?.deviceType
        let hinted = Self.typeRanking.first { t in caps.contains { $0.mapping.deviceType == t } }
            ?? caps.compactMap(\.mapping.deviceType).first
        return DeviceMapping(deviceType: explicit ?? hinted ?? "", description: deviceRules.first?.description,
                             mappingID: deviceRules.first.map { "\($0.source)" } ?? "generic", capabilities: caps)
    }

    /// When capabilities suggest several device types, the first of these wins.
    static let typeRanking = ["Thermostat", "Lock", "Light", "PowerStrip", "Meter", "Siren", "Alarm", "Sensor"]

    static func best(_ rules: [UnitRule], for key: UnitKey) -> UnitRule? {
        var best: UnitRule?
        for r in rules where r.match.matches(key) {
            if best == nil || r.match.specificity > best!.match.specificity { best = r }
        }
        return best
    }

    // MARK: locations

    /// Where the shipped mappings are: `$USPBRIDGE_MAPPINGS`, `Mappings/` beside the executable,
    /// `../share/usp-bridge/Mappings` from it, or `Mappings/` in the working directory.
    public static func defaultShippedDirectory() -> URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["USPBRIDGE_MAPPINGS"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates.append(exe.appendingPathComponent("Mappings"))
            candidates.append(exe.deletingLastPathComponent().appendingPathComponent("share/usp-bridge/Mappings"))
            // A build tree: <repo>/.build/<triple>/debug/usp-bridge → <repo>/Mappings.
            var dir = exe
            for _ in 0..<4 {
                dir = dir.deletingLastPathComponent()
                candidates.append(dir.appendingPathComponent("Mappings"))
            }
        }
        candidates.append(URL(fileURLWithPath: "/usr/share/usp-bridge/Mappings"))
        candidates.append(URL(fileURLWithPath: "/usr/local/share/usp-bridge/Mappings"))
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("Mappings"))
        return candidates.first { var d: ObjCBool = false; return fm.fileExists(atPath: $0.path, isDirectory: &d) && d.boolValue }
    }
}

extension UnitMatch.Selector {
    var proto: RadioProtocol {
        switch self {
        case .zigbee: .zigbee
        case .zwave: .zwave
        case .ble: .ble
        }
    }
}
