import Foundation

/// The standard objects of TR-181 Device:2.19 that this agent implements, generated from the
/// Broadband Forum XML by `scripts/gen-tr181.py` into `TR181Data.swift`.
public enum TR181 {
    struct DecodeFailure: Error, CustomStringConvertible {
        var detail: String
        var description: String { "generated TR-181 data does not decode: \(detail)" }
    }

    private static let decoded: Result<[ObjectSchema], DecodeFailure> = {
        do {
            return .success(try JSONDecoder().decode([ObjectSchema].self, from: Data(json.utf8)))
        } catch {
            return .failure(DecodeFailure(detail: String(describing: error)))
        }
    }()

    /// Every generated object.
    public static func objects() throws -> [ObjectSchema] { try decoded.get() }

    /// The objects at or below any of `prefixes` (supported paths such as `Device.LocalAgent.`).
    public static func objects(under prefixes: [String]) throws -> [ObjectSchema] {
        try objects().filter { o in prefixes.contains { o.path.hasPrefix($0) } }
    }
}

extension SchemaBuilder {
    /// Adds the generated TR-181 objects under `prefixes`, and every ancestor they need.
    public mutating func addTR181(under prefixes: [String]) throws {
        let all = try TR181.objects()
        let byPath = Dictionary(all.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var wanted = Set(all.filter { o in prefixes.contains { o.path.hasPrefix($0) } }.map(\.path))
        for p in wanted {
            var parent = Schema.parentPath(of: p)
            while let q = parent { wanted.insert(q); parent = Schema.parentPath(of: q) }
        }
        for o in all where wanted.contains(o.path) {
            var obj = o
            if !prefixes.contains(where: { o.path.hasPrefix($0) }) {
                // An ancestor outside the prefixes: keep only parameters counting wanted tables.
                let counters = Set(all.filter { wanted.contains($0.path) }.compactMap(\.numberOfEntriesParameter))
                obj.parameters = obj.parameters.filter { counters.contains($0.name) }
                obj.commands = []; obj.events = []
            }
            add(obj)
        }
        _ = byPath
    }
}
