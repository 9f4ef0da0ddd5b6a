/// A problem in a mapping file: which file, where, which field, and why. A file with errors is
/// rejected as a whole; the other files still load.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line and column (0 when the problem has no position, e.g. an unreadable file).
    public var line: Int
    public var column: Int
    /// Dotted path of the field (`units[2].convert.scale`); empty for the whole file.
    public var field: String
    public var message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file; self.line = line; self.column = column; self.field = field; self.message = message
    }

    public var description: String {
        let pos = line > 0 ? "\(file):\(line):\(column)" : file
        return field.isEmpty ? "\(pos): \(message)" : "\(pos): \(field): \(message)"
    }
}
