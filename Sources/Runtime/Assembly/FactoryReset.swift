import Foundation
import Logging

public enum FactoryReset {
    /// Moves the database aside (never deletes it) so that the next start applies the
    /// configuration's factory defaults.
    public static func reset(dataDirectory: String, logger: Logger) throws {
        let db = (dataDirectory as NSString).appendingPathComponent("usp-bridge.sqlite")
        let fm = FileManager.default
        guard fm.fileExists(atPath: db) else { return }
        let aside = db + ".reset-\(Int(Date().timeIntervalSince1970))"
        try fm.moveItem(atPath: db, toPath: aside)
        for s in ["-wal", "-shm"] where fm.fileExists(atPath: db + s) { try? fm.moveItem(atPath: db + s, toPath: aside + s) }
        logger.notice("factory reset: previous database kept as \(aside)")
    }
}
