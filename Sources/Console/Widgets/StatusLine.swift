import Warehouse

/// The bottom line: the keys that work where the focus is, and what is running on the right.
/// When they do not all fit (80 columns), the gaps narrow, then labels keep their first word,
/// then the pane's own keys give way from the end: the keys that work everywhere (help, quit,
/// zoom, validate) stay.
enum StatusLine {
    static func draw(_ screen: ScreenBuffer, row: Int, width: Int, scope: Scope, activity: (text: String, style: Style)?) {
        let reserved = activity.map { DisplayWidth.of($0.text) + 2 } ?? 0
        let entries = fitted(Keymap.statusEntries(for: scope), scope: scope, room: width - reserved - 1)
        var col = 1
        for entry in entries.shown {
            col += screen.put(entry.keys, row: row, col: col, style: .key)
            col += 1
            col += screen.put(entry.label, row: row, col: col, style: .dim)
            col += entries.gap
        }
        if let activity {
            let text = TextFit.truncate(activity.text, max(0, width - col - 1))
            screen.put(text, row: row, col: width - DisplayWidth.of(text) - 1, style: activity.style)
        }
    }

    typealias Entry = (keys: String, label: String)

    /// The entries that fit in `room` columns, and the gap between them.
    static func fitted(_ all: [Entry], scope: Scope, room: Int) -> (shown: [Entry], gap: Int) {
        func width(_ entries: [Entry], gap: Int) -> Int {
            entries.reduce(0) { $0 + DisplayWidth.of($1.keys) + 1 + DisplayWidth.of($1.label) + gap }
        }
        if width(all, gap: 2) <= room { return (all, 2) }
        if width(all, gap: 1) <= room { return (all, 1) }
        var short = all.map { (keys: $0.keys, label: String($0.label.split(separator: " ").first ?? "")) }
        var localLeft = Keymap.statusEntries(for: scope, global: false).count
        while width(short, gap: 1) > room, localLeft > 0 {
            short.remove(at: localLeft - 1)
            localLeft -= 1
        }
        while width(short, gap: 1) > room, !short.isEmpty { short.removeLast() }
        return (short, 1)
    }
}
