import Warehouse

/// A box around a pane, its title in the top edge; the focused pane's box stands out.
enum Frame {
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, title: String, focused: Bool, note: String? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let border: Style = focused ? .focusedBorder : .border
        let right = rect.col + rect.width - 1
        let bottom = rect.row + rect.height - 1
        let horizontal = String(repeating: "─", count: rect.width - 2)
        screen.put("┌" + horizontal + "┐", row: rect.row, col: rect.col, style: border)
        screen.put("└" + horizontal + "┘", row: bottom, col: rect.col, style: border)
        for row in rect.row + 1..<bottom {
            screen.put("│", row: row, col: rect.col, style: border)
            screen.put("│", row: row, col: right, style: border)
        }
        let heading = " \(title) "
        let used = screen.put(
            heading, row: rect.row, col: rect.col + 2, style: focused ? .focusedTitle : .title,
            limit: rect.width - 4)
        if let note, !note.isEmpty {
            let text = " \(TextFit.truncate(note, max(0, rect.width - used - 7))) "
            let width = DisplayWidth.of(text)
            if rect.width - used - 4 > width {
                screen.put(text, row: rect.row, col: right - 1 - width, style: .dim)
            }
        }
    }
}
