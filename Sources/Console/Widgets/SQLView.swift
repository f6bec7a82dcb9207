import Foundation
import Warehouse

/// A scrollable window of text, wrapped to its width: a step's SQL exactly as the runner sends
/// it, or a grid cell opened whole.
enum SQLView {
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, title: String, lines: [String], scroll: Int) {
        screen.fill(rect)
        let inner = rect.inner
        let lines = wrapped(lines, width: inner.width - 1)
        let top = clamp(scroll, lines: lines.count, height: inner.height)
        let note =
            lines.count > inner.height ? "lines \(top + 1)–\(min(lines.count, top + inner.height)) of \(lines.count) · Esc closes" : "Esc closes"
        Frame.draw(screen, rect, title: title, focused: true, note: note)
        for (offset, line) in lines.dropFirst(top).prefix(inner.height).enumerated() {
            screen.put(line, row: inner.row + offset, col: inner.col + 1, style: SQLView.style(of: line), limit: inner.width - 1)
        }
    }

    /// Long statements wrap rather than run off the edge: the SQL is read whole.
    static func wrapped(_ lines: [String], width: Int) -> [String] {
        lines.flatMap { TextFit.wrap($0, width) }
    }

    static func clamp(_ scroll: Int, lines: Int, height: Int) -> Int { max(0, min(scroll, lines - height)) }

    private static func style(of line: String) -> Style {
        line.trimmingCharacters(in: .whitespaces).hasPrefix("--") ? .dim : .normal
    }
}
