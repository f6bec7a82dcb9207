/// Where each pane goes for a screen size. The cluster and tables panes stack on the left at
/// a fixed, readable width; the runner, the query editor and the result grid share the right.
/// While the focus is on the editor or the grid they get the room and the runner shrinks to a
/// few lines (it still shows the running step); otherwise the runner has it. A zoomed pane takes
/// the whole body. Everything fits at 80x24.
struct Layout: Equatable {
    var title: Rect
    var panes: [Pane: Rect]
    var status: Rect

    /// `editorLines`: the query text's lines, which the editor grows to show (up to a third).
    /// `clusterLines`: lines the cluster pane needs beyond its eight (a Redshift cluster's life).
    init(rows: Int, cols: Int, zoomed: Pane? = nil, queryFirst: Bool = false, editorLines: Int = 1, clusterLines: Int = 0) {
        title = Rect(row: 0, col: 0, height: 1, width: cols)
        status = Rect(row: rows - 1, col: 0, height: 1, width: cols)
        let body = Rect(row: 1, col: 0, height: rows - 2, width: cols)
        if let zoomed {
            panes = [zoomed: body]
            return
        }
        let leftWidth = min(44, max(30, cols / 3))
        // The cluster pane has eight lines; the tables pane gets the rest of the left column.
        let clusterHeight = min(10 + clusterLines, body.height / 2)
        let cluster = Rect(row: body.row, col: 0, height: clusterHeight, width: leftWidth)
        let tables = Rect(row: body.row + clusterHeight, col: 0, height: body.height - clusterHeight, width: leftWidth)
        let right = Rect(row: body.row, col: leftWidth, height: body.height, width: cols - leftWidth)
        let runnerHeight: Int
        let editorHeight: Int
        if queryFirst {
            runnerHeight = min(6, right.height / 4)
            editorHeight = max(3, min(editorLines + 2, (right.height - runnerHeight) / 3))
        } else {
            // The runner needs its nine steps, a progress line and a little log; the editor and
            // the grid keep at least a line of text and a header with a row under it.
            runnerHeight = max(14, min(right.height - 8, right.height * 11 / 20))
            editorHeight = max(3, min(editorLines + 2, (right.height - runnerHeight) / 2))
        }
        let runner = Rect(row: right.row, col: right.col, height: min(runnerHeight, right.height), width: right.width)
        let query = Rect(row: runner.row + runner.height, col: right.col, height: editorHeight, width: right.width)
        let results = Rect(
            row: query.row + query.height, col: right.col,
            height: max(0, right.height - runner.height - query.height), width: right.width)
        panes = [.cluster: cluster, .tables: tables, .runner: runner, .query: query, .results: results]
    }

    /// The help overlay's box.
    static func helpBox(_ size: ScreenSize) -> Rect { centred(rows: size.rows, cols: size.cols, height: size.rows - 2, width: 84) }

    /// The text viewer's box (a step's SQL, a cell opened whole).
    static func viewerBox(_ size: ScreenSize) -> Rect {
        centred(rows: size.rows, cols: size.cols, height: size.rows - 2, width: size.cols - 4)
    }

    /// A box centred on the screen for an overlay, as large as asked or as the screen allows.
    static func centred(rows: Int, cols: Int, height: Int, width: Int) -> Rect {
        let h = min(height, rows - 2)
        let w = min(width, cols - 4)
        return Rect(row: max(1, (rows - h) / 2), col: max(0, (cols - w) / 2), height: h, width: w)
    }
}
