/// What a piece of text means on screen. Panes say what they draw; the terminal decides how
/// that looks (colours, or only bold and reverse under NO_COLOR), so the two never mix.
enum Style: UInt8, CaseIterable, Sendable {
    case normal, dim, heading, border, focusedBorder, title, focusedTitle
    case selected, good, bad, running, warning, key, null, statusBar, barDone, barLeft
    /// SQL in the editor.
    case sqlKeyword, sqlString, sqlNumber, sqlComment
    /// The text at the server's error position.
    case errorMark
    /// The grid's selected cell, inside its selected (reversed) row.
    case cursorCell

    /// How a style is drawn: a foreground colour (nil for the terminal's own) and attributes.
    struct Look: Equatable, Sendable {
        enum Color: Int16, CaseIterable, Sendable { case red = 1, green, yellow, blue, magenta, cyan }
        var color: Color?
        var bold = false
        var dim = false
        var reverse = false
    }

    func look(colors: Bool) -> Look {
        switch self {
        case .normal: return Look()
        case .dim, .null: return Look(dim: true)
        case .heading: return Look(bold: true)
        case .border: return Look(color: colors ? .blue : nil, dim: !colors)
        case .focusedBorder: return Look(color: colors ? .cyan : nil, bold: true)
        case .title: return Look(bold: true)
        case .focusedTitle: return Look(color: colors ? .cyan : nil, bold: true, reverse: !colors)
        case .selected: return Look(reverse: true)
        case .good: return Look(color: colors ? .green : nil)
        case .bad: return Look(color: colors ? .red : nil, bold: true)
        case .running: return Look(color: colors ? .yellow : nil, bold: true)
        case .warning: return Look(color: colors ? .magenta : nil)
        case .key: return Look(color: colors ? .cyan : nil, bold: true)
        case .statusBar: return Look(reverse: true)
        case .barDone: return Look(color: colors ? .cyan : nil)
        case .barLeft: return Look(dim: true)
        case .sqlKeyword: return Look(color: colors ? .blue : nil, bold: true)
        case .sqlString: return Look(color: colors ? .green : nil)
        case .sqlNumber: return Look(color: colors ? .magenta : nil)
        case .sqlComment: return Look(dim: true)
        case .cursorCell: return Look(color: colors ? .cyan : nil, bold: true)
        case .errorMark: return Look(color: colors ? .red : nil, bold: true, reverse: true)
        }
    }
}
