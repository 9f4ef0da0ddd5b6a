import Foundation
import GRDB
import Logging

/// The part of the agent's state that survives a restart: stored values and instance lists
/// of the persistent subtrees, every table's next instance number, and small metadata
/// (e.g. the MQTT client ID).
public struct PersistedState: Sendable, Equatable {
    public var values: [String: [String: String]] = [:]
    public var tables: [String: [UInt32]] = [:]
    public var nextInstance: [String: UInt32] = [:]
    public var metadata: [String: String] = [:]
    public init() {}
}

/// Why a database was set aside at start-up.
public struct DatabaseRecovery: Sendable, CustomStringConvertible {
    public var movedTo: String
    public var reason: String
    public var description: String { "database was unreadable (\(reason)); moved to \(movedTo) and started from factory defaults" }
}

/// SQLite persistence of the agent (through GRDB). Every save is one transaction, in WAL
/// mode with synchronous=FULL, and happens before the agent answers the message that caused
/// it: an acknowledged change survives `kill -9`.
public final class AgentDatabase: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Opens (or creates) the database. A corrupt or unreadable file is moved aside and a new
    /// one created; `recovery` then says what happened, so the caller can log it. Only a
    /// failure to create a fresh database at all throws.
    public static func open(path: String, logger: Logger? = nil) throws -> (AgentDatabase, recovery: DatabaseRecovery?) {
        do {
            let db = try AgentDatabase(path: path)
            try db.check()
            return (db, nil)
        } catch {
            let stamp = Int(Date().timeIntervalSince1970)
            let aside = "\(path).corrupt-\(stamp)"
            let fm = FileManager.default
            try? fm.moveItem(atPath: path, toPath: aside)
            for suffix in ["-wal", "-shm"] { try? fm.moveItem(atPath: path + suffix, toPath: aside + suffix) }
            let recovery = DatabaseRecovery(movedTo: aside, reason: String(describing: error))
            logger?.error("\(recovery)")
            let db = try AgentDatabase(path: path)
            return (db, recovery)
        }
    }

    init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A 256 KiB page cache instead of SQLite's 2 MiB default: the database is read
            // once at start-up and written in batches, so a large cache buys nothing and
            // costs resident memory on a gateway (1.4 MiB with 1,000 devices at the default).
            try db.execute(sql: "PRAGMA cache_size = -256")
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            _ = try? db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "object_values") { t in
                t.column("path", .text).primaryKey()
                t.column("json", .text).notNull()
            }
            try db.create(table: "instance_tables") { t in
                t.column("path", .text).primaryKey()
                t.column("instances", .text).notNull()
            }
            try db.create(table: "next_instance") { t in
                t.column("path", .text).primaryKey()
                t.column("next", .integer).notNull()
            }
            try db.create(table: "metadata") { t in
                t.column("key", .text).primaryKey()
                t.column("value", .text).notNull()
            }
        }
        try migrator.migrate(queue)
    }

    /// Runs SQLite's integrity check; throws when the file is damaged.
    func check() throws {
        let result = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
        guard result == "ok" else { throw DatabaseIntegrityError(detail: result ?? "no answer") }
    }

    struct DatabaseIntegrityError: Error, CustomStringConvertible {
        var detail: String
        var description: String { "integrity check failed: \(detail)" }
    }

    public func load() throws -> PersistedState {
        try queue.read { db in
            var s = PersistedState()
            let decoder = JSONDecoder()
            for row in try Row.fetchAll(db, sql: "SELECT path, json FROM object_values") {
                let json: String = row["json"]
                s.values[row["path"]] = (try? decoder.decode([String: String].self, from: Data(json.utf8))) ?? [:]
            }
            for row in try Row.fetchAll(db, sql: "SELECT path, instances FROM instance_tables") {
                let json: String = row["instances"]
                s.tables[row["path"]] = (try? decoder.decode([UInt32].self, from: Data(json.utf8))) ?? []
            }
            for row in try Row.fetchAll(db, sql: "SELECT path, next FROM next_instance") {
                let n: Int64 = row["next"]
                s.nextInstance[row["path"]] = UInt32(clamping: n)
            }
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM metadata") {
                s.metadata[row["key"]] = row["value"]
            }
            return s
        }
    }

    /// Replaces the stored state with `state` in one transaction.
    public func save(_ state: PersistedState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try queue.write { db in
            try db.execute(sql: "DELETE FROM object_values")
            try db.execute(sql: "DELETE FROM instance_tables")
            for (path, values) in state.values {
                let json = String(decoding: try encoder.encode(values), as: UTF8.self)
                try db.execute(sql: "INSERT INTO object_values(path, json) VALUES (?, ?)", arguments: [path, json])
            }
            for (path, list) in state.tables {
                let json = String(decoding: try encoder.encode(list), as: UTF8.self)
                try db.execute(sql: "INSERT INTO instance_tables(path, instances) VALUES (?, ?)", arguments: [path, json])
            }
            for (path, next) in state.nextInstance {
                try db.execute(sql: "INSERT INTO next_instance(path, next) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET next = MAX(next, excluded.next)",
                               arguments: [path, Int64(next)])
            }
            for (k, v) in state.metadata {
                try db.execute(sql: "INSERT INTO metadata(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [k, v])
            }
        }
    }

    public func setMetadata(_ key: String, _ value: String) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO metadata(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }

    public func metadata(_ key: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = ?", arguments: [key]) }
    }

    /// Gives GRDB access to other components (the bridge's device registry) sharing this file.
    public var databaseQueue: DatabaseQueue { queue }
}
