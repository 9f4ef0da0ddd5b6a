import Foundation

/// Renders rows as aligned columns: every column but the last is padded to its widest cell,
/// cells are joined with `separator`, trailing blanks are trimmed.
struct TextTable {
    var rows: [[String]] = []
    var separator = " | "
    var indent = ""

    init(_ rows: [[String]] = [], separator: String = " | ", indent: String = "") {
        self.rows = rows; self.separator = separator; self.indent = indent
    }

    var lines: [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                if i > 0 { line += separator }
                line += i < row.count - 1 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) : cell
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
