import Warehouse

/// A rectangle of the screen, in cells.
struct Rect: Equatable, Sendable {
    var row: Int, col: Int, height: Int, width: Int

    init(row: Int, col: Int, height: Int, width: Int) {
        self.row = row
        self.col = col
        self.height = max(0, height)
        self.width = max(0, width)
    }

    /// The inside of a box drawn on this rectangle's edge.
    var inner: Rect { Rect(row: row + 1, col: col + 1, height: height - 2, width: width - 2) }
    var isEmpty: Bool { height <= 0 || width <= 0 }

    func contains(row: Int, col: Int) -> Bool { row >= self.row && row < self.row + height && col >= self.col && col < self.col + width }
}

/// The whole screen as cells of text and style. Panes draw here, never into curses: the
/// terminal copies a finished frame out in one pass, and tests read the same cells back.
final class ScreenBuffer {
    struct Cell: Equatable {
        /// One character (a base scalar and its combining marks); "" for the right half of a
        /// wide character, which the character on its left covers.
        var text: String
        var style: Style
    }

    private(set) var rows: Int
    private(set) var cols: Int
    private var cells: [Cell]

    init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
        cells = Array(repeating: Cell(text: " ", style: .normal), count: self.rows * self.cols)
    }

    func clear() {
        for index in cells.indices { cells[index] = Cell(text: " ", style: .normal) }
    }

    subscript(row: Int, col: Int) -> Cell { cells[row * cols + col] }

    /// Writes `text` from (row, col), clipped to `clip` (the whole screen by default) and to at
    /// most `limit` columns. A wide character that would straddle the edge becomes a space, so
    /// nothing ever spills into the next pane. Returns the columns used.
    @discardableResult
    func put(
        _ text: String, row: Int, col: Int, style: Style = .normal,
        limit: Int = Int.max, clip: Rect? = nil
    ) -> Int {
        let area = clip ?? Rect(row: 0, col: 0, height: rows, width: cols)
        guard row >= area.row, row < area.row + area.height, row < rows, row >= 0 else { return 0 }
        let right = min(area.col + area.width, cols, col.addingReportingOverflow(limit).overflow ? Int.max : col + limit)
        var x = col
        for character in text {
            let width = Self.width(of: character)
            if width == 0 {
                // A lone combining mark joins the character before it rather than taking a cell.
                if x > col, x - 1 >= area.col, x - 1 < right { cells[row * cols + x - 1].text.append(contentsOf: String(character)) }
                continue
            }
            if x + width > right {
                if x < right, x >= area.col { cells[row * cols + x] = Cell(text: " ", style: style) }
                x = right
                break
            }
            if x >= area.col {
                cells[row * cols + x] = Cell(text: Self.printable(character), style: style)
                if width == 2 { cells[row * cols + x + 1] = Cell(text: "", style: style) }
            }
            x += width
        }
        return max(0, x - col)
    }

    /// Paints a rectangle with one character and style.
    func fill(_ rect: Rect, with character: Character = " ", style: Style = .normal) {
        for row in max(0, rect.row)..<min(rows, rect.row + rect.height) {
            for col in max(0, rect.col)..<min(cols, rect.col + rect.width) {
                cells[row * cols + col] = Cell(text: String(character), style: style)
            }
        }
    }

    /// Changes the style of cells already drawn (a selection bar over a row of columns).
    func restyle(_ rect: Rect, _ style: Style) {
        for row in max(0, rect.row)..<min(rows, rect.row + rect.height) {
            for col in max(0, rect.col)..<min(cols, rect.col + rect.width) { cells[row * cols + col].style = style }
        }
    }

    /// One row as text, wide characters once: what a test or a screen reader sees.
    func text(row: Int) -> String {
        var line = ""
        for col in 0..<cols { line += cells[row * cols + col].text }
        return line
    }

    /// Every row, trailing blanks trimmed, joined by newlines.
    var text: String {
        (0..<rows).map { String(text(row: $0).reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }

    /// The first (row, col) where `needle` appears, in cells.
    func find(_ needle: String) -> (row: Int, col: Int)? {
        for row in 0..<rows {
            for col in 0..<cols where !self[row, col].text.isEmpty {
                var seen = ""
                var next = col
                while next < cols, seen.count < needle.count {
                    seen += self[row, next].text
                    next += 1
                }
                if seen.hasPrefix(needle) { return (row, col) }
            }
        }
        return nil
    }

    static func width(of character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars { width += DisplayWidth.of(scalar) }
        // Control characters would move the terminal's cursor: they take one cell, shown as a symbol.
        if width == 0, let first = character.unicodeScalars.first, first.value < 0x20 || first.value == 0x7F { return 1 }
        return min(width, 2)
    }

    private static func printable(_ character: Character) -> String {
        guard let first = character.unicodeScalars.first else { return " " }
        if first.value < 0x20 { return first == "\t" ? " " : "·" }
        if first.value == 0x7F { return "·" }
        return String(character)
    }
}
