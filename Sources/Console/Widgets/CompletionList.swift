import Warehouse

/// The completion list, drawn over whatever lies under the cursor: up to eight items with their
/// kind and type, the selected one marked, and how many more there are.
enum CompletionList {
    static let visibleItems = 8

    static func draw(_ screen: ScreenBuffer, _ menu: CompletionMenu, cursor: (row: Int, col: Int), size: ScreenSize) {
        let items = menu.completion.items
        let shown = min(items.count, visibleItems)
        let first = max(0, min(menu.selected - shown + 1, items.count - shown))
        let nameWidth = min(40, items.map { CellText.width($0.text) }.max() ?? 0)
        let detailWidth = min(24, items.map { CellText.width(words($0)) }.max() ?? 0)
        let width = min(size.cols, nameWidth + detailWidth + 5)
        let height = shown + 2
        // Below the cursor's line when it fits, else above it.
        let row = cursor.row + 1 + height <= size.rows - 1 ? cursor.row + 1 : max(0, cursor.row - height)
        let col = max(0, min(cursor.col - CellText.width(menu.completion.prefix), size.cols - width))
        let box = Rect(row: row, col: col, height: height, width: width)
        screen.fill(box)
        let more = items.count > shown ? "\(menu.selected + 1)/\(items.count)" : nil
        Frame.draw(screen, box, title: "", focused: true, note: more)
        for (offset, item) in items[first..<(first + shown)].enumerated() {
            let index = first + offset
            let line = TextFit.fit(item.text, nameWidth) + "  " + TextFit.fit(words(item), detailWidth)
            screen.put(
                " " + line, row: box.row + 1 + offset, col: box.col + 1, style: index == menu.selected ? .selected : .normal, clip: box.inner)
        }
    }

    /// A column's type, a relation's schema, or what the item is.
    static func words(_ item: Completion.Item) -> String {
        item.detail.isEmpty ? item.kind.rawValue : item.detail
    }
}
