/// Where each pane goes for a screen size. The cluster and tables panes stack on the left at
/// a fixed, readable width; the runner and the query pane share the right. A zoomed pane takes
/// the whole body. Everything fits at 80x24.
struct Layout: Equatable {
    var title: Rect
    var panes: [Pane: Rect]
    var status: Rect

    init(rows: Int, cols: Int, zoomed: Pane? = nil) {
        title = Rect(row: 0, col: 0, height: 1, width: cols)
        status = Rect(row: rows - 1, col: 0, height: 1, width: cols)
        let body = Rect(row: 1, col: 0, height: rows - 2, width: cols)
        if let zoomed {
            panes = [zoomed: body]
            return
        }
        let leftWidth = min(44, max(30, cols / 3))
        // The cluster pane has eight lines; the tables pane gets the rest of the left column.
        let clusterHeight = min(10, body.height / 2)
        let cluster = Rect(row: body.row, col: 0, height: clusterHeight, width: leftWidth)
        let tables = Rect(row: body.row + clusterHeight, col: 0, height: body.height - clusterHeight, width: leftWidth)
        // The runner needs its nine steps, a progress line and a little log; the query pane the rest,
        // but never less than an editor line, a message, a header and a few rows.
        let queryMinimum = 8
        let runnerHeight = max(14, min(body.height - queryMinimum, body.height * 11 / 20))
        let right = Rect(row: body.row, col: leftWidth, height: body.height, width: cols - leftWidth)
        let runner = Rect(row: right.row, col: right.col, height: min(runnerHeight, right.height), width: right.width)
        let query = Rect(row: runner.row + runner.height, col: right.col, height: right.height - runner.height, width: right.width)
        panes = [.cluster: cluster, .tables: tables, .runner: runner, .query: query]
    }

    /// A box centred on the screen for an overlay, as large as asked or as the screen allows.
    static func centred(rows: Int, cols: Int, height: Int, width: Int) -> Rect {
        let h = min(height, rows - 2), w = min(width, cols - 4)
        return Rect(row: max(1, (rows - h) / 2), col: max(0, (cols - w) / 2), height: h, width: w)
    }
}
