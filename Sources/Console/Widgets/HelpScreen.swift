/// The help overlay, drawn from the key table: every binding, grouped by where it works.
enum HelpScreen {
    static var lines: [(text: String, style: Style)] {
        var lines: [(String, Style)] = []
        for scope in Scope.allCases {
            let bindings = Keymap.bindings.filter { $0.scope == scope }
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append(("", .normal)) }
            lines.append((scope.rawValue, .heading))
            for binding in bindings {
                let keys = binding.keys.map(\.description).joined(separator: ", ")
                lines.append(("  " + TextFit.fit(keys, 22) + binding.summary, .normal))
            }
        }
        // The mouse acts where it points (Keymap.action maps its reports), not by a table entry.
        lines += [
            ("", .normal), ("Mouse", .heading),
            ("  " + TextFit.fit("Click", 22) + "Focus the pane under it and select the table, step, cell or place in the text", .normal),
            ("  " + TextFit.fit("Wheel", 22) + "Scroll the pane (or the window) under the pointer", .normal),
            ("  " + TextFit.fit("sparkify --no-mouse", 22) + "Leave the mouse to the terminal, to select text with it", .normal),
        ]
        return lines
    }

    static func draw(_ screen: ScreenBuffer, _ rect: Rect, scroll: Int) -> Int {
        screen.fill(rect)
        Frame.draw(screen, rect, title: "Help: sparkify keys", focused: true, note: "Esc closes")
        let inner = rect.inner
        let all = lines
        let top = max(0, min(scroll, all.count - inner.height))
        for (offset, line) in all.dropFirst(top).prefix(inner.height).enumerated() {
            screen.put(TextFit.truncate(line.text, inner.width - 1), row: inner.row + offset, col: inner.col + 1, style: line.style)
        }
        return top
    }
}
