/// A key press, named the way the key table and the help screen name it.
enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    /// Ctrl with a letter: `.ctrl("c")`.
    case ctrl(Character)
    /// Alt (Meta) with a character, which terminals send as Esc then the character.
    case alt(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case ctrlLeft, ctrlRight, ctrlHome, ctrlEnd
    case enter, backspace, delete, tab, backTab, escape
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A click or a turn of the wheel (xterm's SGR mouse reports), at a screen cell.
    case mouse(Mouse)

    var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(c.uppercased())"
        case .alt(let c): return "Alt-\(c)"
        case .ctrlLeft: return "Ctrl-←"
        case .ctrlRight: return "Ctrl-→"
        case .ctrlHome: return "Ctrl-Home"
        case .ctrlEnd: return "Ctrl-End"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .function(let n): return "F\(n)"
        case .resize: return "resize"
        case .mouse: return "mouse"
        }
    }

    /// A key that types text into an editor rather than commanding the console.
    /// Control characters (Ctrl-Space sends NUL) type nothing.
    var typedCharacter: Character? {
        guard case .char(let c) = self else { return nil }
        if let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1,
            scalar.properties.generalCategory == .control
        {
            return nil
        }
        return c
    }
}

/// What the mouse did, and where (0-based screen row and column).
struct Mouse: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case click, wheelUp, wheelDown }
    var kind: Kind
    var row: Int
    var col: Int

    /// An SGR report's body (`ESC [ <` then `b;x;y` then `M` or `m`): nil for what the console
    /// does not use (releases, drags, the other buttons).
    static func parse(_ body: String, final: Character) -> Mouse? {
        let parts = body.split(separator: ";").compactMap { Int($0) }
        guard parts.count == 3, final == "M" else { return nil }
        let (button, col, row) = (parts[0], parts[1] - 1, parts[2] - 1)
        guard row >= 0, col >= 0, button & 32 == 0 else { return nil }  // 32: motion
        switch button & ~(4 | 8 | 16) {  // Shift, Meta, Ctrl held change nothing here
        case 0: return Mouse(kind: .click, row: row, col: col)
        case 64: return Mouse(kind: .wheelUp, row: row, col: col)
        case 65: return Mouse(kind: .wheelDown, row: row, col: col)
        default: return nil
        }
    }
}
