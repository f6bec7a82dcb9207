import Warehouse

/// Fitting text into columns by display width, so CJK titles and accented names line up.
enum TextFit {
    enum Alignment { case left, right }

    /// `text` cut to `width` columns (ending in "…" when cut) and padded to exactly `width`.
    static func fit(_ text: String, _ width: Int, _ alignment: Alignment = .left) -> String {
        guard width > 0 else { return "" }
        let cut = truncate(text, width)
        let padding = String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
        return alignment == .left ? cut + padding : padding + cut
    }

    /// At most `width` columns of `text`, the end replaced by "…" when it does not fit.
    static func truncate(_ text: String, _ width: Int) -> String {
        if DisplayWidth.of(text) <= width { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        var kept = ""
        var used = 0
        for character in text {
            let size = ScreenBuffer.width(of: character)
            if used + size > width - 1 { break }
            kept.append(character)
            used += size
        }
        return kept + "…"
    }

    /// The end of `text` in `width` columns, "…" in front: for paths, whose tail says the most.
    static func tail(_ text: String, _ width: Int) -> String {
        if DisplayWidth.of(text) <= width { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        var kept: [Character] = []
        var used = 0
        for character in text.reversed() {
            let size = ScreenBuffer.width(of: character)
            if used + size > width - 1 { break }
            kept.append(character)
            used += size
        }
        return "…" + String(kept.reversed())
    }

    /// `text` in `width` columns with its middle replaced by "…": for paths, whose start says
    /// where and whose end says which.
    static func middle(_ text: String, _ width: Int) -> String {
        if DisplayWidth.of(text) <= width { return text }
        guard width > 2 else { return truncate(text, width) }
        let tailWidth = (width - 1) / 2
        let headWidth = width - 1 - tailWidth
        let head = truncate(text, headWidth + 1).dropLast()  // truncate's own "…" goes
        let end = tail(text, tailWidth + 1).dropFirst()
        return head + "…" + end
    }

    /// `text` broken into pieces of at most `width` columns, at spaces when there is one.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        guard width > 0 else { return [] }
        var pieces: [String] = []
        var current = ""
        var used = 0
        for character in text {
            let size = ScreenBuffer.width(of: character)
            if used + size > width {
                if character == " " {
                    // The line ends exactly here: the space is the break.
                    pieces.append(current)
                    current = ""
                    used = 0
                    continue
                }
                if let space = current.lastIndex(of: " "), current.distance(from: current.startIndex, to: space) > 0 {
                    pieces.append(String(current[..<space]))
                    current = String(current[current.index(after: space)...])
                } else {
                    pieces.append(current)
                    current = ""
                }
                used = DisplayWidth.of(current)
            }
            current.append(character)
            used += size
        }
        if !current.isEmpty || pieces.isEmpty { pieces.append(current) }
        return pieces
    }
}
