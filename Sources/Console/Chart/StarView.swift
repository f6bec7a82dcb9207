import Warehouse

/// The star drawn in the terminal: the fact table in the middle, users and songs above on the
/// left and right, artists and time below, a line from each dimension to the fact labelled with
/// the column they join by. What the database lacks is drawn as lacking.
enum StarView {
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, diagram: StarDiagram) {
        screen.fill(rect)
        Frame.draw(screen, rect, title: "The star schema, as the database holds it", focused: true, note: "◆ join column · Esc closes")
        let inner = rect.inner
        guard diagram.catalogKnown else {
            screen.put("The catalog is read once connected: try again in a moment.", row: inner.row + 1, col: inner.col + 2, style: .dim, clip: inner)
            return
        }
        let factWidth = max(24, min(40, inner.width / 3))
        let dimensionWidth = max(18, min(34, (inner.width - factWidth) / 2 - 8))
        let factCol = inner.col + (inner.width - factWidth) / 2
        let half = max(4, (inner.height - 1) / 2)

        let factLines = lines(diagram.fact)
        let factHeight = min(inner.height - 2, factLines.count + 2)
        let fact = Rect(row: inner.row + (inner.height - factHeight) / 2, col: factCol, height: factHeight, width: factWidth)

        for (index, dimension) in diagram.dimensions.enumerated() {
            let height = min(half, lines(dimension).count + 2)
            let top = index < 2
            let left = index % 2 == 0
            let box = Rect(
                row: top ? inner.row : inner.row + inner.height - height,
                col: left ? inner.col + 1 : inner.col + inner.width - dimensionWidth - 1, height: height, width: dimensionWidth)
            drawBox(screen, box, dimension)
            guard let column = dimension.joinColumn else { continue }
            // The line meets the fact at its own line for the join column, and the dimension
            // at the middle of its nearer edge: across, then up or down.
            let whole = dimension.joinPresent && diagram.factHas(column)
            let style: Style = whole ? .key : .bad
            let factLine = factLines.firstIndex { $0.text.hasPrefix("◆ \(column) ") }.map { fact.row + 1 + $0 } ?? fact.row + fact.height / 2
            let row = max(fact.row + 1, min(fact.row + fact.height - 2, factLine))
            let factSide = left ? fact.col - 1 : fact.col + fact.width
            // Upper boxes' lines leave a third of the way along, lower ones two thirds: the two
            // on one side never run down the same column.
            let middle = box.col + (top ? box.width / 3 : 2 * box.width / 3)
            let edge = top ? box.row + box.height : box.row - 1
            let across = left ? (middle + 1)...factSide : factSide...(middle - 1)
            screen.put(String(repeating: "─", count: across.count), row: row, col: across.lowerBound, style: style, clip: inner)
            let label = whole ? " \(column) " : " ✗ \(column) "
            if across.count > label.count + 2 {
                screen.put(label, row: row, col: across.lowerBound + (across.count - label.count) / 2, style: style, clip: inner)
            }
            if top ? edge < row : edge > row {
                for line in min(edge, row)...max(edge, row) where line != row {
                    screen.put("│", row: line, col: middle, style: style, clip: inner)
                }
                let corner = top ? (left ? "└" : "┘") : (left ? "┌" : "┐")
                screen.put(corner, row: row, col: middle, style: style, clip: inner)
            } else {
                screen.put("─", row: row, col: middle, style: style, clip: inner)
            }
        }
        drawBox(screen, fact, diagram.fact)
    }

    struct Line: Equatable {
        var text: String
        var style: Style
    }

    /// A box's lines: its columns (the join ones marked), then what it lacks.
    static func lines(_ box: StarDiagram.Box) -> [Line] {
        guard let columns = box.columns else { return [Line(text: "not in the database", style: .bad)] }
        var lines = columns.map { column -> Line in
            let key = column.name == box.joinColumn || StarSchema.factJoins.contains { $0.column == column.name } && box.joinColumn == nil
            return Line(text: (key ? "◆ " : "  ") + column.name + "  " + column.type, style: key ? .key : .normal)
        }
        lines += box.missing.map { Line(text: "✗ \($0): missing", style: .bad) }
        if let join = box.joinColumn, !box.joinPresent, !box.missing.contains(join) {
            lines.append(Line(text: "✗ \(join): missing", style: .bad))
        }
        return lines
    }

    private static func drawBox(_ screen: ScreenBuffer, _ box: Rect, _ content: StarDiagram.Box) {
        let rows = content.rows.map { Figures.count($0, "row") } ?? (content.columns == nil ? "absent" : "not counted")
        let name = content.table.split(separator: ".").last.map(String.init) ?? content.table
        Frame.draw(screen, box, title: name, focused: content.columns != nil, note: rows)
        let all = lines(content)
        let room = box.height - 2
        for (offset, line) in all.prefix(room).enumerated() {
            let cut = offset == room - 1 && all.count > room
            let text = cut ? "… \(all.count - room + 1) more" : line.text
            screen.put(
                TextFit.truncate(text, box.width - 2), row: box.row + 1 + offset, col: box.col + 1, style: cut ? .dim : line.style,
                limit: box.width - 2)
        }
    }
}
