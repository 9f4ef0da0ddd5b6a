import Foundation
import GRDB
import Logging

/// The bridge's tables in the agent's SQLite file (own migrations, prefixed `bridge_`).
/// Rows that cannot be decoded are logged and skipped, never fatal.
final class RegistryDatabase: Sendable {
    let queue: DatabaseQueue
    let logger: Logger

    init(queue: DatabaseQueue, logger: Logger) throws {
        self.queue = queue
        self.logger = logger
        var migrator = DatabaseMigrator()
        migrator.registerMigration("bridge-v1") { db in
            try db.create(table: "bridge_device") { t in
                t.column("address", .text).primaryKey()
                t.column("instance", .integer).notNull().unique()
                t.column("radio", .integer).notNull()
                t.column("identity", .text).notNull()
                t.column("units", .text).notNull()
                t.column("mapping", .text).notNull()
                t.column("name", .text)
                t.column("alias", .text)
                t.column("present", .boolean).notNull()
                t.column("online", .boolean).notNull()
                t.column("last_contact", .double)
                t.column("nodes", .text).notNull()
            }
            try db.create(table: "bridge_capability") { t in
                t.column("address", .text).notNull().references("bridge_device", onDelete: .cascade)
                t.column("unit_key", .text).notNull()
                t.column("node", .integer)
                t.column("instance", .integer).notNull()
                t.column("active", .boolean).notNull()
                t.column("name", .text)
                t.column("alias", .text)
                t.column("value", .text)
                t.column("last_change", .double)
                t.column("settings", .text).notNull()
                t.primaryKey(["address", "unit_key"])
            }
        }
        try migrator.migrate(queue)
    }

    struct StoredNodes: Codable { var numbers: [String: UInt32]; var aliases: [String: String] }

    /// Every device that decodes; bad rows are logged and skipped.
    func loadAll() -> [DeviceRecord] {
        let decoder = JSONDecoder()
        do {
            return try queue.read { db in
                var devices: [String: DeviceRecord] = [:]
                var usedInstances: Set<UInt32> = []
                for row in try Row.fetchAll(db, sql: "SELECT * FROM bridge_device ORDER BY instance") {
                    let addrText: String? = row["address"]
                    guard let addrText, let address = DeviceAddress(addrText) else {
                        logger.error("registry: skipping device row with bad address \(String(describing: row["address"] as String?))")
                        continue
                    }
                    let inst: Int64? = row["instance"]
                    guard let inst, let instance = UInt32(exactly: inst), instance > 0, usedInstances.insert(instance).inserted else {
                        logger.error("registry: skipping device \(addrText): bad or duplicate instance number")
                        continue
                    }
                    guard let idText: String = row["identity"],
                          let stored = try? decoder.decode(StoredIdentity.self, from: Data(idText.utf8)) else {
                        logger.error("registry: skipping device \(addrText): identity does not decode")
                        continue
                    }
                    let unitsText: String = row["units"] ?? "[]"
                    let units = ((try? decoder.decode([StoredUnit].self, from: Data(unitsText.utf8))) ?? []).compactMap(\.unit)
                    let nodesText: String = row["nodes"] ?? "{}"
                    let nodes = (try? decoder.decode(StoredNodes.self, from: Data(nodesText.utf8))) ?? StoredNodes(numbers: [:], aliases: [:])
                    var nodeNumbers: [UInt8: UInt32] = [:]
                    for (k, v) in nodes.numbers { if let e = UInt8(k), v > 0 { nodeNumbers[e] = v } }
                    var nodeAliases: [UInt8: String] = [:]
                    for (k, v) in nodes.aliases { if let e = UInt8(k) { nodeAliases[e] = v } }
                    let radio: Int64 = row["radio"] ?? 0
                    let contact: Double? = row["last_contact"]
                    devices[addrText] = DeviceRecord(
                        identity: stored.identity(address: address), instance: instance, units: units,
                        mappingID: row["mapping"] ?? "", userName: row["name"], alias: row["alias"],
                        present: row["present"] ?? false, online: row["online"] ?? false,
                        lastContact: contact.map { Date(timeIntervalSince1970: $0) },
                        nodes: nodeNumbers, nodeAliases: nodeAliases, capabilities: [:], radio: Int(clamping: radio))
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM bridge_capability") {
                    let addrText: String = row["address"] ?? ""
                    guard devices[addrText] != nil else { continue }
                    let keyText: String = row["unit_key"] ?? ""
                    guard let key = UnitKey(keyText) else {
                        logger.error("registry: skipping capability \(addrText) \(keyText): bad unit key")
                        continue
                    }
                    let inst: Int64? = row["instance"]
                    guard let inst, let instance = UInt32(exactly: inst), instance > 0 else {
                        logger.error("registry: skipping capability \(addrText) \(keyText): bad instance number")
                        continue
                    }
                    let node: Int64? = row["node"]
                    if let node, UInt8(exactly: node) == nil {
                        logger.error("registry: skipping capability \(addrText) \(keyText): bad node")
                        continue
                    }
                    let settingsText: String = row["settings"] ?? "{}"
                    let change: Double? = row["last_change"]
                    devices[addrText]?.capabilities[key.description] = CapabilityRecord(
                        unitKey: key, node: node.flatMap { UInt8(exactly: $0) }, instance: instance,
                        active: row["active"] ?? false, userName: row["name"], alias: row["alias"], value: row["value"],
                        lastChange: change.map { Date(timeIntervalSince1970: $0) },
                        settings: (try? decoder.decode([String: String].self, from: Data(settingsText.utf8))) ?? [:])
                }
                return devices.values.sorted { $0.instance < $1.instance }
            }
        } catch {
            logger.error("registry: cannot read the device tables: \(error)")
            return []
        }
    }

    /// Writes whole device records (device row and all capability rows) in one transaction.
    func save(_ records: [DeviceRecord]) {
        guard !records.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json<T: Encodable>(_ v: T) -> String { (try? encoder.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "null" }
        do {
            try queue.write { db in
                for r in records {
                    let addr = r.address.description
                    let nodes = StoredNodes(numbers: Dictionary(uniqueKeysWithValues: r.nodes.map { (String($0.key), $0.value) }),
                                            aliases: Dictionary(uniqueKeysWithValues: r.nodeAliases.map { (String($0.key), $0.value) }))
                    try db.execute(sql: """
                        INSERT INTO bridge_device(address, instance, radio, identity, units, mapping, name, alias, present, online, last_contact, nodes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(address) DO UPDATE SET instance = excluded.instance, radio = excluded.radio,
                          identity = excluded.identity, units = excluded.units, mapping = excluded.mapping, name = excluded.name,
                          alias = excluded.alias, present = excluded.present, online = excluded.online,
                          last_contact = excluded.last_contact, nodes = excluded.nodes
                        """, arguments: [addr, Int64(r.instance), r.radio, json(StoredIdentity(r.identity)), json(r.units.map(StoredUnit.init)),
                                         r.mappingID, r.userName, r.alias, r.present, r.online,
                                         r.lastContact?.timeIntervalSince1970, json(nodes)])
                    for c in r.capabilities.values {
                        try db.execute(sql: """
                            INSERT INTO bridge_capability(address, unit_key, node, instance, active, name, alias, value, last_change, settings)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(address, unit_key) DO UPDATE SET node = excluded.node, instance = excluded.instance,
                              active = excluded.active, name = excluded.name, alias = excluded.alias, value = excluded.value,
                              last_change = excluded.last_change, settings = excluded.settings
                            """, arguments: [addr, c.unitKey.description, c.node.map { Int64($0) }, Int64(c.instance), c.active,
                                             c.userName, c.alias, c.value, c.lastChange?.timeIntervalSince1970, json(c.settings)])
                    }
                }
            }
        } catch {
            logger.error("registry: could not save \(records.count) device(s): \(error)")
        }
    }
}
