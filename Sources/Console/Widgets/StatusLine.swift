import Warehouse

/// The bottom line: the keys that work where the focus is, and what is running on the right.
enum StatusLine {
    static func draw(_ screen: ScreenBuffer, row: Int, width: Int, scope: Scope, activity: (text: String, style: Style)?) {
        var col = 1
        let reserved = activity.map { DisplayWidth.of($0.text) + 2 } ?? 0
        for entry in Keymap.statusEntries(for: scope) {
            let needed = DisplayWidth.of(entry.keys) + 1 + DisplayWidth.of(entry.label) + 2
            if col + needed > width - reserved { continue }  // a shorter one further on may fit
            col += screen.put(entry.keys, row: row, col: col, style: .key)
            col += 1
            col += screen.put(entry.label, row: row, col: col, style: .dim)
            col += 2
        }
        if let activity {
            let text = TextFit.truncate(activity.text, max(0, width - col - 1))
            screen.put(text, row: row, col: width - DisplayWidth.of(text) - 1, style: activity.style)
        }
    }
}
