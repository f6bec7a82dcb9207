import PostgresClient
import Warehouse

/// Where the grid is in a result: the selected cell, the first row and column shown, the frozen
/// columns, and the row order when sorted. Moves are clamped here, so the view only draws.
struct GridState: Sendable {
    /// The selected row, in display order.
    var row = 0
    var column = 0
    /// The first row drawn (display order).
    var top = 0
    /// The first scrolling (unfrozen) column drawn.
    var left = 0
    /// The first columns that stay put while the rest scroll sideways (pspg's 0-9).
    var frozen = 0
    /// Display position → stored row, when sorted.
    var order: [UInt32]?
    var sort: (column: Int, descending: Bool)?
    /// Only the rows with a cell containing this are shown (`order` holds them); nil: all rows.
    var filter: String?
    /// The order before the filter (nil: as returned), which clearing it brings back and a sort replaces.
    var unfiltered: [UInt32]?
    /// Rows in the result when the filter was made: rows arriving later are not filtered yet.
    var filteredFrom = 0

    init() {}

    /// Widest a column is drawn; a longer value is cut with `…` and opened whole with Enter.
    static let columnCap = 40

    func storedRow(_ position: Int) -> Int { order.map { Int($0[position]) } ?? position }

    /// Keeps the selection inside the result and on screen: `rows` in the result, `height`
    /// rows of the grid visible, `widths` the columns' drawn widths, `width` the grid's width.
    mutating func settle(rows: Int, columns: Int, height: Int, widths: [Int], width: Int) {
        row = max(0, min(row, rows - 1))
        column = max(0, min(column, columns - 1))
        frozen = min(frozen, max(0, columns - 1))
        let visible = max(1, height)
        if row < top { top = row }
        if row >= top + visible { top = row - visible + 1 }
        top = max(0, min(top, max(0, rows - visible)))
        // Sideways: the selected column must be whole on screen, after the frozen ones.
        left = max(left, frozen)
        if column >= frozen {
            if column < left { left = column }
            while left < column, Self.span(widths, frozen: frozen, from: left, through: column) > width { left += 1 }
        }
        left = min(left, max(frozen, columns - 1))
    }

    /// The width columns `from...through` take after the frozen ones, with their separators.
    static func span(_ widths: [Int], frozen: Int, from: Int, through: Int) -> Int {
        let frozenWidth = widths.prefix(frozen).reduce(0) { $0 + $1 + 1 }
        return frozenWidth + widths[from...through].reduce(0) { $0 + $1 + 1 } - 1
    }

    /// The columns' drawn widths: the widest value (or the name) up to the cap. A result of one
    /// column (a plan, a long text) may use the whole `room`; a sorted column is at least two
    /// cells wide, so its arrow never hides the whole of a one-letter name.
    static func widths(columns: [Column], content: [Int], room: Int = columnCap, sorted: Int? = nil) -> [Int] {
        let cap = columns.count == 1 ? max(columnCap, room) : columnCap
        return columns.enumerated().map { index, column in
            let data = index < content.count ? content[index] : 0
            return max(index == sorted ? 2 : 1, min(cap, max(CellText.width(column.name), data)))
        }
    }
}
