import Warehouse

/// The row count of every staging and analytics table and of the rejects, "—" for a table that
/// does not exist yet.
enum TablesPane {
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, _ state: ConsoleState, focused: Bool) {
        Frame.draw(
            screen, rect, title: Pane.tables.title, focused: focused,
            note: state.countsKnown ? (state.countsEstimated ? "≈ Redshift's estimates" : nil) : "counting…")
        let inner = rect.inner
        let countWidth = 11
        var row = inner.row
        let selected = state.counts.indices.contains(state.selectedTable) ? state.counts[state.selectedTable].table : nil
        for (schema, entries) in grouped(state.counts) where row < inner.row + inner.height {
            screen.put(schema, row: row, col: inner.col + 1, style: .heading, clip: inner)
            row += 1
            for entry in entries where row < inner.row + inner.height {
                let name = String(entry.table.dropFirst(schema.count + 1))
                let isRejects = entry.table == StarSchema.loadErrors.qualifiedName
                screen.put(
                    TextFit.fit(name, max(0, inner.width - countWidth - 3)), row: row, col: inner.col + 3,
                    style: isRejects ? .dim : .normal, clip: inner)
                let count = entry.rows.map { (state.countsEstimated ? "≈" : "") + Figures.count($0) } ?? "—"
                let style: Style = entry.rows == nil ? .dim : (isRejects && (entry.rows ?? 0) > 0 ? .warning : .normal)
                screen.put(
                    TextFit.fit(count, countWidth - 1, .right), row: row, col: inner.col + inner.width - countWidth,
                    style: style, clip: inner)
                if focused, entry.table == selected {
                    screen.restyle(Rect(row: row, col: inner.col + 3, height: 1, width: max(0, inner.width - 4)), .selected)
                }
                row += 1
            }
        }
        if let problem = state.countsProblem, row < inner.row + inner.height {
            screen.put(
                TextFit.truncate("counts: " + problem, inner.width - 1), row: row,
                col: inner.col + 1, style: .bad, clip: inner)
        }
    }

    /// Tables under their schema, schemas in the order they first appear: the rejects sit with
    /// staging, where they were loaded.
    /// The table drawn on line `line` of the pane's inside (0: its first line), as an index into
    /// `counts`; nil on a schema's heading or below the list. The mouse asks this.
    static func table(atLine line: Int, _ counts: [(table: String, rows: Int?)]) -> Int? {
        var current = 0
        for (_, entries) in grouped(counts) {
            current += 1  // the schema's heading
            for entry in entries {
                if current == line { return counts.firstIndex { $0.table == entry.table } }
                current += 1
            }
        }
        return nil
    }

    static func grouped(_ counts: [(table: String, rows: Int?)]) -> [(String, [(table: String, rows: Int?)])] {
        var order: [String] = []
        var groups: [String: [(table: String, rows: Int?)]] = [:]
        for entry in counts {
            let schema = String(entry.table.prefix { $0 != "." })
            if groups[schema] == nil { order.append(schema) }
            groups[schema, default: []].append(entry)
        }
        return order.map { ($0, groups[$0]!) }
    }
}
